// Package twodisk is the trusted two-disk primitive: two package-level
// in-memory disks of Size() blocks each, at most one of which may fail.
//
// Model (what the proofs may assume):
//   - Read and Write of one block on one disk are atomic and, once done,
//     persistent across crashes.
//   - A disk fails at any moment, for good (until the next Init); after
//     that, Read on it returns ok=false and Write on it does nothing.
//   - At most one of the two disks ever fails, so a Read on one of them
//     always succeeds.
//   - Read returns a fresh slice and Write copies its argument.
//   - Out-of-range addresses, unknown disk ids and blocks whose length is
//     not BlockSize are undefined behaviour; this implementation panics.
//
// Init, Fail and the crash hooks are for tests and set-up only; verified code
// calls Read, Write and Size.
package twodisk

import (
	"fmt"
	"sync"

	"pv/proofs/prim/disk"
	"pv/proofs/prim/internal/crash"
)

// BlockSize is the size of every block in bytes (the same as package disk's).
const BlockSize = disk.BlockSize

// Block is the contents of one block; the same type as disk.Block.
type Block = disk.Block

// Id names one of the two disks.
type Id = uint64

// The two disks.
const (
	Disk1 Id = 0
	Disk2 Id = 1
)

var (
	mu     sync.Mutex
	size   uint64
	disks  [2][][]byte
	failed [2]bool
	point  crash.Point
	snap   [2][][]byte
)

// Init (set-up hook) replaces both disks by fresh zeroed disks of size
// blocks; neither has failed.
func Init(n uint64) {
	mu.Lock()
	defer mu.Unlock()
	size = n
	for d := range disks {
		disks[d] = zeroed(n)
		failed[d] = false
	}
	point.Reset()
	snap = [2][][]byte{}
}

func zeroed(n uint64) [][]byte {
	bs := make([][]byte, n)
	for i := range bs {
		bs[i] = make([]byte, BlockSize)
	}
	return bs
}

func check(d Id, a uint64) {
	if d != Disk1 && d != Disk2 {
		panic(fmt.Sprintf("twodisk: no disk %d", d))
	}
	if a >= size {
		panic(fmt.Sprintf("twodisk: address %d out of range (size %d)", a, size))
	}
}

// Read returns a copy of block a of disk d, or ok=false if d has failed.
func Read(d Id, a uint64) (Block, bool) {
	mu.Lock()
	defer mu.Unlock()
	check(d, a)
	if failed[d] {
		return nil, false
	}
	v := make([]byte, BlockSize)
	copy(v, disks[d][a])
	return v, true
}

// Write stores a copy of v (BlockSize bytes) at block a of disk d; it does
// nothing if d has failed.
func Write(d Id, a uint64, v Block) {
	mu.Lock()
	defer mu.Unlock()
	check(d, a)
	if uint64(len(v)) != BlockSize {
		panic(fmt.Sprintf("twodisk: write of %d bytes, want %d", len(v), BlockSize))
	}
	if !failed[d] {
		copy(disks[d][a], v)
	}
	if point.Mutated() {
		takeSnapshot()
	}
}

// Size returns the number of blocks of each disk.
func Size() uint64 {
	mu.Lock()
	defer mu.Unlock()
	return size
}

// Fail (test hook) makes disk d fail. It refuses, and returns false, if the
// other disk has already failed; it returns true if d is now failed.
func Fail(d Id) bool {
	mu.Lock()
	defer mu.Unlock()
	check(d, 0)
	if failed[1-d] {
		return false
	}
	failed[d] = true
	return true
}

func takeSnapshot() {
	for d := range disks {
		snap[d] = make([][]byte, size)
		for a := range disks[d] {
			snap[d][a] = append([]byte(nil), disks[d][a]...)
		}
	}
}

// CrashAfter (test hook) arms a simulated crash right after the next n Write
// calls (n == 0: now); Reboot rolls the contents back to that point. Disk
// failures are hardware state and are not rolled back.
func CrashAfter(n uint64) {
	mu.Lock()
	defer mu.Unlock()
	if point.Arm(n) {
		takeSnapshot()
	}
}

// Crashed (test hook) reports whether the armed crash point was reached.
func Crashed() bool {
	mu.Lock()
	defer mu.Unlock()
	return point.Crashed()
}

// Reboot (test hook) ends a simulated crash: contents go back to the crash
// point if it was reached, else stay as they are; the point is disarmed.
func Reboot() {
	mu.Lock()
	defer mu.Unlock()
	if point.Reset() {
		disks = snap
	}
	snap = [2][][]byte{}
}
