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
//     descriptor is lost.
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
// Init and the crash hooks (CrashAfter, Crashed, Reboot) are for tests and
// program set-up only; verified code uses the other functions.
package filesys

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"pv/proofs/prim/internal/crash"
)

// Fd is an open file descriptor.
type Fd = uint64

type openFile struct {
	f      *os.File
	append bool // opened by Create (append) rather than Open (read)
}

var (
	mu     sync.Mutex
	root   string
	dirs   map[string]bool
	fds    map[Fd]openFile
	nextFd Fd = 1
	point  crash.Point
	snap   []snapFile
)

// Init (set-up hook) roots the file system at root with the given
// directories, creating any that are missing; existing files are kept, so
// calling Init again on the same root models a restart. All open file
// descriptors are dropped and any crash point is disarmed.
func Init(rootDir string, dirNames []string) {
	mu.Lock()
	defer mu.Unlock()
	dropFds()
	root = rootDir
	dirs = make(map[string]bool)
	for _, d := range dirNames {
		checkName(d)
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			fail(err)
		}
		dirs[d] = true
	}
	point.Reset()
	snap = nil
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

func path(dir, name string) string {
	if !dirs[dir] {
		panic(fmt.Sprintf("filesys: unknown directory %q", dir))
	}
	checkName(name)
	return filepath.Join(root, dir, name)
}

func dirPath(dir string) string {
	if !dirs[dir] {
		panic(fmt.Sprintf("filesys: unknown directory %q", dir))
	}
	return filepath.Join(root, dir)
}

func dropFds() {
	for _, of := range fds {
		of.f.Close()
	}
	fds = make(map[Fd]openFile)
}

func addFd(f *os.File, app bool) Fd {
	fd := nextFd
	nextFd++
	fds[fd] = openFile{f: f, append: app}
	return fd
}

func getFd(fd Fd, app bool) *os.File {
	of, ok := fds[fd]
	if !ok {
		panic(fmt.Sprintf("filesys: fd %d is not open", fd))
	}
	if of.append != app {
		panic(fmt.Sprintf("filesys: fd %d has the wrong mode", fd))
	}
	return of.f
}

func mutated() {
	if point.Mutated() {
		takeSnapshot()
	}
}

// Create makes a new empty file dir/name and opens it for appending. It
// returns ok=false, and does nothing, if dir/name already exists.
func Create(dir, name string) (Fd, bool) {
	mu.Lock()
	defer mu.Unlock()
	f, err := os.OpenFile(path(dir, name), os.O_WRONLY|os.O_APPEND|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return 0, false
	}
	if err != nil {
		fail(err)
	}
	mutated()
	return addFd(f, true), true
}

// Append adds data at the end of the file open for appending as fd.
func Append(fd Fd, data []byte) {
	mu.Lock()
	defer mu.Unlock()
	if _, err := getFd(fd, true).Write(data); err != nil {
		fail(err)
	}
	mutated()
}

// Close closes fd (of either kind).
func Close(fd Fd) {
	mu.Lock()
	defer mu.Unlock()
	of, ok := fds[fd]
	if !ok {
		panic(fmt.Sprintf("filesys: fd %d is not open", fd))
	}
	of.f.Close()
	delete(fds, fd)
}

// Open opens the existing file dir/name for reading.
func Open(dir, name string) Fd {
	mu.Lock()
	defer mu.Unlock()
	f, err := os.Open(path(dir, name))
	if err != nil {
		fail(err)
	}
	return addFd(f, false)
}

// maxRead bounds off+length in ReadAt: make([]byte, length) panics above
// 2^48 bytes, and the offset must stay far below 2^63 (int64, pread).
const maxRead = 1 << 48

// ReadAt returns the bytes of the file open for reading as fd from offset
// off: length bytes, or fewer if the file ends first (none past the end).
func ReadAt(fd Fd, off uint64, length uint64) []byte {
	mu.Lock()
	defer mu.Unlock()
	f := getFd(fd, false)
	if off > maxRead || length > maxRead-off {
		panic(fmt.Sprintf("filesys: ReadAt of %d bytes at %d", length, off))
	}
	buf := make([]byte, length)
	n, err := f.ReadAt(buf, int64(off))
	if err != nil && err != io.EOF {
		fail(err)
	}
	return buf[:n]
}

// Delete removes the name dir/name (the inode lives on while other names or
// open fds refer to it).
func Delete(dir, name string) {
	mu.Lock()
	defer mu.Unlock()
	if err := os.Remove(path(dir, name)); err != nil {
		fail(err)
	}
	mutated()
}

// Link makes newDir/newName a second name for the inode of oldDir/oldName.
// It returns false, and does nothing, if newDir/newName already exists.
func Link(oldDir, oldName, newDir, newName string) bool {
	mu.Lock()
	defer mu.Unlock()
	err := os.Link(path(oldDir, oldName), path(newDir, newName))
	if errors.Is(err, fs.ErrExist) {
		return false
	}
	if err != nil {
		fail(err)
	}
	mutated()
	return true
}

// List returns the names in dir, sorted.
func List(dir string) []string {
	mu.Lock()
	defer mu.Unlock()
	ents, err := os.ReadDir(dirPath(dir))
	if err != nil {
		fail(err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// snapFile is one directory entry at the crash point; entries that share an
// inode share the same inode index.
type snapFile struct {
	dir, name string
	inode     int
	data      []byte
}

func takeSnapshot() {
	snap = nil
	var infos []fs.FileInfo // one per inode seen so far
	for d := range dirs {
		ents, err := os.ReadDir(dirPath(d))
		if err != nil {
			fail(err)
		}
		for _, e := range ents {
			p := filepath.Join(dirPath(d), e.Name())
			info, err := os.Lstat(p)
			if err != nil {
				fail(err)
			}
			ino := -1
			for i, other := range infos {
				if os.SameFile(info, other) {
					ino = i
				}
			}
			sf := snapFile{dir: d, name: e.Name(), inode: ino}
			if ino < 0 {
				sf.inode = len(infos)
				infos = append(infos, info)
				if sf.data, err = os.ReadFile(p); err != nil {
					fail(err)
				}
			}
			snap = append(snap, sf)
		}
	}
}

func restoreSnapshot() {
	for d := range dirs {
		ents, err := os.ReadDir(dirPath(d))
		if err != nil {
			fail(err)
		}
		for _, e := range ents {
			if err := os.Remove(filepath.Join(dirPath(d), e.Name())); err != nil {
				fail(err)
			}
		}
	}
	first := make(map[int]string) // inode index -> path of its first name
	for _, sf := range snap {
		p := filepath.Join(dirPath(sf.dir), sf.name)
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
func CrashAfter(n uint64) {
	mu.Lock()
	defer mu.Unlock()
	snap = nil
	if point.Arm(n) {
		takeSnapshot()
	}
}

// Crashed (test hook) reports whether the armed crash point was reached.
func Crashed() bool {
	mu.Lock()
	defer mu.Unlock()
	return point.Crashed()
}

// Reboot (test hook) models a crash and restart: every open fd is lost, and
// the files go back to the armed crash point if it was reached (else they
// stay as they are). The crash point is disarmed. Call it only once no
// goroutine of the crashed run uses the file system any more.
func Reboot() {
	mu.Lock()
	defer mu.Unlock()
	dropFds()
	if point.Reset() {
		restoreSnapshot()
	}
	snap = nil
}
