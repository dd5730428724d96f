// Package mailboat is the mail library of the paper's §8: per-user
// mailboxes stored Maildir-style, one file per message, in the directories
// "user0".."user{NumUsers-1}" of package filesys, with messages spooled in
// the directory "spool" while they are written.
//
// Specification: the state maps each user to a mailbox, a map from message
// ids to contents. Deliver adds a message with a fresh id, atomically (it
// becomes visible whole, at the Link) and durably once it returns. Pickup
// returns a user's mailbox as of one moment (the List) and takes the user's
// lock, which Unlock releases; Delete, called with that lock held, removes
// a message that Pickup returned. Deliver needs no lock and may run at any
// time, concurrently with everything but Init and Recover. After a crash,
// Recover must run before any other operation; no delivered message is lost.
//
// The file system must already have the directories of Dirs().
package mailboat

import (
	"sync"

	"pv/proofs/prim/filesys"
	"pv/proofs/prim/rand"
	"pv/proofs/prim/strconv"
)

// NumUsers is the fixed number of users; user ids are 0..NumUsers-1.
const NumUsers uint64 = 100

// SpoolDir holds messages being delivered.
const SpoolDir = "spool"

// ChunkSize is how many bytes each file append or read handles.
const ChunkSize uint64 = 4096

// Message is one message of a mailbox.
type Message struct {
	Id       string
	Contents string
}

// Mailboat is the volatile state: one lock per user, so that Delete cannot
// remove a message between Pickup's List and its reading of the file.
type Mailboat struct {
	locks []*sync.Mutex
}

// Dirs returns the directories the library uses: the spool, then one per
// user. (For setting up the file system.)
func Dirs() []string {
	dirs := make([]string, 0)
	dirs = append(dirs, SpoolDir)
	for u := uint64(0); u < NumUsers; u++ {
		dirs = append(dirs, userDir(u))
	}
	return dirs
}

func userDir(user uint64) string {
	return "user" + strconv.Uint64ToString(user)
}

// Init returns the volatile state: every user's lock, unlocked.
func Init() *Mailboat {
	locks := make([]*sync.Mutex, 0)
	for u := uint64(0); u < NumUsers; u++ {
		locks = append(locks, new(sync.Mutex))
	}
	return &Mailboat{locks: locks}
}

// readMessage returns the contents of dir/name, read ChunkSize bytes at a
// time until a short read.
func readMessage(dir string, name string) string {
	f := filesys.Open(dir, name)
	data := make([]byte, 0)
	for {
		buf := filesys.ReadAt(f, uint64(len(data)), ChunkSize)
		data = append(data, buf...)
		if uint64(len(buf)) < ChunkSize {
			break
		}
	}
	filesys.Close(f)
	return string(data)
}

// Pickup locks user's mailbox and returns all its messages. The caller
// releases the lock with Unlock. Messages delivered after the List may be
// missing; messages listed cannot vanish before they are read, because only
// Delete (under the same lock) removes them, and message files never change
// once linked in.
func Pickup(mb *Mailboat, user uint64) []Message {
	mb.locks[user].Lock()
	dir := userDir(user)
	names := filesys.List(dir)
	messages := make([]Message, 0)
	for _, name := range names {
		contents := readMessage(dir, name)
		messages = append(messages, Message{Id: name, Contents: contents})
	}
	return messages
}

// createTmp creates a new spool file under a random name, retrying with a
// new name while the name is taken (by a concurrent or crashed delivery).
func createTmp() (filesys.Fd, string) {
	for {
		name := strconv.Uint64ToString(rand.Uint64())
		f, ok := filesys.Create(SpoolDir, name)
		if ok {
			return f, name
		}
	}
}

// writeTmp writes msg to a new spool file, ChunkSize bytes per append, and
// returns its name. Nobody else uses the file: its name is fresh, and the
// only other code touching spool files is Recover.
func writeTmp(msg []byte) string {
	f, name := createTmp()
	buf := msg
	for uint64(len(buf)) > ChunkSize {
		filesys.Append(f, buf[:ChunkSize])
		buf = buf[ChunkSize:]
	}
	filesys.Append(f, buf)
	filesys.Close(f)
	return name
}

// Deliver adds msg to user's mailbox. The caller must not modify msg during
// the call. The message is written completely in the spool first and then
// linked into the mailbox in one atomic step, so Pickup never sees a partial
// message and a crash leaves either no message or the whole one (plus, at
// worst, a spool file that Recover deletes).
func Deliver(mb *Mailboat, user uint64, msg []byte) {
	tmpName := writeTmp(msg)
	dir := userDir(user)
	for {
		id := "msg" + strconv.Uint64ToString(rand.Uint64())
		if filesys.Link(SpoolDir, tmpName, dir, id) {
			break
		}
	}
	filesys.Delete(SpoolDir, tmpName)
}

// Delete removes message id from user's mailbox. The caller must hold the
// user's lock (from Pickup) and id must be one that Pickup returned.
func Delete(mb *Mailboat, user uint64, id string) {
	filesys.Delete(userDir(user), id)
}

// Unlock releases user's lock, taken by Pickup.
func Unlock(mb *Mailboat, user uint64) {
	mb.locks[user].Unlock()
}

// Recover runs after a crash, before any other operation, and returns fresh
// volatile state. Files in the spool belong to deliveries that the crash
// interrupted: either before their Link (the message was never delivered)
// or after it (the mailbox holds its own link to the inode). Either way the
// spool file is garbage, so Recover deletes it; the specification does not
// require this, it only frees space. Deleting is safe to repeat if Recover
// itself crashes.
func Recover() *Mailboat {
	spooled := filesys.List(SpoolDir)
	for _, name := range spooled {
		filesys.Delete(SpoolDir, name)
	}
	return Init()
}
