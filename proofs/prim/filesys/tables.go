package filesys

import (
	"fmt"
	"sync"
	"syscall"
)

// The descriptor table and the inode locks, each split into shards with a
// mutex apiece, so that calls on different descriptors rarely meet on a lock.

const shards = 64

// openFile is one entry of the descriptor table.
type openFile struct {
	// RLock: a ReadAt or Append using sysfd; Lock: Close releasing it.
	mu     sync.RWMutex
	closed bool
	sysfd  int
	append bool // opened by Create (append) rather than Open (read)
	key    inodeKey
	ino    *inode
}

type fdShard struct {
	mu sync.Mutex
	m  map[Fd]*openFile
	// Fds of this shard handed out so far: an Fd is never reused, not even
	// across Init, and needs no counter that all processors write.
	issued uint64
	_      [cacheLine - 24]byte // keeps shards on separate cache lines
}

var fdTable [shards]fdShard

// inodeKey names an inode while a descriptor holds it open (the kernel
// cannot reuse its number before then).
type inodeKey struct{ dev, ino uint64 }

// inode is the lock that makes Append atomic with respect to ReadAt of the
// same file: Append holds it alone, ReadAt shares it.
type inode struct {
	mu   sync.RWMutex
	refs int // open descriptors of the inode; under its shard's mutex
}

type inodeShard struct {
	mu sync.Mutex
	m  map[inodeKey]*inode
	_  [cacheLine - 16]byte
}

var inodes [shards]inodeShard

func getInode(k inodeKey) *inode {
	s := &inodes[k.ino%shards]
	s.mu.Lock()
	if s.m == nil {
		s.m = make(map[inodeKey]*inode)
	}
	in := s.m[k]
	if in == nil {
		in = &inode{}
		s.m[k] = in
	}
	in.refs++
	s.mu.Unlock()
	return in
}

func putInode(k inodeKey) {
	s := &inodes[k.ino%shards]
	s.mu.Lock()
	if in := s.m[k]; in != nil {
		in.refs--
		if in.refs == 0 {
			delete(s.m, k)
		}
	}
	s.mu.Unlock()
}

// addFd enters a kernel descriptor into the table under a fresh Fd. The
// shard is the calling processor's (slots.go), so that calls on different
// processors do not write the same shard, and the Fd encodes it: fd%shards.
// (The kernel's descriptor number would not do: it hands out the lowest
// free one, so processors reuse each other's numbers all the time.)
func addFd(sysfd int, app bool) Fd {
	k := keyOf(sysfd)
	of := &openFile{sysfd: sysfd, append: app, key: k, ino: getInode(k)}
	tok := getSlot()
	i := uint64(tok.index(shards))
	putSlot(tok)
	s := &fdTable[i]
	s.mu.Lock()
	if s.m == nil {
		s.m = make(map[Fd]*openFile)
	}
	s.issued++
	fd := s.issued*shards + i // never 0, which Create returns on failure
	s.m[fd] = of
	s.mu.Unlock()
	return fd
}

// getFd returns the open entry of fd, of mode app, with its lock shared;
// the caller releases it with of.mu.RUnlock.
func getFd(fd Fd, app bool) *openFile {
	s := &fdTable[fd%shards]
	s.mu.Lock()
	of := s.m[fd]
	s.mu.Unlock()
	if of != nil {
		of.mu.RLock()
		if of.closed {
			of.mu.RUnlock()
			of = nil
		}
	}
	if of == nil {
		panic(fmt.Sprintf("filesys: fd %d is not open", fd))
	}
	if of.append != app {
		of.mu.RUnlock()
		panic(fmt.Sprintf("filesys: fd %d has the wrong mode", fd))
	}
	return of
}

// takeFd removes fd from the table and returns its entry.
func takeFd(fd Fd) *openFile {
	s := &fdTable[fd%shards]
	s.mu.Lock()
	of := s.m[fd]
	delete(s.m, fd)
	s.mu.Unlock()
	if of == nil {
		panic(fmt.Sprintf("filesys: fd %d is not open", fd))
	}
	return of
}

// dropFds closes every open descriptor (Init and Reboot: a crash loses them).
func dropFds() {
	for i := range fdTable {
		s := &fdTable[i]
		s.mu.Lock()
		for fd, of := range s.m {
			of.mu.Lock()
			of.closed = true
			syscall.Close(of.sysfd)
			of.mu.Unlock()
			putInode(of.key)
			delete(s.m, fd)
		}
		s.mu.Unlock()
	}
}
