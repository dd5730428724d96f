package filesys

import (
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
)

// Benchmarks of what two goroutines lose to state they share, on tmpfs. Run
// with `-cpu 1,2`. BenchmarkDeliver* is Mailboat's delivery pattern (Create,
// Append, Close, Link, Delete, and the reader's Delete) with one spool that
// every goroutine shares, or one spool per goroutine: the difference is the
// cost of the shared spool directory in the kernel (its i_rwsem, dentry and
// offset map). BenchmarkOpenClosePrivate shares no directory at all. Besides
// ns/op (wall clock, noisy on a busy machine) they report cpu-ns/op (user and
// system time of the process per op), which grows with spinning on shared
// locks and with cache lines moving between processors, and much less with
// other load (unless that load keeps the goroutines from running at once).

// BenchmarkOpenClosePrivate opens and closes a file of the goroutine's own
// (plus one ReadAt), in a directory of its own: what it loses at two
// goroutines is the process's and the kernel's shared state alone (the
// descriptor table's lock, the credentials' reference count), no directory.
func BenchmarkOpenClosePrivate(b *testing.B) {
	dirs := make([]string, 64)
	for g := range dirs {
		dirs[g] = "d" + strconv.Itoa(g)
	}
	Init(tmpfsDir(b), dirs)
	for _, d := range dirs {
		fd, _ := Create(d, "f")
		Append(fd, make([]byte, 100))
		Close(fd)
	}
	var goroutines atomic.Uint64
	cpu0 := cpuNanos()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		dir := dirs[(goroutines.Add(1)-1)%64]
		for pb.Next() {
			fd := Open(dir, "f")
			ReadAt(fd, 0, 4096)
			Close(fd)
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(cpuNanos()-cpu0)/float64(b.N), "cpu-ns/op")
}

func BenchmarkDeliverSharedSpool(b *testing.B) { benchDeliver(b, false) }

func BenchmarkDeliverSpoolPerGoroutine(b *testing.B) { benchDeliver(b, true) }

func benchDeliver(b *testing.B, perGoroutine bool) {
	const users = 100
	dirs := []string{"spool"}
	for g := 0; g < 64; g++ {
		dirs = append(dirs, "spool"+strconv.Itoa(g))
	}
	for u := 0; u < users; u++ {
		dirs = append(dirs, "user"+strconv.Itoa(u))
	}
	Init(tmpfsDir(b), dirs)
	msg := make([]byte, 100)
	var goroutines, names atomic.Uint64
	cpu0 := cpuNanos()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		g := goroutines.Add(1) - 1
		spool := "spool"
		if perGoroutine {
			spool = "spool" + strconv.FormatUint(g%64, 10)
		}
		for pb.Next() {
			n := names.Add(1)
			name := strconv.FormatUint(n, 10)
			user := "user" + strconv.FormatUint(n%users, 10)
			fd, ok := Create(spool, name)
			if !ok {
				b.Error("create failed")
				return
			}
			Append(fd, msg)
			Close(fd)
			if !Link(spool, name, user, name) {
				b.Error("link failed")
				return
			}
			Delete(spool, name)
			Delete(user, name)
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(cpuNanos()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuNanos is the user and system time the process has used so far.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
