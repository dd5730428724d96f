// Package shadow updates a pair of blocks atomically with a shadow copy on
// the single disk of package disk.
//
// Specification: the same as package wal's: the state is a pair of blocks
// (v1, v2), initially zero; Write replaces both and Read returns both, each
// atomically, even across crashes. A Write that returned is never lost.
//
// Disk layout (disk.Size() >= 5):
//
//	block 0: pointer; byte 0 is the active copy, 0 or 1
//	blocks 1-2: copy 0 (v1, v2)
//	blocks 3-4: copy 1 (v1, v2)
//
// A zeroed disk is a valid state (copy 0 active, zero pair).
package shadow

import (
	"sync"

	"pv/proofs/prim/disk"
)

const ptrAddr uint64 = 0

// Pair is the volatile state: a lock that serialises Read and Write, since
// two Writes would both write the same inactive copy, and a Read could see
// the copy it is reading overwritten by the second of two Writes.
type Pair struct {
	l *sync.Mutex
}

// Init returns the volatile state; any disk contents are valid.
func Init() *Pair {
	return &Pair{l: new(sync.Mutex)}
}

// active returns which copy the pointer block names.
func active() uint64 {
	ptr := disk.Read(ptrAddr)
	return uint64(ptr[0])
}

// copyAddr returns the address of the first block of copy c.
func copyAddr(c uint64) uint64 {
	return 1 + 2*c
}

// Write replaces the pair by (v1, v2), each disk.BlockSize bytes.
func Write(p *Pair, v1 disk.Block, v2 disk.Block) {
	p.l.Lock()
	next := 1 - active()
	disk.Write(copyAddr(next), v1)
	disk.Write(copyAddr(next)+1, v2)
	// Commit point: one atomic block write installs the complete new copy.
	ptr := make([]byte, disk.BlockSize)
	ptr[0] = byte(next)
	disk.Write(ptrAddr, ptr)
	p.l.Unlock()
}

// Read returns the pair.
func Read(p *Pair) (disk.Block, disk.Block) {
	p.l.Lock()
	c := active()
	v1 := disk.Read(copyAddr(c))
	v2 := disk.Read(copyAddr(c) + 1)
	p.l.Unlock()
	return v1, v2
}

// Recover runs after a crash and has nothing to repair: the pointer only
// ever names a copy that was completely written before the pointer block
// was (atomically) switched to it, and Write never touches the active copy.
// A half-written inactive copy is invisible to Read and is overwritten
// whole by the next Write, so it need not be cleaned up.
func Recover() *Pair {
	return Init()
}
