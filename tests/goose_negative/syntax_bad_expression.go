package p

func f() uint64 {
	x := 1 +
	return x
}
// want: 5:2: error: syntax error: unexpected return
