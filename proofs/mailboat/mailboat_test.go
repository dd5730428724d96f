package mailboat

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"pv/proofs/prim/filesys"
	"pv/proofs/prim/rand"
)

func setup(t *testing.T) *Mailboat {
	filesys.Init(t.TempDir(), Dirs())
	return Init()
}

func contents(msgs []Message) []string {
	var s []string
	for _, m := range msgs {
		s = append(s, m.Contents)
	}
	sort.Strings(s)
	return s
}

func TestDirs(t *testing.T) {
	d := Dirs()
	if uint64(len(d)) != NumUsers+1 || d[0] != "spool" || d[1] != "user0" || d[NumUsers] != fmt.Sprintf("user%d", NumUsers-1) {
		t.Fatalf("Dirs() = %v...", d[:3])
	}
}

func TestDeliverPickupDelete(t *testing.T) {
	mb := setup(t)
	big := strings.Repeat("0123456789abcdef", 1000) // 16000 bytes: 4 chunks
	exact := strings.Repeat("x", int(2*ChunkSize))  // a multiple of the chunk size
	for _, m := range []string{"hello", "", big, exact} {
		Deliver(mb, 3, []byte(m))
	}
	Deliver(mb, 4, []byte("other user"))
	msgs := Pickup(mb, 3)
	if got, want := contents(msgs), []string{"", big, "hello", exact}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Pickup: %d messages, contents mismatch", len(got))
	}
	for _, m := range msgs {
		if !strings.HasPrefix(m.Id, "msg") {
			t.Fatalf("id %q", m.Id)
		}
		if m.Contents == "hello" {
			Delete(mb, 3, m.Id)
		}
	}
	Unlock(mb, 3)
	msgs = Pickup(mb, 3)
	if len(msgs) != 3 {
		t.Fatalf("after Delete: %d messages", len(msgs))
	}
	Unlock(mb, 3)
	if msgs := Pickup(mb, 4); len(msgs) != 1 || msgs[0].Contents != "other user" {
		t.Fatalf("user 4: %v", msgs)
	}
	Unlock(mb, 4)
	if len(filesys.List(SpoolDir)) != 0 {
		t.Fatal("spool not empty after deliveries")
	}
}

func TestDeliverCopiesNothingBack(t *testing.T) {
	mb := setup(t)
	msg := []byte("abc")
	Deliver(mb, 0, msg)
	msgs := Pickup(mb, 0)
	msgs[0].Contents = "changed"
	msg[0] = 'z'
	Unlock(mb, 0)
	if again := Pickup(mb, 0); again[0].Contents != "abc" {
		t.Fatalf("stored message changed: %q", again[0].Contents)
	}
	Unlock(mb, 0)
}

// TestNameCollisions forces both retry loops of Deliver to retry: the first
// spool name and the first message id are already taken.
func TestNameCollisions(t *testing.T) {
	mb := setup(t)
	rand.Enqueue(5, 7) // first delivery: spool "5", id "msg7"
	Deliver(mb, 1, []byte("first"))
	if _, ok := filesys.Create(SpoolDir, "6"); !ok { // a delivery in progress
		t.Fatal("create spool/6")
	}
	rand.Enqueue(6, 8, 7, 9) // spool "6" taken, use "8"; "msg7" taken, use "msg9"
	Deliver(mb, 1, []byte("second"))
	msgs := Pickup(mb, 1)
	Unlock(mb, 1)
	ids := map[string]string{}
	for _, m := range msgs {
		ids[m.Id] = m.Contents
	}
	if len(ids) != 2 || ids["msg7"] != "first" || ids["msg9"] != "second" {
		t.Fatalf("messages %v", ids)
	}
	if got := filesys.List(SpoolDir); len(got) != 1 || got[0] != "6" {
		t.Fatalf("spool %v", got)
	}
}

