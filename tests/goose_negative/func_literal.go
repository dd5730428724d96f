package p

func f() uint64 {
	g := func() uint64 { return 1 }
	return g()
}
// want: 4:7: error: function literal is not supported
