package p

func f() {
	m := make(map[string]uint64)
	m["a"] = 1
}
// want: 4:12: error: maps with keys of type string are not supported (only uint64)
