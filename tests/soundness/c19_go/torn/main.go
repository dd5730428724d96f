// Command torn writes through a primitive until tests/soundness/
// test_c19_go_semantics.py kills it (a process crash, the primitives' crash
// model), which then looks at what the files hold.
//
//	torn append ROOT N   appends one buffer of N bytes to a new file ROOT/d/f
//	                     with filesys (printing "appending" first); the model
//	                     makes Append one atomic step, so all the bytes or none
//	torn blocks FILE N   writes block after block of an N-block disk in FILE,
//	                     each filled with one byte value (printing "writing"
//	                     after the first round); the model makes a block write
//	                     atomic, so every block is filled with one value
package main

import (
	"fmt"
	"os"
	"strconv"

	"pv/proofs/prim/disk"
	"pv/proofs/prim/filesys"
)

func main() {
	n, err := strconv.Atoi(os.Args[3])
	if err != nil {
		panic(err)
	}
	if os.Args[1] == "blocks" {
		blocks(os.Args[2], uint64(n))
		return
	}
	filesys.Init(os.Args[2], []string{"d"})
	data := make([]byte, n)
	for i := range data {
		data[i] = 1
	}
	fd, ok := filesys.Create("d", "f")
	if !ok {
		panic("d/f exists")
	}
	fmt.Println("appending")
	filesys.Append(fd, data)
	fmt.Println("done")
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
