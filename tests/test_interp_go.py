"""The interpreter's primitives for Go data (slices with Go's aliasing, maps with zero values
and a seeded iteration order, strings as byte sequences) and its in-memory models of the
primitive libraries (disk, two disks, file system, randomness)."""
import pytest

from seplogic.parser import parse_file
from theories.interp import NIL, Machine, SliceVal, Stuck


def machine(src, seed=0):
    doc = parse_file(src, "t.pv")
    return Machine({c.name: (c.params, c.body) for c in doc.commands}, seed=seed)


def ev(body, seed=0, args=()):
    """Run ``body`` as the body of a function of no arguments; returns (machine, result)."""
    m = machine(f"Function main () := {body}.", seed)
    return m, m.run("main", list(args))


def test_slice_make_get_set_len_cap():
    m, r = ev("let s := slice_make(7, 2, 5) in slice_set(s, 1, 9);; "
              "(slice_get(s, 0), (slice_get(s, 1), (slice_len(s), slice_cap(s))))")
    assert r == (7, (9, (2, 5)))
    with pytest.raises(Stuck, match=r"index out of range \[2\] with length 2"):
        ev("let s := slice_make(0, 2, 5) in slice_get(s, 2)")
    with pytest.raises(Stuck, match="len 3 larger than cap 2"):
        ev("slice_make(0, 3, 2)")


def test_append_with_spare_capacity_shares_the_array():
    _, r = ev("let s := slice_make(0, 1, 4) in let t := slice_append(s, 5) in "
              "let u := slice_append(s, 6) in (slice_get(t, 1), slice_len(s))")
    assert r == (6, 1)      # t and u wrote the same slot


def test_append_without_spare_capacity_copies():
    _, r = ev("let s := slice_make(0, 2, 2) in let t := slice_append(s, 5) in "
              "slice_set(t, 0, 8);; (slice_get(s, 0), (slice_len(t), slice_cap(t)))")
    assert r == (0, (3, 4))  # growth: twice the capacity


def test_sub_slices_share_memory_and_check_bounds():
    _, r = ev("let s := slice_make(0, 4, 6) in let t := slice_sub(s, 1, 3) in "
              "slice_set(t, 0, 7);; let u := slice_sub(t, 0, 5) in "
              "(slice_get(s, 1), (slice_len(t), (slice_cap(t), slice_len(u))))")
    assert r == (7, (2, (5, 5)))
    with pytest.raises(Stuck, match=r"slice bounds out of range \[2:7\] with capacity 6"):
        ev("slice_sub(slice_make(0, 4, 6), 2, 7)")
    with pytest.raises(Stuck, match=r"slice bounds out of range \[3:2\]"):
        ev("slice_sub(slice_make(0, 4, 6), 3, 2)")


def test_nil_slice():
    m, r = ev("let s := nil() in (slice_len(s), (s == nil(), slice_sub(s, 0, 0) == nil()))")
    assert r == (0, (True, True))
    m, r = ev("slice_append(nil(), 3)")
    assert type(r) is SliceVal and (r.len, r.cap) == (1, 1) and m.format(r) == "[3]"
    _, r = ev("slice_append_slice(nil(), nil())")
    assert r is NIL
    _, r = ev("slice_make(0, 0, 0) == nil()")
    assert r is False
    with pytest.raises(Stuck, match="index out of range"):
        ev("slice_get(nil(), 0)")


def test_append_slice_reads_before_writing():
    # append(s[:1], s[2:]...) overlaps source and destination, as memmove does in Go
    m, r = ev("let s := slice_make(0, 4, 4) in slice_set(s, 2, 2);; slice_set(s, 3, 3);; "
              "let t := slice_append_slice(slice_sub(s, 0, 1), slice_sub(s, 2, 4)) in s")
    assert m.format(r) == "[0 2 3 3]"


def test_maps():
    m, r = ev("let m := map_make(5) in map_insert(m, 1, 10);; map_insert(m, 2, 20);; "
              "map_delete(m, 2);; map_delete(m, 9);; (map_get(m, 1), (map_get(m, 2), map_len(m)))")
    assert r == ((10, True), ((5, False), 1))
    with pytest.raises(Stuck, match="map_get of a non-map"):
        ev("map_get(nil(), 1)")


def test_map_iteration_order_is_random_but_seeded():
    src = ("let m := map_make(0) in " + "".join(f"map_insert(m, {k}, 0);; " for k in range(12))
           + "map_keys(m)")
    orders = set()
    for seed in range(6):
        m1, r1 = ev(src, seed)
        m2, r2 = ev(src, seed)
        assert m1.format(r1) == m2.format(r2)               # deterministic per seed
        assert sorted(int(x) for x in m1.format(r1)[1:-1].split()) == list(range(12))
        orders.add(m1.format(r1))
    assert len(orders) > 1                                   # yet not always the same


def test_strings_are_byte_sequences():
    _, r = ev('(string_len("héllo"), (string_concat("a", "b"), u64_to_string(42)))')
    assert r == (6, ("ab", "42"))
    m, r = ev('let b := bytes_from_string("é") in (slice_len(b), (slice_get(b, 0), '
              'string_from_bytes(b)))')
    assert r == (2, (0xC3, "é"))
    # invalid UTF-8 survives the round trip
    _, r = ev("let b := slice_make(255, 2, 2) in let s := string_from_bytes(b) in "
              "(string_len(s), slice_get(bytes_from_string(s), 1))")
    assert r == (2, 255)
    with pytest.raises(Stuck, match="not a byte"):
        ev("string_from_bytes(slice_make(256, 1, 1))")


