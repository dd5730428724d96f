// Package rand is the trusted randomness primitive.
//
// Model: Uint64 returns an arbitrary uint64; proofs may assume nothing about
// it (in particular not that it differs from earlier results), so code using
// it for fresh names must retry on collision.
package rand

import (
	crand "crypto/rand"
	"encoding/binary"
	"sync"
)

var (
	mu     sync.Mutex
	queued []uint64
)

// Uint64 returns a random uint64 (or the next value queued by Enqueue).
func Uint64() uint64 {
	mu.Lock()
	if len(queued) > 0 {
		x := queued[0]
		queued = queued[1:]
		mu.Unlock()
		return x
	}
	mu.Unlock()
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic("rand: " + err.Error())
	}
	return binary.LittleEndian.Uint64(b[:])
}

// Enqueue (test hook) makes the next calls to Uint64 return xs, in order,
// before going back to random values; tests use it to force collisions.
func Enqueue(xs ...uint64) {
	mu.Lock()
	defer mu.Unlock()
	queued = append(queued, xs...)
}
