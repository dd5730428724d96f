// Package proofs is the root of the Go module whose packages the proof
// assistant verifies. It holds no code.
//
// Verified ("gooseable") case studies, each checked against the subset by
// package subset's test:
//
//	replicated_disk  two disks as one, surviving one disk failure (paper Figs 4-5)
//	wal              atomic pair of blocks through a write-ahead log
//	shadow           atomic pair of blocks through a shadow copy
//	group_commit     buffered writes, committed together through a log
//	mailboat         the Mailboat mail library (paper §8)
//	fs_example       a file stored and read back through the Goose file system
//
// Trusted primitives (ordinary Go, modelling hardware and the OS):
//
//	prim/disk, prim/twodisk, prim/filesys, prim/rand, prim/strconv
//
// Unverified programs around the verified libraries (ordinary Go):
//
//	cmd/mailboat-server  Mailboat as an SMTP and POP3 server
//	cmd/mailboat-bench   the paper's in-process Mailboat workload (§9.3)
//
// Each case study keeps its volatile state (locks, buffers) in a value that
// its Init (fresh start) or Recover (after a crash) returns and that every
// operation takes as its first argument: the subset has no package-level
// variables, and the value is exactly the state a crash destroys.
//
// Crashes are simulated in tests with the primitives' hooks: CrashAfter(n)
// snapshots the persistent state right after the next n mutating calls,
// Reboot restores that snapshot (and, for filesys, drops every open fd), and
// the test then runs Recover on it. Looping n upwards until Crashed() stays
// false tries every crash point of an operation.
package proofs
