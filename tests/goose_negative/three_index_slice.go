package p

func f(s []byte) []byte {
	return s[0:1:2]
}
// want: 4:9: error: three-index slice is not supported
