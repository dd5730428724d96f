// Package shadow declares Go's predeclared true, false and nil as variables:
// a use of the name is then the variable (ShadowParam returns false), which
// pv goose, whose parser reads the words as literals, translated as the
// literal (the model returned true).  pv goose now refuses such uses
// (tests/soundness/test_c19_go_semantics.py).
package shadow

func isTrue(true bool) bool {
	return true
}

func ShadowParam() bool {
	return isTrue(false)
}

func ShadowVar() bool {
	var false = true
	return false
}

func ShadowNil() bool {
	var p *uint64
	var nil = new(uint64)
	return p != nil
}
