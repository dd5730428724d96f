// Package order holds expressions whose value depends on an order of
// evaluation the Go spec leaves open: a read of memory (*p, a field through a
// pointer, s[i], m[k]) in one operand and a function call that writes it in
// another.  gc makes the call first; pv goose, whose core language evaluates
// left to right, refuses every function here except inc, setS, setM, setY,
// swapS, pair and relink (tests/soundness/test_c19_go_semantics.py).  OrderAppend shows
// that gc makes a call of the builtin append first too.
package order

type pt struct {
	x uint64
	y uint64
}

type holder struct {
	s []uint64
}

func inc(p *uint64) uint64 {
	*p = *p + 10
	return 1
}

func setS(s []uint64) uint64 {
	s[0] = 100
	return 1
}

func setM(m map[uint64]uint64) uint64 {
	m[0] = 100
	return 1
}

func setY(p *pt) uint64 {
	p.y = 7
	return 1
}

func swapS(h *holder) uint64 {
	h.s = make([]uint64, 1)
	return 5
}

func pair(a uint64, b uint64) uint64 {
	return a*1000 + b
}

func OrderCmp() bool {
	p := new(uint64)
	return *p < inc(p) // REFUSED
}

func OrderDeref() uint64 {
	p := new(uint64)
	return *p + inc(p) // REFUSED
}

func OrderSlice() uint64 {
	s := make([]uint64, 1)
	return s[0] + setS(s) // REFUSED
}

func OrderMap() uint64 {
	m := make(map[uint64]uint64)
	return m[0] + setM(m) // REFUSED
}

func OrderField() uint64 {
	p := &pt{}
	return p.y + setY(p) // REFUSED
}

func OrderReturn() (uint64, uint64) {
	p := new(uint64)
	return *p, inc(p) // REFUSED
}

func OrderLiteral() pt {
	p := new(uint64)
	return pt{x: *p, y: inc(p)} // REFUSED
}

func OrderArgs() uint64 {
	p := new(uint64)
	return pair(*p, inc(p)) // REFUSED
}

func OrderLaterCall() uint64 {
	p := new(uint64)
	return inc(p) + pair(*p, 0) // REFUSED
}

func OrderMultiAssign() uint64 {
	p := new(uint64)
	var a, b uint64
	a, b = *p, inc(p) // REFUSED
	return a*100 + b
}

func OrderIndexTarget() uint64 {
	h := &holder{s: make([]uint64, 1)}
	old := h.s
	h.s[0] = swapS(h) // REFUSED
	return old[0]*10 + h.s[0]
}

func OrderCompound() uint64 {
	p := new(uint64)
	*p += inc(p) // REFUSED
	return *p
}

func OrderIf() uint64 {
	p := new(uint64)
	if *p+inc(p) == 11 { // REFUSED
		return 1
	}
	return 0
}

func OrderAppend() uint64 {
	s := make([]uint64, 1, 4)
	return s[0] + uint64(len(append(s[:0], 9))) // REFUSED
}

type link struct {
	next *pt
}

func relink(l *link) uint64 {
	l.next = &pt{}
	return 4
}

func OrderPtrTarget() uint64 {
	l := &link{next: &pt{}}
	old := l.next
	l.next.x = relink(l) // REFUSED
	return old.x*10 + l.next.x
}
