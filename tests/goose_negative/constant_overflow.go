package p

func f() byte {
	var b byte = 256
	return b
}
// want: 4:15: error: constant 256 overflows byte
