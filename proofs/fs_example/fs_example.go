// Package fs_example stores a file and reads it back through the Goose file
// system (package prim/filesys): the smallest program that uses directories,
// directory entries, inodes and both kinds of file descriptor.
//
// Specification (fs_example.pv proves it from the file system's axioms):
// Store(dir, name, data, n) makes the new file dir/name holding data and
// returns its first n bytes; if dir/name exists it changes nothing and
// returns ok = false. Publish makes dir/name holding exactly data if the
// name is free, and lists the directory, which then names the file. The
// directory must be one the file system was set up with and the name a
// valid one (otherwise: undefined behaviour).
package fs_example

import "pv/proofs/prim/filesys"

// Store creates dir/name with the bytes of data and reads back at most n of
// them from the start; ok is false, and nothing happens, if dir/name exists.
func Store(dir, name string, data []byte, n uint64) ([]byte, bool) {
	fd, ok := filesys.Create(dir, name)
	if !ok {
		return nil, false
	}
	filesys.Append(fd, data)
	filesys.Close(fd)
	rd := filesys.Open(dir, name)
	got := filesys.ReadAt(rd, 0, n)
	filesys.Close(rd)
	return got, true
}

// Publish creates dir/name with the bytes of data unless the name is taken,
// and returns the names in dir.
func Publish(dir, name string, data []byte) []string {
	fd, ok := filesys.Create(dir, name)
	if ok {
		filesys.Append(fd, data)
		filesys.Close(fd)
	}
	return filesys.List(dir)
}
