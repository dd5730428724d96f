// Package agree holds edge cases of the gooseable subset, each a function of no
// arguments: the Go toolchain runs them (agree_test.go prints each result, or
// "panic"), pv's interpreter runs their translation, and
// tests/soundness/test_c19_go_semantics.py checks that both agree (a Go panic
// must be a stuck pv program).
package agree

import "pv/proofs/prim/strconv"

type pt struct {
	x uint64
	y uint64
}

type box struct {
	in pt
	s  []uint64
}

const maxU64 = 18446744073709551615

// ---- integers

func WrapAdd() uint64 {
	x := uint64(maxU64)
	return x + 2
}

func WrapSub() uint64 {
	x := uint64(3)
	return x - 5
}

func WrapMul() uint64 {
	x := uint64(4294967297)
	return x * x
}

func NegU64() uint64 {
	x := uint64(5)
	return -x
}

func NegByte() uint64 {
	b := byte(5)
	return uint64(-b)
}

func ByteMul() uint64 {
	b := byte(200)
	return uint64(b * b)
}

func ByteDiv() uint64 {
	b := byte(200)
	c := byte(3)
	return uint64(b/c) + uint64(b%c)*1000
}

func ByteTrunc() uint64 {
	x := uint64(1099511627783)
	return uint64(byte(x))
}

func ByteInc() uint64 {
	b := byte(255)
	b++
	c := byte(0)
	c--
	return uint64(b)*1000 + uint64(c)
}

func ByteCompound() uint64 {
	b := byte(100)
	b *= 3
	b -= 50
	return uint64(b)
}

func DivMax() uint64 {
	x := uint64(maxU64)
	return x/3 + x%7
}

func DivZero() uint64 {
	y := uint64(0)
	return 5 / y
}

func ModZero() uint64 {
	y := uint64(0)
	return 5 % y
}

func ByteDivZero() uint64 {
	b := byte(7)
	c := byte(0)
	return uint64(b / c)
}

func DivZeroAssign() uint64 {
	x := uint64(9)
	y := uint64(0)
	x /= y
	return x
}

// ---- slices

func IndexOut() uint64 {
	s := make([]uint64, 2)
	return s[2]
}

func IndexWithinCap() uint64 {
	s := make([]uint64, 2, 5)
	return s[3]
}

func SetOut() uint64 {
	s := make([]uint64, 2, 5)
	i := uint64(2)
	s[i] = 1
	return 0
}

func SliceBeyondLen() uint64 {
	s := make([]uint64, 2, 5)
	t := s[1:4]
	return uint64(len(t))*10 + uint64(cap(t))
}

func SliceBeyondCap() uint64 {
	s := make([]uint64, 2, 5)
	hi := uint64(6)
	t := s[1:hi]
	return uint64(len(t))
}

func SliceLoAboveHi() uint64 {
	s := make([]uint64, 4)
	lo := uint64(3)
	hi := uint64(2)
	t := s[lo:hi]
	return uint64(len(t))
}

func SliceFromAboveLen() uint64 {
	s := make([]uint64, 2, 5)
	lo := uint64(3)
	t := s[lo:]
	return uint64(len(t))
}

func NilSliceSub() bool {
	var s []uint64
	t := s[0:0]
	return t == nil && len(t) == 0
}

func NilSliceSubOut() uint64 {
	var s []uint64
	hi := uint64(1)
	t := s[0:hi]
	return uint64(len(t))
}

func NilIndex() uint64 {
	var s []uint64
	return s[0]
}

func AppendShared() uint64 {
	s := make([]uint64, 1, 3)
	a := append(s, 1)
	b := append(s, 2)
	return a[1]*10 + b[1]
}

func AppendIntoSub() uint64 {
	s := []uint64{1, 2, 3, 4}
	t := s[:1]
	t = append(t, 9, 8)
	return s[1]*10 + s[2] + uint64(len(t))*100
}

func AppendOverlap() uint64 {
	s := []uint64{1, 2, 3, 4}
	t := append(s[:1], s[2:]...)
	return s[0]*1000 + s[1]*100 + s[2]*10 + s[3] + uint64(len(t))*10000
}

func AppendSelf() uint64 {
	s := make([]uint64, 2, 4)
	s[0] = 1
	s[1] = 2
	s = append(s, s...)
	return s[0]*1000 + s[1]*100 + s[2]*10 + s[3]
}

func AppendNilNil() bool {
	var a []uint64
	b := append(a, a...)
	return b == nil
}

func AppendEmptyToNil() bool {
	var a []uint64
	b := append(a, make([]uint64, 0)...)
	return b == nil
}

func AppendStringBytes() string {
	b := append([]byte("ab"), "cd"...)
	return string(b)
}

