// Package group_commit is a logical disk with deferred durability: Write
// only buffers the new block in memory, and Commit makes all buffered
// writes durable at once through a write-ahead log (group commit).
//
// Specification: the logical disk has Size() blocks, initially zero. Read
// and Write act on it atomically and see every earlier Write, committed or
// not. On a crash, the logical disk goes back to its contents as of the
// last commit that reached its commit point (the header write): exactly the
// buffered, uncommitted writes are lost, and a commit is kept or lost as a
// whole. Commits happen in Commit, and inside a Write that finds the buffer
// full (the buffer then holds only earlier writes). So every Write before a
// completed Commit survives a crash; any later one may be lost; and what
// survives is always a prefix of the Writes in the order they took the lock.
//
// Disk layout (disk.Size() > dataStart):
//
//	block 0: header: bytes 0-7 the number n of committed, unapplied log
//	         entries (0: none), then n addresses of 8 bytes (little endian)
//	blocks 1..LogSize: the values of the log entries
//	blocks dataStart..: the logical disk (address a at dataStart+a)
//
// A zeroed disk is a valid empty state, so Init needs no formatting.
package group_commit

import (
	"sync"

	"pv/proofs/prim/disk"
)

// LogSize is the capacity of the log, so of the buffer: the most distinct
// addresses one commit can hold.
const LogSize uint64 = 8

const (
	hdrAddr   uint64 = 0
	logStart  uint64 = 1
	dataStart uint64 = 1 + LogSize
)

type entry struct {
	addr uint64
	val  disk.Block
}

// Log is the volatile state: the buffer of uncommitted writes (at most one
// per address, at most LogSize) and the lock protecting it and the disk.
type Log struct {
	l   *sync.Mutex
	buf []entry
}

// Init returns the volatile state, with an empty buffer, for a disk with no
// committed log (a fresh zeroed disk, or after Recover).
func Init() *Log {
	return &Log{l: new(sync.Mutex), buf: make([]entry, 0)}
}

// Size returns the number of blocks of the logical disk. Addresses passed to
// Read and Write must be below it (otherwise: undefined behaviour).
func Size() uint64 {
	return disk.Size() - dataStart
}

// putUint64 stores x at b[off:off+8], little endian.
func putUint64(b []byte, off uint64, x uint64) {
	rest := x
	for i := uint64(0); i < 8; i++ {
		b[off+i] = byte(rest % 256)
		rest = rest / 256
	}
}

// getUint64 loads the little-endian number at b[off:off+8].
func getUint64(b []byte, off uint64) uint64 {
	x := uint64(0)
	for i := uint64(0); i < 8; i++ {
		x = x*256 + uint64(b[off+7-i])
	}
	return x
}

// copyBlock returns a fresh copy of v, so the buffer never shares memory
// with the caller.
func copyBlock(v disk.Block) disk.Block {
	return append(make([]byte, 0), v...)
}

// Read returns block a of the logical disk: the buffered value if there is
// one, else the value on disk.
func Read(lg *Log, a uint64) disk.Block {
	lg.l.Lock()
	for _, e := range lg.buf {
		if e.addr == a {
			v := copyBlock(e.val)
			lg.l.Unlock()
			return v
		}
	}
	v := disk.Read(dataStart + a)
	lg.l.Unlock()
	return v
}

// Write sets block a of the logical disk to v (disk.BlockSize bytes), in
// memory only; it becomes durable at the next commit. A second Write to a
// buffered address replaces the buffered value (absorption). If the buffer
// is full, Write first commits it.
func Write(lg *Log, a uint64, v disk.Block) {
	val := copyBlock(v)
	lg.l.Lock()
	for i := uint64(0); i < uint64(len(lg.buf)); i++ {
		if lg.buf[i].addr == a {
			lg.buf[i] = entry{addr: a, val: val}
			lg.l.Unlock()
			return
		}
	}
	if uint64(len(lg.buf)) == LogSize {
		commitLocked(lg)
	}
	lg.buf = append(lg.buf, entry{addr: a, val: val})
	lg.l.Unlock()
}

// Commit makes every buffered write durable, atomically.
func Commit(lg *Log) {
	lg.l.Lock()
	commitLocked(lg)
	lg.l.Unlock()
}

// commitLocked writes the buffer to the log, commits it with one header
// write, applies it to the data blocks, and clears the header. The caller
// holds lg.l.
func commitLocked(lg *Log) {
	n := uint64(len(lg.buf))
	if n == 0 {
		return
	}
	hdr := make([]byte, disk.BlockSize)
	putUint64(hdr, 0, n)
	for i := uint64(0); i < n; i++ {
		disk.Write(logStart+i, lg.buf[i].val)
		putUint64(hdr, 8+8*i, lg.buf[i].addr)
	}
	// Commit point: one atomic block write makes the whole log count.
	disk.Write(hdrAddr, hdr)
	for i := uint64(0); i < n; i++ {
		disk.Write(dataStart+lg.buf[i].addr, lg.buf[i].val)
	}
	// Applied; clearing the header frees the log for the next commit.
	disk.Write(hdrAddr, make([]byte, disk.BlockSize))
	lg.buf = make([]entry, 0)
}

// Recover runs after a crash, before any other operation. The buffer was in
// memory and is gone (those writes are lost, as specified). If the header
// holds a committed log, the commit may have stopped halfway through
// applying it, so Recover applies it again (idempotent, so a crash during
// Recover is fine) and clears the header. Log blocks not named by a
// committed header belong to a commit that never happened and are ignored.
func Recover() *Log {
	hdr := disk.Read(hdrAddr)
	n := getUint64(hdr, 0)
	if n > 0 {
		for i := uint64(0); i < n; i++ {
			a := getUint64(hdr, 8+8*i)
			v := disk.Read(logStart + i)
			disk.Write(dataStart+a, v)
		}
		disk.Write(hdrAddr, make([]byte, disk.BlockSize))
	}
	return Init()
}
