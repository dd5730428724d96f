package strconv

import "testing"

func TestUint64ToString(t *testing.T) {
	for x, want := range map[uint64]string{0: "0", 7: "7", 1234567890: "1234567890", ^uint64(0): "18446744073709551615"} {
		if got := Uint64ToString(x); got != want {
			t.Fatalf("%d: %q", x, got)
		}
	}
}

func TestStringToUint64(t *testing.T) {
	good := map[string]uint64{"0": 0, "7": 7, "007": 7, "18446744073709551615": ^uint64(0)}
	for s, want := range good {
		if got, ok := StringToUint64(s); !ok || got != want {
			t.Fatalf("%q: %d %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "-1", "+1", " 1", "1 ", "1_000", "0x10", "18446744073709551616", "١"} {
		if got, ok := StringToUint64(s); ok || got != 0 {
			t.Fatalf("%q: %d %v", s, got, ok)
		}
	}
	for _, x := range []uint64{0, 1, 42, 1 << 63, ^uint64(0)} {
		if got, ok := StringToUint64(Uint64ToString(x)); !ok || got != x {
			t.Fatalf("round trip %d: %d %v", x, got, ok)
		}
	}
}
