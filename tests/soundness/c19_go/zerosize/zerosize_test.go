package zerosize

import (
	"fmt"
	"testing"
)

// TestPrint prints each function's result for test_c19_go_semantics.py.
func TestPrint(t *testing.T) {
	fmt.Println("ZeroReturned", ZeroReturned())
	fmt.Println("ZeroShared", ZeroShared())
	fmt.Println("ZeroNested", ZeroNested())
}
