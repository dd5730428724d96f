package filesys

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestInodeKey: keyOf (statx where available) names the same inode as
// fstat does, for two descriptors of one file alike, and different files
// differently; Append's exclusion of ReadAt rests on it.
func TestInodeKey(t *testing.T) {
	Init(tmpfsDir(t), []string{"d"})
	if sysStatx != 0 && !useStatx {
		t.Log("statx unavailable: keyOf uses fstat")
	}
	w, _ := Create("d", "f")
	other, _ := Create("d", "g")
	r := Open("d", "f")
	defer Close(w)
	defer Close(other)
	defer Close(r)
	kw, ko, kr := fdKey(t, w), fdKey(t, other), fdKey(t, r)
	if kw != kr || kw == ko {
		t.Fatalf("keys %v %v %v: want the first and last equal, the middle different", kw, ko, kr)
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fdTable[w%shards].m[w].sysfd, &st); err != nil {
		t.Fatal(err)
	}
	if kw.ino != st.Ino {
		t.Fatalf("inode %d, fstat says %d", kw.ino, st.Ino)
	}
	if useStatx {
		// glibc's major/minor of a dev_t
		major := (st.Dev>>8)&0xfff | (st.Dev>>32)&^0xfff
		minor := st.Dev&0xff | (st.Dev>>12)&^0xff
		if kw.dev != major<<32|minor {
			t.Fatalf("device %x, fstat says %d:%d", kw.dev, major, minor)
		}
	}
}

func fdKey(t *testing.T, fd Fd) inodeKey {
	t.Helper()
	s := &fdTable[fd%shards]
	s.mu.Lock()
	defer s.mu.Unlock()
	return keyOf(s.m[fd].sysfd)
}

// TestNoAtime: reading a file or listing a directory leaves their access
// times alone (O_NOATIME), which relatime would update here, since both
// were changed after the access time set below; an update would dirty the
// inode under a lock that all processors share.
func TestNoAtime(t *testing.T) {
	root := tmpfsDir(t)
	Init(root, []string{"d"})
	w, _ := Create("d", "f")
	Append(w, []byte("data"))
	Close(w)
	old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range []string{filepath.Join(root, "d", "f"), filepath.Join(root, "d")} {
		if err := os.Chtimes(p, old, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	r := Open("d", "f")
	if got := string(ReadAt(r, 0, 10)); got != "data" {
		t.Fatalf("read %q", got)
	}
	Close(r)
	List("d")
	for _, p := range []string{filepath.Join(root, "d", "f"), filepath.Join(root, "d")} {
		var st syscall.Stat_t
		if err := syscall.Stat(p, &st); err != nil {
			t.Fatal(err)
		}
		if at := time.Unix(st.Atim.Sec, st.Atim.Nsec); !at.Equal(old) {
			t.Fatalf("%s: access time became %v", p, at)
		}
	}
}
