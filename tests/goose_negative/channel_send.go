package p

func f() {
	var c chan uint64
	c <- 1
}
// want: 4:8: error: channel is not supported
