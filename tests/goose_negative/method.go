package p

type T struct{ x uint64 }

func (t *T) Get() uint64 {
	return t.x
}
// want: 5:1: error: method is not supported
