"""Proof certificates: what a checked file gave the kernel (definitions, theorem statements and
their derivations), written as JSON so that ``pv recheck`` can replay it through the kernel
alone -- no parser, no tactics.

A derivation is stored flat, in preorder, as ``[rule, args, number_of_premises]`` rows, so that
neither writing nor reading it recurses as deep as the proof.
"""
from __future__ import annotations

import json

from seplogic.serial import SerialError, decode, encode

FORMAT = "pv-certificate/1"
# Theorem 2's named parts, in the order `kernel.crash.theorem2` takes them
REFINEMENT_ROLES = ("crash_inv", "crash_start", "init_start", "absr", "inv_name", "sem_init")


def flatten(d) -> list:
    rows, stack = [], [d]
    while stack:
        node = stack.pop()
        rows.append([node[0], encode(node[1]), len(node[2])])
        stack.extend(reversed(node[2]))
    return rows


def unflatten(rows):
    """Rebuild the nested derivation from preorder rows."""
    if type(rows) is not list or not rows:
        raise SerialError("a derivation must be a non-empty list")
    built = [None] * len(rows)
    # children of row i are consecutive subtrees after it: compute subtree ends right to left
    end = [0] * len(rows)
    for i in range(len(rows) - 1, -1, -1):
        row = rows[i]
        if type(row) is not list or len(row) != 3 or type(row[2]) is not int or row[2] < 0:
            raise SerialError(f"bad derivation row {str(row)[:60]}")
        j, kids = i + 1, []
        for _ in range(row[2]):
            if j >= len(rows) or built[j] is None:
                raise SerialError("derivation rows do not form a tree")
            kids.append(built[j])
            built[j], j = None, end[j]
        end[i] = j
        built[i] = (row[0], decode(row[1]), tuple(kids))
    if end[0] != len(rows):
        raise SerialError("trailing derivation rows")
    return built[0]


class Recorder:
    """Collects what a `Session` hands the kernel, in order."""

    def __init__(self):
        self.entries: list = []

    def definition(self, kind: str, name: str, **fields) -> None:
        self.entries.append({"cmd": kind, "name": name,
                             **{k: encode(v) for k, v in fields.items()}})

    def theorem(self, name: str, statement, derivation) -> None:
        self.entries.append({"cmd": "theorem", "name": name, **_statement(statement),
                             "derivation": flatten(derivation)})

    def admitted(self, name: str, statement) -> None:
        self.entries.append({"cmd": "admitted", "name": name, **_statement(statement)})

    def dump(self, path: str, source: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"format": FORMAT, "source": source, "entries": self.entries}, f,
                      ensure_ascii=False)


def _statement(statement) -> dict:
    """An assertion, or the parts of a crash theorem's ``∀ params. P ⇒[n] Q``."""
    from kernel.crash import CrashStatement
    if type(statement) is CrashStatement:
        return {"crash": [encode(statement.params), encode(statement.version),
                          encode(statement.lhs), encode(statement.rhs)]}
    return {"statement": encode(statement)}


def replay(kernel, data, on_theorem=None) -> list:
    """Replay a certificate into ``kernel``; returns error messages (empty: all accepted)."""
    from kernel.wf import KernelError
    errors = []
    if type(data) is not dict or data.get("format") != FORMAT or type(
            data.get("entries")) is not list:
        return [f"not a {FORMAT} file"]
    for e in data["entries"]:
        name = e.get("name") if type(e) is dict else None
        try:
            cmd = e["cmd"]
            if cmd == "definition":
                kernel.define_pure(name, decode(e["params"]), decode(e["sort"]), decode(e["body"]))
            elif cmd == "predicate":
                kernel.define_predicate(name, decode(e["params"]), decode(e["body"]))
            elif cmd == "function":
                kernel.define_function(name, decode(e["params"]), decode(e["body"]))
            elif cmd == "theorem" and "crash" in e:
                params, version, lhs, rhs = (decode(x) for x in e["crash"])
                kernel.prove_crash(name, params, version, lhs, rhs, unflatten(e["derivation"]))
            elif cmd == "theorem":
                kernel.prove(name, decode(e["statement"]), unflatten(e["derivation"]))
            elif cmd == "admitted" and "crash" in e:
                from kernel.crash import CrashStatement
                kernel.admit_crash(name, CrashStatement(*(decode(x) for x in e["crash"])))
            elif cmd == "admitted":
                kernel.admit(name, decode(e["statement"]))
            elif cmd == "spec":
                kernel.define_spec(name, decode(e["state"]), decode(e["sort"]))
            elif cmd == "operation":
                kernel.define_spec_op(decode(e["spec"]), name, decode(e["params"]),
                                      decode(e["body"]), decode(e["result"]))
            elif cmd == "crash_step":
                kernel.define_spec_crash(name, decode(e["body"]))
            elif cmd == "init_state":
                kernel.define_spec_init(name, decode(e["params"]), decode(e["term"]))
            elif cmd == "refinement":
                from kernel.crash import theorem2
                theorem2(kernel, name, decode(e["spec"]), dict(decode(e["impl"])),
                         *(decode(e[r]) for r in REFINEMENT_ROLES),
                         dict(decode(e["premises"])))
            else:
                raise SerialError(f"unknown entry {cmd!r}")
            if on_theorem and cmd in ("theorem", "admitted", "refinement"):
                on_theorem(name, cmd)
        except (KernelError, SerialError, KeyError, TypeError, AttributeError, ValueError) as ex:
            errors.append(f"{name}: {ex}")
    return errors
