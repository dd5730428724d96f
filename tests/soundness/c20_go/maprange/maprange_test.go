package maprange

import (
	"fmt"
	"sort"
	"testing"
)

// TestPrint prints, for each function, the results 200 runs of it gave (sorted, distinct).
func TestPrint(t *testing.T) {
	for _, f := range []struct {
		name string
		fn   func() uint64
	}{{"Visits", Visits}, {"ViaCall", ViaCall}, {"ViaInc", ViaInc}} {
		seen := map[uint64]bool{}
		for i := 0; i < 200; i++ {
			seen[f.fn()] = true
		}
		var rs []int
		for r := range seen {
			rs = append(rs, int(r))
		}
		sort.Ints(rs)
		fmt.Println(f.name, rs)
	}
}
