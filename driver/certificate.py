"""Proof certificates: the kernel calls a checked file made (definitions, specs, theorem
statements with their derivations, refinements), written as JSON so that ``pv recheck`` can
replay them through the kernel alone -- no parser, no tactics.

An entry is ``{"call": name, "args": [...]}`` for one of `KERNEL_CALLS`, with ``"derivation"``
for the calls that check one.  `Session` reaches the kernel through `kernel_call` and records
what succeeded, so a certificate holds exactly the calls that were made, whatever arguments a
kernel entry point takes.  What did not succeed is recorded too, so that a replay reports what
the check reported: ``{"call": "failed", "name": ..., "admit": entry}`` for a theorem whose
proof failed (replayed as an admit, so that later theorems are still checked, and reported as
failed) and ``{"call": "error", "message": ...}`` for any other error.

A derivation is stored flat, in preorder, as ``[rule, args, number_of_premises]`` rows, so that
neither writing nor reading it recurses as deep as the proof.
"""
from __future__ import annotations

import json
import re
import time

from seplogic.record import dataclass, field
from seplogic.serial import SerialError, decode, encode

FORMAT = "pv-certificate/2"
# kernel entry points a certificate may call; a theorem's name is the first argument
_METHODS = ("define_pure", "define_predicate", "define_function", "define_spec",
            "define_spec_op", "define_spec_crash", "define_spec_init", "prove", "prove_crash", "admit",
            "admit_crash")
KERNEL_CALLS = _METHODS + ("theorem2",)
THEOREM_CALLS = {"prove": "proved", "prove_crash": "proved", "theorem2": "proved",
                 "admit": "admitted", "admit_crash": "admitted"}
_WITH_DERIVATION = ("prove", "prove_crash")
_ADMIT_FOR = {"prove": "admit", "prove_crash": "admit_crash"}


def kernel_call(kernel, call: str, args: tuple):
    """Call the kernel entry point named ``call`` (one of `KERNEL_CALLS`)."""
    if call == "theorem2":
        from kernel.crash import theorem2
        return theorem2(kernel, *args)
    if call not in _METHODS:
        raise SerialError(f"unknown kernel call {call!r}")
    return getattr(kernel, call)(*args)


def flatten(d, enc=encode) -> list:
    """Preorder rows ``[rule, args, number of premises]``, args encoded by ``enc``."""
    rows, stack = [], [d]
    while stack:
        node = stack.pop()
        rows.append([node[0], enc(node[1]), len(node[2])])
        stack.extend(reversed(node[2]))
    return rows


def flatten_shared(d) -> tuple:
    """(rows, nodes): the rows with each row's arguments a field of one table of distinct nodes
    (`seplogic.serial.SharedEncoder`): the terms and assertions a derivation repeats from step
    to step (a few thousand distinct nodes in a proof's hundreds of thousands) are written and
    decoded once, and decode as one shared object each."""
    from seplogic.serial import SharedEncoder
    enc = SharedEncoder()
    rows = flatten(d, enc.encode)
    return rows, enc.nodes


def unflatten(rows, nodes=None):
    """Rebuild the nested derivation from preorder rows (their arguments fields of the decoded
    ``nodes`` table when given, `flatten_shared`)."""
    if type(rows) is not list or not rows:
        raise SerialError("a derivation must be a non-empty list")
    if nodes is None:
        arg = decode
    else:
        from seplogic.serial import decode_shared, shared_field
        table = decode_shared(nodes)
        arg = lambda f: shared_field(f, table)     # noqa: E731
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
        built[i] = (row[0], arg(row[1]), tuple(kids))
    if end[0] != len(rows):
        raise SerialError("trailing derivation rows")
    return built[0]


def _data_classes() -> dict:
    """Argument types beyond syntax: the kernel's statement records (crash theorems)."""
    from kernel.crash import CrashStatement
    return {"CrashStatement": CrashStatement}


