package p

func g() uint64 { return 1 }

func f() uint64 {
	h := g
	return h()
}
// want: 6:7: error: function value is not supported
