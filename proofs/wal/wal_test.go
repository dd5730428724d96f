package wal

import (
	"bytes"
	"path/filepath"
	"sync"
	"testing"

	"pv/proofs/prim/disk"
	"pv/proofs/testing/pairtest"
)

func TestReadWrite(t *testing.T) {
	disk.Init(5)
	lg := Init()
	if v1, v2 := Read(lg); !bytes.Equal(v1, pairtest.Block(0)) || !bytes.Equal(v2, pairtest.Block(0)) {
		t.Fatal("fresh pair not zero")
	}
	for x := byte(1); x < 10; x += 2 {
		Write(lg, pairtest.Block(x), pairtest.Block(x+1))
		if v1, v2 := Read(lg); !pairtest.Is(v1, v2, x) {
			t.Fatalf("read after write %d: (%d, %d)", x, v1[0], v2[0])
		}
	}
	if disk.Read(hdrAddr)[0] != 0 {
		t.Fatal("header left committed")
	}
}

func TestConcurrent(t *testing.T) {
	disk.Init(5)
	lg := Init()
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				x := byte(20*w + 2*(i%10) + 1)
				Write(lg, pairtest.Block(x), pairtest.Block(x+1))
				v1, v2 := Read(lg)
				if !pairtest.Is(v1, v2, v1[0]) {
					t.Errorf("torn pair (%d, %d)", v1[0], v2[0])
					return
				}
			}
		}(w)
	}
	wg.Wait()
}

// TestCrashDuringWrite crashes after every possible number of disk writes of
// a Write (and then at every point of the first Recover), and checks that
// the pair is entirely old or entirely new, and new once the commit point
// (the third disk write) was reached.
func TestCrashDuringWrite(t *testing.T) {
	for n := uint64(0); ; n++ {
		crashed := false
		for m := uint64(0); ; m++ {
			disk.Init(5)
			lg := Init()
			Write(lg, pairtest.Block(1), pairtest.Block(2))
			disk.CrashAfter(n)
			Write(lg, pairtest.Block(3), pairtest.Block(4))
			crashed = disk.Crashed()
			disk.Reboot()
			disk.CrashAfter(m)
			Recover()
			recCrashed := disk.Crashed()
			disk.Reboot()
			lg = Recover()
			v1, v2 := Read(lg)
			switch {
			case pairtest.Is(v1, v2, 3):
				if n < 3 && crashed {
					t.Fatalf("crash after %d/%d: uncommitted write visible", n, m)
				}
			case pairtest.Is(v1, v2, 1):
				if n >= 3 || !crashed {
					t.Fatalf("crash after %d/%d: committed write lost", n, m)
				}
			default:
				t.Fatalf("crash after %d/%d: torn pair (%d, %d)", n, m, v1[0], v2[0])
			}
			if disk.Read(hdrAddr)[0] != 0 {
				t.Fatal("header committed after Recover")
			}
			if !recCrashed {
				break
			}
		}
		if !crashed {
			break
		}
	}
}

// TestCrashConcurrent crashes a run of concurrent writers at every point and
// checks that recovery always yields one of the written pairs.
func TestCrashConcurrent(t *testing.T) {
	pairtest.ConcurrentCrashes(t, 40, Init, Write, Read, Recover)
}

// TestFileDisk runs on a file-backed disk and models a process restart by
// reopening the file.
func TestFileDisk(t *testing.T) {
	p := filepath.Join(t.TempDir(), "disk.img")
	disk.InitFile(p, 5)
	lg := Init()
	Write(lg, pairtest.Block(1), pairtest.Block(2))
	disk.CrashAfter(4) // stop after the commit point and one data block
	Write(lg, pairtest.Block(3), pairtest.Block(4))
	disk.Reboot()
	disk.InitFile(p, 5)
	lg = Recover()
	if v1, v2 := Read(lg); !pairtest.Is(v1, v2, 3) {
		t.Fatalf("after restart: (%d, %d)", v1[0], v2[0])
	}
	disk.Init(5) // release the file
}

// TestRecoverSmallDisk: on a disk too small for the layout (where every Read
// and Write is undefined) Recover touches nothing, so it does not panic.
func TestRecoverSmallDisk(t *testing.T) {
	for n := uint64(0); n < 5; n++ {
		disk.Init(n)
		if Recover() == nil {
			t.Fatal("no Log")
		}
	}
}
