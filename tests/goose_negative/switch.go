package p

func f(x uint64) uint64 {
	switch x {
	case 1:
		return 2
	}
	return 0
}
// want: 4:2: error: switch is not supported
