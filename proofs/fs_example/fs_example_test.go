package fs_example

import (
	"fmt"
	"testing"

	"pv/proofs/prim/filesys"
)

func TestStore(t *testing.T) {
	filesys.Init(t.TempDir(), []string{"d"})
	got, ok := Store("d", "f", []byte("hello"), 5)
	if !ok || string(got) != "hello" {
		t.Fatalf("Store = %q, %v", got, ok)
	}
	if got, ok := Store("d", "f", []byte("other"), 5); ok || got != nil {
		t.Fatalf("second Store = %q, %v", got, ok)
	}
	if got, _ := Store("d", "g", []byte("hello"), 3); string(got) != "hel" {
		t.Fatalf("short read = %q", got)
	}
	if got, _ := Store("d", "h", []byte("hi"), 10); string(got) != "hi" {
		t.Fatalf("long read = %q", got)
	}
	if names := Publish("d", "a", []byte("x")); fmt.Sprint(names) != "[a f g h]" {
		t.Fatalf("Publish = %v", names)
	}
	pa := filesys.Open("d", "a")
	if got := filesys.ReadAt(pa, 0, 100); string(got) != "x" {
		t.Fatalf("a = %q after Publish", got)
	}
	filesys.Close(pa)
	if names := Publish("d", "f", []byte("x")); fmt.Sprint(names) != "[a f g h]" {
		t.Fatalf("Publish of a taken name = %v", names)
	}
	rd := filesys.Open("d", "f")
	defer filesys.Close(rd)
	if got := filesys.ReadAt(rd, 0, 100); string(got) != "hello" {
		t.Fatalf("f = %q after a second Store and Publish", got)
	}
}

func TestCrash(t *testing.T) {
	// a crash keeps what the completed calls stored, and loses the open fds
	for k := uint64(0); ; k++ {
		filesys.Init(t.TempDir(), []string{"d"})
		filesys.CrashAfter(k)
		Store("d", "f", []byte("abc"), 3)
		crashed := filesys.Crashed()
		filesys.Reboot()
		names := fmt.Sprint(filesys.List("d"))
		if k == 0 && names != "[]" || k > 0 && names != "[f]" {
			t.Fatalf("crash after %d: %v", k, names)
		}
		if k > 0 {
			rd := filesys.Open("d", "f")
			want := map[bool]string{true: "", false: "abc"}[k == 1]
			if got := string(filesys.ReadAt(rd, 0, 10)); got != want {
				t.Fatalf("crash after %d: f = %q", k, got)
			}
			filesys.Close(rd)
		}
		if !crashed {
			break
		}
	}
}
