package p

func Id[T any](x T) T {
	return x
}
// want: 3:8: error: type parameter is not supported
