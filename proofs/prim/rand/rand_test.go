package rand

import "testing"

func TestEnqueue(t *testing.T) {
	Enqueue(3, 1, 4)
	for _, want := range []uint64{3, 1, 4} {
		if got := Uint64(); got != want {
			t.Fatalf("got %d, want %d", got, want)
		}
	}
	if Uint64() == Uint64() && Uint64() == Uint64() {
		t.Fatal("not random")
	}
}
