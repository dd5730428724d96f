// Package race holds small Go programs for issue 9, point 9 (racy Go was
// provable): each Race* function has a data race that `go test -race`
// reports, and pv must reject a proof of its translation at the invariant
// opening around the plain memory access; each Locked* or Atomic* function
// is the same program made race-free with a lock or sync/atomic, and its
// proof goes through (tests/soundness/test_c09_race_freedom.py).
//
// The package is gooseable (pv goose translates it) but lives outside
// proofs/, so the suite's `go test ./...` does not run its racy tests.
package race

import (
	"sync"
	"sync/atomic"
)

type pair struct {
	a uint64
	b uint64
}

// ---- a struct behind a shared pointer

func writePair(p *pair, n uint64) {
	for i := uint64(0); i < n; i++ {
		*p = pair{a: i, b: i}
	}
}

// RaceStruct reads *p while writePair stores it: Go may read a torn pair.
func RaceStruct(n uint64) bool {
	p := &pair{a: 0, b: 0}
	go writePair(p, n)
	v := *p
	return v.a == v.b
}

func writePairLocked(mu *sync.Mutex, p *pair, n uint64) {
	for i := uint64(0); i < n; i++ {
		mu.Lock()
		*p = pair{a: i, b: i}
		mu.Unlock()
	}
}

func LockedStruct(n uint64) bool {
	p := &pair{a: 0, b: 0}
	mu := new(sync.Mutex)
	go writePairLocked(mu, p, n)
	mu.Lock()
	v := *p
	mu.Unlock()
	return v.a == v.b
}

// ---- a slice element

func setFirst(s []uint64) {
	s[0] = 1
}

// RaceSliceElem reads s[0] while setFirst writes it.
func RaceSliceElem() bool {
	s := make([]uint64, 1)
	go setFirst(s)
	x := s[0]
	return x <= 1
}

func setFirstLocked(mu *sync.Mutex, s []uint64) {
	mu.Lock()
	s[0] = 1
	mu.Unlock()
}

func LockedSliceElem() bool {
	s := make([]uint64, 1)
	mu := new(sync.Mutex)
	go setFirstLocked(mu, s)
	mu.Lock()
	x := s[0]
	mu.Unlock()
	return x <= 1
}

// ---- a slice append (append(dst, src...) copies src)

// RaceAppend copies src into a new slice while setFirst writes src[0].
func RaceAppend() bool {
	src := make([]uint64, 1)
	go setFirst(src)
	dst := append(make([]uint64, 0), src...)
	return dst[0] <= 1
}

func LockedAppend() bool {
	src := make([]uint64, 1)
	mu := new(sync.Mutex)
	go setFirstLocked(mu, src)
	mu.Lock()
	dst := append(make([]uint64, 0), src...)
	mu.Unlock()
	return dst[0] <= 1
}

// ---- a flag: a plain load against an atomic store is a race too

func raise(p *uint64) {
	atomic.StoreUint64(p, 1)
}

// RaceMixed reads *p plainly while raise stores it atomically.
func RaceMixed() bool {
	p := new(uint64)
	go raise(p)
	return *p <= 1
}

func AtomicFlag() bool {
	p := new(uint64)
	go raise(p)
	return atomic.LoadUint64(p) <= 1
}

// ---- a map (concurrent map writes are a fatal error in Go; the semantics has no axioms for
// maps, so no proof about them exists yet)

func putOne(m map[uint64]uint64) {
	m[1] = 1
}

// RaceMap writes m while putOne writes it.
func RaceMap() bool {
	m := make(map[uint64]uint64)
	go putOne(m)
	m[2] = 2
	return len(m) >= 1
}
