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

// Concurrent callers get values without a race (run with -race), and the
// per-processor generators do not repeat each other's sequences.
func TestConcurrent(t *testing.T) {
	const goroutines, each = 4, 2000
	results := make(chan uint64, goroutines*each)
	done := make(chan struct{})
	for g := 0; g < goroutines; g++ {
		go func() {
			for i := 0; i < each; i++ {
				results <- Uint64()
			}
			done <- struct{}{}
		}()
	}
	for g := 0; g < goroutines; g++ {
		<-done
	}
	close(results)
	seen := map[uint64]bool{}
	for x := range results {
		if seen[x] {
			t.Fatalf("%d drawn twice", x)
		}
		seen[x] = true
	}
}
