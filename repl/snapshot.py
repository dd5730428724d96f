"""Snapshots of a checker session, so that the REPL undoes a sentence that changed the kernel
(``Qed``, ``Admitted``, ``Definition``, ``Require``, ...) by putting the state before it back
instead of loading the file again and replaying everything.

What a sentence can change: the kernel's tables (definitions, predicates, programs, theorems,
specs, refinements), the session's records of what was loaded and checked, and the modules'
names, requirements and records.  Their values are immutable records except for the few
containers inside them (a spec's operations), so a snapshot is a copy of the containers, one
level deep, taken before the sentence; restoring copies it back (again, so that a snapshot is
never changed by what runs after the restore and can be restored twice).

The kernel keeps caches besides its tables (the pure checker's memo), valid for the
definitions and predicates they were computed under (kernel/core.py dates its memo by the
definitions: theorems come and go under it, and predicates are only added outside the REPL).
When the snapshot's definitions or predicates are not the current ones, a restore re-runs the kernel's own ``__init__`` on the same object, which empties the caches
whatever they are called, and then puts the tables back; when they are (the Undo of a
``Qed``), the caches are kept, so the next ``Qed`` is as fast as the first.
The object stays the same so that the proof states on the undo stack, which hold it, see the
restored tables: an undone theorem is unknown to the tactics and to the kernel alike.

tests/test_repl_snapshot.py checks that after any sequence of sentences and undos the state
equals that of a fresh session that ran only the sentences left.
"""
from __future__ import annotations

from seplogic.record import Record, replace

__all__ = ["Snapshot", "take", "restore"]


def _copy(v):
    """``v`` with its containers copied one level deep (records with container fields too)."""
    tp = type(v)
    if tp is dict:
        return {k: _copy_value(x) for k, x in v.items()}
    if tp in (list, set):
        return tp(v)
    return v


def _copy_value(x):
    if isinstance(x, Record):
        changes = {f: _copy(getattr(x, f)) for f in x._fields
                   if type(getattr(x, f)) in (dict, list, set)}
        return replace(x, **changes) if changes else x
    return x


def _public(obj) -> dict:
    return {n: v for n, v in vars(obj).items() if not n.startswith("_")}


class Snapshot:
    """The state of a `driver.load.Session` (and its kernel and modules) at one moment."""

    __slots__ = ("kernel", "session", "modules")

    def __init__(self, kernel: dict, session: dict, modules: dict):
        self.kernel, self.session, self.modules = kernel, session, modules


def take(session) -> Snapshot:
    k = session.kernel
    kernel = {n: _copy(v) for n, v in _public(k).items()}
    state = {n: _copy(v) for n, v in _public(session).items() if n != "kernel"}
    modules = {ap: (m, {n: _copy(v) for n, v in _public(m).items()})
               for ap, m in session.modules.items()}
    return Snapshot(kernel, state, modules)


def restore(session, snap: Snapshot) -> None:
    """Put ``snap`` back into ``session`` in place (the same kernel, modules and scopes)."""
    from tactics.state import forget_kernel
    k = session.kernel
    if snap.kernel.get("defs") != k.defs or snap.kernel.get("preds") != k.preds:
        type(k).__init__(k)             # empties the kernel's caches, whatever they are
    forget_kernel(k)                    # and the tactics' (dated by table sizes too)
    for n, v in snap.kernel.items():
        setattr(k, n, _copy(v))
    for n, v in snap.session.items():
        setattr(session, n, _copy(v))
    for m, fields in snap.modules.values():
        for n, v in fields.items():
            setattr(m, n, _copy(v))
    for scope in session.scopes.values():
        scope.changed()                 # names may print differently now
