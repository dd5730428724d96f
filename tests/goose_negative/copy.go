package p

func f(a []byte, b []byte) {
	copy(a, b)
}
// want: 4:2: error: the builtin copy is not supported