def _enc(x):
    """An argument of a kernel call: syntax (`seplogic.serial`), a dict, or a kernel record."""
    if type(x) is dict:
        return {"dict": [[encode(k), _enc(v)] for k, v in sorted(x.items())]}
    if _data_classes().get(type(x).__name__) is type(x):
        return {"record": type(x).__name__,
                "f": [_enc(getattr(x, f)) for f in x._fields]}
    return encode(x)


def _dec(j):
    if type(j) is dict and set(j) == {"dict"}:
        if type(j["dict"]) is not list or not all(type(p) is list and len(p) == 2
                                                  for p in j["dict"]):
            raise SerialError("a dict is a list of [key, value] pairs")
        out = {decode(k): _dec(v) for k, v in j["dict"]}
        if len(out) != len(j["dict"]):
            raise SerialError("a key is given twice")
        return out
    if type(j) is dict and set(j) == {"record", "f"}:
        cls = _data_classes().get(j["record"]) if type(j["record"]) is str else None
        if cls is None or type(j["f"]) is not list or len(j["f"]) != len(cls._fields):
            raise SerialError(f"not a kernel record: {str(j)[:60]}")
        return cls(*map(_dec, j["f"]))
    return decode(j)


def _entry(call: str, args: tuple) -> dict:
    if call in _WITH_DERIVATION:
        return {"call": call, "args": [_enc(a) for a in args[:-1]],
                "derivation": flatten(args[-1])}
    return {"call": call, "args": [_enc(a) for a in args]}


class Recorder:
    """Collects, in order, the kernel calls a `Session` makes and what failed."""

    def __init__(self):
        self.entries: list = []

    def call(self, call: str, args: tuple) -> None:
        """A kernel call that succeeded."""
        self.entries.append(_entry(call, args))

    def proved_flat(self, call: str, args: tuple, rows: list) -> None:
        """A `call` proving a theorem by a derivation already flat (`flatten`'s rows: the
        proof cache keeps them so)."""
        self.entries.append({"call": call, "args": [_enc(a) for a in args], "derivation": rows})

    def failed(self, name: str, admit: tuple | None) -> None:
        """A theorem whose proof failed, with the kernel call admitting it (None: its
        statement is ill-formed)."""
        self.entries.append({"call": "failed", "name": name,
                             "admit": _entry(*admit) if admit else None})

    def error(self, message: str) -> None:
        self.entries.append({"call": "error", "message": message})

    def dump(self, path: str, source: str) -> None:
        """One entry a line, so that a replay's messages point at the entry."""
        head = json.dumps({"format": FORMAT, "source": source}, ensure_ascii=False)[:-1]
        with open(path, "w", encoding="utf-8") as f:
            f.write(head + ', "entries": [\n')
            f.write(",\n".join(json.dumps(e, ensure_ascii=False) for e in self.entries))
            f.write("\n]}\n")


# ---- reading -------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")


def position(text: str, i: int) -> tuple:
    """1-based (line, column) of offset ``i``."""
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def parse(text: str) -> tuple:
    """A certificate's top-level object and the offset of each entry in ``text``.  Raises
    json.JSONDecodeError (located) on text that is not JSON."""
    err = json.JSONDecodeError
    skip = lambda i: _WS.match(text, i).end()  # noqa: E731

    def value(i):
        try:
            return json.JSONDecoder().raw_decode(text, i)
        except err:
            raise
        except ValueError as e:    # e.g. an integer of more digits than Python converts
            raise err(str(e), text, i) from None

    def expect(i, chars):
        if text[i:i + 1] == "" or text[i:i + 1] not in chars:
            raise err(f"expected {' or '.join(map(repr, chars))}", text, i)
        return text[i], skip(i + 1)

    obj, offsets = {}, []
    _, i = expect(skip(0), "{")
    c = text[i:i + 1]
    if c == "}":
        i = skip(i + 1)
    while c != "}":
        key, i = value(i)
        if type(key) is not str:
            raise err("expected a key", text, i)
        _, i = expect(skip(i), ":")
        if key == "entries" and text[i:i + 1] == "[":
            obj[key], offsets = [], []
            i = skip(i + 1)
            c = text[i:i + 1]
            if c == "]":
                i = skip(i + 1)
            while c != "]":
                offsets.append(i)
                entry, i = value(i)
                obj[key].append(entry)
                c, i = expect(skip(i), ",]")
        else:
            obj[key], i = value(i)
        c, i = expect(skip(i), ",}")
    if i != len(text):
        raise err("extra data after the certificate", text, i)
    return obj, offsets


