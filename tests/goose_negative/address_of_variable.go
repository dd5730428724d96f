package p

func f() *uint64 {
	x := uint64(1)
	return &x
}
// want: 5:9: error: taking the address of a variable is not supported (& is only supported on a composite literal: &T{...})
