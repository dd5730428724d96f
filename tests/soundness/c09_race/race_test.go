package race

import "testing"

// Each test runs one function many times (to give the race detector
// interleavings to see); the Python test runs them one by one with -race
// and checks which report a DATA RACE.
func repeat(t *testing.T, f func() bool) {
	for i := 0; i < 200; i++ {
		if !f() {
			t.Logf("returned false (a torn or racy read)")
		}
	}
}

func TestRaceStruct(t *testing.T)      { repeat(t, func() bool { return RaceStruct(100) }) }
func TestLockedStruct(t *testing.T)    { repeat(t, func() bool { return LockedStruct(100) }) }
func TestRaceSliceElem(t *testing.T)   { repeat(t, RaceSliceElem) }
func TestLockedSliceElem(t *testing.T) { repeat(t, LockedSliceElem) }
func TestRaceAppend(t *testing.T)      { repeat(t, RaceAppend) }
func TestLockedAppend(t *testing.T)    { repeat(t, LockedAppend) }
func TestRaceMixed(t *testing.T)       { repeat(t, RaceMixed) }
func TestAtomicFlag(t *testing.T)      { repeat(t, AtomicFlag) }
func TestRaceMap(t *testing.T)         { repeat(t, RaceMap) }