@dataclass
class Outcome:
    """What replaying one entry gave: a theorem result or an error, at entry ``index``."""
    index: int
    name: str | None
    status: str | None           # proved / admitted / failed (None: not a theorem)
    error: str | None = None
    seconds: float = 0.0
    axioms: list = field(default_factory=list)
    admits: list = field(default_factory=list)   # those it rests on


def replay(kernel, data, on_outcome=None) -> list:
    """Replay a certificate's entries into ``kernel``, in order; returns an `Outcome` for every
    theorem and every error (also passed to ``on_outcome`` as they come).  Theorems are
    reported as `pv check` reports them: a rejected derivation is an error and a failed
    theorem (then admitted, as the check does, so that the theorems after it are checked)."""
    from kernel.wf import KernelError
    out = []

    def report(o):
        out.append(o)
        if on_outcome:
            on_outcome(o)

    if type(data) is not dict or data.get("format") != FORMAT or type(
            data.get("entries")) is not list:
        report(Outcome(-1, None, None, f"not a {FORMAT} file"))
        return out
    for i, e in enumerate(data["entries"]):
        t0 = time.perf_counter()
        label, status, error = None, None, None
        try:
            if type(e) is not dict or type(e.get("call")) is not str:
                raise SerialError('an entry is an object with a "call"')
            call = e["call"]
            args = e.get("args")
            label = args[0] if type(args) is list and args and type(args[0]) is str else None
            if call == "error":
                msg = e.get("message") if type(e.get("message")) is str else "an error"
                error = f"the check that wrote this certificate reported: {msg}"
            elif call == "failed":
                label, status = e.get("name") if type(e.get("name")) is str else "?", "failed"
                admit = e.get("admit")
                if admit is not None:
                    if type(admit) is not dict or admit.get("call") not in (
                            "admit", "admit_crash") or (admit.get("args") or [None])[0] != label:
                        raise SerialError("a failed theorem is admitted under its name, or not "
                                          "replayed")
                    _run(kernel, admit)
            else:
                status = "failed" if call in _ADMIT_FOR else None
                _run(kernel, e)
                status = THEOREM_CALLS.get(call)
        except RecursionError:
            error = "nested too deeply"
        except (KernelError, SerialError) as ex:
            error = str(ex)
        except Exception as ex:   # a malformed entry, whatever it breaks: reported, not raised
            error = f"malformed entry ({type(ex).__name__}: {ex})"
        if error is not None:
            report(Outcome(i, label, None, f"{label}: {error}" if label else error))
            if status == "failed" and e.get("call") in _ADMIT_FOR:
                _admit_rejected(kernel, e)
        if status is not None:
            axioms, admits = kernel.assumptions(label) if status != "failed" else ([], [])
            report(Outcome(i, label, status, None, time.perf_counter() - t0, axioms, admits))
    return out


def _run(kernel, e: dict):
    if type(e.get("args")) is not list:
        raise SerialError("an entry's \"args\" is a list")
    args = tuple(_dec(a) for a in e["args"])
    if e["call"] in _WITH_DERIVATION:
        args += (unflatten(e.get("derivation")),)
    return kernel_call(kernel, e["call"], args)


def _admit_rejected(kernel, e: dict) -> None:
    """A theorem whose derivation the kernel rejects is admitted, as `pv check` does, so that
    the theorems after it are still checked (and report that they rest on it)."""
    try:
        args = tuple(_dec(a) for a in e["args"])
        stmt = args[1] if e["call"] == "prove" else _data_classes()["CrashStatement"](*args[1:5])
        kernel_call(kernel, _ADMIT_FOR[e["call"]], (args[0], stmt))
    except Exception:   # an ill-formed statement: nothing to admit
        pass
