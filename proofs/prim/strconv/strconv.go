// Package strconv is the trusted number-formatting primitive.
package strconv

import gostrconv "strconv"

// Uint64ToString returns the decimal representation of x (no sign, no
// leading zeros; "0" for 0). Distinct numbers give distinct strings.
func Uint64ToString(x uint64) string {
	return gostrconv.FormatUint(x, 10)
}
