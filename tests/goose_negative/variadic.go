package p

func sum(xs ...uint64) uint64 {
	return 0
}
// want: 3:10: error: variadic function is not supported
