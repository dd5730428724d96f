package p

var counter uint64
// want: 3:1: error: package-level variable is not supported
