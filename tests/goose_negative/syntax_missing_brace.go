// want: 7:1: error: syntax error: missing '}'
package p

// (the expected message is on the first line: a comment after the function would move the error)
func f() uint64 {
	return 1
