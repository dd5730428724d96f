// Package alloc shows where Go panics on allocation (issue 9, point 10):
// make and append beyond maxAlloc = 2^48 bytes (linux/amd64), which the
// slice axioms' old preconditions allowed; and the sizes of the types pv
// goose lays out (goose/gotypes.py size_align). Run by
// tests/soundness/test_c10_allocation_bounds.py with `go test -v`.
package alloc

import (
	"fmt"
	"sync"
	"testing"
	"unsafe"
)

// panicOf runs f and returns the message it panics with ("" if none).
func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

var sink []byte
var sink64 []uint64

func TestPanics(t *testing.T) {
	big := uint64(1)<<48 + 1
	// make([]byte, 2^48 + 1): len out of range
	t.Logf("make-len: %s", panicOf(func() { sink = make([]byte, big) }))
	// make([]uint64, 0, 2^46): 2^49 bytes, cap out of range
	c := uint64(1) << 46
	t.Logf("make-cap: %s", panicOf(func() { sink64 = make([]uint64, 0, c) }))
	// append to a slice of 2^48 bytes (a header over one byte, never read):
	// growing it needs more than 2^48 bytes
	var one [1]byte
	huge := unsafe.Slice(&one[0], 1<<48)
	t.Logf("append: %s", panicOf(func() { sink = append(huge, 1) }))
	// append(s, t...) with 2^47 + 2^47 + 1 bytes
	half := unsafe.Slice(&one[0], 1<<47)
	more := unsafe.Slice(&one[0], 1<<47+1)
	t.Logf("append-slice: %s", panicOf(func() { sink = append(half, more...) }))
	// within the limit nothing panics
	t.Logf("make-ok: %q", panicOf(func() { sink = make([]byte, 4096) }))
}

type pair struct {
	a byte
	b uint64
}

type bytes2 struct {
	a, b byte
}

type mixed struct {
	s string
	p *uint64
	b bool
}

type nested struct {
	x pair
	c byte
}

type withSlice struct {
	m  map[uint64]uint64
	bs []byte
	l  *sync.Mutex
}

func TestSizes(t *testing.T) {
	t.Logf("size pair %d", unsafe.Sizeof(pair{}))
	t.Logf("size bytes2 %d", unsafe.Sizeof(bytes2{}))
	t.Logf("size mixed %d", unsafe.Sizeof(mixed{}))
	t.Logf("size nested %d", unsafe.Sizeof(nested{}))
	t.Logf("size withSlice %d", unsafe.Sizeof(withSlice{}))
	t.Logf("size empty %d", unsafe.Sizeof(struct{}{}))
	t.Logf("size mutex %d", unsafe.Sizeof(sync.Mutex{}))
}
