"""The primitive Go packages (proofs/prim/...) as the translator sees them: their constants,
type names and the core-language primitive each function becomes.  These packages are trusted
models of hardware and the OS, so they are never translated; their Go source (which uses Go far
outside the subset) is not even read.

A primitive returning several Go results returns them as a pair, like a translated function.
"""
from __future__ import annotations

from .gotypes import BOOL, BYTE, STRING, UINT64, PtrT, SliceT

BLOCK = SliceT(BYTE)


class PrimFunc:
    """A Go function of a primitive package as the core language's primitive ``prim``; or,
    with ``rest``, as two atomic steps: ``let k := prim(args) in rest(args, k)`` (a crash may
    fall between them, as it may inside the Go call)."""
    __slots__ = ("prim", "params", "results", "rest")

    def __init__(self, prim, params, results, rest=None):
        self.prim, self.params, self.results = prim, tuple(params), tuple(results)
        self.rest = rest


class PrimPackage:
    def __init__(self, name, consts=None, types=None, funcs=None, hooks=()):
        self.name = name
        self.consts = consts or {}      # name -> (value, type)
        self.types = types or {}        # name -> type
        self.funcs = funcs or {}        # name -> PrimFunc
        self.hooks = frozenset(hooks)   # test / set-up hooks: not part of the model


PACKAGES = {
    "disk": PrimPackage(
        "disk", consts={"BlockSize": (4096, UINT64)}, types={"Block": BLOCK},
        funcs={"Read": PrimFunc("read", [UINT64], [BLOCK]),
               "Write": PrimFunc("write", [UINT64, BLOCK], []),
               "Size": PrimFunc("size", [], [UINT64])},
        hooks=("Init", "InitFile", "CrashAfter", "Crashed", "Reboot")),
    "twodisk": PrimPackage(
        "twodisk", consts={"BlockSize": (4096, UINT64), "Disk1": (0, UINT64),
                           "Disk2": (1, UINT64)},
        types={"Block": BLOCK, "Id": UINT64},
        funcs={"Read": PrimFunc("disk_read", [UINT64, UINT64], [BLOCK, BOOL]),
               "Write": PrimFunc("disk_write", [UINT64, UINT64, BLOCK], []),
               "Size": PrimFunc("disk_size", [], [UINT64])},
        hooks=("Init", "Fail", "CrashAfter", "Crashed", "Reboot")),
    "filesys": PrimPackage(
        "filesys", types={"Fd": UINT64},
        funcs={"Create": PrimFunc("fs_create", [STRING, STRING], [UINT64, BOOL]),
               # a prefix of the bytes, then the rest: a process killed in Append leaves a
               # prefix (theories/filesys.py)
               "Append": PrimFunc("fs_append_prefix", [UINT64, BLOCK], [],
                                  rest="fs_append_rest"),
               "Close": PrimFunc("fs_close", [UINT64], []),
               "Open": PrimFunc("fs_open", [STRING, STRING], [UINT64]),
               "ReadAt": PrimFunc("fs_readat", [UINT64, UINT64, UINT64], [BLOCK]),
               "Delete": PrimFunc("fs_delete", [STRING, STRING], []),
               "Link": PrimFunc("fs_link", [STRING, STRING, STRING, STRING], [BOOL]),
               "List": PrimFunc("fs_list", [STRING], [SliceT(STRING)])},
        hooks=("Init", "CrashAfter", "Crashed", "Reboot")),
    "rand": PrimPackage("rand", funcs={"Uint64": PrimFunc("rand_u64", [], [UINT64])},
                        hooks=("Enqueue",)),
    "strconv": PrimPackage("strconv", funcs={
        "Uint64ToString": PrimFunc("u64_to_string", [UINT64], [STRING]),
        "StringToUint64": PrimFunc("string_to_u64", [STRING], [UINT64, BOOL])}),
}


# Go's sync/atomic on *uint64: the atomic (synchronising) memory accesses, the only ones an
# invariant may be opened around (docs/kernel.md, "Race freedom").
ATOMIC = PrimPackage("atomic", funcs={
    "LoadUint64": PrimFunc("atomic_load", [PtrT(UINT64)], [UINT64]),
    "StoreUint64": PrimFunc("atomic_store", [PtrT(UINT64), UINT64], []),
    "CompareAndSwapUint64": PrimFunc("cas", [PtrT(UINT64), UINT64, UINT64], [BOOL])})


def package_for_import(path: str):
    """The primitive package imported by ``path`` (``sync/atomic``, ``.../prim/disk`` and so
    on), or None."""
    if path == "sync/atomic":
        return ATOMIC
    parts = path.split("/")
    if len(parts) >= 2 and parts[-2] == "prim" and parts[-1] in PACKAGES:
        return PACKAGES[parts[-1]]
    return None
