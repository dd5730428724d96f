package order

import (
	"fmt"
	"testing"
)

// TestPrint prints each function's result for test_c19_go_semantics.py.
func TestPrint(t *testing.T) {
	fmt.Println("OrderCmp", OrderCmp())
	fmt.Println("OrderDeref", OrderDeref())
	fmt.Println("OrderSlice", OrderSlice())
	fmt.Println("OrderMap", OrderMap())
	fmt.Println("OrderField", OrderField())
	a, b := OrderReturn()
	fmt.Println("OrderReturn", a, b)
	l := OrderLiteral()
	fmt.Println("OrderLiteral", l.x, l.y)
	fmt.Println("OrderArgs", OrderArgs())
	fmt.Println("OrderLaterCall", OrderLaterCall())
	fmt.Println("OrderMultiAssign", OrderMultiAssign())
	fmt.Println("OrderIndexTarget", OrderIndexTarget())
	fmt.Println("OrderCompound", OrderCompound())
	fmt.Println("OrderIf", OrderIf())
	fmt.Println("OrderAppend", OrderAppend())
	fmt.Println("OrderPtrTarget", OrderPtrTarget())
}
