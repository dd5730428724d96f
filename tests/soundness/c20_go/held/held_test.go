package held

import (
	"fmt"
	"testing"
)

// TestPrint prints each function's result for test_c20_attacks.py.
func TestPrint(t *testing.T) {
	fmt.Println("MultiIdx", MultiIdx())
	fmt.Println("SwapPtr", SwapPtr())
	fmt.Println("SwapSlice", SwapSlice())
	fmt.Println("RangeAppend", RangeAppend())
	fmt.Println("RangeWrite", RangeWrite())
	fmt.Println("RangePtrField", RangePtrField())
	fmt.Println("SelfAssignIdx", SelfAssignIdx())
	fmt.Println("PtrMulti", PtrMulti())
	fmt.Println("MethodVal", MethodVal())
	fmt.Println("MethodValDeref", MethodValDeref())
	fmt.Println("ValRecv", ValRecv())
	fmt.Println("IncIdx", IncIdx())
	fmt.Println("AddAssignIdx", AddAssignIdx())
	fmt.Println("AddAssignPtr", AddAssignPtr())
	fmt.Println("StrLen", StrLen())
	fmt.Println("AppendTarget", AppendTarget())
	fmt.Println("PtrTargetSwap", PtrTargetSwap())
	fmt.Println("PtrTargetOld", PtrTargetOld())
	fmt.Println("IdxTargetCall", IdxTargetCall())
	fmt.Println("LoopVarAfter", LoopVarAfter())
}