def test_one_disk():
    m, r = ev("let b := slice_make(0, 4096, 4096) in slice_set(b, 7, 1);; write(3, b);; "
              "slice_set(b, 7, 2);; (slice_get(read(3), 7), (slice_get(read(4), 7), size()))")
    assert r == (1, (0, 32))        # write copies its argument
    with pytest.raises(Stuck, match="write of 3 bytes"):
        ev("write(0, slice_make(0, 3, 3))")
    with pytest.raises(Stuck, match="address 32 out of range"):
        ev("read(32)")
    # as the axioms say, a read gives back whatever was written (Go's types make it bytes;
    # a hand-written program may write other values, and the interpreter keeps them)
    _, r = ev("let b := slice_make(true, 4096, 4096) in write(1, b);; slice_get(read(1), 9)")
    assert r is True
    m = machine('Function f () := let c := fs_create("d", "x") in '
                'let s := slice_make((1, 2), 1, 1) in let k := fs_append_prefix(fst(c), s) in '
                'fs_append_rest(fst(c), s, k);; fs_close(fst(c));; '
                'slice_get(fs_readat(fs_open("d", "x"), 0, 5), 0).')
    m.fs_dirs = {"d"}
    assert m.run("f", []) == (1, 2)


def test_two_disks_and_failure():
    m = machine("Function w (v) := let b := slice_make(v, 4096, 4096) in disk_write(0, 1, b);; "
                "disk_write(1, 1, b).\n"
                "Function r (d) := let p := disk_read(d, 1) in "
                "if snd(p) then (slice_get(fst(p), 0), true) else (0, false).")
    m.run("w", [9])
    assert m.run("r", [0]) == (9, True) and m.run("r", [1]) == (9, True)
    assert m.fail_disk(0) is True and m.fail_disk(1) is False
    m.run("w", [4])
    assert m.run("r", [0]) == (0, False) and m.run("r", [1]) == (4, True)


def test_file_system():
    m = machine("""
Function put (name data) :=
  let c := fs_create("spool", name) in
  if snd(c) then
    let b := bytes_from_string(data) in
    let k := fs_append_prefix(fst(c), b) in fs_append_rest(fst(c), b, k);; fs_close(fst(c));; true
  else false.
Function get (dir name) :=
  let fd := fs_open(dir, name) in
  let b := fs_readat(fd, 1, 100) in fs_close(fd);; string_from_bytes(b).
Function mv (name) :=
  if fs_link("spool", name, "user0", name) then fs_delete("spool", name);; true else false.
Function ls (dir) := fs_list(dir).
""")
    assert m.run("put", ["b", "hello"]) is True and m.run("put", ["b", "x"]) is False
    assert m.run("put", ["a", "xyz"]) is True
    assert m.format(m.run("ls", ["spool"])) == "[a b]"
    assert m.run("get", ["spool", "b"]) == "ello"
    assert m.run("mv", ["b"]) is True
    assert m.format(m.run("ls", ["spool"])) == "[a]" and m.run("get", ["user0", "b"]) == "ello"
    with pytest.raises(Stuck, match="open of a missing file spool/b"):
        m.run("get", ["spool", "b"])
    with pytest.raises(Stuck, match="bad file name"):
        m.run("ls", ["a/b"])
    m2 = machine('Function f () := let fd := fs_open("d", "x") in fd.\n'
                 'Function g () := let c := fs_create("d", "x") in fs_readat(fst(c), 0, 1).')
    with pytest.raises(Stuck, match="wrong mode"):
        m2.run("g", [])
    # as Go's checkName and Init: bad names, and directories other than those of Init
    m3 = machine("Function c (d n) := fs_create(d, n).\nFunction r (f k) := fs_readat(f, 0, k).")
    m3.fs_dirs = {"d"}
    for name in ("a\0", "x" * 256, "", "."):
        with pytest.raises(Stuck, match="bad file name"):
            m3.run("c", ["d", name])
    with pytest.raises(Stuck, match="unknown directory 'e'"):
        m3.run("c", ["e", "x"])
    assert m3.run("c", ["d", "x" * 255]) == (1, True)
    m3.go_prim("fs_close", [1])
    f = m3.go_prim("fs_open", ["d", "x" * 255])
    assert m3.format(m3.run("r", [f, 2 ** 48])) == "[]"
    with pytest.raises(Stuck, match="beyond"):
        m3.run("r", [f, 2 ** 48 + 1])


def test_randomness_is_seeded():
    assert ev("rand_u64()", 3)[1] == ev("rand_u64()", 3)[1]
    assert ev("rand_u64()", 3)[1] != ev("rand_u64()", 4)[1]


def test_format():
    m, r = ev("let m := map_make(\"\") in map_insert(m, 2, \"b\");; map_insert(m, 1, \"a\");; "
              "(m, (nil(), (true, 18446744073709551615)))")
    assert m.format(r) == "(map[1:a 2:b], (<nil>, (true, 18446744073709551615)))"


def test_decimal_strings_parse_like_go():
    """strconv.StringToUint64 = ParseUint(s, 10, 64): ASCII digits only, below 2^64."""
    good = {"0": 0, "007": 7, "18446744073709551615": 2 ** 64 - 1}
    for s, x in good.items():
        assert ev(f'string_to_u64("{s}")')[1] == (x, True)
    for s in ("", "-1", "+1", " 1", "1_0", "0x1", "18446744073709551616", "١٢"):
        assert ev(f'string_to_u64("{s}")')[1] == (0, False), s
    assert ev("string_to_u64(u64_to_string(12345))")[1] == (12345, True)
