package shadow

import (
	"bytes"
	"sync"
	"testing"

	"pv/proofs/prim/disk"
	"pv/proofs/testing/pairtest"
)

func TestReadWrite(t *testing.T) {
	disk.Init(5)
	p := Init()
	if v1, v2 := Read(p); !bytes.Equal(v1, pairtest.Block(0)) || !bytes.Equal(v2, pairtest.Block(0)) {
		t.Fatal("fresh pair not zero")
	}
	for x := byte(1); x < 10; x += 2 {
		Write(p, pairtest.Block(x), pairtest.Block(x+1))
		if v1, v2 := Read(p); !pairtest.Is(v1, v2, x) {
			t.Fatalf("read after write %d: (%d, %d)", x, v1[0], v2[0])
		}
		if want := byte(x/2+1) % 2; disk.Read(ptrAddr)[0] != want {
			t.Fatalf("write %d: pointer %d, want %d", x, disk.Read(ptrAddr)[0], want)
		}
	}
}

func TestConcurrent(t *testing.T) {
	disk.Init(5)
	p := Init()
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				x := byte(20*w + 2*(i%10) + 1)
				Write(p, pairtest.Block(x), pairtest.Block(x+1))
				v1, v2 := Read(p)
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
// a sequence of Writes and checks that the pair read after recovery is the
// one installed by the last pointer switch before the crash.
func TestCrashDuringWrite(t *testing.T) {
	for n := uint64(0); ; n++ {
		disk.Init(5)
		p := Init()
		disk.CrashAfter(n)
		for x := byte(1); x < 8; x += 2 {
			Write(p, pairtest.Block(x), pairtest.Block(x+1))
		}
		crashed := disk.Crashed()
		disk.Reboot()
		p = Recover()
		v1, v2 := Read(p)
		// Each Write does 3 disk writes, the pointer being the last.
		completed := n / 3
		if !crashed {
			completed = 4
		}
		want := byte(2*completed - 1)
		if completed == 0 {
			if !bytes.Equal(v1, pairtest.Block(0)) || !bytes.Equal(v2, pairtest.Block(0)) {
				t.Fatalf("crash after %d: (%d, %d), want zero", n, v1[0], v2[0])
			}
		} else if !pairtest.Is(v1, v2, want) {
			t.Fatalf("crash after %d: (%d, %d), want (%d, %d)", n, v1[0], v2[0], want, want+1)
		}
		// The system goes on working after recovery.
		Write(p, pairtest.Block(51), pairtest.Block(52))
		if v1, v2 := Read(p); !pairtest.Is(v1, v2, 51) {
			t.Fatalf("crash after %d: write after recovery lost", n)
		}
		if !crashed {
			break
		}
	}
}

// TestCrashConcurrent crashes a run of concurrent writers at every point and
// checks that recovery always yields one of the written pairs.
func TestCrashConcurrent(t *testing.T) {
	pairtest.ConcurrentCrashes(t, 30, Init, Write, Read, Recover)
}
