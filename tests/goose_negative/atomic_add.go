package p

import "sync/atomic"

func f(p *uint64) uint64 {
	return atomic.AddUint64(p, 1)
}
// want: 6:9: error: sync/atomic's AddUint64 is not supported (only LoadUint64, StoreUint64 and CompareAndSwapUint64, on a *uint64)
