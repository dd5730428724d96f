package group_commit

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"pv/proofs/prim/disk"
)

const logical = 16 // logical disk size in the tests

func setup() *Log {
	disk.Init(dataStart + logical)
	return Init()
}

func block(x byte) disk.Block {
	return bytes.Repeat([]byte{x}, int(disk.BlockSize))
}

// onDisk returns byte 0 of every data block as stored on disk.
func onDisk() []byte {
	s := make([]byte, logical)
	for a := uint64(0); a < logical; a++ {
		s[a] = disk.Read(dataStart + a)[0]
	}
	return s
}

// logicalView returns byte 0 of every logical block as seen by Read.
func logicalView(lg *Log) []byte {
	s := make([]byte, logical)
	for a := uint64(0); a < logical; a++ {
		s[a] = Read(lg, a)[0]
	}
	return s
}

func TestEncoding(t *testing.T) {
	b := make([]byte, 16)
	for _, x := range []uint64{0, 1, 255, 256, 1 << 40, ^uint64(0)} {
		putUint64(b, 3, x)
		if got := getUint64(b, 3); got != x {
			t.Fatalf("round trip %d: %d", x, got)
		}
	}
}

func TestSize(t *testing.T) {
	setup()
	if Size() != logical {
		t.Fatalf("Size() = %d", Size())
	}
}

func TestReadThroughBuffer(t *testing.T) {
	lg := setup()
	Write(lg, 3, block(7))
	if Read(lg, 3)[0] != 7 {
		t.Fatal("buffered write not visible")
	}
	if onDisk()[3] != 0 {
		t.Fatal("uncommitted write reached the disk")
	}
	Commit(lg)
	if onDisk()[3] != 7 || Read(lg, 3)[0] != 7 {
		t.Fatal("committed write not on disk")
	}
	if disk.Read(hdrAddr)[0] != 0 {
		t.Fatal("header not cleared")
	}
	Commit(lg) // empty commit: no disk writes
}

func TestBuffersDoNotAlias(t *testing.T) {
	lg := setup()
	v := block(1)
	Write(lg, 0, v)
	v[0] = 9
	r := Read(lg, 0)
	r[0] = 9
	if Read(lg, 0)[0] != 1 {
		t.Fatal("buffer aliases caller memory")
	}
}

func TestCrashLosesUncommitted(t *testing.T) {
	lg := setup()
	Write(lg, 1, block(1))
	Write(lg, 2, block(2))
	Commit(lg)
	Write(lg, 2, block(3))
	Write(lg, 4, block(4))
	lg = Recover() // crash now: the buffer is gone
	if got, want := logicalView(lg)[:5], []byte{0, 1, 2, 0, 0}; !bytes.Equal(got, want) {
		t.Fatalf("after crash %v, want %v", got, want)
	}
}

func TestAbsorptionAndOverflow(t *testing.T) {
	lg := setup()
	for i := 0; i < 5; i++ {
		Write(lg, 0, block(byte(i+1)))
	}
	if len(lg.buf) != 1 {
		t.Fatalf("absorption: %d buffered entries", len(lg.buf))
	}
	for a := uint64(1); a < LogSize; a++ {
		Write(lg, a, block(byte(10+a)))
	}
	if onDisk()[0] != 0 || uint64(len(lg.buf)) != LogSize {
		t.Fatal("committed before the buffer overflowed")
	}
	Write(lg, LogSize, block(99)) // overflow: commits the first LogSize
	if len(lg.buf) != 1 {
		t.Fatalf("after overflow %d buffered entries", len(lg.buf))
	}
	lg = Recover()
	want := make([]byte, logical)
	want[0] = 5
	for a := uint64(1); a < LogSize; a++ {
		want[a] = byte(10 + a)
	}
	if got := logicalView(lg); !bytes.Equal(got, want) {
		t.Fatalf("after crash %v, want %v", got, want)
	}
}

