// Package zerosize allocates zero-size values: the Go spec lets pointers to
// distinct zero-size variables be equal, and gc makes them equal when they
// live in the heap (runtime.zerobase).  pv goose refuses every allocation
// here (tests/soundness/test_c19_go_semantics.py).
package zerosize

type empty struct{}

type holder struct {
	e empty
}

func mk() *empty {
	return &empty{}
}

// ZeroReturned: two results of mk escape to the heap; gc returns true.
func ZeroReturned() bool {
	s := make([]*empty, 2)
	s[0] = mk()
	s[1] = mk()
	return s[0] == s[1]
}

func keep(p *empty, q *empty) bool {
	return p == q
}

// ZeroShared: p and q escape through the go statement; gc returns true.
func ZeroShared() bool {
	p := new(empty)
	q := new(empty)
	go keep(p, q)
	return p == q
}

func ZeroNested() bool {
	p := []*holder{{}, {}}
	return p[0] == p[1]
}
