package filesys

import (
	"syscall"
	"unsafe"
)

// The system calls that take a name, without syscall's copy of the name to
// the heap (one allocation per call on the hot path otherwise).

// cName is a name as the kernel takes it, NUL-terminated; a caller keeps it
// on its stack, which the system call wrappers allow (they are nosplit and
// keep their pointer arguments alive).
type cName [maxName + 1]byte

// set fills c with name, which checkName accepted (no NUL, ≤ maxName bytes).
func (c *cName) set(name string) *cName {
	c[copy(c[:maxName], name)] = 0
	return c
}

func errnoErr(e syscall.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}

func openat(dirfd int, name *cName, flags int, mode uint32) (int, error) {
	fd, _, e := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(name)),
		uintptr(flags), uintptr(mode), 0, 0)
	return int(fd), errnoErr(e)
}

func unlinkat(dirfd int, name *cName) error {
	_, _, e := syscall.Syscall(syscall.SYS_UNLINKAT, uintptr(dirfd), uintptr(unsafe.Pointer(name)), 0)
	return errnoErr(e)
}

func linkat(olddirfd int, oldName *cName, newdirfd int, newName *cName) error {
	_, _, e := syscall.Syscall6(syscall.SYS_LINKAT, uintptr(olddirfd), uintptr(unsafe.Pointer(oldName)),
		uintptr(newdirfd), uintptr(unsafe.Pointer(newName)), 0, 0)
	return errnoErr(e)
}
