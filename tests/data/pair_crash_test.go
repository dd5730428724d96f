package pair

import (
	"testing"

	"pv/proofs/testing/pairtest"
)

// The atomic pair's crash behaviour, for the write-ahead log, the shadow copy and their buggy
// variants: tests/test_wal.py and tests/test_shadow.py copy this file next to each, with the
// package clause set to its package (pairtest.AfterCrashes says what is checked).
func TestPairAfterCrashes(t *testing.T) {
	pairtest.AfterCrashes(t, Init, Write, Read, Recover)
}
