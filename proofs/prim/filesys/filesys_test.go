package filesys

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("%s did not panic", what)
		}
	}()
	f()
}

func readAll(dir, name string) string {
	fd := Open(dir, name)
	defer Close(fd)
	return string(ReadAt(fd, 0, 1<<20))
}

func TestOperations(t *testing.T) {
	Init(t.TempDir(), []string{"a", "b"})
	fd, ok := Create("a", "f")
	if !ok {
		t.Fatal("create")
	}
	if _, ok := Create("a", "f"); ok {
		t.Fatal("create of existing file succeeded")
	}
	Append(fd, []byte("hello "))
	Append(fd, []byte("world"))
	Close(fd)
	rd := Open("a", "f")
	if got := string(ReadAt(rd, 6, 100)); got != "world" {
		t.Fatalf("ReadAt = %q", got)
	}
	if got := ReadAt(rd, 50, 10); len(got) != 0 {
		t.Fatal("read past end")
	}
	mustPanic(t, "append to read fd", func() { Append(rd, []byte("x")) })
	if !Link("a", "f", "b", "g") || Link("a", "f", "b", "g") {
		t.Fatal("link")
	}
	Delete("a", "f")
	if got := string(ReadAt(rd, 0, 5)); got != "hello" {
		t.Fatal("open fd lost its file after Delete")
	}
	Close(rd)
	if fmt.Sprint(List("a"), List("b")) != "[] [g]" {
		t.Fatalf("List: %v %v", List("a"), List("b"))
	}
	if readAll("b", "g") != "hello world" {
		t.Fatal("linked contents")
	}
	mustPanic(t, "unknown dir", func() { List("c") })
	mustPanic(t, "bad name", func() { Create("a", "../x") })
	mustPanic(t, "open missing", func() { Open("a", "f") })
	mustPanic(t, "delete missing", func() { Delete("a", "f") })
	mustPanic(t, "closed fd", func() { Close(rd) })
}

func TestCrashRestoresLinks(t *testing.T) {
	Init(t.TempDir(), []string{"a", "b"})
	fd, _ := Create("a", "f")
	Append(fd, []byte("one"))
	CrashAfter(1) // keep the link below, lose the rest
	Link("a", "f", "b", "g")
	Append(fd, []byte("two"))
	Delete("a", "f")
	Create("b", "h")
	Reboot()
	mustPanic(t, "fd survived reboot", func() { Append(fd, []byte("x")) })
	if fmt.Sprint(List("a"), List("b")) != "[f] [g]" {
		t.Fatalf("after reboot: %v %v", List("a"), List("b"))
	}
	if readAll("a", "f") != "one" || readAll("b", "g") != "one" {
		t.Fatal("contents after reboot")
	}
	// The two names still share one inode.
	fi, err1 := os.Stat(filepath.Join(cur.Load().root, "a", "f"))
	gi, err2 := os.Stat(filepath.Join(cur.Load().root, "b", "g"))
	if err1 != nil || err2 != nil || !os.SameFile(fi, gi) {
		t.Fatal("hard link not restored")
	}
}

// The behaviours the logic's axioms (theories/filesys.py) promise, one by one.
func TestAxiomBehaviours(t *testing.T) {
	Init(t.TempDir(), []string{"d", "e"})
	// fs_create: a taken name gives (0, false) and changes nothing.
	fd, ok := Create("d", "x")
	if !ok || fd == 0 {
		t.Fatal("create")
	}
	if fd2, ok := Create("d", "x"); ok || fd2 != 0 {
		t.Fatalf("second create = (%d, %v)", fd2, ok)
	}
	// fs_append_prefix then fs_append_rest: bytes go to the end; the argument is
	// copied.
	data := []byte("abc")
	Append(fd, data)
	data[0] = 'z'
	Append(fd, data)
	Close(fd)
	rd := Open("d", "x")
	// fs_readat: at most k bytes from off; none past the end.
	for _, c := range []struct {
		off, k uint64
		want   string
	}{{0, 6, "abczbc"}, {0, 100, "abczbc"}, {2, 3, "czb"}, {5, 10, "c"}, {6, 4, ""},
		{100, 4, ""}, {0, 0, ""}, {1 << 40, 16, ""}} {
		if got := string(ReadAt(rd, c.off, c.k)); got != c.want {
			t.Fatalf("ReadAt(%d, %d) = %q, want %q", c.off, c.k, got, c.want)
		}
	}
	mustPanic(t, "ReadAt beyond 2^48", func() { ReadAt(rd, 1<<47, 1<<47+1) })
	mustPanic(t, "ReadAt at a negative int64", func() { ReadAt(rd, 1<<63, 0) })
	mustPanic(t, "ReadAt with an append fd", func() {
		fa, _ := Create("d", "y")
		ReadAt(fa, 0, 1)
	})
	// fs_link: a taken name (also the source itself) gives false and changes nothing.
	if Link("d", "x", "d", "x") || Link("d", "x", "d", "y") {
		t.Fatal("link onto a taken name")
	}
	if !Link("d", "x", "d", "x2") || !Link("d", "x", "e", "x") {
		t.Fatal("link")
	}
	// fs_delete, then fs_list: exactly the remaining names, once each.
	Delete("d", "x")
	if fmt.Sprint(List("d"), List("e")) != "[x2 y] [x]" {
		t.Fatalf("List: %v %v", List("d"), List("e"))
	}
	if readAll("e", "x") != "abczbc" || string(ReadAt(rd, 0, 3)) != "abc" {
		t.Fatal("contents after delete")
	}
	Close(rd)
	mustPanic(t, "ReadAt of a closed fd", func() { ReadAt(rd, 0, 1) })
}

// fs_name_ok (kernel/pure.py, theories/filesys.py): the names checkName accepts.
func TestNames(t *testing.T) {
	Init(t.TempDir(), []string{"d"})
	long := strings.Repeat("n", 255)
	for _, name := range []string{"0", strconv.FormatUint(math.MaxUint64, 10), "...", "é", long,
		"msg" + strconv.FormatUint(42, 10)} {
		if _, ok := Create("d", name); !ok {
			t.Fatalf("Create(%q)", name)
		}
	}
	for _, name := range []string{"", ".", "..", "a/b", "a\x00b", long + "n"} {
		mustPanic(t, fmt.Sprintf("Create(%q)", name), func() { Create("d", name) })
		mustPanic(t, fmt.Sprintf("Link(%q)", name), func() { Link("d", "0", "d", name) })
	}
	mustPanic(t, "unknown directory", func() { Create("e", "x") })
}
