// Package filesys is the trusted Goose-style file-system primitive: a fixed
// set of directories (no sub-directories, no renames of directories) under a
// root directory of the real file system, set up by Init.
//
// Model (what the proofs may assume), following §6.2 of the paper:
//   - State: for each directory, a map from names to inodes; for each inode,
//     its bytes; and a table of open file descriptors (lost on a crash).
//   - Every operation is atomic with respect to the others.
//   - A completed operation is persistent across a (process) crash; files
//     are not fsynced, as in the paper's model. On a crash every open file
//     descriptor is lost, and an Append in flight may have written any
//     prefix of its bytes (Linux writes page by page and stops at a pending
//     SIGKILL): the model's Append is two steps, a prefix and the rest.
//   - Create opens a new file for appending; Open opens an existing one for
//     reading. Append needs an append fd, ReadAt a read fd.
//   - ReadAt returns a fresh slice; Append copies its argument.
//   - Undefined behaviour (this implementation panics): an unknown directory,
//     a name that is empty, ".", ".." or contains '/' or NUL or is longer
//     than 255 bytes, an unknown or closed fd, the wrong kind of fd, Open,
//     Delete or Link of a missing file, and ReadAt with off+length > 2^48.
//   - Outside the model: running out of resources (disk space, memory, file
//     descriptors, links per inode) and other processes changing the files.
//
// The logic's axioms for this model are in theories/filesys.py.
//
// Implementation (why each operation is atomic without a global lock, so
// that file-system calls run in parallel, as Mailboat's §9.3 scaling needs):
//   - The directory table is immutable after Init and caches descriptors of
//     each directory; every call is relative to one (openat, unlinkat,
//     linkat), so the kernel never walks the root path again.
//   - Create, Delete and Link change one directory in one system call, which
//     Linux performs atomically. Only a listing is not atomic in the kernel
//     (getdents returns a directory in batches), so each directory has
//     reader/writer locks: a change shares one, List holds all of them.
//   - Each directory has one slot (a lock and a descriptor) per processor, up
//     to maxSlots, and a call uses its processor's slot (slots.go): two
//     calls on different processors then write neither the same lock word
//     nor the same kernel reference count of an open directory, cache lines
//     that would otherwise move between the processors on every call.
//   - A write and a read of the same file are not atomic with respect to each
//     other in Linux, so each inode with open descriptors has a reader/writer
//     lock (tables.go): Append holds it alone, ReadAt shares it.
//   - The inode of a new descriptor comes from statx asking for the inode
//     number only (inokey.go): fstat would also read the times, after which
//     Linux gives the file fine-grained times, so that the Append right
//     after Create updates them and puts the inode on a list under a lock
//     that every processor takes.
//   - Open and the directory descriptors ask for O_NOATIME: the model has
//     no access times, and with relatime the first read (or listing) after
//     a change would update them, under the same shared lock.
//   - Descriptors live in a sharded table; each entry's own lock keeps Close
//     from releasing a kernel descriptor that a ReadAt or Append still uses.
//   - The crash hooks (crashhook.go) serialise the mutating calls only while
//     a crash point is armed.
//
// Init and the crash hooks (CrashAfter, Crashed, Reboot) are for tests and
// program set-up only; verified code uses the other functions.
package filesys

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// Fd is an open file descriptor.
type Fd = uint64

// directory is one directory of the table: its slots, whose locks together
// make List a snapshot.
type directory struct {
	path  string
	slots []slot
	buf   []byte // getdents buffer, used while List holds every slot
}

// table is the state Init sets up; it never changes afterwards.
type table struct {
	root  string
	dirs  map[string]*directory
	order []*directory // sorted by name: the snapshot locks them in this order
}

var cur atomic.Pointer[table]

// Init (set-up hook) roots the file system at root with the given
// directories, creating any that are missing; existing files are kept, so
// calling Init again on the same root models a restart. All open file
// descriptors are dropped and any crash point is disarmed. No other call
// may run concurrently.
func Init(rootDir string, dirNames []string) {
	crashMu.Lock()
	defer crashMu.Unlock()
	dropFds()
	if old := cur.Load(); old != nil {
		for _, d := range old.order {
			for i := range d.slots {
				syscall.Close(d.slots[i].fd)
			}
		}
	}
	t := &table{root: rootDir, dirs: make(map[string]*directory)}
	n := numSlots() // the same for every directory: Link uses slot i of two
	for _, name := range dirNames {
		checkName(name)
		if t.dirs[name] != nil {
			continue
		}
		p := filepath.Join(rootDir, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			fail(err)
		}
		d := &directory{path: p, slots: make([]slot, n)}
		for i := range d.slots {
			fd, err := openDir(p, syscall.O_NOATIME)
			if err == syscall.EPERM { // O_NOATIME needs the directory's owner
				fd, err = openDir(p, 0)
			}
			if err != nil {
				fail(err)
			}
			d.slots[i].fd = fd
		}
		t.dirs[name] = d
		t.order = append(t.order, d)
	}
	sort.Slice(t.order, func(i, j int) bool { return t.order[i].path < t.order[j].path })
	useStatx = len(t.order) > 0 && probeStatx(t.order[0].slots[0].fd)
	cur.Store(t)
	point.Reset()
	armed.Store(false)
	snap = nil
}

