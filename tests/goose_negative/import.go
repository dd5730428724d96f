package p

import "fmt"

func f() {
	fmt.Println("hi")
}
// want: 3:8: error: import "fmt" is not supported (only "sync", "sync/atomic" and the primitive packages .../prim/disk, twodisk, filesys, rand, strconv)
