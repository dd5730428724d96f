package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"pv/proofs/mailboat"
)

// The POP3 side (RFC 1939): USER, PASS, STAT, LIST, UIDL, RETR, TOP, DELE,
// RSET, NOOP, QUIT, and CAPA (RFC 2449). A successful PASS is the
// library's Pickup, which takes the user's lock and returns the mailbox as
// of one moment; the DELE marks are carried out by mailboat.Delete when the
// client QUITs (the UPDATE state), and Unlock ends every session that
// logged in, whether by QUIT or by a dropped connection.

type popMessage struct {
	id      string
	wire    []byte // the message with CRLF line ends, as RETR sends it before stuffing
	deleted bool
}

type popSession struct {
	srv    *server
	k      *conn
	user   uint64
	named  bool // USER given
	logged bool // PASS accepted: the user's lock is held
	msgs   []popMessage
}

func (s *server) servePOP3(k *conn) {
	ps := &popSession{srv: s, k: k}
	defer func() {
		if ps.logged {
			mailboat.Unlock(s.mb, ps.user)
			s.sessions[ps.user].Store(false)
		}
		k.close()
	}()
	k.tooMany = "-ERR too many errors, closing"
	k.reply("+OK mailboat POP3 server ready")
	k.serve("-ERR line too long", ps.command)
}

func (ps *popSession) bad(reply string) bool { return ps.k.bad(reply) }

func (ps *popSession) command(line string) bool {
	k := ps.k
	if !printable(line) {
		return !ps.bad("-ERR command not printable ASCII")
	}
	v, arg := verb(line)
	switch v {
	case "CAPA":
		k.reply("+OK capability list follows")
		for _, c := range []string{"USER", "UIDL", "TOP", "PIPELINING", "RESP-CODES", "IMPLEMENTATION mailboat"} {
			k.reply(c)
		}
		k.reply(".")
		return true
	case "NOOP":
		if !ps.logged {
			return !ps.bad("-ERR log in first")
		}
		k.reply("+OK")
		return true
	case "QUIT":
		if ps.logged {
			ps.update()
		}
		k.reply("+OK mailboat POP3 server signing off")
		return false
	}
	if !ps.logged {
		return ps.authorization(v, arg)
	}
	return ps.transaction(v, arg)
}

func (ps *popSession) authorization(v, arg string) bool {
	k := ps.k
	switch v {
	case "USER":
		u, ok := parseUser(strings.TrimSpace(arg), ps.srv.users)
		if !ok || strings.EqualFold(strings.TrimSpace(arg), "postmaster") {
			ps.named = false
			return !ps.bad(fmt.Sprintf("-ERR no such user (user0..user%d)", ps.srv.users-1))
		}
		ps.user, ps.named = u, true
		k.reply("+OK send PASS")
	case "PASS":
		if !ps.named {
			return !ps.bad("-ERR send USER first")
		}
		ps.named = false
		if !ps.srv.passwords.check(ps.user, arg) {
			return !ps.bad("-ERR [AUTH] invalid user name or password")
		}
		// RFC 1939 §8: one session per maildrop; a second one is refused
		// rather than left waiting for the library's lock.
		if !ps.srv.sessions[ps.user].CompareAndSwap(false, true) {
			return !ps.bad("-ERR [IN-USE] maildrop already locked by another session")
		}
		ps.logged = true
		for _, m := range mailboat.Pickup(ps.srv.mb, ps.user) {
			ps.msgs = append(ps.msgs, popMessage{id: m.Id, wire: wireForm(m.Contents)})
		}
		k.reply(fmt.Sprintf("+OK %d messages", len(ps.msgs)))
	case "APOP", "STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET":
		return !ps.bad("-ERR log in first (USER, PASS)")
	case "":
		return !ps.bad("-ERR empty command")
	default:
		return !ps.bad("-ERR unknown command " + strconv.Quote(v))
	}
	return true
}

// message returns the undeleted message the argument numbers (from 1).
func (ps *popSession) message(arg string) (int, *popMessage, string) {
	n, err := strconv.Atoi(strings.TrimSpace(arg))
	if err != nil || n < 1 || n > len(ps.msgs) {
		return 0, nil, "-ERR no such message"
	}
	m := &ps.msgs[n-1]
	if m.deleted {
		return 0, nil, fmt.Sprintf("-ERR message %d already deleted", n)
	}
	return n, m, ""
}

