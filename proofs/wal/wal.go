// Package wal updates a pair of blocks atomically with a write-ahead log on
// the single disk of package disk.
//
// Specification: the state is a pair of blocks (v1, v2), initially zero;
// Write replaces both and Read returns both, each atomically, even across
// crashes (after Recover). A Write that returned is never lost.
//
// Disk layout (disk.Size() >= 5):
//
//	block 0: header; byte 0 is 1 while a committed log is not yet applied
//	blocks 1-2: log (the new v1, v2)
//	blocks 3-4: data (the current v1, v2)
//
// A zeroed disk is a valid empty state, so Init needs no formatting.
package wal

import (
	"sync"

	"pv/proofs/prim/disk"
)

const (
	hdrAddr   uint64 = 0
	logAddr1  uint64 = 1
	logAddr2  uint64 = 2
	dataAddr1 uint64 = 3
	dataAddr2 uint64 = 4
)

// Log is the volatile state: a lock that serialises Read and Write, since
// the log has room for one transaction only.
type Log struct {
	l *sync.Mutex
}

// Init returns the volatile state for a disk with no committed log (a fresh
// zeroed disk, or after Recover).
func Init() *Log {
	return &Log{l: new(sync.Mutex)}
}

// header returns a header block: committed or clear.
func header(committed bool) disk.Block {
	b := make([]byte, disk.BlockSize)
	if committed {
		b[0] = 1
	}
	return b
}

// Write replaces the pair by (v1, v2), each disk.BlockSize bytes.
func Write(lg *Log, v1 disk.Block, v2 disk.Block) {
	lg.l.Lock()
	disk.Write(logAddr1, v1)
	disk.Write(logAddr2, v2)
	// Commit point: from this single-block write on, a crash keeps the pair.
	disk.Write(hdrAddr, header(true))
	disk.Write(dataAddr1, v1)
	disk.Write(dataAddr2, v2)
	// The data is now in place; clearing the flag frees the log.
	disk.Write(hdrAddr, header(false))
	lg.l.Unlock()
}

// Read returns the pair.
func Read(lg *Log) (disk.Block, disk.Block) {
	lg.l.Lock()
	v1 := disk.Read(dataAddr1)
	v2 := disk.Read(dataAddr2)
	lg.l.Unlock()
	return v1, v2
}

// Recover runs after a crash, before any other operation. If the header says
// a log was committed, the Write that committed it may have stopped halfway
// through applying it, so Recover applies it again (idempotent, so a crash
// during Recover is fine) and then clears the header. An uncommitted log is
// ignored: its Write never took effect. A disk too small for the layout
// holds no pair (every Read and Write there is undefined), so Recover leaves
// it alone rather than read past its end.
func Recover() *Log {
	if disk.Size() < 5 {
		return Init()
	}
	hdr := disk.Read(hdrAddr)
	if hdr[0] == 1 {
		v1 := disk.Read(logAddr1)
		v2 := disk.Read(logAddr2)
		disk.Write(dataAddr1, v1)
		disk.Write(dataAddr2, v2)
		disk.Write(hdrAddr, header(false))
	}
	return Init()
}
