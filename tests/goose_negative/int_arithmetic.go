package p

func f(s []byte) bool {
	return len(s)-1 > 0
}
// want: 4:9: error: arithmetic on int is not supported (convert with uint64(...))