func (ps *popSession) transaction(v, arg string) bool {
	k := ps.k
	switch v {
	case "STAT":
		count, size := 0, 0
		for _, m := range ps.msgs {
			if !m.deleted {
				count++
				size += len(m.wire)
			}
		}
		k.reply(fmt.Sprintf("+OK %d %d", count, size))
	case "LIST", "UIDL":
		if strings.TrimSpace(arg) != "" {
			n, m, e := ps.message(arg)
			if m == nil {
				return !ps.bad(e)
			}
			k.reply(fmt.Sprintf("+OK %d %s", n, ps.info(v, m)))
			return true
		}
		k.reply("+OK listing follows")
		for i := range ps.msgs {
			if m := &ps.msgs[i]; !m.deleted {
				k.reply(fmt.Sprintf("%d %s", i+1, ps.info(v, m)))
			}
		}
		k.reply(".")
	case "RETR":
		_, m, e := ps.message(arg)
		if m == nil {
			return !ps.bad(e)
		}
		k.reply(fmt.Sprintf("+OK %d octets", len(m.wire)))
		ps.send(m.wire, -1)
	case "TOP":
		a, b, _ := strings.Cut(strings.TrimSpace(arg), " ")
		lines, err := strconv.Atoi(strings.TrimSpace(b))
		_, m, e := ps.message(a)
		if m == nil {
			return !ps.bad(e)
		}
		if err != nil || lines < 0 {
			return !ps.bad("-ERR syntax: TOP msg lines")
		}
		k.reply("+OK top of message follows")
		ps.send(m.wire, lines)
	case "DELE":
		n, m, e := ps.message(arg)
		if m == nil {
			return !ps.bad(e)
		}
		m.deleted = true
		k.reply(fmt.Sprintf("+OK message %d deleted", n))
	case "RSET":
		for i := range ps.msgs {
			ps.msgs[i].deleted = false
		}
		k.reply(fmt.Sprintf("+OK %d messages", len(ps.msgs)))
	case "USER", "PASS", "APOP":
		return !ps.bad("-ERR already logged in")
	case "":
		return !ps.bad("-ERR empty command")
	default:
		return !ps.bad("-ERR unknown command " + strconv.Quote(v))
	}
	return true
}

func (ps *popSession) info(v string, m *popMessage) string {
	if v == "LIST" {
		return strconv.Itoa(len(m.wire))
	}
	return m.id
}

// send writes a multi-line response: the message byte-stuffed, whole
// (bodyLines < 0) or its header and first bodyLines body lines (TOP).
func (ps *popSession) send(wire []byte, bodyLines int) {
	w := ps.k.w
	inBody := false
	for len(wire) > 0 {
		end := bytes.IndexByte(wire, '\n') + 1
		line := wire[:end]
		wire = wire[end:]
		if inBody {
			if bodyLines == 0 {
				break
			}
			bodyLines--
		} else if len(line) == 2 { // the empty line ends the header
			inBody = bodyLines >= 0
		}
		if line[0] == '.' {
			w.WriteByte('.')
		}
		w.Write(line)
	}
	w.WriteString(".\r\n")
}

// update is RFC 1939's UPDATE state: the marked messages go.
func (ps *popSession) update() {
	for _, m := range ps.msgs {
		if m.deleted {
			mailboat.Delete(ps.srv.mb, ps.user, m.id)
		}
	}
}

// wireForm returns contents with every line ending in CRLF, the last one
// included (messages that came through SMTP already are).
func wireForm(contents string) []byte {
	b := []byte(contents)
	clean := len(b) == 0 || bytes.HasSuffix(b, []byte("\r\n"))
	for i := 0; clean && i < len(b); i++ {
		if b[i] == '\n' && (i == 0 || b[i-1] != '\r') {
			clean = false
		}
	}
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/32+2)
	for i := 0; i < len(b); i++ {
		if b[i] == '\n' && (i == 0 || b[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, b[i])
	}
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		out = append(out, '\r', '\n')
	}
	return out
}
