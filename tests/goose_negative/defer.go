package p

import "sync"

func f(mu *sync.Mutex) {
	mu.Lock()
	defer mu.Unlock()
}
// want: 7:2: error: defer is not supported
