package p

func f() string {
	return "caf\xc3"
}
// want: 4:9: error: a string literal whose bytes are not valid UTF-8 is not supported (pv's string literals are Unicode text)
