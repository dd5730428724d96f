// Package semantics is a corpus of small Go functions, each func testX() bool
// returning true, that pin down the Go semantics pv's translator (pv goose)
// and interpreter (pv run) must reproduce: semantics_test.go runs them with
// the Go toolchain, and tests/test_goose_semantics.py runs their translation
// (semantics_goose.pv) in pv's interpreter and checks that both agree.
//
// The package stays inside the gooseable subset (package subset checks it).
package semantics

import (
	"sync"
	"sync/atomic"

	"pv/proofs/prim/strconv"
)

type pt struct {
	x uint64
	y uint64
}

type entry struct {
	key  uint64
	name string
	p    *pt
}

// counter is guarded by a lock kept outside it: pv's model holds a struct
// behind a pointer in one cell, so reading a lock field c.mu while another
// goroutine writes c.n under that lock would be a data race in the model
// (docs/kernel.md, "Race freedom"), though not in Go.
type counter struct {
	n    uint64
	done uint64
}

// ---- control flow

func testBreak() bool {
	i := uint64(0)
	for {
		if i == 7 {
			break
		}
		i++
	}
	return i == 7
}

func testContinue() bool {
	sum := uint64(0)
	for i := uint64(0); i < 10; i++ {
		if i%2 == 0 {
			continue
		}
		sum += i
	}
	return sum == 1+3+5+7+9
}

func testForCond() bool {
	x := uint64(1)
	for x < 100 {
		x = x * 3
	}
	return x == 243
}

func testContinueRunsPost() bool {
	n := uint64(0)
	for i := uint64(0); i < 5; i++ {
		n++
		continue
	}
	return n == 5
}

func testNestedLoops() bool {
	sum := uint64(0)
	for i := uint64(1); i <= 3; i++ {
		for j := uint64(1); j <= 4; j++ {
			sum += i * j
		}
	}
	return sum == 6*10
}

func testNestedBreak() bool {
	count := uint64(0)
	for i := uint64(0); i < 3; i++ {
		for {
			count++
			if count%2 == 1 {
				break
			}
		}
	}
	return count == 5
}

func find(s []uint64, x uint64) (uint64, bool) {
	for i := uint64(0); i < uint64(len(s)); i++ {
		if s[i] == x {
			return i, true
		}
	}
	return 0, false
}

func testEarlyReturnInLoop() bool {
	s := []uint64{4, 8, 15, 16, 23, 42}
	i, ok := find(s, 16)
	_, ok2 := find(s, 5)
	return ok && i == 3 && !ok2
}

func firstPair(n uint64, target uint64) uint64 {
	for a := uint64(0); a < n; a++ {
		for b := uint64(0); b < n; b++ {
			if a*b == target {
				return a*100 + b
			}
		}
	}
	return 9999
}

func testEarlyReturnNestedLoop() bool {
	return firstPair(10, 12) == 206 && firstPair(3, 50) == 9999
}

func classify(x uint64) uint64 {
	r := uint64(0)
	for i := uint64(0); i < 3; i++ {
		if x > 10 {
			if x > 100 {
				return 3
			}
			r = 2
		} else {
			if x == 0 {
				break
			}
			r = 1
			continue
		}
		r = r + 10
	}
	return r
}

func testMixedJumps() bool {
	return classify(500) == 3 && classify(50) == 12 && classify(5) == 1 && classify(0) == 0
}

func sumUntil(s []uint64, limit uint64) uint64 {
	total := uint64(0)
	for _, x := range s {
		if total+x > limit {
			return total
		}
		total += x
	}
	return total + 1000
}

func testRangeReturn() bool {
	s := []uint64{1, 2, 3, 4}
	return sumUntil(s, 5) == 3 && sumUntil(s, 100) == 1010
}

func testIfElseChain() bool {
	grade := func2(85)
	return grade == 2 && func2(95) == 1 && func2(10) == 3
}

func func2(score uint64) uint64 {
	if score >= 90 {
		return 1
	} else if score >= 80 {
		return 2
	}
	return 3
}

func testShortCircuit() bool {
	s := make([]uint64, 0)
	ok := len(s) > 0 && s[0] == 1
	calls := new(uint64)
	b := false && bump(calls)
	c := true || bump(calls)
	d := true && bump(calls)
	return !ok && !b && c && d && *calls == 1
}

func bump(p *uint64) bool {
	*p = *p + 1
	return true
}

