"""The Goose file system (`proofs/prim/filesys`, paper §6.2) as named axioms.

Resources.  A directory, a directory entry and an inode are durable cells with a master copy and
a recovery lease, like disk blocks (§5.3; "recovery can create leases for directories, directory
entries, and inodes", §6.2): ``dir(d) ↦[n] S`` (directory d holds exactly the names S),
``link(d, nm) ↦[n] i`` (the entry nm of d is inode i), ``inode(i) ↦[n] bs`` (inode i holds the
bytes bs), with leases ``lease[n](dir(d), S)`` etc.  A crash renews every master at n+1 with a
fresh lease and drops the leases (kernel/crash.py, ``LEASED``).  A file descriptor
``fd(f) ↦[n] (i, md)``, md ``"append"`` (from Create) or ``"read"`` (from Open), is volatile:
a crash drops it.  Inode names i are logical: no operation shows them to the program.

Every operation needs the master *and* the lease of each cell it reads or changes (Table 1), so a
stale lease (of version n after a crash at n) is useless, and a cell whose lease sits in a lock
invariant is changed only by the lock holder.

Undefined behaviour is excluded by the preconditions, never promised away:
* an unknown directory: a ``dir`` master exists only for the directories `fs_init` sets up (the
  directories passed to ``filesys.Init``), and a ``link`` master only for an entry that exists;
* a bad name (empty, ``.``, ``..``, with ``/`` or NUL, longer than 255 bytes -- checkName): a name
  that Create or Link adds needs ``⌜fs_name_ok(nm)⌝``.  The pure checker computes fs_name_ok on
  string literals; `fs_name_u64` gives it for the decimal names Mailboat builds.  Names already
  in a directory (Open, Delete, the source of Link) passed the check when they were made;
* a missing file for Open, Delete or Link: they need its ``link`` master;
* a closed fd, an fd of the wrong mode: ``fd(f) ↦[n] (i, md)`` with the right md;
* ReadAt's limits: Go's ``make([]byte, k)`` panics for k > 2^48 (maxAlloc, 64-bit Linux),
  ``File.ReadAt`` fails for ``int64(off) < 0`` and Linux's pread for off + k ≥ 2^63;
  ``⌜off + k ≤ 2^48⌝`` excludes all of them (the interpreter gets stuck beyond it).

Append is two atomic steps.  The primitive's crash model is a process crash, and Linux writes a
regular file page by page and stops at a pending SIGKILL: a process killed during an Append
leaves some prefix of the bytes (tests/soundness/test_c19_torn_append.py kills one during a
64 MiB Append).  So `pv goose` translates ``filesys.Append(fd, s)`` to
``let k := fs_append_prefix(fd, s) in fs_append_rest(fd, s, k)``: the first step appends
``sublist(data, 0, k)`` for a ``k ≤ len(data)`` the primitive chooses (none, some or all) and
returns it; the second needs the inode to hold ``bs ++ sublist(data, 0, k)`` for the k it is
given and leaves ``bs ++ data`` (so no lemma about sublists is needed).  A crash between them
keeps the prefix; other threads can see it too, which the real Append (holding the inode's
lock throughout) never shows them: more behaviours than the primitive's, so sound.  The
interpreter picks k at random (theories/interp.py).

Outside the model (as in Goose): running out of resources (disk space, file size, memory, file
descriptors, hard links per inode), other processes changing the root directory, a root path so
long that root/dir/name exceeds PATH_MAX.  `fs_init` says the directories start empty, which
Init does not check: it is the initial state of Theorem 2, a fresh file system.

Not modelled yet: the lower-bound lease ``lease[n](dir ⊇ S)`` (Mailboat §8.3) has no rules.
"""
from __future__ import annotations

from .axiom_dsl import axiom

# the cells' masters and leases as they appear in the axioms
DIR = "dir({d}) ↦[n] {S} ∗ lease[n](dir({d}), {S})"
LINK = "link({d}, {nm}) ↦[n] {i} ∗ lease[n](link({d}, {nm}), {i})"
INODE = "inode({i}) ↦[n] {bs} ∗ lease[n](inode({i}), {bs})"


