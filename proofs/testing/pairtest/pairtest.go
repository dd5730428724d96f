// Package pairtest holds the Go checks of the atomic pair (proofs/pair/pair_spec.pv) that its
// implementations share: the write-ahead log, the shadow copy, and their buggy variants
// (tests/data/pair_crash_test.go runs AfterCrashes against each).
package pairtest

import (
	"bytes"
	"sync"
	"testing"

	"pv/proofs/prim/disk"
)

// Block is a disk block whose every byte is x.
func Block(x byte) disk.Block {
	return bytes.Repeat([]byte{x}, int(disk.BlockSize))
}

// Is reports whether (v1, v2) is (Block(x), Block(x+1)).
func Is(v1, v2 disk.Block, x byte) bool {
	return bytes.Equal(v1, Block(x)) && bytes.Equal(v2, Block(x+1))
}

// AfterCrashes writes (1, 2), then crashes a Write of (3, 4) after every number of disk
// writes, then the first Recover after every number of its own, recovers again and reads. A
// Write in flight at a crash takes effect or not, so the pair read is the old or the new one,
// never a mix; a Write that returned is never lost.
func AfterCrashes[H any](t *testing.T, initFn func() H, write func(H, disk.Block, disk.Block),
	read func(H) (disk.Block, disk.Block), recover func() H) {
	for n := uint64(0); ; n++ {
		crashed := false
		for m := uint64(0); ; m++ {
			disk.Init(5)
			h := initFn()
			write(h, Block(1), Block(2))
			disk.CrashAfter(n)
			write(h, Block(3), Block(4))
			crashed = disk.Crashed()
			disk.Reboot()
			disk.CrashAfter(m)
			recover()
			recCrashed := disk.Crashed()
			disk.Reboot()
			v1, v2 := read(recover())
			if !Is(v1, v2, 1) && !Is(v1, v2, 3) {
				t.Fatalf("torn pair (%d, %d) after crashes at disk write %d of Write, %d of Recover",
					v1[0], v2[0], n, m)
			}
			if !crashed && !Is(v1, v2, 3) {
				t.Fatalf("a Write that returned was lost")
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

// ConcurrentCrashes crashes three concurrent writers, two Writes each, after every number of
// disk writes below rounds, then recovers and reads: the pair is one that was written, or the
// initial zero pair, never a mix.
func ConcurrentCrashes[H any](t *testing.T, rounds uint64, initFn func() H,
	write func(H, disk.Block, disk.Block), read func(H) (disk.Block, disk.Block),
	recover func() H) {
	for n := uint64(0); n < rounds; n++ {
		disk.Init(5)
		h := initFn()
		disk.CrashAfter(n)
		var wg sync.WaitGroup
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 2; i++ {
					x := byte(10*w + 2*i + 1)
					write(h, Block(x), Block(x+1))
				}
			}(w)
		}
		wg.Wait()
		disk.Reboot()
		v1, v2 := read(recover())
		if !Is(v1, v2, v1[0]) && !(v1[0] == 0 && bytes.Equal(v1, v2)) {
			t.Fatalf("crash after %d: torn pair (%d, %d)", n, v1[0], v2[0])
		}
	}
}
