package p

func f(x uint64) uint64 {
	return x << 2
}
// want: 4:9: error: the bitwise operator << is not supported