func testJoinContinue() bool {
	x, y := uint64(0), uint64(0)
	for i := uint64(0); i < 10; i++ {
		if i%2 == 0 {
			if i%4 == 0 {
				continue
			}
			x++
		}
		y++
	}
	return x == 2 && y == 7
}

func testRangeMapBreak() bool {
	m := make(map[uint64]uint64)
	for i := uint64(0); i < 5; i++ {
		m[i] = 1
	}
	n := uint64(0)
	for range m {
		n++
		if n == 3 {
			break
		}
	}
	return n == 3
}

func lookupSum(m map[uint64]uint64, limit uint64) uint64 {
	total := uint64(0)
	for k, v := range m {
		total += v
		if total > limit {
			return k
		}
	}
	return 1000
}

func testRangeMapReturn() bool {
	m := map[uint64]uint64{7: 100}
	return lookupSum(m, 50) == 7 && lookupSum(m, 500) == 1000
}

func loopInBranch(n uint64, early bool) uint64 {
	acc := uint64(0)
	if early {
		i := uint64(0)
		for {
			if i == n {
				return acc
			}
			acc += i
			i++
		}
	}
	acc = 1
	return acc
}

func testLoopInBranch() bool {
	return loopInBranch(4, true) == 6 && loopInBranch(4, false) == 1
}

// ---- assignment and variables

func testMultipleAssignment() bool {
	a, b := uint64(1), uint64(2)
	a, b = b, a
	return a == 2 && b == 1
}

func testMultipleAssignmentIndex() bool {
	s := []uint64{0, 0, 0}
	i := uint64(0)
	i, s[i] = 2, 7 // the index is evaluated before any assignment
	return i == 2 && s[0] == 7 && s[2] == 0
}

func testShadowing() bool {
	x := uint64(1)
	if x == 1 {
		x := uint64(2)
		x++
		if x != 3 {
			return false
		}
	}
	{
		x := x + 10
		if x != 11 {
			return false
		}
	}
	return x == 1
}

func testShadowingInLoop() bool {
	total := uint64(0)
	for i := uint64(0); i < 3; i++ {
		i := i * 10
		total += i
	}
	return total == 30
}

func divmod(a uint64, b uint64) (q uint64, r uint64) {
	q = a / b
	r = a % b
	return
}

func testNamedResults() bool {
	q, r := divmod(17, 5)
	return q == 3 && r == 2
}

func testRedeclaration() bool {
	a, b := divmod(7, 2)
	a, c := divmod(9, 4)
	return a == 2 && b == 1 && c == 1
}

// ---- integers

func testWrapAround() bool {
	var x uint64
	x--
	y := x + 1
	return x == 18446744073709551615 && y == 0
}

func testMulWrap() bool {
	x := uint64(9223372036854775808)
	return x*2 == 0 && x*3 == x
}

func testDivMod() bool {
	a := uint64(17)
	b := uint64(5)
	return a/b == 3 && a%b == 2 && (a-b*(a/b)) == a%b && uint64(0)/b == 0
}

func testByteWrap() bool {
	var b byte = 250
	b += 10
	c := byte(3)
	c -= 5
	return b == 4 && c == 254
}

func testByteConversion() bool {
	x := uint64(300)
	b := byte(x)
	return b == 44 && uint64(b)+1 == 45
}

// ---- slices

func testAppendNoSpareCapacity() bool {
	s := make([]uint64, 3)
	t := append(s, 4)
	t[0] = 9
	return s[0] == 0 && len(t) == 4 && len(s) == 3
}

func testAppendSpareCapacity() bool {
	s := make([]uint64, 3, 10)
	t := append(s, 4)
	t[0] = 9
	return s[0] == 9 && len(s) == 3 && len(t) == 4
}

func testAppendSharedSlot() bool {
	s := make([]uint64, 2, 5)
	a := append(s, 1)
	b := append(s, 2)
	return a[2] == 2 && b[2] == 2
}

func testSubSliceShares() bool {
	s := []uint64{1, 2, 3, 4}
	t := s[1:3]
	t[0] = 7
	return s[1] == 7 && len(t) == 2 && t[1] == 3
}

func testSubSliceAppendOverwrites() bool {
	s := []uint64{1, 2, 3, 4}
	t := s[:2]
	t = append(t, 9)
	return s[2] == 9 && len(t) == 3
}

func testSubSliceOfSubSlice() bool {
	s := []uint64{0, 1, 2, 3, 4, 5}
	t := s[2:]
	u := t[1:3]
	u[1] = 40
	return len(t) == 4 && s[4] == 40 && t[2] == 40 && u[0] == 3
}

