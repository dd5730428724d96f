// Package disk is the trusted single-disk primitive: one package-level disk
// of Size() blocks of BlockSize bytes each.
//
// Model (what the proofs may assume):
//   - Read and Write are atomic with respect to each other and to crashes:
//     a block is either entirely old or entirely new.
//   - A completed Write is persistent: it survives a crash. (With InitFile
//     this holds for process crashes, as in the paper's Goose model; the
//     file is not fsynced.)
//   - Read returns a fresh slice and Write copies its argument, so disk
//     contents never alias program memory.
//   - Out-of-range addresses and blocks whose length is not BlockSize are
//     undefined behaviour; this implementation panics on them.
//
// Init, InitFile and the crash hooks (CrashAfter, Crashed, Reboot) are for
// tests and program set-up only; verified code calls Read, Write and Size.
package disk

import (
	"fmt"
	"os"
	"sync"

	"pv/proofs/prim/internal/crash"
)

// BlockSize is the size of every block in bytes.
const BlockSize uint64 = 4096

// Block is the contents of one disk block (BlockSize bytes).
type Block = []byte

var (
	mu    sync.Mutex
	size  uint64
	mem   [][]byte // in-memory backend, when file == nil
	file  *os.File // file backend, when non-nil
	point crash.Point
	snap  [][]byte // persistent state at the crash point
)

// Init replaces the disk by a fresh in-memory disk of size zeroed blocks.
func Init(size uint64) {
	mu.Lock()
	defer mu.Unlock()
	closeFile()
	setSize(size)
	mem = make([][]byte, size)
	for i := range mem {
		mem[i] = make([]byte, BlockSize)
	}
}

// InitFile replaces the disk by one backed by the file at path, created if
// missing and extended with zero blocks up to size blocks. Existing contents
// are kept, so calling InitFile again on the same path models a restart.
func InitFile(path string, size uint64) {
	mu.Lock()
	defer mu.Unlock()
	closeFile()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		panic(fmt.Sprintf("disk: %v", err))
	}
	st, err := f.Stat()
	if err != nil {
		panic(fmt.Sprintf("disk: %v", err))
	}
	if uint64(st.Size()) < size*BlockSize {
		if err := f.Truncate(int64(size * BlockSize)); err != nil {
			panic(fmt.Sprintf("disk: %v", err))
		}
	}
	setSize(size)
	mem = nil
	file = f
}

func setSize(n uint64) {
	size = n
	point.Reset()
	snap = nil
}

func closeFile() {
	if file != nil {
		file.Close()
		file = nil
	}
}

func checkAddr(a uint64) {
	if a >= size {
		panic(fmt.Sprintf("disk: address %d out of range (size %d)", a, size))
	}
}

func readLocked(a uint64) Block {
	v := make([]byte, BlockSize)
	if file == nil {
		copy(v, mem[a])
		return v
	}
	if _, err := file.ReadAt(v, int64(a*BlockSize)); err != nil {
		panic(fmt.Sprintf("disk: read %d: %v", a, err))
	}
	return v
}

func writeLocked(a uint64, v Block) {
	if file == nil {
		copy(mem[a], v)
		return
	}
	if _, err := file.WriteAt(v, int64(a*BlockSize)); err != nil {
		panic(fmt.Sprintf("disk: write %d: %v", a, err))
	}
}

// Read returns a copy of block a.
func Read(a uint64) Block {
	mu.Lock()
	defer mu.Unlock()
	checkAddr(a)
	return readLocked(a)
}

// Write stores a copy of v (which must be BlockSize bytes) at block a.
func Write(a uint64, v Block) {
	mu.Lock()
	defer mu.Unlock()
	checkAddr(a)
	if uint64(len(v)) != BlockSize {
		panic(fmt.Sprintf("disk: write of %d bytes, want %d", len(v), BlockSize))
	}
	writeLocked(a, v)
	if point.Mutated() {
		takeSnapshot()
	}
}

// Size returns the number of blocks.
func Size() uint64 {
	mu.Lock()
	defer mu.Unlock()
	return size
}

func takeSnapshot() {
	snap = make([][]byte, size)
	for a := uint64(0); a < size; a++ {
		snap[a] = readLocked(a)
	}
}

// CrashAfter (test hook) arms a simulated crash right after the next n
// Write calls (n == 0: now). Execution goes on normally; Reboot then rolls
// the disk back to its contents at the crash point. See package
// pv/proofs/prim/internal/crash.
func CrashAfter(n uint64) {
	mu.Lock()
	defer mu.Unlock()
	snap = nil
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

// Reboot (test hook) ends a simulated crash: if the crash point was reached
// the disk goes back to its contents at that point, otherwise it keeps its
// current contents (the crash happened now). The crash point is disarmed.
// Call it only once no goroutine of the crashed run uses the disk any more.
func Reboot() {
	mu.Lock()
	defer mu.Unlock()
	if point.Reset() {
		for a := uint64(0); a < size; a++ {
			writeLocked(a, snap[a])
		}
	}
	snap = nil
}
