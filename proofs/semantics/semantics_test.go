package semantics

import "testing"

// tests lists every func testX of the package (tests/test_goose_semantics.py
// checks that none is missing).
var tests = []struct {
	name string
	f    func() bool
}{
	{"testBreak", testBreak},
	{"testContinue", testContinue},
	{"testForCond", testForCond},
	{"testContinueRunsPost", testContinueRunsPost},
	{"testNestedLoops", testNestedLoops},
	{"testNestedBreak", testNestedBreak},
	{"testEarlyReturnInLoop", testEarlyReturnInLoop},
	{"testEarlyReturnNestedLoop", testEarlyReturnNestedLoop},
	{"testMixedJumps", testMixedJumps},
	{"testRangeReturn", testRangeReturn},
	{"testIfElseChain", testIfElseChain},
	{"testShortCircuit", testShortCircuit},
	{"testJoinContinue", testJoinContinue},
	{"testRangeMapBreak", testRangeMapBreak},
	{"testRangeMapReturn", testRangeMapReturn},
	{"testLoopInBranch", testLoopInBranch},
	{"testMultipleAssignment", testMultipleAssignment},
	{"testMultipleAssignmentIndex", testMultipleAssignmentIndex},
	{"testShadowing", testShadowing},
	{"testShadowingInLoop", testShadowingInLoop},
	{"testNamedResults", testNamedResults},
	{"testRedeclaration", testRedeclaration},
	{"testWrapAround", testWrapAround},
	{"testMulWrap", testMulWrap},
	{"testDivMod", testDivMod},
	{"testByteWrap", testByteWrap},
	{"testByteConversion", testByteConversion},
	{"testAppendNoSpareCapacity", testAppendNoSpareCapacity},
	{"testAppendSpareCapacity", testAppendSpareCapacity},
	{"testAppendSharedSlot", testAppendSharedSlot},
	{"testSubSliceShares", testSubSliceShares},
	{"testSubSliceAppendOverwrites", testSubSliceAppendOverwrites},
	{"testSubSliceOfSubSlice", testSubSliceOfSubSlice},
	{"testAppendSliceCopies", testAppendSliceCopies},
	{"testAppendMany", testAppendMany},
	{"testNilSlice", testNilSlice},
	{"testSliceOfSlices", testSliceOfSlices},
	{"testRangeEvaluatedOnce", testRangeEvaluatedOnce},
	{"testRangeValueIsCopy", testRangeValueIsCopy},
	{"testMapIteration", testMapIteration},
	{"testMapDeleteDuringIteration", testMapDeleteDuringIteration},
	{"testMapMissingKey", testMapMissingKey},
	{"testMapMissingStruct", testMapMissingStruct},
	{"testMapLenDelete", testMapLenDelete},
	{"testMapOverwrite", testMapOverwrite},
	{"testMapSharedReference", testMapSharedReference},
	{"testMapOfPointers", testMapOfPointers},
	{"testStructValueCopy", testStructValueCopy},
	{"testStructPointerShare", testStructPointerShare},
	{"testStructInSlice", testStructInSlice},
	{"testPointerInSlice", testPointerInSlice},
	{"testNestedStruct", testNestedStruct},
	{"testStructEquality", testStructEquality},
	{"testNewPointer", testNewPointer},
	{"testLiteralEvaluationOrder", testLiteralEvaluationOrder},
	{"testStringBytes", testStringBytes},
	{"testStringConcat", testStringConcat},
	{"testStringLen", testStringLen},
	{"testAppendStringBytes", testAppendStringBytes},
	{"testDecimalStrings", testDecimalStrings},
	{"testGoroutinesMutex", testGoroutinesMutex},
	{"testGoArgumentsEvaluatedFirst", testGoArgumentsEvaluatedFirst},
	{"testAtomics", testAtomics},
	{"testAtomicSpinLock", testAtomicSpinLock},
}

// TestSemantics runs every function of the corpus; each must return true.
// tests/test_goose_semantics.py reads the verbose output (one subtest per
// function) and compares it with pv's interpreter.
func TestSemantics(t *testing.T) {
	for _, tc := range tests {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			if !tc.f() {
				t.Errorf("%s() returned false", tc.name)
			}
		})
	}
}
