// Command blocks writes block after block of an N-block disk in the file FILE
// (blocks FILE N), each block filled with one byte value, printing "writing"
// after the first round, until tests/soundness/test_c19_go_semantics.py kills
// it (a process crash, the disk primitive's crash model) and looks at what
// the file holds: the model makes a block write atomic, so every block is
// filled with one value.  (A killed filesys.Append: test_c19_torn_append.py.)
package main

import (
	"fmt"
	"os"
	"strconv"

	"pv/proofs/prim/disk"
)

func main() {
	n, err := strconv.Atoi(os.Args[2])
	if err != nil {
		panic(err)
	}
	blocks(os.Args[1], uint64(n))
}

func blocks(path string, n uint64) {
	disk.InitFile(path, n)
	b := make([]byte, disk.BlockSize)
	for v := 1; ; v++ {
		for i := range b {
			b[i] = byte(v)
		}
		for a := uint64(0); a < n; a++ {
			disk.Write(a, b)
		}
		if v == 1 {
			fmt.Println("writing")
		}
	}
}
