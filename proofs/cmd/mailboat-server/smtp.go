package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"pv/proofs/mailboat"
)

// The SMTP side (RFC 5321): HELO/EHLO, MAIL FROM, RCPT TO, DATA (with
// dot-stuffing), RSET, NOOP, VRFY, HELP, QUIT. A message is delivered, with
// one mailboat.Deliver per recipient, only once its final "." has arrived,
// and acknowledged only after every Deliver has returned (it is durable).

// maxRecipients is RFC 5321 §4.5.3.1.8's minimum recipient buffer.
const maxRecipients = 100

type smtpSession struct {
	srv    *server
	k      *conn
	helo   string
	from   string
	inMail bool
	rcpts  []uint64
}

func (s *server) serveSMTP(k *conn) {
	defer k.close()
	ss := &smtpSession{srv: s, k: k}
	k.tooMany = "421 4.7.0 " + s.domain + " too many errors, closing"
	k.reply("220 " + s.domain + " ESMTP mailboat ready")
	k.serve("500 5.5.6 line too long", ss.command)
}

// bad queues an error reply and reports whether the session must end.
func (ss *smtpSession) bad(reply string) bool { return ss.k.bad(reply) }

func (ss *smtpSession) reset() {
	ss.from, ss.inMail, ss.rcpts = "", false, ss.rcpts[:0]
}

// command handles one command line; false ends the session.
func (ss *smtpSession) command(line string) bool {
	k := ss.k
	if !printable(line) {
		return !ss.bad("500 5.5.2 command not printable ASCII")
	}
	v, arg := verb(line)
	switch v {
	case "HELO", "EHLO":
		if strings.TrimSpace(arg) == "" {
			return !ss.bad("501 5.5.4 " + v + " needs a domain or address")
		}
		ss.helo = strings.TrimSpace(arg)
		ss.reset()
		if v == "HELO" {
			k.reply("250 " + ss.srv.domain)
		} else {
			k.reply("250-" + ss.srv.domain + " greets " + ss.helo)
			k.reply("250-8BITMIME")
			k.reply("250-PIPELINING")
			k.reply("250-SIZE " + strconv.Itoa(ss.srv.maxMessage))
			k.reply("250 ENHANCEDSTATUSCODES")
		}
	case "MAIL":
		return ss.mail(arg)
	case "RCPT":
		return ss.rcpt(arg)
	case "DATA":
		if arg != "" {
			return !ss.bad("501 5.5.4 DATA takes no argument")
		}
		return ss.data()
	case "RSET":
		ss.reset()
		k.reply("250 2.0.0 OK")
	case "NOOP":
		k.reply("250 2.0.0 OK")
	case "VRFY":
		k.reply("252 2.1.5 cannot verify, but will accept the message and attempt delivery")
	case "HELP":
		k.reply("214 2.0.0 commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT")
	case "QUIT":
		k.reply("221 2.0.0 " + ss.srv.domain + " closing")
		return false
	case "":
		return !ss.bad("500 5.5.2 empty command")
	default:
		return !ss.bad("500 5.5.1 unknown command " + strconv.Quote(v))
	}
	return true
}

// pathArg splits "FROM:<path> params" for the keyword kw.
func pathArg(arg, kw string) (string, bool) {
	if len(arg) < len(kw) || !strings.EqualFold(arg[:len(kw)], kw) {
		return "", false
	}
	return arg[len(kw):], true
}

func (ss *smtpSession) mail(arg string) bool {
	switch {
	case ss.helo == "":
		return !ss.bad("503 5.5.1 send HELO or EHLO first")
	case ss.inMail:
		return !ss.bad("503 5.5.1 a mail transaction is already open (RSET first)")
	}
	p, ok := pathArg(arg, "FROM:")
	if !ok {
		return !ss.bad("501 5.5.4 syntax: MAIL FROM:<address>")
	}
	local, domain, params, err := parsePath(p, true)
	if err != nil {
		return !ss.bad("501 5.1.7 bad sender address: " + err.Error())
	}
	for _, param := range strings.Fields(params) {
		key, val, _ := strings.Cut(param, "=")
		switch strings.ToUpper(key) {
		case "SIZE":
			n, err := strconv.ParseUint(val, 10, 63)
			if err != nil {
				return !ss.bad("501 5.5.4 bad SIZE")
			}
			if n > uint64(ss.srv.maxMessage) {
				return !ss.bad(fmt.Sprintf("552 5.3.4 message size exceeds the limit of %d bytes", ss.srv.maxMessage))
			}
		case "BODY":
			if v := strings.ToUpper(val); v != "7BIT" && v != "8BITMIME" {
				return !ss.bad("501 5.5.4 BODY must be 7BIT or 8BITMIME")
			}
		default:
			return !ss.bad("555 5.5.4 unsupported parameter " + strconv.Quote(key))
		}
	}
	ss.from = ""
	if local != "" {
		ss.from = local + "@" + domain
	}
	ss.inMail = true
	ss.k.reply("250 2.1.0 sender OK")
	return true
}

