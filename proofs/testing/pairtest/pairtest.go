// Package pairtest holds the Go checks of the atomic pair (proofs/pair/pair_spec.pv) that its
// implementations share: the write-ahead log, the shadow copy, and their buggy variants
// (tests/data/pair_crash_test.go runs AfterCrashes against each).
package pairtest

import (
	"bytes"
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
