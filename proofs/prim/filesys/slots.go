package filesys

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Slots: each directory has one lock and one descriptor per processor (up to
// maxSlots), so that calls running on different processors at the same time
// use different ones. A slot is chosen by a token from a sync.Pool, which
// keeps one item per processor: a goroutine mostly gets the token the last
// goroutine on its processor put back. Which slot a call gets never matters
// for atomicity (a change holds one slot's lock shared, List holds all of
// them alone); it only keeps each lock word, and each kernel file's
// reference count (which openat and unlinkat relative to the descriptor
// change), in one processor's cache.

// maxSlots bounds the descriptors per directory on machines with many
// processors; calls beyond it share slots.
const maxSlots = 8

// cacheLine is the spacing of per-processor data: two 64-byte lines, since
// Intel processors fetch adjacent lines in pairs.
const cacheLine = 128

// slot is one lock and descriptor of a directory.
type slot struct {
	// RLock: a change of the directory through fd (Create, Delete, Link into
	// it); Lock: a List, or the crash hook's snapshot, which take every slot.
	mu sync.RWMutex
	fd int
	_  [cacheLine - unsafe.Sizeof(sync.RWMutex{}) - unsafe.Sizeof(int(0))]byte
}

// numSlots is how many slots Init gives each directory.
func numSlots() int {
	n := runtime.GOMAXPROCS(0)
	if n > maxSlots {
		n = maxSlots
	}
	return n
}

// token is a slot number that a processor keeps; see getSlot.
type token struct{ n uint64 }

var (
	tokens    = sync.Pool{New: func() any { return &token{n: nextToken.Add(1) - 1} }}
	nextToken atomic.Uint64
)

// getSlot returns the calling processor's token; putSlot gives it back.
func getSlot() *token  { return tokens.Get().(*token) }
func putSlot(t *token) { tokens.Put(t) }

// index is the token's slot among n.
func (t *token) index(n int) int { return int(t.n % uint64(n)) }
