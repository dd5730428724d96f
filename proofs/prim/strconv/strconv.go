// Package strconv is the trusted number-formatting primitive.
package strconv

import gostrconv "strconv"

// Uint64ToString returns the decimal representation of x (no sign, no
// leading zeros; "0" for 0). Distinct numbers give distinct strings.
func Uint64ToString(x uint64) string {
	return gostrconv.FormatUint(x, 10)
}

// StringToUint64 parses s as a decimal uint64: one or more ASCII digits (leading
// zeros allowed, no sign, no spaces, no underscores) denoting a number below
// 2^64. It returns (x, true) then, and (0, false) otherwise; in particular
// StringToUint64(Uint64ToString(x)) == (x, true).
func StringToUint64(s string) (uint64, bool) {
	x, err := gostrconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return x, true
}
