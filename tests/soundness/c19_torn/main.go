// Command torn appends a short header and then one large buffer to a new file
// through the filesys primitive, printing "appending" between the two, so that
// tests/soundness/test_c19_torn_append.py can kill it (a process crash, the
// primitive's crash model) while the large Append is in flight and compare
// what the file holds with the model: the header, then some prefix of the
// buffer (theories/filesys.py, fs_append_prefix).
//
// Usage: torn ROOT N. Byte j of the buffer is Pattern(j), so that the test can
// check the bytes and not only the length.
package main

import (
	"fmt"
	"os"
	"strconv"

	"pv/proofs/prim/filesys"
)

// Header is appended (completely) before the large buffer.
const Header = "head:"

// Pattern is byte j of the large buffer: its period, 251, is prime, so that a
// file made of the wrong pages (or the right ones in the wrong order) shows.
func Pattern(j int) byte {
	return byte(j % 251)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: torn ROOT N")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 0 {
		fmt.Fprintln(os.Stderr, "torn: bad N")
		os.Exit(2)
	}
	filesys.Init(os.Args[1], []string{"d"})
	data := make([]byte, n)
	for j := range data {
		data[j] = Pattern(j)
	}
	fd, ok := filesys.Create("d", "f")
	if !ok {
		fmt.Fprintln(os.Stderr, "torn: d/f exists")
		os.Exit(1)
	}
	filesys.Append(fd, []byte(Header))
	fmt.Println("appending")
	filesys.Append(fd, data)
	fmt.Println("done")
}
