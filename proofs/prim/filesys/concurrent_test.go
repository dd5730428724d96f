package filesys

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// The atomicity the model promises, under real concurrency (run with -race).

// TestListIsSnapshot links names 0, 1, 2, ... into a directory in order and
// deletes each once `window` later ones are in, so at every moment the
// directory holds exactly {i-window..i} or {i-window+1..i} for some i.
// Listers running meanwhile must only ever see one of those sets; a listing
// read in several batches while entries come and go would not be one. The
// window is large enough that a listing takes several getdents calls.
func TestListIsSnapshot(t *testing.T) {
	const window, total = 1500, 6000
	// several slots per directory (slots.go), so List must take all of them
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	Init(tmpfsDir(t), []string{"src", "a", "b"})
	fd, _ := Create("src", "f")
	Close(fd)
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan string, 4)
	for _, dir := range []string{"a", "b"} {
		wg.Add(1)
		go func(dir string) { // the writer
			defer wg.Done()
			for i := 0; i < total; i++ {
				if !Link("src", "f", dir, strconv.Itoa(i)) {
					errs <- "link failed"
					return
				}
				if i >= window {
					Delete(dir, strconv.Itoa(i-window))
				}
			}
		}(dir)
	}
	var listers sync.WaitGroup
	listings := make([]int, 2)
	for l, dir := range []string{"a", "b"} {
		listers.Add(1)
		go func(l int, dir string) {
			defer listers.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if msg := checkWindow(List(dir), window); msg != "" {
					errs <- fmt.Sprintf("List(%s): %s", dir, msg)
					return
				}
				listings[l]++
			}
		}(l, dir)
	}
	wg.Wait()
	close(done)
	listers.Wait()
	close(errs)
	for msg := range errs {
		t.Fatal(msg)
	}
	if listings[0] == 0 || listings[1] == 0 {
		t.Fatal("no listing ran")
	}
}

// checkWindow says why names is not {max(0,hi-w)..hi} or {max(0,hi-w+1)..hi}.
func checkWindow(names []string, w int) string {
	if len(names) == 0 {
		return ""
	}
	seen := make(map[int]bool, len(names))
	lo, hi := -1, -1
	for _, s := range names {
		i, err := strconv.Atoi(s)
		if err != nil || seen[i] {
			return fmt.Sprintf("bad or repeated name %q", s)
		}
		seen[i] = true
		if lo < 0 || i < lo {
			lo = i
		}
		if i > hi {
			hi = i
		}
	}
	if hi-lo+1 != len(names) {
		return fmt.Sprintf("%d names between %d and %d: not one moment", len(names), lo, hi)
	}
	if want := hi - w; lo != want && lo != want+1 && !(want < 0 && lo == 0) {
		return fmt.Sprintf("names %d..%d never were the directory at once", lo, hi)
	}
	return ""
}

// TestAppendReadAtomic appends blocks of one repeated byte while readers
// read on from the end they last saw: every read must end at a block
// boundary with every block uniform (no Append half seen). On tmpfs, which
// copies a write page by page, an unlocked read does see half of one; ext4
// with large folios hides it more often.
func TestAppendReadAtomic(t *testing.T) {
	const block, blocks = 1 << 20, 60
	for round := 0; round < 3; round++ {
		appendRead(t, block, blocks)
	}
}

func appendRead(t *testing.T, block, blocks int) {
	Init(tmpfsDir(t), []string{"d"})
	w, _ := Create("d", "f")
	var wg, opened sync.WaitGroup
	errs := make(chan string, 2)
	fill := func(b int) []byte { return bytes.Repeat([]byte{byte('a' + b%26)}, block) }
	for r := 0; r < 2; r++ {
		wg.Add(1)
		opened.Add(1)
		go func() {
			defer wg.Done()
			rd := Open("d", "f")
			defer Close(rd)
			opened.Done()
			have := 0 // blocks checked
			for have < blocks {
				data := ReadAt(rd, uint64(have*block), uint64(4*block))
				if len(data)%block != 0 {
					errs <- fmt.Sprintf("read %d bytes: half an Append", len(data))
					return
				}
				for ; len(data) > 0; data = data[block:] {
					if !bytes.Equal(data[:block], fill(have)) {
						errs <- fmt.Sprintf("block %d torn", have)
						return
					}
					have++
				}
			}
		}()
	}
	opened.Wait()
	for b := 0; b < blocks; b++ {
		Append(w, fill(b))
	}
	Close(w)
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Fatal(msg)
	}
}