func TestRecoverEmptiesSpool(t *testing.T) {
	mb := setup(t)
	Deliver(mb, 2, []byte("kept"))
	f, _ := filesys.Create(SpoolDir, "123")
	filesys.Append(f, []byte("partial"))
	filesys.Reboot()
	mb = Recover()
	if len(filesys.List(SpoolDir)) != 0 {
		t.Fatal("spool not empty after Recover")
	}
	if msgs := Pickup(mb, 2); len(msgs) != 1 || msgs[0].Contents != "kept" {
		t.Fatalf("mailbox after Recover: %v", msgs)
	}
	Unlock(mb, 2)
}

// TestCrashDuringDeliver crashes a delivery after every possible number of
// file-system mutations, and recovery at every point, and checks that the
// mailbox then holds the earlier message and either all or none of the new
// one, and that the spool is empty.
func TestCrashDuringDeliver(t *testing.T) {
	root := t.TempDir()
	msg := strings.Repeat("m", int(3*ChunkSize)+10)
	for n := uint64(0); ; n++ {
		crashed := false
		for m := uint64(0); ; m++ {
			filesys.Init(root, Dirs())
			mb := Recover()
			for _, old := range Pickup(mb, 0) {
				Delete(mb, 0, old.Id)
			}
			Unlock(mb, 0)
			Deliver(mb, 0, []byte("old"))

			filesys.CrashAfter(n)
			Deliver(mb, 0, []byte(msg))
			crashed = filesys.Crashed()
			filesys.Reboot()
			filesys.CrashAfter(m)
			Recover()
			recCrashed := filesys.Crashed()
			filesys.Reboot()
			mb = Recover()

			got := contents(Pickup(mb, 0))
			Unlock(mb, 0)
			switch fmt.Sprint(got) {
			case "[old]":
				if !crashed {
					t.Fatal("completed delivery lost")
				}
			case fmt.Sprint([]string{msg, "old"}):
			default:
				t.Fatalf("crash after %d/%d: %d messages, a partial one?", n, m, len(got))
			}
			if len(filesys.List(SpoolDir)) != 0 {
				t.Fatalf("crash after %d/%d: spool not empty", n, m)
			}
			if !recCrashed {
				break
			}
		}
		if !crashed {
			break
		}
	}
}

// TestConcurrent delivers from many goroutines to a few users while others
// pick up and delete; a pickup must only ever see whole messages, and in the
// end every delivered message has been seen exactly once.
func TestConcurrent(t *testing.T) {
	mb := setup(t)
	const users, senders, perSender = 3, 6, 20
	body := func(s, i int) string {
		return fmt.Sprintf("from %d #%d ", s, i) + strings.Repeat("z", (s*977+i*131)%9000)
	}
	var delivered sync.WaitGroup
	for s := 0; s < senders; s++ {
		delivered.Add(1)
		go func(s int) {
			defer delivered.Done()
			for i := 0; i < perSender; i++ {
				Deliver(mb, uint64((s+i)%users), []byte(body(s, i)))
			}
		}(s)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	check := func(u uint64) {
		msgs := Pickup(mb, u)
		for _, m := range msgs {
			var s, i int
			if _, err := fmt.Sscanf(m.Contents, "from %d #%d ", &s, &i); err != nil || m.Contents != body(s, i) {
				t.Errorf("partial or corrupt message %.20q (%d bytes)", m.Contents, len(m.Contents))
				continue
			}
			mu.Lock()
			seen[m.Contents]++
			mu.Unlock()
			Delete(mb, u, m.Id)
		}
		Unlock(mb, u)
	}
	done := make(chan struct{})
	var readers sync.WaitGroup
	for u := uint64(0); u < users; u++ {
		readers.Add(1)
		go func(u uint64) {
			defer readers.Done()
			for {
				select {
				case <-done:
					return
				default:
					check(u)
				}
			}
		}(u)
	}
	delivered.Wait()
	close(done)
	readers.Wait()
	for u := uint64(0); u < users; u++ {
		check(u)
	}
	if len(seen) != senders*perSender {
		t.Fatalf("saw %d distinct messages, want %d", len(seen), senders*perSender)
	}
	for c, k := range seen {
		if k != 1 {
			t.Fatalf("message %.20q seen %d times", c, k)
		}
	}
	if len(filesys.List(SpoolDir)) != 0 {
		t.Fatal("spool not empty")
	}
}
