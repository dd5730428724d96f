package filesys

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"

	"pv/proofs/prim/internal/crash"
)

// The crash-point test hooks. While a crash point is armed, the mutating
// calls (Create, Append, Delete, Link) take crashMu, so that they are
// counted one at a time and the snapshot is taken atomically with the n-th;
// while nothing is armed they only read the flag.

var (
	crashMu sync.Mutex // serialises the mutating calls while armed
	armed   atomic.Bool
	point   crash.Point // under crashMu
	snap    []snapFile  // under crashMu
)

// mutated counts one completed mutation; the caller (mutate) holds crashMu
// and none of the directory or inode locks.
func mutated() {
	if point.Mutated() {
		takeSnapshot()
	}
}

// snapFile is one directory entry at the crash point; entries that share an
// inode share the same inode index.
type snapFile struct {
	dir, name string
	inode     int
	data      []byte
}

// takeSnapshot records every directory and file. It holds every directory
// alone, so no name changes meanwhile, and reads each file under its inode
// lock, so no Append is half seen: the result is the state of one moment,
// even with calls in flight that started before the crash point was armed.
func takeSnapshot() {
	t := cur.Load()
	for _, d := range t.order {
		d.lockAll()
	}
	defer func() {
		for _, d := range t.order {
			d.unlockAll()
		}
	}()
	snap = nil
	seen := make(map[inodeKey]int)
	for name, d := range t.dirs {
		for _, e := range d.readNames() {
			sf := snapFile{dir: name, name: e}
			sysfd, err := retry(func() (int, error) {
				return syscall.Openat(d.slots[0].fd, e, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
			})
			if err != nil {
				fail(err)
			}
			k := keyOf(sysfd)
			if ino, ok := seen[k]; ok {
				sf.inode = ino
			} else {
				sf.inode = len(seen)
				seen[k] = sf.inode
				in := getInode(k)
				in.mu.RLock()
				sf.data, err = os.ReadFile(filepath.Join(d.path, e))
				in.mu.RUnlock()
				putInode(k)
				if err != nil {
					fail(err)
				}
			}
			syscall.Close(sysfd)
			snap = append(snap, sf)
		}
	}
}

func restoreSnapshot() {
	t := cur.Load()
	for _, d := range t.order {
		for _, e := range d.readNames() {
			if err := os.Remove(filepath.Join(d.path, e)); err != nil {
				fail(err)
			}
		}
	}
	first := make(map[int]string) // inode index -> path of its first name
	for _, sf := range snap {
		p := filepath.Join(t.dirs[sf.dir].path, sf.name)
		if q, ok := first[sf.inode]; ok {
			if err := os.Link(q, p); err != nil {
				fail(err)
			}
			continue
		}
		if err := os.WriteFile(p, sf.data, 0o644); err != nil {
			fail(err)
		}
		first[sf.inode] = p
	}
}

// CrashAfter (test hook) arms a simulated crash right after the next n
// mutating calls (Create, Append, Delete, Link; n == 0: now). Execution goes
// on normally; Reboot then rolls the directories back to the crash point.
// Calls already in flight when it arms are not counted.
func CrashAfter(n uint64) {
	crashMu.Lock()
	defer crashMu.Unlock()
	snap = nil
	armed.Store(true)
	if point.Arm(n) {
		takeSnapshot()
	}
}

// Crashed (test hook) reports whether the armed crash point was reached.
func Crashed() bool {
	crashMu.Lock()
	defer crashMu.Unlock()
	return point.Crashed()
}

// Reboot (test hook) models a crash and restart: every open fd is lost, and
// the files go back to the armed crash point if it was reached (else they
// stay as they are). The crash point is disarmed. Call it only once no
// goroutine of the crashed run uses the file system any more.
func Reboot() {
	crashMu.Lock()
	defer crashMu.Unlock()
	dropFds()
	if point.Reset() {
		restoreSnapshot()
	}
	armed.Store(false)
	snap = nil
}
