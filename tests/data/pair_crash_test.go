package pair

import (
	"bytes"
	"testing"

	"pv/proofs/prim/disk"
)

// The atomic pair's crash behaviour, for the write-ahead log, the shadow copy and their buggy
// variants (tests/test_wal.py and tests/test_shadow.py copy this file next to each, with the
// package clause set to its package): crash a second Write after every number of disk writes,
// then the first Recover after every number of its own, recover again and read. A Write in
// flight at a crash takes effect or not, so the pair read is the old or the new one, never a
// mix; a Write that returned is never lost.

func pairBlock(x byte) disk.Block {
	return bytes.Repeat([]byte{x}, int(disk.BlockSize))
}

func pairOf(v1, v2 disk.Block, x byte) bool {
	return bytes.Equal(v1, pairBlock(x)) && bytes.Equal(v2, pairBlock(x+1))
}

func TestPairAfterCrashes(t *testing.T) {
	for n := uint64(0); ; n++ {
		crashed := false
		for m := uint64(0); ; m++ {
			disk.Init(5)
			lg := Init()
			Write(lg, pairBlock(1), pairBlock(2))
			disk.CrashAfter(n)
			Write(lg, pairBlock(3), pairBlock(4))
			crashed = disk.Crashed()
			disk.Reboot()
			disk.CrashAfter(m)
			Recover()
			recCrashed := disk.Crashed()
			disk.Reboot()
			v1, v2 := Read(Recover())
			if !pairOf(v1, v2, 1) && !pairOf(v1, v2, 3) {
				t.Fatalf("torn pair (%d, %d) after crashes at disk write %d of Write, %d of Recover",
					v1[0], v2[0], n, m)
			}
			if !crashed && !pairOf(v1, v2, 3) {
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
