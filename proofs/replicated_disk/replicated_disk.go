// Package replicated_disk makes the two disks of package twodisk behave as
// one logical disk that survives the failure of either disk and crashes at
// any point (the paper's Figures 4-5).
//
// Specification: the logical disk maps each address to a block; Read(a) and
// Write(a, v) act on it atomically (linearizably) even across crashes, and
// a crash loses nothing that a completed Write stored. Addresses must be
// below twodisk.Size() (otherwise: undefined behaviour).
//
// The in-memory state (the locks) is lost on a crash, so it lives in a
// RepDisk value that Init (fresh start) or Recover (after a crash) returns.
package replicated_disk

import (
	"sync"

	"pv/proofs/prim/disk"
	"pv/proofs/prim/twodisk"
)

// RepDisk is the volatile state: one lock per address, so that a Read never
// sees the two disks disagree because of a Write in progress.
type RepDisk struct {
	locks []*sync.Mutex
}

// Init returns the volatile state for disks whose contents already agree
// (freshly initialised ones, or after Recover).
func Init() *RepDisk {
	size := twodisk.Size()
	locks := make([]*sync.Mutex, 0)
	for a := uint64(0); a < size; a++ {
		locks = append(locks, new(sync.Mutex))
	}
	return &RepDisk{locks: locks}
}

// Read returns the block at a: from disk 1, or from disk 2 if disk 1 has
// failed (both cannot fail).
func Read(d *RepDisk, a uint64) disk.Block {
	d.locks[a].Lock()
	v, ok := twodisk.Read(twodisk.Disk1, a)
	if !ok {
		v, _ = twodisk.Read(twodisk.Disk2, a)
	}
	d.locks[a].Unlock()
	return v
}

// Write stores v (disk.BlockSize bytes) at a on both disks, disk 1 first.
// A crash between the two writes leaves the disks disagreeing at a, which
// Recover repairs.
func Write(d *RepDisk, a uint64, v disk.Block) {
	d.locks[a].Lock()
	twodisk.Write(twodisk.Disk1, a, v)
	twodisk.Write(twodisk.Disk2, a, v)
	d.locks[a].Unlock()
}

// Recover runs after a crash, before any other operation: it copies disk 1
// to disk 2 at every address so that the disks agree again. Without it, a
// Write interrupted after disk 1 would be visible now, yet lost if disk 1
// failed later and reads fell over to disk 2. If disk 1 has failed, disk 2
// is the truth and nothing is copied. Recover may itself crash and be run
// again: copying is idempotent.
func Recover() *RepDisk {
	size := twodisk.Size()
	for a := uint64(0); a < size; a++ {
		v, ok := twodisk.Read(twodisk.Disk1, a)
		if ok {
			twodisk.Write(twodisk.Disk2, a, v)
		}
	}
	return Init()
}
