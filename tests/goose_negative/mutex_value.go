package p

import "sync"

func f() {
	var mu sync.Mutex
	mu.Lock()
}
// want: 6:6: error: a sync.Mutex value is not supported (use *sync.Mutex and new(sync.Mutex))
