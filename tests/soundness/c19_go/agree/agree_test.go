package agree

import (
	"fmt"
	"testing"
)

// cases lists every exported function of agree.go (test_c19_go_semantics.py
// checks that none is missing).
var cases = []struct {
	name string
	f    func() interface{}
}{
	{"WrapAdd", func() interface{} { return WrapAdd() }},
	{"WrapSub", func() interface{} { return WrapSub() }},
	{"WrapMul", func() interface{} { return WrapMul() }},
	{"NegU64", func() interface{} { return NegU64() }},
	{"NegByte", func() interface{} { return NegByte() }},
	{"ByteMul", func() interface{} { return ByteMul() }},
	{"ByteDiv", func() interface{} { return ByteDiv() }},
	{"ByteTrunc", func() interface{} { return ByteTrunc() }},
	{"ByteInc", func() interface{} { return ByteInc() }},
	{"ByteCompound", func() interface{} { return ByteCompound() }},
	{"DivMax", func() interface{} { return DivMax() }},
	{"DivZero", func() interface{} { return DivZero() }},
	{"ModZero", func() interface{} { return ModZero() }},
	{"ByteDivZero", func() interface{} { return ByteDivZero() }},
	{"DivZeroAssign", func() interface{} { return DivZeroAssign() }},
	{"IndexOut", func() interface{} { return IndexOut() }},
	{"IndexWithinCap", func() interface{} { return IndexWithinCap() }},
	{"SetOut", func() interface{} { return SetOut() }},
	{"SliceBeyondLen", func() interface{} { return SliceBeyondLen() }},
	{"SliceBeyondCap", func() interface{} { return SliceBeyondCap() }},
	{"SliceLoAboveHi", func() interface{} { return SliceLoAboveHi() }},
	{"SliceFromAboveLen", func() interface{} { return SliceFromAboveLen() }},
	{"NilSliceSub", func() interface{} { return NilSliceSub() }},
	{"NilSliceSubOut", func() interface{} { return NilSliceSubOut() }},
	{"NilIndex", func() interface{} { return NilIndex() }},
	{"AppendShared", func() interface{} { return AppendShared() }},
	{"AppendIntoSub", func() interface{} { return AppendIntoSub() }},
	{"AppendOverlap", func() interface{} { return AppendOverlap() }},
	{"AppendSelf", func() interface{} { return AppendSelf() }},
	{"AppendNilNil", func() interface{} { return AppendNilNil() }},
	{"AppendEmptyToNil", func() interface{} { return AppendEmptyToNil() }},
	{"AppendStringBytes", func() interface{} { return AppendStringBytes() }},
	{"CapAfterSub", func() interface{} { return CapAfterSub() }},
	{"AppendGrownIsFresh", func() interface{} { return AppendGrownIsFresh() }},
	{"RangeEvaluatedOnce", func() interface{} { return RangeEvaluatedOnce() }},
	{"RangeReadsLate", func() interface{} { return RangeReadsLate() }},
	{"RangeIndexOnly", func() interface{} { return RangeIndexOnly() }},
	{"SliceOfStructs", func() interface{} { return SliceOfStructs() }},
	{"StringCopiesBytes", func() interface{} { return StringCopiesBytes() }},
	{"BytesFresh", func() interface{} { return BytesFresh() }},
	{"StringInvalidBytes", func() interface{} { return StringInvalidBytes() }},
	{"StringSplitRune", func() interface{} { return StringSplitRune() }},
	{"StringEmptyBytes", func() interface{} { return StringEmptyBytes() }},
	{"MapMissing", func() interface{} { return MapMissing() }},
	{"MapDeleteMissing", func() interface{} { return MapDeleteMissing() }},
	{"MapRangeSum", func() interface{} { return MapRangeSum() }},
	{"MapRangeDeleteOthers", func() interface{} { return MapRangeDeleteOthers() }},
	{"MapSliceAlias", func() interface{} { return MapSliceAlias() }},
	{"MapStructCopy", func() interface{} { return MapStructCopy() }},
	{"MapNilSliceValue", func() interface{} { return MapNilSliceValue() }},
	{"FieldSwapPtr", func() interface{} { return FieldSwapPtr() }},
	{"ElemSwap", func() interface{} { return ElemSwap() }},
	{"NestedField", func() interface{} { return NestedField() }},
	{"StructEqual", func() interface{} { return StructEqual() }},
	{"PointerEqual", func() interface{} { return PointerEqual() }},
	{"NilDeref", func() interface{} { return NilDeref() }},
	{"NilStore", func() interface{} { return NilStore() }},
	{"NilFieldStore", func() interface{} { return NilFieldStore() }},
	{"StructSliceField", func() interface{} { return StructSliceField() }},
	{"MultiResult", func() interface{} { return MultiResult() }},
	{"AssignIndexFirst", func() interface{} { return AssignIndexFirst() }},
	{"NestedBreakContinue", func() interface{} { return NestedBreakContinue() }},
	{"ReturnFromRange", func() interface{} { return ReturnFromRange() }},
	{"ForPostAfterContinue", func() interface{} { return ForPostAfterContinue() }},
	{"LoopWrap", func() interface{} { return LoopWrap() }},
	{"RangeAssignIndex", func() interface{} { return RangeAssignIndex() }},
	{"RangeAssignValue", func() interface{} { return RangeAssignValue() }},
	{"RangeMapAssign", func() interface{} { return RangeMapAssign() }},
	{"ForAssignCounter", func() interface{} { return ForAssignCounter() }},
	{"SliceOfSlices", func() interface{} { return SliceOfSlices() }},
	{"SliceLiteralKeyed", func() interface{} { return SliceLiteralKeyed() }},
	{"ParseEdge", func() interface{} { return ParseEdge() }},
	{"ParseMax", func() interface{} { return ParseMax() }},
	{"FormatParse", func() interface{} { return FormatParse() }},
	{"IntLiterals", func() interface{} { return IntLiterals() }},
	{"RuneLiterals", func() interface{} { return RuneLiterals() }},
	{"ConstExact", func() interface{} { return ConstExact() }},
}

func result(f func() interface{}) (out string) {
	defer func() {
		if recover() != nil {
			out = "panic"
		}
	}()
	return fmt.Sprint(f())
}

// TestPrint prints each function's result, or "panic".
func TestPrint(t *testing.T) {
	for _, c := range cases {
		fmt.Println(c.name, result(c.f))
	}
}
