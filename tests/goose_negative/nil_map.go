package p

func f() uint64 {
	var m map[uint64]uint64
	return m[1]
}
// want: 4:6: error: a nil map (the zero value of map[uint64]uint64) is not supported (make maps with make)