// TestCloseWhileReading: a Close racing with ReadAt on the same fd either
// lets the read finish or makes it panic as "not open"; it never reads
// another file that reused the kernel descriptor.
func TestCloseWhileReading(t *testing.T) {
	Init(t.TempDir(), []string{"d"})
	for _, n := range []string{"x", "y"} {
		fd, _ := Create("d", n)
		Append(fd, bytes.Repeat([]byte(n), 1000))
		Close(fd)
	}
	for round := 0; round < 200; round++ {
		rd := Open("d", "x")
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { recover() }()
			for {
				if got := ReadAt(rd, 0, 1000); !bytes.Equal(got, bytes.Repeat([]byte("x"), 1000)) {
					t.Errorf("read %.10q from x", got)
					return
				}
			}
		}()
		Close(rd)
		other := Open("d", "y") // may reuse the kernel descriptor number
		wg.Wait()
		Close(other)
	}
}

// TestConcurrentMixed runs every operation from several goroutines, each in
// its own names, and checks the end state; with -race it checks the locking.
func TestConcurrentMixed(t *testing.T) {
	Init(t.TempDir(), []string{"spool", "box"})
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				name := fmt.Sprintf("%d-%d", g, i)
				fd, ok := Create("spool", name)
				if !ok {
					t.Errorf("create %s", name)
					return
				}
				Append(fd, []byte(name))
				Close(fd)
				if !Link("spool", name, "box", name) {
					t.Errorf("link %s", name)
					return
				}
				Delete("spool", name)
				rd := Open("box", name)
				if got := string(ReadAt(rd, 0, 100)); got != name {
					t.Errorf("read %q, want %q", got, name)
				}
				Close(rd)
				List("box")
			}
		}(g)
	}
	wg.Wait()
	if n, s := len(List("box")), len(List("spool")); n != 400 || s != 0 {
		t.Fatalf("box has %d, spool %d", n, s)
	}
}

// TestCrashPointUnderConcurrency arms a crash point while goroutines deliver
// concurrently: the snapshot must still be one moment's state, where every
// box entry is a whole message (the spool file was complete before Link).
func TestCrashPointUnderConcurrency(t *testing.T) {
	for _, n := range []uint64{0, 1, 7, 50, 100} {
		Init(t.TempDir(), []string{"spool", "box"})
		var wg sync.WaitGroup
		started, armedNow := make(chan struct{}), make(chan struct{})
		for g := 0; g < 3; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 40; i++ {
					if g == 0 && i == 1 {
						// Arm while the others deliver; go on once armed,
						// so that n mutations surely follow.
						close(started)
						<-armedNow
					}
					name := fmt.Sprintf("%d-%d", g, i)
					fd, _ := Create("spool", name)
					Append(fd, []byte(name[:1]))
					Append(fd, []byte(name[1:]))
					Close(fd)
					Link("spool", name, "box", name)
					Delete("spool", name)
				}
			}(g)
		}
		<-started
		CrashAfter(n)
		close(armedNow)
		wg.Wait()
		crashed := Crashed()
		Reboot()
		if !crashed {
			t.Fatalf("crash point %d not reached", n)
		}
		for _, name := range List("box") {
			rd := Open("box", name)
			if got := string(ReadAt(rd, 0, 100)); got != name {
				t.Fatalf("crash at %d: box/%s holds %q", n, name, got)
			}
			Close(rd)
		}
	}
}

// tmpfsDir is a fresh directory on tmpfs (/dev/shm) if there is one, where
// the kernel's races are easiest to see, else on the test's temp directory.
func tmpfsDir(t testing.TB) string {
	dir, err := os.MkdirTemp("/dev/shm", "filesys-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
