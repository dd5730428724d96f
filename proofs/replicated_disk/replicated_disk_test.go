package replicated_disk

import (
	"bytes"
	"sync"
	"testing"

	"pv/proofs/prim/disk"
	"pv/proofs/prim/twodisk"
)

const size = 8

func block(x byte) disk.Block {
	return bytes.Repeat([]byte{x}, int(disk.BlockSize))
}

func raw(d twodisk.Id, a uint64) disk.Block {
	v, ok := twodisk.Read(d, a)
	if !ok {
		return nil
	}
	return v
}

func TestReadWrite(t *testing.T) {
	twodisk.Init(size)
	rd := Init()
	if got := Read(rd, 3); !bytes.Equal(got, block(0)) {
		t.Fatalf("fresh read = %d...", got[0])
	}
	for a := uint64(0); a < size; a++ {
		Write(rd, a, block(byte(a+1)))
	}
	for a := uint64(0); a < size; a++ {
		if got := Read(rd, a); !bytes.Equal(got, block(byte(a+1))) {
			t.Fatalf("Read(%d) = %d...", a, got[0])
		}
		if !bytes.Equal(raw(twodisk.Disk1, a), raw(twodisk.Disk2, a)) {
			t.Fatalf("disks disagree at %d", a)
		}
	}
}

func TestReadReturnsCopy(t *testing.T) {
	twodisk.Init(size)
	rd := Init()
	v := block(7)
	Write(rd, 0, v)
	v[0] = 99
	got := Read(rd, 0)
	got[1] = 99
	if want := block(7); !bytes.Equal(Read(rd, 0), want) {
		t.Fatal("disk contents alias caller memory")
	}
}

func TestFailover(t *testing.T) {
	for _, failed := range []twodisk.Id{twodisk.Disk1, twodisk.Disk2} {
		twodisk.Init(size)
		rd := Init()
		Write(rd, 1, block(1))
		if !twodisk.Fail(failed) {
			t.Fatal("first failure refused")
		}
		if twodisk.Fail(1 - failed) {
			t.Fatal("second disk allowed to fail")
		}
		if got := Read(rd, 1); !bytes.Equal(got, block(1)) {
			t.Fatalf("disk %d failed: read %d", failed, got[0])
		}
		Write(rd, 1, block(2))
		if got := Read(rd, 1); !bytes.Equal(got, block(2)) {
			t.Fatalf("disk %d failed: read after write %d", failed, got[0])
		}
	}
}

func TestConcurrent(t *testing.T) {
	twodisk.Init(size)
	rd := Init()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				a := uint64(i % size)
				Write(rd, a, block(byte(w+1)))
				v := Read(rd, a)
				if !bytes.Equal(v, block(v[0])) || v[0] == 0 {
					t.Errorf("torn or stale read at %d", a)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	for a := uint64(0); a < size; a++ {
		if !bytes.Equal(raw(twodisk.Disk1, a), raw(twodisk.Disk2, a)) {
			t.Fatalf("disks disagree at %d after concurrent writes", a)
		}
	}
}

// TestCrashDuringWrite crashes after every possible number of disk writes of
// a Write, recovers, and checks that the write happened entirely or not at
// all, and that the answer no longer changes if either disk then fails.
func TestCrashDuringWrite(t *testing.T) {
	for _, failAfter := range []int{-1, int(twodisk.Disk1), int(twodisk.Disk2)} {
		for n := uint64(0); ; n++ {
			twodisk.Init(size)
			rd := Init()
			Write(rd, 2, block(1))
			twodisk.CrashAfter(n)
			Write(rd, 2, block(2))
			crashed := twodisk.Crashed()
			twodisk.Reboot()
			rd = Recover()
			got := Read(rd, 2)
			if !bytes.Equal(got, block(1)) && !bytes.Equal(got, block(2)) {
				t.Fatalf("crash after %d: torn value %d", n, got[0])
			}
			if !crashed && !bytes.Equal(got, block(2)) {
				t.Fatalf("completed write lost")
			}
			if failAfter >= 0 {
				twodisk.Fail(twodisk.Id(failAfter))
				if again := Read(rd, 2); !bytes.Equal(again, got) {
					t.Fatalf("crash after %d, disk %d failed: read %d, before %d",
						n, failAfter, again[0], got[0])
				}
			}
			if !crashed {
				break
			}
		}
	}
}

// TestWhyRecover shows the bug that Recover prevents: a write interrupted
// between the two disks is visible, then disappears when disk 1 fails.
func TestWhyRecover(t *testing.T) {
	twodisk.Init(size)
	rd := Init()
	twodisk.CrashAfter(1)
	Write(rd, 0, block(5))
	twodisk.Reboot()
	rd = Init() // skipping Recover
	if Read(rd, 0)[0] != 5 {
		t.Fatal("expected the half-done write to be visible on disk 1")
	}
	twodisk.Fail(twodisk.Disk1)
	if Read(rd, 0)[0] != 0 {
		t.Fatal("expected disk 2 to still hold the old value")
	}
}

// TestCrashDuringRecover crashes a run of concurrent writers, then crashes
// recovery itself at every point, and checks that a second recovery leaves
// the disks in agreement on values that some writer wrote.
func TestCrashDuringRecover(t *testing.T) {
	for m := uint64(0); ; m++ {
		twodisk.Init(size)
		rd := Init()
		twodisk.CrashAfter(11)
		var wg sync.WaitGroup
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for a := uint64(0); a < size; a++ {
					Write(rd, a, block(byte(10*w+1)))
				}
			}(w)
		}
		wg.Wait()
		twodisk.Reboot()
		twodisk.CrashAfter(m)
		Recover()
		crashed := twodisk.Crashed()
		twodisk.Reboot()
		rd = Recover()
		for a := uint64(0); a < size; a++ {
			d1, d2 := raw(twodisk.Disk1, a), raw(twodisk.Disk2, a)
			if !bytes.Equal(d1, d2) {
				t.Fatalf("recovery crashed after %d: disks disagree at %d", m, a)
			}
			if v := d1[0]; v != 0 && v != 1 && v != 11 && v != 21 || !bytes.Equal(d1, block(d1[0])) {
				t.Fatalf("unexpected block at %d", a)
			}
		}
		if !crashed {
			break
		}
	}
}
