// Package redeclare declares some of Go's predeclared identifiers at package
// level, which Go allows: byte is then this package's 64-bit type (ByteWrap
// returns 256), where pv goose, which knows byte as Go's, translated byte
// arithmetic modulo 256 (the model returned 0).  pv goose now refuses such
// declarations (tests/soundness/test_c19_go_semantics.py).
package redeclare

type byte uint64

func len(s string) uint64 {
	return 1
}

func ByteWrap() uint64 {
	var b byte = 255
	b++
	return uint64(b)
}

func LenCall() uint64 {
	return len("abc")
}