func CapAfterSub() uint64 {
	s := make([]uint64, 3, 10)
	t := s[2:]
	u := t[:0]
	return uint64(cap(t))*100 + uint64(cap(u))*10 + uint64(len(u))
}

func AppendGrownIsFresh() uint64 {
	s := make([]uint64, 2)
	t := append(s, 3)
	t[0] = 7
	s[1] = 5
	return s[0]*100 + t[0]*10 + t[1]
}

func RangeEvaluatedOnce() uint64 {
	s := []uint64{1, 2, 3}
	n := uint64(0)
	for _, x := range s {
		s = append(s, x)
		n++
	}
	return n*10 + uint64(len(s))
}

func RangeReadsLate() uint64 {
	s := []uint64{1, 2, 3}
	for i, x := range s {
		s[2] = 10
		if i == 2 {
			return x
		}
	}
	return 0
}

func RangeIndexOnly() uint64 {
	s := []uint64{5, 6, 7}
	sum := uint64(0)
	for i := range s {
		sum += uint64(i) * s[i]
	}
	return sum
}

func SliceOfStructs() uint64 {
	s := make([]pt, 3)
	s[1].x = 7
	v := s[1]
	v.y = 9
	return s[1].x*100 + s[1].y*10 + v.y
}

// ---- strings

func StringCopiesBytes() string {
	b := []byte("abc")
	s := string(b)
	b[0] = 120
	return s + string(b)
}

func BytesFresh() string {
	s := "abc"
	b := []byte(s)
	c := []byte(s)
	b[0] = 120
	return string(c)
}

func StringInvalidBytes() bool {
	b := []byte{255, 254}
	s := string(b)
	t := string([]byte{255, 254})
	return len(s) == 2 && s == t && s != "ab"
}

func StringSplitRune() bool {
	a := string([]byte{195})
	b := string([]byte{169})
	return a+b == "é" && len(a+b) == 2
}

func StringEmptyBytes() bool {
	var b []byte
	return string(b) == "" && len([]byte("")) == 0
}

// ---- maps

func MapMissing() uint64 {
	m := make(map[uint64]uint64)
	m[1] = 5
	v, ok := m[2]
	if ok {
		return 99
	}
	return v + m[1]
}

func MapDeleteMissing() uint64 {
	m := map[uint64]uint64{1: 1}
	delete(m, 9)
	delete(m, 1)
	delete(m, 1)
	return uint64(len(m))
}

func MapRangeSum() uint64 {
	m := map[uint64]uint64{1: 10, 2: 20, 3: 30, 4: 40}
	sum := uint64(0)
	for k, v := range m {
		sum += k*1000 + v
	}
	return sum
}

func MapRangeDeleteOthers() uint64 {
	m := map[uint64]uint64{1: 1, 2: 2, 3: 3, 4: 4, 5: 5}
	n := uint64(0)
	for k := range m {
		for j := uint64(1); j <= 5; j++ {
			if j != k {
				delete(m, j)
			}
		}
		n++
	}
	return n*10 + uint64(len(m))
}

func MapSliceAlias() uint64 {
	s := make([]uint64, 2)
	m := make(map[uint64][]uint64)
	m[1] = s
	m[1][0] = 5
	return s[0]
}

func MapStructCopy() uint64 {
	m := make(map[uint64]pt)
	m[1] = pt{x: 1, y: 2}
	v := m[1]
	v.x = 9
	return m[1].x*10 + v.x
}

func MapNilSliceValue() bool {
	m := make(map[uint64][]uint64)
	return m[3] == nil && len(m[3]) == 0
}

// ---- structs and pointers

func FieldSwapPtr() uint64 {
	p := &pt{x: 1, y: 2}
	p.x, p.y = p.y, p.x
	return p.x*10 + p.y
}

func ElemSwap() uint64 {
	s := []uint64{1, 2}
	s[0], s[1] = s[1], s[0]
	return s[0]*10 + s[1]
}

func NestedField() uint64 {
	p := &box{}
	p.in.x = 5
	b := *p
	p.in.y = 6
	return p.in.x*100 + p.in.y*10 + b.in.y
}

func StructEqual() bool {
	a := pt{x: 1, y: 2}
	b := pt{x: 1}
	b.y = 2
	return a == b && a != pt{x: 2, y: 1}
}

func PointerEqual() bool {
	p := &pt{x: 1}
	q := &pt{x: 1}
	r := p
	return p != q && p == r && *p == *q
}

func NilDeref() uint64 {
	var p *pt
	return p.x
}

func NilStore() uint64 {
	var p *uint64
	*p = 1
	return 0
}

func NilFieldStore() uint64 {
	var p *box
	p.in.x = 1
	return 0
}

