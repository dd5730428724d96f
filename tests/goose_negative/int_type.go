package p

func f(n int) uint64 {
	return 0
}
// want: 3:10: error: type int is not supported (use uint64, byte, bool or string)
