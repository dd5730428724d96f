package p

func f() {
outer:
	for {
		break outer
	}
}
// want: 4:1: error: label is not supported
