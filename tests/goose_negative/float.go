package p

func f() uint64 {
	x := 1.5
	return uint64(x)
}
// want: 4:7: error: floating-point number is not supported
