package p

func f(s string) byte {
	return s[0]
}
// want: 4:9: error: indexing a string is not supported
