package main

import (
	"bufio"
	"errors"
	"net"
	"strings"
	"time"
)

// conn is one client connection with buffered I/O. Replies are flushed only
// when the client has sent nothing more yet, so a pipelining client gets
// many replies in one segment, and a waiting client gets its reply at once.
type conn struct {
	c       net.Conn
	r       *bufio.Reader
	w       *bufio.Writer
	idle    time.Duration
	errs    int // bad commands so far
	maxLine int
	tooMany string // the reply that ends a session after maxErrors bad commands
}

// maxErrors bad commands end a session (RFC 5321 §4.3.2 allows closing).
const maxErrors = 20

// serve reads command lines and hands each to handle until it returns
// false or the client leaves; a line over maxLine is a bad command.
func (k *conn) serve(tooLong string, handle func(line string) bool) {
	for {
		line, err := k.readLine()
		if err == errLineTooLong {
			if k.bad(tooLong) {
				return
			}
			continue
		}
		if err != nil || !handle(line) {
			return
		}
	}
}

// bad queues the reply to a bad command and reports whether the session
// must end (after maxErrors of them).
func (k *conn) bad(reply string) bool {
	k.errs++
	if k.errs >= maxErrors {
		k.reply(k.tooMany)
		return true
	}
	k.reply(reply)
	return false
}

const ioBuffer = 64 << 10

func newConn(c net.Conn, idle time.Duration, maxLine int) *conn {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
		c = withQuickAck(tc)
	}
	return &conn{c: c, r: bufio.NewReaderSize(c, ioBuffer), w: bufio.NewWriterSize(c, ioBuffer),
		idle: idle, maxLine: maxLine}
}

var errLineTooLong = errors.New("line too long")

// readLine returns the next line without its CRLF (or bare LF). A line
// longer than maxLine is read to its end and dropped: errLineTooLong.
func (k *conn) readLine() (string, error) {
	if k.r.Buffered() == 0 {
		if err := k.w.Flush(); err != nil {
			return "", err
		}
	}
	k.c.SetReadDeadline(time.Now().Add(k.idle))
	frag, err := k.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull || (err == nil && len(frag) > k.maxLine+2) {
		for err == bufio.ErrBufferFull {
			_, err = k.r.ReadSlice('\n')
		}
		if err != nil {
			return "", err
		}
		return "", errLineTooLong
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(frag), "\r\n"), nil
}

// reply queues one line (CRLF added).
func (k *conn) reply(line string) {
	k.w.WriteString(line)
	k.w.WriteString("\r\n")
}

// close flushes what is queued and closes the connection.
func (k *conn) close() {
	k.w.Flush()
	k.c.Close()
}

// verb splits a command line into its upper-cased verb and its argument.
func verb(line string) (string, string) {
	v, arg, _ := strings.Cut(line, " ")
	return strings.ToUpper(v), arg
}

// printable reports whether s is printable US-ASCII (commands are).
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 32 || s[i] > 126 {
			return false
		}
	}
	return true
}
