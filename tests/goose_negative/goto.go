package p

func f() {
	goto end
end:
}
// want: 4:2: error: goto is not supported