// TestCrashPrefix runs a fixed sequence of Writes and Commits, crashes it
// after every possible number of disk writes (and its recovery at every
// point), and checks that the state after recovery is the state at a commit
// boundary, never going back as the crash point moves later.
func TestCrashPrefix(t *testing.T) {
	type op struct {
		commit bool
		a      uint64
		x      byte
	}
	var ops []op
	for i := 0; i < 3*int(LogSize); i++ {
		ops = append(ops, op{a: uint64(i*5) % logical, x: byte(i + 1)})
		if i%5 == 4 {
			ops = append(ops, op{commit: true})
		}
	}
	ops = append(ops, op{commit: true})
	run := func(lg *Log) {
		for _, o := range ops {
			if o.commit {
				Commit(lg)
			} else {
				Write(lg, o.a, block(o.x))
			}
		}
	}
	// The states at commit boundaries, in order, found by running without
	// crashes and looking at the disk after each commit's header clear.
	var boundaries []string
	lg := setup()
	state := make([]byte, logical)
	boundaries = append(boundaries, fmt.Sprint(state))
	var pending []op
	for _, o := range ops {
		if !o.commit {
			inBuf := false
			for _, p := range pending {
				if p.a == o.a {
					inBuf = true
				}
			}
			if !inBuf && uint64(len(pending)) == LogSize {
				for _, p := range pending {
					state[p.a] = p.x
				}
				pending = nil
				boundaries = append(boundaries, fmt.Sprint(state))
			}
			for i := range pending {
				if pending[i].a == o.a {
					pending[i].x = o.x
				}
			}
			if !inBuf {
				pending = append(pending, o)
			}
		} else if len(pending) > 0 {
			for _, p := range pending {
				state[p.a] = p.x
			}
			pending = nil
			boundaries = append(boundaries, fmt.Sprint(state))
		}
	}
	run(lg)
	if got := fmt.Sprint(onDisk()); got != boundaries[len(boundaries)-1] {
		t.Fatalf("final state %s, want %s", got, boundaries[len(boundaries)-1])
	}

	last := 0
	for n := uint64(0); ; n++ {
		crashed := false
		for m := uint64(0); ; m++ {
			lg := setup()
			disk.CrashAfter(n)
			run(lg)
			crashed = disk.Crashed()
			disk.Reboot()
			disk.CrashAfter(m)
			Recover()
			recCrashed := disk.Crashed()
			disk.Reboot()
			lg = Recover()
			got := fmt.Sprint(logicalView(lg))
			idx := -1
			for i, b := range boundaries {
				if b == got {
					idx = i
				}
			}
			if idx < 0 {
				t.Fatalf("crash after %d/%d: state %s is no commit boundary", n, m, got)
			}
			if idx < last {
				t.Fatalf("crash after %d/%d: went back from boundary %d to %d", n, m, last, idx)
			}
			if !crashed && idx != len(boundaries)-1 {
				t.Fatalf("no crash, yet state is boundary %d", idx)
			}
			if !recCrashed {
				last = idx
				break
			}
		}
		if !crashed {
			break
		}
	}
	if last != len(boundaries)-1 {
		t.Fatal("never reached the final state")
	}
}

func TestConcurrent(t *testing.T) {
	lg := setup()
	var wg sync.WaitGroup
	const writers = 4
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				a := uint64(w*(logical/writers) + i%(logical/writers))
				Write(lg, a, block(byte(w+1)))
				if got := Read(lg, a); got[0] != byte(w+1) {
					t.Errorf("read own write at %d: %d", a, got[0])
					return
				}
				if i%7 == 0 {
					Commit(lg)
				}
			}
		}(w)
	}
	wg.Wait()
	Commit(lg)
	lg = Recover()
	for a := uint64(0); a < logical; a++ {
		if want := byte(a/(logical/writers) + 1); Read(lg, a)[0] != want {
			t.Fatalf("after commit and crash, block %d = %d, want %d", a, Read(lg, a)[0], want)
		}
	}
}

// TestCrashConcurrent crashes concurrent writers and committers at many
// points and checks that every recovered block is one some writer wrote.
func TestCrashConcurrent(t *testing.T) {
	for n := uint64(0); n < 60; n += 3 {
		lg := setup()
		disk.CrashAfter(n)
		var wg sync.WaitGroup
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < 12; i++ {
					Write(lg, uint64(i)%logical, block(byte(w+1)))
					if i%4 == 3 {
						Commit(lg)
					}
				}
			}(w)
		}
		wg.Wait()
		disk.Reboot()
		lg = Recover()
		for a := uint64(0); a < logical; a++ {
			v := Read(lg, a)
			if v[0] > 3 || !bytes.Equal(v, block(v[0])) {
				t.Fatalf("crash after %d: bad block %d", n, a)
			}
		}
	}
}
