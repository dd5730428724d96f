// Package maprange adds entries to a map while ranging over it.  The Go spec
// says such an entry "may be produced during the iteration or may be skipped";
// pv's model walks a snapshot of the keys and never produces it, so pv goose
// refuses these loops (tests/soundness/test_c20_attacks.py).
package maprange

func ins(m map[uint64]uint64, k uint64) {
	if k < 5 {
		m[k+10] = 1
	}
}

// Visits counts the iterations over a map of one entry whose first iteration adds a second.
func Visits() uint64 {
	m := make(map[uint64]uint64)
	m[1] = 1
	n := uint64(0)
	for k := range m {
		if k < 5 {
			m[k+10] = 1
		}
		n++
	}
	return n
}

// ViaCall adds the entry in a called function.
func ViaCall() uint64 {
	m := make(map[uint64]uint64)
	m[1] = 1
	n := uint64(0)
	for k := range m {
		ins(m, k)
		n++
	}
	return n
}

// ViaInc adds it with ++.
func ViaInc() uint64 {
	m := make(map[uint64]uint64)
	m[1] = 1
	n := uint64(0)
	for k := range m {
		if k < 5 {
			m[k+10]++
		}
		n++
	}
	return n
}