func testAppendSliceCopies() bool {
	src := []uint64{1, 2}
	dst := append(make([]uint64, 0), src...)
	src[0] = 5
	return dst[0] == 1 && len(dst) == 2
}

func testAppendMany() bool {
	s := []uint64{1}
	s = append(s, 2, 3, 4)
	return len(s) == 4 && s[3] == 4
}

func testNilSlice() bool {
	var s []uint64
	if s != nil || len(s) != 0 {
		return false
	}
	s = append(s, 1)
	e := make([]uint64, 0)
	return s != nil && len(s) == 1 && e != nil
}

func testSliceOfSlices() bool {
	rows := make([][]uint64, 2)
	rows[0] = []uint64{1, 2}
	rows[1] = rows[0]
	rows[1][0] = 8
	return rows[0][0] == 8 && rows[1] != nil
}

func testRangeEvaluatedOnce() bool {
	s := []uint64{1, 2, 3}
	for _, x := range s {
		s = append(s, x)
	}
	return len(s) == 6 && s[5] == 3
}

func testRangeValueIsCopy() bool {
	s := []pt{{1, 2}, {3, 4}}
	for _, p := range s {
		p.x = 100
		if p.x != 100 {
			return false
		}
	}
	return s[0].x == 1 && s[1].x == 3
}

// ---- maps

func testMapIteration() bool {
	m := make(map[uint64]uint64)
	for i := uint64(1); i <= 10; i++ {
		m[i] = i * i
	}
	sumK, sumV := uint64(0), uint64(0)
	for k, v := range m {
		sumK += k
		sumV += v
	}
	return sumK == 55 && sumV == 385
}

func testMapDeleteDuringIteration() bool {
	m := make(map[uint64]bool)
	for i := uint64(0); i < 8; i++ {
		m[i] = true
	}
	visited := uint64(0)
	for k := range m {
		visited++
		for j := uint64(0); j < 8; j++ {
			if j != k {
				delete(m, j)
			}
		}
	}
	return visited == 1 && len(m) == 1
}

func testMapMissingKey() bool {
	m := make(map[uint64]uint64)
	m[1] = 10
	v, ok := m[2]
	w, ok2 := m[1]
	return m[5] == 0 && v == 0 && !ok && w == 10 && ok2
}

func testMapMissingStruct() bool {
	m := make(map[uint64]entry)
	e := m[3]
	return e.key == 0 && e.name == "" && e.p == nil
}

func testMapLenDelete() bool {
	m := map[uint64]string{1: "a", 2: "b", 3: "c"}
	delete(m, 2)
	delete(m, 7)
	_, ok := m[2]
	return len(m) == 2 && !ok && m[3] == "c"
}

func testMapOverwrite() bool {
	m := make(map[uint64]uint64)
	m[4] = 1
	m[4] = 2
	m[4] += 5
	return m[4] == 7 && len(m) == 1
}

func testMapSharedReference() bool {
	m := make(map[uint64]uint64)
	n := m
	n[1] = 11
	return m[1] == 11
}

func testMapOfPointers() bool {
	m := make(map[uint64]*pt)
	m[1] = &pt{x: 1, y: 1}
	p := m[1]
	p.y = 42
	return m[1].y == 42 && m[2] == nil
}

// ---- structs and pointers

func testStructValueCopy() bool {
	a := pt{x: 1, y: 2}
	b := a
	b.x = 5
	return a.x == 1 && b.x == 5 && b.y == 2
}

func testStructPointerShare() bool {
	p := &pt{x: 1, y: 2}
	q := p
	q.x = 5
	return p.x == 5 && p == q
}

func testStructInSlice() bool {
	s := []pt{{x: 1, y: 2}}
	s[0].y = 7
	s[0].x++
	return s[0].y == 7 && s[0].x == 2
}

func testPointerInSlice() bool {
	ps := []*pt{{x: 1}, &pt{x: 2}}
	ps[0].x = 3
	q := ps[0]
	return q.x == 3 && ps[1].y == 0
}

func testNestedStruct() bool {
	e := entry{key: 1, name: "one", p: &pt{x: 1, y: 2}}
	f := e
	f.name = "uno"
	f.p.x = 10
	return e.name == "one" && e.p.x == 10 && f.key == 1
}

func testStructEquality() bool {
	a := pt{1, 2}
	b := pt{1, 2}
	c := pt{2, 1}
	return a == b && a != c
}

