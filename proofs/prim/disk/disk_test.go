package disk

import (
	"bytes"
	"path/filepath"
	"testing"
)

func block(x byte) Block { return bytes.Repeat([]byte{x}, int(BlockSize)) }

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("%s did not panic", what)
		}
	}()
	f()
}

func exercise(t *testing.T, reinit func()) {
	reinit()
	if Size() != 4 {
		t.Fatalf("Size() = %d", Size())
	}
	if !bytes.Equal(Read(3), block(0)) {
		t.Fatal("fresh disk not zero")
	}
	v := block(1)
	Write(2, v)
	v[0] = 9
	r := Read(2)
	r[1] = 9
	if !bytes.Equal(Read(2), block(1)) {
		t.Fatal("disk aliases caller memory")
	}
	mustPanic(t, "out-of-range read", func() { Read(4) })
	mustPanic(t, "short write", func() { Write(0, []byte{1}) })

	// Crash after one of three writes; Reboot rolls back the other two.
	CrashAfter(1)
	Write(0, block(5))
	if !Crashed() {
		t.Fatal("crash point not reached")
	}
	Write(1, block(6))
	Write(2, block(7))
	Reboot()
	for a, want := range []byte{5, 0, 1, 0} {
		if Read(uint64(a))[0] != want {
			t.Fatalf("after reboot block %d = %d, want %d", a, Read(uint64(a))[0], want)
		}
	}
	// A crash point never reached leaves everything.
	CrashAfter(10)
	Write(3, block(8))
	if Crashed() {
		t.Fatal("crashed early")
	}
	Reboot()
	if Read(3)[0] != 8 {
		t.Fatal("write before an unreached crash point lost")
	}
	// CrashAfter(0) crashes at once.
	CrashAfter(0)
	Write(3, block(9))
	Reboot()
	if Read(3)[0] != 8 {
		t.Fatal("CrashAfter(0) kept a later write")
	}
}

func TestMemory(t *testing.T) {
	exercise(t, func() { Init(4) })
}

func TestFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "d.img")
	exercise(t, func() { InitFile(p, 4) })
	// Reopening keeps the contents (a restart).
	InitFile(p, 4)
	if Read(2)[0] != 1 || Read(3)[0] != 8 {
		t.Fatal("file contents lost on reopen")
	}
	Init(1)
}
