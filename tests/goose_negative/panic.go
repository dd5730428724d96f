package p

func f() {
	panic("no")
}
// want: 4:2: error: the builtin panic is not supported
