package p

func f() {
	select {}
}
// want: 4:2: error: select is not supported