func StructSliceField() uint64 {
	b := box{s: make([]uint64, 2)}
	c := b
	c.s[0] = 4
	c.s = append(c.s, 1)
	c.s[1] = 5
	return b.s[0]*100 + b.s[1]*10 + uint64(len(b.s))
}

// ---- control flow and results

func two() (uint64, uint64) {
	return 1, 2
}

func named() (a uint64, b uint64) {
	a = 1
	b = a + 1
	if b == 2 {
		return
	}
	return 7, 7
}

func MultiResult() uint64 {
	a, b := two()
	a, b = b, a
	c, d := named()
	return a*1000 + b*100 + c*10 + d
}

func AssignIndexFirst() uint64 {
	s := make([]uint64, 2)
	i := uint64(0)
	i, s[i] = 1, 7
	return s[0]*10 + s[1] + i*100
}

func NestedBreakContinue() uint64 {
	n := uint64(0)
	for i := uint64(0); i < 5; i++ {
		if i == 1 {
			continue
		}
		for j := uint64(0); ; j++ {
			if j == i {
				break
			}
			n += 10
		}
		if i == 3 {
			break
		}
		n++
	}
	return n
}

func ReturnFromRange() uint64 {
	s := []uint64{3, 5, 7}
	for i, x := range s {
		for j := uint64(0); j < 10; j++ {
			if x == 5 && j == 2 {
				return uint64(i)*100 + j
			}
		}
	}
	return 0
}

func ForPostAfterContinue() uint64 {
	n := uint64(0)
	for i := uint64(0); i < 10; i += 3 {
		if i == 3 {
			continue
		}
		n += i
	}
	return n
}

func LoopWrap() uint64 {
	n := uint64(0)
	for i := uint64(maxU64 - 2); i != 2; i++ {
		n++
	}
	return n
}

func RangeAssignIndex() uint64 {
	s := []uint64{1, 2, 3, 4, 5, 6}
	n := uint64(0)
	for i := range s {
		n++
		i = 4
		n += uint64(i) * 100
	}
	return n
}

func RangeAssignValue() uint64 {
	s := []uint64{1, 2, 3, 4, 5, 6}
	n := uint64(0)
	for i, x := range s {
		n += x
		i = 3
		x = 100
		n += uint64(i)*1000 + x
	}
	return n + s[1]
}

func RangeMapAssign() uint64 {
	m := map[uint64]uint64{1: 1, 2: 2, 3: 3}
	n := uint64(0)
	for k, v := range m {
		k += 10
		v += 100
		n += k + v
	}
	return n + m[1]
}

func ForAssignCounter() uint64 {
	n := uint64(0)
	for i := uint64(0); i < 6; i++ {
		n++
		i += 2
	}
	return n
}

func SliceOfSlices() uint64 {
	s := []uint64{1, 2, 3}
	ss := make([][]uint64, 2)
	ss[0] = s
	ss[1] = s[1:]
	ss[0][1] = 5
	ss[1] = append(ss[1], 9)
	return ss[1][0]*100 + uint64(len(ss[1]))*10 + uint64(len(s))
}

func SliceLiteralKeyed() uint64 {
	s := []uint64{2: 5, 7}
	return uint64(len(s))*100 + s[2]*10 + s[3] + s[0]
}

// ---- strconv

func parse(s string) uint64 {
	x, ok := strconv.StringToUint64(s)
	if !ok {
		return 1000
	}
	return x
}

func ParseEdge() uint64 {
	return parse("007") + parse("")*2 + parse("+1")*3 + parse("-0")*4 + parse("1_0")*5 +
		parse(" 1")*6 + parse("٣")*7 + parse("0x1")*8
}

func ParseMax() bool {
	x, ok := strconv.StringToUint64("18446744073709551615")
	_, ok2 := strconv.StringToUint64("18446744073709551616")
	return ok && !ok2 && x == 18446744073709551615
}

func FormatParse() bool {
	x := uint64(9223372036854775808)
	y, ok := strconv.StringToUint64(strconv.Uint64ToString(x))
	return ok && y == x && strconv.Uint64ToString(0) == "0"
}

// ---- literals and constants

func IntLiterals() uint64 {
	return 017 + 0x1F*2 + 0x1f*3 + 0o17*5 + 0o17*7 + 0b101*11 + 0b11*13 + 1_000*17 + 0x_1F*19 +
		0_7*23
}

func RuneLiterals() uint64 {
	return 'a' + '\n' + '\\' + '\'' + '\x7f' + '\177' + '\u0041'
}

func ConstExact() uint64 {
	const c = 18446744073709551615 * 2 / 4
	const d = (3 - 10) / 2 * -1
	const e = -7 % 3 * -1
	return c + d*10 + e*100
}
