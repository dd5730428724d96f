package filesys

import (
	"runtime"
	"syscall"
	"unsafe"
)

// keyOf returns the inode of a kernel descriptor, from statx asking for the
// inode number only (STATX_INO). fstat would report the times as well, and
// since Linux 6.13 reading a file's change time marks it "queried", which
// makes its next change take a fine-grained time: then the Append right
// after Create always changes the times and marks the inode dirty under the
// writeback list lock, which all processors share. Unqueried, a new file's
// times already equal the coarse clock, and the write leaves them alone.
// Where statx is missing (an unknown architecture number here, or ENOSYS
// before Linux 4.11) keyOf uses fstat; Init decides once, so every key of a
// run is computed the same way.
func keyOf(sysfd int) inodeKey {
	if useStatx {
		var stx [statxSize]byte
		_, err := retry(func() (int, error) { return statx(sysfd, &stx) })
		if err != nil {
			fail(err)
		}
		if *(*uint32)(unsafe.Pointer(&stx[0]))&statxIno == 0 {
			fail(syscall.EINVAL) // the file system did not report an inode number
		}
		// stx_ino at byte 32, stx_dev_major and stx_dev_minor at 136 and 140
		dev := uint64(*(*uint32)(unsafe.Pointer(&stx[136])))<<32 |
			uint64(*(*uint32)(unsafe.Pointer(&stx[140])))
		return inodeKey{dev: dev, ino: *(*uint64)(unsafe.Pointer(&stx[32]))}
	}
	var st syscall.Stat_t
	if _, err := retry(func() (int, error) { return 0, syscall.Fstat(sysfd, &st) }); err != nil {
		fail(err)
	}
	return inodeKey{dev: uint64(st.Dev), ino: uint64(st.Ino)}
}

const (
	statxSize   = 256    // sizeof(struct statx)
	statxIno    = 0x100  // STATX_INO
	atEmptyPath = 0x1000 // AT_EMPTY_PATH: statx of the descriptor itself
)

// sysStatx is statx's system call number (Go 1.19's syscall package has
// none); 0 where it is not known here.
var sysStatx = map[string]uintptr{"amd64": 332, "arm64": 291}[runtime.GOARCH]

// useStatx is set by Init (no other call runs then) and read-only after it.
var useStatx bool

var emptyPath = [1]byte{0}

func statx(sysfd int, buf *[statxSize]byte) (int, error) {
	_, _, e := syscall.Syscall6(sysStatx, uintptr(sysfd), uintptr(unsafe.Pointer(&emptyPath[0])),
		atEmptyPath, statxIno, uintptr(unsafe.Pointer(buf)), 0)
	if e != 0 {
		return 0, e
	}
	return 0, nil
}

// probeStatx tells, on a descriptor of one of the directories, whether
// keyOf can use statx.
func probeStatx(sysfd int) bool {
	if sysStatx == 0 {
		return false
	}
	var stx [statxSize]byte
	_, err := retry(func() (int, error) { return statx(sysfd, &stx) })
	return err == nil
}
