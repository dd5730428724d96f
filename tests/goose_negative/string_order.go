package p

func f(a string, b string) bool {
	return a < b
}
// want: 4:9: error: ordering comparison of strings is not supported
