package twodisk

import (
	"bytes"
	"testing"
)

func block(x byte) Block { return bytes.Repeat([]byte{x}, int(BlockSize)) }

func TestReadWriteFail(t *testing.T) {
	Init(3)
	if Size() != 3 {
		t.Fatal("size")
	}
	Write(Disk1, 0, block(1))
	Write(Disk2, 0, block(2))
	if v, ok := Read(Disk1, 0); !ok || v[0] != 1 {
		t.Fatal("disk 1")
	}
	if v, ok := Read(Disk2, 0); !ok || v[0] != 2 {
		t.Fatal("disk 2")
	}
	if !Fail(Disk2) || !Fail(Disk2) {
		t.Fatal("failing disk 2")
	}
	if Fail(Disk1) {
		t.Fatal("both disks failed")
	}
	if _, ok := Read(Disk2, 0); ok {
		t.Fatal("read of failed disk succeeded")
	}
	Write(Disk2, 0, block(3)) // no effect, no panic
	if v, ok := Read(Disk1, 0); !ok || v[0] != 1 {
		t.Fatal("disk 1 after disk 2 failed")
	}
	Init(3)
	if _, ok := Read(Disk2, 0); !ok {
		t.Fatal("Init did not repair disk 2")
	}
}

func TestCrash(t *testing.T) {
	Init(2)
	CrashAfter(1)
	Write(Disk1, 1, block(1))
	Write(Disk2, 1, block(1))
	if !Crashed() {
		t.Fatal("not crashed")
	}
	Reboot()
	v1, _ := Read(Disk1, 1)
	v2, _ := Read(Disk2, 1)
	if v1[0] != 1 || v2[0] != 0 {
		t.Fatalf("after reboot (%d, %d), want (1, 0)", v1[0], v2[0])
	}
}
