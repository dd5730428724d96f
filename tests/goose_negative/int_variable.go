package p

func f() uint64 {
	n := 5
	return uint64(n)
}
// want: 4:2: error: variables of type int are not supported (use uint64: n := uint64(...))
