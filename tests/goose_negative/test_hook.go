package p

import "pv/proofs/prim/disk"

func f() {
	disk.Init(10)
}
// want: 6:2: error: disk.Init is not supported (a test hook of the primitive package, not part of its model)
