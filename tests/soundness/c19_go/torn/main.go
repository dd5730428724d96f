// Command torn appends one large buffer to a new file through the filesys
// primitive, printing "appending" first and "done" after, so that
// tests/soundness/test_c19_go_semantics.py can kill it (a process crash, the
// primitive's crash model) while the Append is in flight and look at what
// the file holds: the model makes Append one atomic step, so all of the
// bytes or none.
package main

import (
	"fmt"
	"os"
	"strconv"

	"pv/proofs/prim/filesys"
)

func main() {
	filesys.Init(os.Args[1], []string{"d"})
	n, err := strconv.Atoi(os.Args[2])
	if err != nil {
		panic(err)
	}
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
