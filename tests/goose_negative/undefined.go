package p

func f() uint64 {
	return y
}
// want: 4:9: error: undefined: y