def _dir(d="d", S="S"):
    return DIR.format(d=d, S=S)


def _link(d="d", nm="nm", i="i"):
    return LINK.format(d=d, nm=nm, i=i)


def _inode(i="i", bs="bs"):
    return INODE.format(i=i, bs=bs)


NAMES = "d : val, nm : val, S : set val"
APPEND = "f : u64, i : val, bs : list val, s : val, data : list val"
# the inode between the two steps of an Append: its bytes, then the first k of the slice's
PART = "bs ++ sublist(data, 0, k)"
# make([]byte, k) panics above maxAlloc = 2^48 bytes; this also keeps int64(off) ≥ 0 and
# off + k < 2^63, which Linux's pread requires
READ_LIMIT = 2 ** 48

AXIOMS = [
    axiom("fs_create", f"n : nat, {NAMES}",
          f"{_dir()} ∗ ⌜fs_name_ok(nm)⌝", "fs_create(#d, #nm)", "f : u64, ok : bool", "(f, ok)",
          f"⌜nm ∈ S ∧ ok = false ∧ f = 0⌝ ∗ {_dir()} ∨ "
          f"⌜~(nm ∈ S) ∧ ok = true⌝ ∗ {_dir(S='S ∪ {[nm]}')} ∗ ∃ (i : val). "
          f"{_link()} ∗ {_inode(bs='[]')} ∗ fd(f) ↦[n] (i, \"append\")",
          source="Goose filesys.Create (O_CREAT|O_EXCL): fails if the name exists, else a new "
                 "empty inode, its entry and an append fd (Mailboat §8.3: master and lease of "
                 "the entry and the inode)"),
    # filesys.Append is these two steps (goose/calls.py): a crash between them leaves a prefix
    axiom("fs_append_prefix", f"n : nat, {APPEND}",
          f"fd(f) ↦[n] (i, \"append\") ∗ {_inode()} ∗ slice[n](s, data)",
          "fs_append_prefix(#f, #s)", "k : u64", "k",
          f"⌜k ≤ len(data)⌝ ∗ fd(f) ↦[n] (i, \"append\") ∗ {_inode(bs=PART)} ∗ "
          "slice[n](s, data)",
          source="Goose filesys.Append, up to where a crash may stop it: some prefix of the "
                 "slice's bytes (none, some or all) goes to the end of the inode"),
    axiom("fs_append_rest", f"n : nat, {APPEND}, k : u64",
          f"fd(f) ↦[n] (i, \"append\") ∗ slice[n](s, data) ∗ {_inode(bs=PART)}",
          "fs_append_rest(#f, #s, #k)", "", "()",
          f"fd(f) ↦[n] (i, \"append\") ∗ slice[n](s, data) ∗ {_inode(bs='bs ++ data')}",
          source="Goose filesys.Append, the rest: the slice's bytes from k on follow its first "
                 "k bytes"),
    axiom("fs_append_prefix_ro", f"n : nat, {APPEND}",
          f"fd(f) ↦[n] (i, \"append\") ∗ {_inode()} ∗ slice_ro[n](s, data)",
          "fs_append_prefix(#f, #s)", "k : u64", "k",
          f"⌜k ≤ len(data)⌝ ∗ fd(f) ↦[n] (i, \"append\") ∗ {_inode(bs=PART)}",
          source="Goose filesys.Append from a read-only slice, up to where a crash may stop it"),
    axiom("fs_append_rest_ro", f"n : nat, {APPEND}, k : u64",
          f"fd(f) ↦[n] (i, \"append\") ∗ slice_ro[n](s, data) ∗ {_inode(bs=PART)}",
          "fs_append_rest(#f, #s, #k)", "", "()",
          f"fd(f) ↦[n] (i, \"append\") ∗ {_inode(bs='bs ++ data')}",
          source="Goose filesys.Append from a read-only slice, the rest"),
    axiom("fs_close", "n : nat, f : u64, i : val, md : val", "fd(f) ↦[n] (i, md)",
          "fs_close(#f)", "", "()", "emp", source="Goose filesys.Close (either mode)"),
    axiom("fs_open", "n : nat, d : val, nm : val, i : val", _link(), "fs_open(#d, #nm)",
          "f : u64", "f", f"{_link()} ∗ fd(f) ↦[n] (i, \"read\")",
          source="Goose filesys.Open: a read fd of the entry's inode"),
    axiom("fs_readat", "n : nat, f : u64, i : val, bs : list val, off : u64, k : u64",
          f"fd(f) ↦[n] (i, \"read\") ∗ {_inode()} ∗ ⌜off + k ≤ {READ_LIMIT}⌝",
          "fs_readat(#f, #off, #k)", "s : val", "s",
          f"fd(f) ↦[n] (i, \"read\") ∗ {_inode()} ∗ slice[n](s, sublist(bs, off, k))",
          source="Goose filesys.ReadAt: a fresh slice of at most k bytes from off (none past "
                 "the end)"),
    axiom("fs_delete", f"n : nat, {NAMES}, i : val", f"{_dir()} ∗ {_link()}",
          "fs_delete(#d, #nm)", "", "()", _dir(S="S ∖ {[nm]}"),
          source="Goose filesys.Delete: removes the entry; the inode stays with its owner "
                 "(Mailboat §8.3: unlinking needs no inode capability)"),
    axiom("fs_link", "n : nat, d1 : val, nm1 : val, i : val, d : val, nm : val, S : set val",
          f"{_link('d1', 'nm1')} ∗ {_dir()} ∗ ⌜fs_name_ok(nm)⌝",
          "fs_link(#d1, #nm1, #d, #nm)", "ok : bool", "ok",
          f"{_link('d1', 'nm1')} ∗ (⌜nm ∈ S ∧ ok = false⌝ ∗ {_dir()} ∨ "
          f"⌜~(nm ∈ S) ∧ ok = true⌝ ∗ {_dir(S='S ∪ {[nm]}')} ∗ {_link()})",
          source="Goose filesys.Link: fails if the new name exists, else a second entry for "
                 "the inode (atomic, as Mailboat's delivery needs)"),
    axiom("fs_list", "n : nat, d : val, S : set val", _dir(), "fs_list(#d)",
          "s : val, l : list val", "s",
          f"{_dir()} ∗ slice[n](s, l) ∗ "
          "(∀ (k : int) x. ⌜nth(l, k) = Some(x) → x ∈ S⌝) ∗ "
          "(∀ x. ∃ (k : int). ⌜x ∈ S → nth(l, k) = Some(x)⌝) ∗ "
          "(∀ (k1 k2 : int) x. ⌜(nth(l, k1) = Some(x) && nth(l, k2) = Some(x)) → k1 = k2⌝)",
          source="Goose filesys.List: a fresh slice holding each name of the directory once"),
    # entailments: what the model's state gives
    axiom("fs_link_in_dir", f"n : nat, {NAMES}, i : val", "dir(d) ↦[n] S ∗ link(d, nm) ↦[n] i",
          None, "", "()", "dir(d) ↦[n] S ∗ link(d, nm) ↦[n] i ∗ ⌜nm ∈ S⌝",
          source="Goose file-system model: the masters of a version describe one state, where "
                 "an entry's name is in its directory"),
    axiom("fs_name_u64", "x : u64", "emp", None, "", "()", "⌜fs_name_ok(u64_to_string(x))⌝",
          source="Go strconv.FormatUint(x, 10): 1 to 20 decimal digits, which checkName "
                 "accepts"),
]

# The initial state: the directories `dirs`, empty, at version 0.
INIT = ("fs_init", "[∗ set] d ∈ dirs. dir(d) ↦[0] ∅ ∗ lease[0](dir(d), ∅)")


def install(kernel) -> None:
    from .shipped import axioms, assertion
    from seplogic.syntax import Sort
    for ax in axioms(AXIOMS):
        kernel.add_axiom(ax, when_used=True)      # checked when a rule first uses it
    name, text = INIT
    kernel.define_predicate(name, (("dirs", Sort("set", (Sort("val"),))),),
                            assertion(text))
    kernel.sem_inits[name] = "filesys"