func testNewPointer() bool {
	p := new(uint64)
	*p = 5
	q := p
	*q++
	r := new(pt)
	r.y = 3
	return *p == 6 && r.x == 0 && r.y == 3
}

func next(p *uint64) uint64 {
	*p = *p + 1
	return *p
}

func testLiteralEvaluationOrder() bool {
	c := new(uint64)
	v := pt{y: next(c), x: next(c)}
	return v.y == 1 && v.x == 2
}

// ---- strings

func testStringBytes() bool {
	s := "hello"
	bs := append(make([]byte, 0), s...)
	bs[0] = 'j'
	return string(bs) == "jello" && s == "hello" && len(bs) == 5
}

func testStringConcat() bool {
	a := "ab"
	b := a + "c"
	a += "x"
	return b == "abc" && a == "abx" && "abc" == "ab"+"c"
}

func testStringLen() bool {
	s := "héllo"
	return uint64(len(s)) == 6 && len("") == 0
}

func testAppendStringBytes() bool {
	bs := append(make([]byte, 0, 1), "ab"...)
	cs := append(bs, "cd"...)
	return string(bs) == "ab" && string(cs) == "abcd"
}

func testDecimalStrings() bool {
	x, ok := strconv.StringToUint64(strconv.Uint64ToString(18446744073709551615))
	y, ok2 := strconv.StringToUint64("007")
	z, ok3 := strconv.StringToUint64("18446744073709551616")
	_, ok4 := strconv.StringToUint64("-1")
	return x == 18446744073709551615 && ok && y == 7 && ok2 && z == 0 && !ok3 && !ok4 &&
		strconv.Uint64ToString(0) == "0" && strconv.Uint64ToString(42)+"x" == "42x"
}

// ---- goroutines and locks

func worker(mu *sync.Mutex, c *counter, n uint64) {
	for i := uint64(0); i < n; i++ {
		mu.Lock()
		c.n++
		mu.Unlock()
	}
	mu.Lock()
	c.done++
	mu.Unlock()
}

func wait(mu *sync.Mutex, c *counter, workers uint64) {
	for {
		mu.Lock()
		if c.done == workers {
			mu.Unlock()
			return
		}
		mu.Unlock()
	}
}

func testGoroutinesMutex() bool {
	mu := new(sync.Mutex)
	c := &counter{}
	go worker(mu, c, 20)
	go worker(mu, c, 30)
	go worker(mu, c, 50)
	wait(mu, c, 3)
	return c.n == 100
}

func record(mu *sync.Mutex, out *uint64, v uint64, done *uint64) {
	mu.Lock()
	*out = v
	*done = 1
	mu.Unlock()
}

func testGoArgumentsEvaluatedFirst() bool {
	mu := new(sync.Mutex)
	out := new(uint64)
	done := new(uint64)
	x := uint64(1)
	go record(mu, out, x, done)
	x = 2
	for {
		mu.Lock()
		if *done == 1 {
			mu.Unlock()
			break
		}
		mu.Unlock()
	}
	return *out == 1 && x == 2
}

// ---- sync/atomic

func testAtomics() bool {
	p := new(uint64)
	atomic.StoreUint64(p, 5)
	ok := atomic.CompareAndSwapUint64(p, 5, 6)
	bad := atomic.CompareAndSwapUint64(p, 5, 7)
	return ok && !bad && atomic.LoadUint64(p) == 6 && *p == 6
}

func spinAdd(flag *uint64, c *uint64, n uint64, done *uint64) {
	for i := uint64(0); i < n; i++ {
		for !atomic.CompareAndSwapUint64(flag, 0, 1) {
		}
		*c = *c + 1
		atomic.StoreUint64(flag, 0)
	}
	for !atomic.CompareAndSwapUint64(flag, 0, 1) {
	}
	*done = *done + 1
	atomic.StoreUint64(flag, 0)
}

// A spin lock made of atomics guards plain accesses: no data race.
func testAtomicSpinLock() bool {
	flag := new(uint64)
	c := new(uint64)
	done := new(uint64)
	go spinAdd(flag, c, 10, done)
	go spinAdd(flag, c, 15, done)
	for {
		for !atomic.CompareAndSwapUint64(flag, 0, 1) {
		}
		if *done == 2 {
			atomic.StoreUint64(flag, 0)
			break
		}
		atomic.StoreUint64(flag, 0)
	}
	return *c == 25
}
