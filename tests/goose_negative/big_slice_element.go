package p

type nine struct {
	a, b, c, d, e, f, g, h, i uint64
}

func f() uint64 {
	s := make([]nine, 1)
	return uint64(len(s))
}
// want: 8:7: error: a slice of nine (72 bytes an element) is not supported (at most 64: pv bounds slices by their elements, Go by their bytes; use a slice of pointers)
