// Package blank has structs with blank (_) fields, which Go's == skips: BlankEq
// returns true.  pv goose translated a struct as the tuple of all its fields,
// whose == compares the blank ones too (the model returned false); it now
// refuses blank fields (tests/soundness/test_c19_go_semantics.py).
package blank

type s struct {
	_ uint64
	x uint64
}

func BlankEq() bool {
	a := s{1, 2}
	b := s{3, 2}
	return a == b
}
