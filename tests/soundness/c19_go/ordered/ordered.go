// Package ordered holds expressions mixing reads of memory and calls whose
// order the Go spec does fix (or that do not depend on it): pv goose accepts
// them, and pv's interpreter computes what the Go toolchain computes
// (tests/soundness/test_c19_go_semantics.py).
package ordered

func inc(p *uint64) uint64 {
	*p = *p + 10
	return 1
}

func id(x uint64) uint64 {
	return x
}

func newp(v uint64) *uint64 {
	p := new(uint64)
	*p = v
	return p
}

// Bound to a variable first: the fix the translator's message suggests.
func Bound() uint64 {
	p := new(uint64)
	r := inc(p)
	return *p + r
}

// The read is an argument of a call made before the other call.
func ArgBefore() uint64 {
	p := new(uint64)
	return id(*p) + inc(p)
}

// The read is of what a call made after the other one returned.
func ReadAfter() uint64 {
	p := new(uint64)
	return inc(p) + *newp(id(3))
}

// && evaluates its right operand after its left one.
func ShortCircuit() bool {
	p := new(uint64)
	return *p == 0 && inc(p) == 1 && *p == 10
}

// A read inside the call's arguments, and an index computed by a call.
func Nested() uint64 {
	s := make([]uint64, 3)
	s[1] = 4
	return inc(newp(s[1])) + s[id(1)]
}

// Locals cannot be written by a call (Go's &x is not in the subset).
func Local() uint64 {
	x := uint64(5)
	x = x + inc(new(uint64))
	return x
}

type pt struct {
	x uint64
	y uint64
}

type nest struct {
	in pt
	n  uint64
}

func bumpIn(q *nest) uint64 {
	q.in.y = 7
	q.n = 3
	return 1
}

func setElemY(s []pt) uint64 {
	s[0].y = 8
	return 2
}

// Assigning a field of a struct held by value finds the place without reading it: the
// assignment comes after the call, and keeps what the call wrote to the other fields.
func FieldOfField() uint64 {
	q := &nest{}
	q.in.x = bumpIn(q)
	return q.in.x*100 + q.in.y*10 + q.n
}

func FieldOfElem() uint64 {
	s := make([]pt, 1)
	s[0].x = setElemY(s)
	return s[0].x*10 + s[0].y
}
