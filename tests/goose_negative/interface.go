package p

type Shape interface {
	Area() uint64
}
// want: 3:12: error: interface is not supported
