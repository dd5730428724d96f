package filesys

import (
	"fmt"
	"os"
	"path/filepath"
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
	fi, err1 := os.Stat(filepath.Join(root, "a", "f"))
	gi, err2 := os.Stat(filepath.Join(root, "b", "g"))
	if err1 != nil || err2 != nil || !os.SameFile(fi, gi) {
		t.Fatal("hard link not restored")
	}
}
