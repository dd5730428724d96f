package ordered

import (
	"fmt"
	"testing"
)

// TestPrint prints each function's result for test_c19_go_semantics.py.
func TestPrint(t *testing.T) {
	fmt.Println("Bound", Bound())
	fmt.Println("ArgBefore", ArgBefore())
	fmt.Println("ReadAfter", ReadAfter())
	fmt.Println("ShortCircuit", ShortCircuit())
	fmt.Println("Nested", Nested())
	fmt.Println("Local", Local())
	fmt.Println("FieldOfField", FieldOfField())
	fmt.Println("FieldOfElem", FieldOfElem())
}
