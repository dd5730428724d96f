package p

func f(c chan uint64) {
}
// want: 3:10: error: channel is not supported