func openDir(path string, flags int) (int, error) {
	return retry(func() (int, error) {
		return syscall.Open(path, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC|flags, 0)
	})
}

func fail(err error) {
	panic(fmt.Sprintf("filesys: %v", err))
}

// maxName is Linux's NAME_MAX: the longest file name, in bytes.
const maxName = 255

func checkName(name string) {
	if name == "" || name == "." || name == ".." || len(name) > maxName ||
		strings.ContainsAny(name, "/\x00") {
		panic(fmt.Sprintf("filesys: bad name %q", name))
	}
}

func lookup(dir string) *directory {
	t := cur.Load()
	var d *directory
	if t != nil {
		d = t.dirs[dir]
	}
	if d == nil {
		panic(fmt.Sprintf("filesys: unknown directory %q", dir))
	}
	return d
}

// retry runs a system call again while it is interrupted by a signal.
func retry(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// Create makes a new empty file dir/name and opens it for appending. It
// returns ok=false, and does nothing, if dir/name already exists.
func Create(dir, name string) (fd Fd, ok bool) {
	d := lookup(dir)
	checkName(name)
	var c cName
	cname := c.set(name)
	mutate(func() bool {
		sysfd, err := d.change(func(slot int) (int, error) {
			return openat(d.slots[slot].fd, cname,
				syscall.O_WRONLY|syscall.O_APPEND|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
		})
		if err == syscall.EEXIST {
			return false
		}
		if err != nil {
			fail(err)
		}
		fd, ok = addFd(sysfd, true), true
		return true
	})
	return fd, ok
}

// Append adds data at the end of the file open for appending as fd.
func Append(fd Fd, data []byte) {
	of := getFd(fd, true)
	mutate(func() bool {
		defer of.mu.RUnlock()
		of.ino.mu.Lock()
		defer of.ino.mu.Unlock()
		for len(data) > 0 {
			n, err := retry(func() (int, error) { return syscall.Write(of.sysfd, data) })
			if err != nil {
				fail(err)
			}
			data = data[n:]
		}
		return true
	})
}

// mutate runs the mutating call op, which reports whether it changed the
// file system. While a crash point is armed the call holds crashMu and is
// counted once op is done (and has released its own locks).
func mutate(op func() bool) {
	if !armed.Load() {
		op()
		return
	}
	crashMu.Lock()
	defer crashMu.Unlock()
	if op() {
		mutated()
	}
}

// change runs a system call that changes directory d, given the slot whose
// descriptor it is to use, as one step that no List of d overlaps.
func (d *directory) change(call func(slot int) (int, error)) (int, error) {
	tok := getSlot()
	i := tok.index(len(d.slots))
	d.slots[i].mu.RLock()
	n, err := retry(func() (int, error) { return call(i) })
	d.slots[i].mu.RUnlock()
	putSlot(tok)
	return n, err
}

// Close closes fd (of either kind).
func Close(fd Fd) {
	of := takeFd(fd)
	of.mu.Lock() // waits for a ReadAt or Append still using the descriptor
	of.closed = true
	syscall.Close(of.sysfd)
	of.mu.Unlock()
	putInode(of.key)
}

// Open opens the existing file dir/name for reading.
func Open(dir, name string) Fd {
	d := lookup(dir)
	checkName(name)
	var c cName
	cname := c.set(name)
	tok := getSlot()
	dirfd := d.slots[tok.index(len(d.slots))].fd
	sysfd, err := retry(func() (int, error) {
		return openat(dirfd, cname, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOATIME, 0)
	})
	if err == syscall.EPERM { // O_NOATIME needs the file's owner
		sysfd, err = retry(func() (int, error) {
			return openat(dirfd, cname, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		})
	}
	putSlot(tok)
	if err != nil {
		fail(err)
	}
	return addFd(sysfd, false)
}

// maxRead bounds off+length in ReadAt: make([]byte, length) panics above
// 2^48 bytes, and the offset must stay far below 2^63 (int64, pread).
const maxRead = 1 << 48

// ReadAt returns the bytes of the file open for reading as fd from offset
// off: length bytes, or fewer if the file ends first (none past the end).
func ReadAt(fd Fd, off uint64, length uint64) []byte {
	of := getFd(fd, false)
	defer of.mu.RUnlock()
	if off > maxRead || length > maxRead-off {
		panic(fmt.Sprintf("filesys: ReadAt of %d bytes at %d", length, off))
	}
	if length > pooledRead {
		buf := make([]byte, length)
		return buf[:of.pread(buf, off)]
	}
	// Small reads go through a pooled buffer and return a copy of what was
	// read, so a short read costs no zeroing of the whole length.
	p := readBufs.Get().(*[pooledRead]byte)
	n := of.pread(p[:length], off)
	buf := make([]byte, n)
	copy(buf, p[:n])
	readBufs.Put(p)
	return buf
}

// pooledRead is the largest read that uses a buffer of readBufs.
const pooledRead = 64 << 10

var readBufs = sync.Pool{New: func() any { return new([pooledRead]byte) }}

// maxRW is the most that one read system call transfers on Linux
// (MAX_RW_COUNT, read(2)).
const maxRW = 0x7ffff000

// pread fills buf from offset off until the file ends, under the inode's
// shared lock, and returns how many bytes it read. A read of a regular file
// returns fewer bytes than asked (at most maxRW) only at the end of the file
// (POSIX read; Linux does not interrupt such reads for signals that the
// process survives), and no Append changes the file meanwhile, so a short
// read ends the loop without a second call to find the end.
func (of *openFile) pread(buf []byte, off uint64) int {
	got := 0
	of.ino.mu.RLock()
	defer of.ino.mu.RUnlock()
	for got < len(buf) {
		want := len(buf) - got
		n, err := retry(func() (int, error) {
			return syscall.Pread(of.sysfd, buf[got:], int64(off)+int64(got))
		})
		if err != nil {
			fail(err)
		}
		got += n
		if n == 0 || n < want && want <= maxRW {
			break
		}
	}
	return got
}

// Delete removes the name dir/name (the inode lives on while other names or
// open fds refer to it).
func Delete(dir, name string) {
	d := lookup(dir)
	checkName(name)
	var c cName
	cname := c.set(name)
	mutate(func() bool {
		if _, err := d.change(func(slot int) (int, error) {
			return 0, unlinkat(d.slots[slot].fd, cname)
		}); err != nil {
			fail(err)
		}
		return true
	})
}

// Link makes newDir/newName a second name for the inode of oldDir/oldName.
// It returns false, and does nothing, if newDir/newName already exists.
func Link(oldDir, oldName, newDir, newName string) (ok bool) {
	od, nd := lookup(oldDir), lookup(newDir)
	checkName(oldName)
	checkName(newName)
	var oc, nc cName
	oldp, newp := oc.set(oldName), nc.set(newName)
	mutate(func() bool {
		// Only the new entry's directory changes: a List of oldDir may run.
		_, err := nd.change(func(slot int) (int, error) {
			// every directory has the same number of slots
			return 0, linkat(od.slots[slot].fd, oldp, nd.slots[slot].fd, newp)
		})
		if err == syscall.EEXIST {
			return false
		}
		if err != nil {
			fail(err)
		}
		ok = true
		return true
	})
	return ok
}

// List returns the names in dir, sorted.
func List(dir string) []string {
	d := lookup(dir)
	d.lockAll()
	names := d.readNames()
	d.unlockAll()
	sort.Strings(names)
	return names
}

// lockAll takes every slot's lock alone: no change of d runs meanwhile.
func (d *directory) lockAll() {
	for i := range d.slots {
		d.slots[i].mu.Lock()
	}
}

func (d *directory) unlockAll() {
	for i := range d.slots {
		d.slots[i].mu.Unlock()
	}
}

// readNames reads the directory from its start, through the first slot's
// descriptor (whose offset only readNames uses); the caller holds lockAll.
func (d *directory) readNames() []string {
	fd := d.slots[0].fd
	if _, err := syscall.Seek(fd, 0, 0); err != nil {
		fail(err)
	}
	if d.buf == nil {
		d.buf = make([]byte, 32<<10)
	}
	names := make([]string, 0)
	for {
		n, err := retry(func() (int, error) { return syscall.Getdents(fd, d.buf) })
		if err != nil {
			fail(err)
		}
		if n == 0 {
			return names
		}
		_, _, names = syscall.ParseDirent(d.buf[:n], -1, names)
	}
}
