package strconv

import "testing"

func TestUint64ToString(t *testing.T) {
	for x, want := range map[uint64]string{0: "0", 7: "7", 1234567890: "1234567890", ^uint64(0): "18446744073709551615"} {
		if got := Uint64ToString(x); got != want {
			t.Fatalf("%d: %q", x, got)
		}
	}
}
