package redeclare

import (
	"fmt"
	"testing"
)

// TestPrint prints each function's result for test_c19_go_semantics.py.
func TestPrint(t *testing.T) {
	fmt.Println("ByteWrap", ByteWrap())
	fmt.Println("LenCall", LenCall())
}
