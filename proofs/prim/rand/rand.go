// Package rand is the trusted randomness primitive.
//
// Model: Uint64 returns an arbitrary uint64; proofs may assume nothing about
// it (in particular not that it differs from earlier results), so code using
// it for fresh names must retry on collision.
//
// The values come from generators seeded by crypto/rand, one per processor
// at a time (a sync.Pool), so concurrent callers neither share a lock nor
// make a system call per value.
package rand

import (
	crand "crypto/rand"
	"encoding/binary"
	mrand "math/rand"
	"sync"
	"sync/atomic"
)

var (
	mu      sync.Mutex
	queued  []uint64
	pending atomic.Int64 // len(queued), read without mu on the fast path
)

var sources = sync.Pool{New: func() any {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic("rand: " + err.Error())
	}
	return mrand.New(mrand.NewSource(int64(binary.LittleEndian.Uint64(b[:]))))
}}

// Uint64 returns a random uint64 (or the next value queued by Enqueue).
func Uint64() uint64 {
	if pending.Load() > 0 {
		mu.Lock()
		if len(queued) > 0 {
			x := queued[0]
			queued = queued[1:]
			pending.Store(int64(len(queued)))
			mu.Unlock()
			return x
		}
		mu.Unlock()
	}
	r := sources.Get().(*mrand.Rand)
	x := r.Uint64()
	sources.Put(r)
	return x
}

// Enqueue (test hook) makes the next calls to Uint64 return xs, in order,
// before going back to random values; tests use it to force collisions.
func Enqueue(xs ...uint64) {
	mu.Lock()
	defer mu.Unlock()
	queued = append(queued, xs...)
	pending.Store(int64(len(queued)))
}
