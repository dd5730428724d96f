// Package held holds the accepted programs of the attack on goose's order of
// evaluation (tests/soundness/test_c20_attacks.py): multiple assignments through
// pointers and indices, ranges over slices changed in the body, compound
// assignments with calls in the place, calls made before a read.  pv's
// interpreter computes what the Go toolchain computes.
package held

type h struct {
	s []uint64
	n uint64
	t string
}

func MultiIdx() uint64 {
	a := make([]uint64, 3)
	i := uint64(0)
	a[i], i = 1, 2
	return a[0]*100 + a[2]*10 + i
}

func SwapPtr() uint64 {
	p := new(uint64)
	q := new(uint64)
	*p = 1
	*q = 2
	*p, *q = *q, *p
	return *p*10 + *q
}

func SwapSlice() uint64 {
	a := make([]uint64, 2)
	a[0] = 1
	a[1] = 2
	a[0], a[1] = a[1], a[0]
	return a[0]*10 + a[1]
}

func RangeAppend() uint64 {
	s := make([]uint64, 2)
	n := uint64(0)
	for _, x := range s {
		s = append(s, x)
		n = n + 1
	}
	return n*10 + uint64(len(s))
}

func RangeWrite() uint64 {
	s := make([]uint64, 3)
	var t uint64
	for i, x := range s {
		if i == 0 {
			s[1] = 5
			s[2] = 7
		}
		t = t + x
	}
	return t
}

func RangePtrField() uint64 {
	q := &h{s: make([]uint64, 3)}
	var t uint64
	for i, x := range q.s {
		if i == 0 {
			q.s[1] = 5
			q.s = make([]uint64, 1)
		}
		t = t + x
	}
	return t
}

func SelfAssignIdx() uint64 {
	a := make([]uint64, 3)
	i := uint64(1)
	i, a[i] = 2, 9
	return a[1]*10 + a[2]
}

func PtrMulti() uint64 {
	q := &h{n: 1}
	r := &h{n: 2}
	q, q.n = r, 7
	return q.n*10 + r.n
}

func bump(x *h) uint64 {
	x.n = x.n + 10
	return 1
}

func val(x h) uint64 {
	return x.n
}

func MethodVal() uint64 {
	p := &h{n: 1}
	return val(*p) + bump(p)
}

func MethodValDeref() uint64 {
	p := &h{n: 1}
	return val(*p) + bump(p)
}

func ValRecv() uint64 {
	p := &h{n: 1}
	v := *p
	return val(v) + bump(p)
}

func fr(p *uint64) uint64 {
	*p = *p + 1
	return 0
}

func IncIdx() uint64 {
	s := make([]uint64, 3)
	c := new(uint64)
	s[fr(c)]++
	return *c*10 + s[0]
}

func AddAssignIdx() uint64 {
	s := make([]uint64, 3)
	c := new(uint64)
	s[fr(c)] += 5
	return *c*10 + s[0]
}

func AddAssignPtr() uint64 {
	c := new(uint64)
	p := &h{n: 1}
	ptr(c, p).n += 5
	return *c*10 + p.n
}

func ptr(c *uint64, p *h) *h {
	*c = *c + 1
	return p
}

func StrLen() uint64 {
	s := "é"
	return uint64(len(s))
}

func AppendTarget() uint64 {
	s := make([]uint64, 1, 4)
	s[0], s = 5, append(s[:0], 7)
	return s[0]
}

func PtrTargetSwap() uint64 {
	p := &h{n: 1}
	q := &h{n: 2}
	p.n, p = fu(p), q
	return p.n*1000 + q.n
}

func PtrTargetOld() uint64 {
	p := &h{n: 1}
	q := &h{n: 2}
	r := p
	p, p.n = q, 9
	return r.n*10 + q.n
}

func IdxTargetCall() uint64 {
	s := make([]uint64, 3)
	i := uint64(0)
	s[i], i = uint64(len(s)), i+1
	return s[0]*10 + i
}

func LoopVarAfter() uint64 {
	var i uint64
	for i = 0; i < 3; i++ {
	}
	return i
}

func fu(p *h) uint64 {
	p.n = p.n + 100
	return 7
}
