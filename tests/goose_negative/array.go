package p

func f() uint64 {
	var a [4]uint64
	return a[0]
}
// want: 4:8: error: array is not supported
