// Command mailboat-server serves the verified Mailboat library (package
// pv/proofs/mailboat, paper §8) over SMTP (RFC 5321) and POP3 (RFC 1939).
// It touches mail only through the library: Deliver for each accepted
// message and recipient, Pickup at a POP3 login, Delete for each DELE at
// QUIT, Unlock when the session ends, and Recover at start-up (a crashed or
// killed server leaves nothing half done that Recover does not clean up).
//
// Users are user0..user{N-1} (N from -users, at most mailboat.NumUsers):
// user<n> is the POP3 login and the local part of any address that reaches
// mailbox n, whatever the domain; postmaster is user0 (users.go).
//
//	mailboat-server -dir /var/mail/mailboat -smtp 127.0.0.1:2525 -pop3 127.0.0.1:1110
//
// Without -passwords the server accepts any POP3 password, so it then
// listens on loopback addresses only and refuses connections from anywhere
// else. With -passwords FILE (lines "user<n> password") it may listen on
// any address. It prints "smtp ADDR" and "pop3 ADDR" lines once listening
// (with the ports chosen, for ":0").
//
// Running out of disk space or file descriptors is outside the library's
// model: the file system panics and the server stops; restarting it
// recovers, as after a crash.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"pv/proofs/mailboat"
	"pv/proofs/prim/filesys"
)

type server struct {
	mb         *mailboat.Mailboat
	users      uint64
	domain     string
	maxMessage int
	passwords  passwords     // nil: any password, loopback only
	sessions   []atomic.Bool // a POP3 session holds user n's mailbox
	slots      chan struct{} // bounds the connections served at once
	idle       time.Duration
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fl := flag.NewFlagSet("mailboat-server", flag.ContinueOnError)
	dir := fl.String("dir", "", "mail directory (created if missing; required)")
	smtpAddr := fl.String("smtp", "127.0.0.1:2525", "SMTP listen address (empty: no SMTP)")
	popAddr := fl.String("pop3", "127.0.0.1:1110", "POP3 listen address (empty: no POP3)")
	users := fl.Uint64("users", mailboat.NumUsers, "number of users served, user0..user{N-1}")
	pwFile := fl.String("passwords", "", "file of \"user<n> password\" lines for POP3 logins")
	domain := fl.String("domain", "mailboat.localhost", "host name in greetings and Received lines")
	maxMsg := fl.Int("max-message", 32<<20, "largest message accepted, in bytes")
	maxLine := fl.Int("max-line", 4096, "longest command line, in bytes")
	maxConns := fl.Int("max-conns", 1024, "connections served at once")
	idle := fl.Duration("timeout", 5*time.Minute, "idle time before a session is closed")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(os.Stderr, "mailboat-server: error: "+format+"\n", a...)
		return 2
	}
	switch {
	case fl.NArg() > 0:
		return fail("unexpected argument %q", fl.Arg(0))
	case *dir == "":
		return fail("-dir is required")
	case *users < 1 || *users > mailboat.NumUsers:
		return fail("-users must be 1..%d", mailboat.NumUsers)
	case *maxMsg < 1 || *maxLine < 16 || *maxLine > 60000 || *maxConns < 1:
		return fail("-max-message, -max-line (16..60000) and -max-conns must be positive")
	case *smtpAddr == "" && *popAddr == "":
		return fail("nothing to serve: -smtp and -pop3 are both empty")
	}
	s := &server{users: *users, domain: *domain, maxMessage: *maxMsg, idle: *idle,
		sessions: make([]atomic.Bool, *users), slots: make(chan struct{}, *maxConns)}
	if *pwFile != "" {
		p, err := loadPasswords(*pwFile, *users)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		s.passwords = p
	}
	type listener struct {
		name  string
		ln    net.Listener
		serve func(*conn)
		busy  string
	}
	var lns []listener
	for _, l := range []listener{{"smtp", nil, s.serveSMTP, "421 4.3.2 too many connections, try later"},
		{"pop3", nil, s.servePOP3, "-ERR [SYS/TEMP] too many connections, try later"}} {
		addr := *smtpAddr
		if l.name == "pop3" {
			addr = *popAddr
		}
		if addr == "" {
			continue
		}
		if s.passwords == nil && !loopbackAddr(addr) {
			return fail("-%s %s is not a loopback address: without -passwords any POP3 password "+
				"is accepted, so only loopback addresses are served", l.name, addr)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fail("%v", err)
		}
		defer ln.Close()
		l.ln = ln
		lns = append(lns, l)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fail("%v", err)
	}
	filesys.Init(*dir, mailboat.Dirs())
	s.mb = mailboat.Recover()
	if s.passwords == nil {
		fmt.Fprintln(os.Stderr, "mailboat-server: warning: no -passwords file: any POP3 password is "+
			"accepted; serving loopback addresses only")
	}
	for _, l := range lns {
		fmt.Printf("%s %s\n", l.name, l.ln.Addr())
		go s.accept(l.ln, l.serve, l.busy, *maxLine)
	}
	os.Stdout.Sync()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	// Every acknowledged message is durable already; in-flight sessions end
	// with the process, as after a crash.
	return 0
}

func (s *server) accept(ln net.Listener, serve func(*conn), busy string, maxLine int) {
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil { // out of descriptors, an aborted handshake: wait, then go on
			fmt.Fprintln(os.Stderr, "mailboat-server: accept:", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if s.passwords == nil && !loopbackPeer(c.RemoteAddr()) {
			c.Close()
			continue
		}
		select {
		case s.slots <- struct{}{}:
		default:
			c.Write([]byte(busy + "\r\n"))
			c.Close()
			continue
		}
		go func() {
			defer func() { <-s.slots }()
			serve(newConn(c, s.idle, maxLine))
		}()
	}
}

func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func loopbackPeer(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}
