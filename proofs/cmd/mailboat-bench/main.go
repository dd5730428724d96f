// Command mailboat-bench runs the paper's in-process Mailboat workload
// (§9.3): each request is, with equal odds, one Deliver of a small message
// to a random user or one Pickup of a random user with a Delete of each
// message picked up and the Unlock; it prints the requests per second.
//
// Use it on tmpfs (-dir /dev/shm/...) with GOMAXPROCS equal to -goroutines,
// as bench/mailboat_bench.py does. The program uses only the library API
// that every version of pv/proofs/mailboat has, so the benchmark can build
// it against older file-system primitives too.
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"pv/proofs/mailboat"
	"pv/proofs/prim/filesys"
)

func main() {
	dir := flag.String("dir", "", "mail directory (created; best on tmpfs)")
	workers := flag.Int("goroutines", 1, "concurrent clients")
	duration := flag.Duration("duration", 3*time.Second, "measuring time")
	size := flag.Int("size", 100, "message size in bytes")
	profile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	mutexProfile := flag.String("mutexprofile", "", "write a mutex contention profile to this file")
	blockProfile := flag.String("blockprofile", "", "write a blocking profile to this file")
	memProfile := flag.String("memprofile", "", "write an allocation profile to this file")
	stats := flag.Bool("stats", false, "also print allocations and GC work per request")
	flag.Parse()
	if *dir == "" || *workers < 1 {
		fmt.Fprintln(os.Stderr, "usage: mailboat-bench -dir DIR [-goroutines N] [-duration D] [-size B]")
		os.Exit(2)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "mailboat-bench:", err)
		os.Exit(1)
	}
	filesys.Init(*dir, mailboat.Dirs())
	mb := mailboat.Recover()
	msg := make([]byte, *size)
	for i := range msg {
		msg[i] = 'a' + byte(i%26)
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mailboat-bench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *mutexProfile != "" {
		runtime.SetMutexProfileFraction(1)
		defer writeProfile("mutex", *mutexProfile)
	}
	if *blockProfile != "" {
		runtime.SetBlockProfileRate(1)
		defer writeProfile("block", *blockProfile)
	}
	if *memProfile != "" {
		defer writeProfile("allocs", *memProfile)
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var stop atomic.Bool
	var total atomic.Uint64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(seed int64) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(seed))
			n := uint64(0)
			for !stop.Load() {
				user := uint64(rng.Intn(int(mailboat.NumUsers)))
				if rng.Intn(2) == 0 {
					mailboat.Deliver(mb, user, msg)
				} else {
					for _, m := range mailboat.Pickup(mb, user) {
						mailboat.Delete(mb, user, m.Id)
					}
					mailboat.Unlock(mb, user)
				}
				n++
			}
			total.Add(n)
		}(int64(w) + 1)
	}
	time.Sleep(*duration)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := func(tv syscall.Timeval) float64 { return float64(tv.Sec) + float64(tv.Usec)/1e6 }
	n := float64(total.Load())
	// CPU time per request tells contention (it grows) from a busy machine (it does not), up to a
	// point: on a very busy machine the goroutines seldom run at the same moment, and contend less.
	fmt.Printf("%.0f requests/s, %.2f µs user + %.2f µs system CPU per request\n", n/elapsed,
		cpu(ru.Utime)/n*1e6, cpu(ru.Stime)/n*1e6)
	if *stats {
		fmt.Printf("%.1f allocations and %.0f bytes per request, %d GCs, GC %.1f%% of CPU, "+
			"%.1f voluntary and %.1f involuntary context switches per 1000 requests\n",
			float64(after.Mallocs-before.Mallocs)/n, float64(after.TotalAlloc-before.TotalAlloc)/n,
			after.NumGC-before.NumGC, after.GCCPUFraction*100,
			float64(ru.Nvcsw)/n*1e3, float64(ru.Nivcsw)/n*1e3)
	}
}

func writeProfile(name, path string) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mailboat-bench:", err)
		os.Exit(1)
	}
	defer f.Close()
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		fmt.Fprintln(os.Stderr, "mailboat-bench:", err)
		os.Exit(1)
	}
}