func (ss *smtpSession) rcpt(arg string) bool {
	if !ss.inMail {
		return !ss.bad("503 5.5.1 send MAIL first")
	}
	p, ok := pathArg(arg, "TO:")
	if !ok {
		return !ss.bad("501 5.5.4 syntax: RCPT TO:<address>")
	}
	// RFC 5321 §4.1.1.3: the local "<postmaster>" needs no domain.
	var local string
	if strings.EqualFold(strings.TrimSpace(p), "<postmaster>") {
		local = "postmaster"
	} else {
		l, _, params, err := parsePath(p, false)
		if err != nil {
			return !ss.bad("501 5.1.3 bad recipient address: " + err.Error())
		}
		if params != "" {
			return !ss.bad("555 5.5.4 RCPT parameters are not supported")
		}
		local = l
	}
	user, ok := parseUser(local, ss.srv.users)
	if !ok {
		return !ss.bad(fmt.Sprintf("550 5.1.1 no such user %q (user0..user%d)", local, ss.srv.users-1))
	}
	for _, u := range ss.rcpts {
		if u == user { // one copy per mailbox
			ss.k.reply("250 2.1.5 recipient OK")
			return true
		}
	}
	if len(ss.rcpts) >= maxRecipients {
		ss.k.reply("452 4.5.3 too many recipients")
		return true
	}
	ss.rcpts = append(ss.rcpts, user)
	ss.k.reply("250 2.1.5 recipient OK")
	return true
}

func (ss *smtpSession) data() bool {
	k := ss.k
	switch {
	case !ss.inMail:
		return !ss.bad("503 5.5.1 send MAIL first")
	case len(ss.rcpts) == 0:
		return !ss.bad("554 5.5.1 no valid recipients")
	}
	k.reply("354 end data with <CR><LF>.<CR><LF>")
	k.w.Flush()
	k.c.SetReadDeadline(time.Now().Add(k.idle))
	body, tooBig, err := readData(k.r, ss.srv.maxMessage)
	if err != nil {
		return false // the client went away in the middle: nothing is delivered
	}
	if tooBig {
		ss.reset()
		k.reply(fmt.Sprintf("552 5.3.4 message exceeds the limit of %d bytes", ss.srv.maxMessage))
		return true
	}
	msg := ss.trace(body)
	for _, u := range ss.rcpts {
		mailboat.Deliver(ss.srv.mb, u, msg)
	}
	ss.reset()
	k.reply("250 2.0.0 OK delivered")
	return true
}

// trace prepends the Return-Path and Received lines RFC 5321 §4.4 asks for.
func (ss *smtpSession) trace(body []byte) []byte {
	var b strings.Builder
	b.Grow(len(body) + 200)
	b.WriteString("Return-Path: <" + ss.from + ">\r\n")
	b.WriteString("Received: from " + ss.helo + " by " + ss.srv.domain + " (mailboat); " +
		time.Now().UTC().Format(time.RFC1123Z) + "\r\n")
	b.Write(body)
	return []byte(b.String())
}

// readData reads a DATA body up to the line ".", undoes dot-stuffing and
// ends every line with CRLF. Past max bytes it reads on to the end but
// keeps nothing (tooBig). An error (a disconnect) loses the whole message.
func readData(r *bufio.Reader, max int) (msg []byte, tooBig bool, err error) {
	var line []byte
	atStart := true // the next fragment begins a line
	for {
		frag, err := r.ReadSlice('\n')
		stuffed := atStart && len(frag) > 0 && frag[0] == '.'
		if err == bufio.ErrBufferFull {
			if stuffed {
				frag = frag[1:]
			}
			if !tooBig {
				line = append(line, frag...)
				if len(msg)+len(line) > max {
					tooBig, msg, line = true, nil, nil
				}
			}
			atStart = false
			continue
		}
		if err == io.EOF && len(frag) > 0 {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, false, err
		}
		if atStart && (string(frag) == ".\r\n" || string(frag) == ".\n") {
			return msg, tooBig, nil
		}
		if !tooBig {
			if stuffed {
				frag = frag[1:]
			}
			line = append(line, frag...)
			line = line[:len(line)-1] // the LF
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			msg = append(msg, line...)
			msg = append(msg, '\r', '\n')
			line = line[:0]
			if len(msg) > max {
				tooBig, msg, line = true, nil, nil
			}
		}
		atStart = true
	}
}
