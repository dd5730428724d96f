package p

func f(s string) {
	for range s {
	}
}
// want: 4:12: error: range over a string is not supported
