package main

import (
	"bufio"
	"crypto/subtle"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Users and addresses. Mailbox n of the library (0 ≤ n < -users) is the
// user named "user<n>" (decimal, no leading zeros): the POP3 login name, and
// the local part of every SMTP address that reaches it, at any domain
// ("user7@example.org", "USER7@localhost"). "postmaster" (RFC 5321 §4.5.1)
// is user0. The server delivers locally only; it never relays.

// parseUser returns the user a login name or an address's local part names.
func parseUser(local string, users uint64) (uint64, bool) {
	l := strings.ToLower(local)
	if l == "postmaster" {
		return 0, true
	}
	digits := strings.TrimPrefix(l, "user")
	if digits == l || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n >= users {
		return 0, false
	}
	return n, true
}

// parsePath parses an SMTP path argument, "<local@domain>" (RFC 5321
// §4.1.2; a source route "@a,@b:" before the mailbox is ignored), and
// returns its mailbox's local part and domain. null allows "<>".
func parsePath(arg string, null bool) (local, domain, rest string, err error) {
	arg = strings.TrimLeft(arg, " ")
	if !strings.HasPrefix(arg, "<") {
		return "", "", "", fmt.Errorf("the address must be in angle brackets")
	}
	end := strings.IndexByte(arg, '>')
	if end < 0 {
		return "", "", "", fmt.Errorf("no closing '>'")
	}
	path, rest := arg[1:end], strings.TrimSpace(arg[end+1:])
	if path == "" {
		if null {
			return "", "", rest, nil
		}
		return "", "", "", fmt.Errorf("empty address")
	}
	if strings.HasPrefix(path, "@") {
		colon := strings.IndexByte(path, ':')
		if colon < 0 {
			return "", "", "", fmt.Errorf("bad source route")
		}
		path = path[colon+1:]
	}
	at := strings.LastIndexByte(path, '@')
	if at < 0 {
		return "", "", "", fmt.Errorf("no '@' in the address")
	}
	local, domain = path[:at], path[at+1:]
	if len(path) > 254 || !validLocal(local) || !validDomain(domain) {
		return "", "", "", fmt.Errorf("malformed address %q", path)
	}
	return local, domain, rest, nil
}

// validLocal: a dot-atom or a quoted string of at most 64 octets.
func validLocal(l string) bool {
	if l == "" || len(l) > 64 {
		return false
	}
	if len(l) >= 2 && l[0] == '"' && l[len(l)-1] == '"' {
		for i := 1; i < len(l)-1; i++ {
			if l[i] < 32 || l[i] > 126 {
				return false
			}
		}
		return true
	}
	for _, atom := range strings.Split(l, ".") {
		if atom == "" {
			return false
		}
		for i := 0; i < len(atom); i++ {
			c := atom[i]
			if c <= 32 || c >= 127 || strings.IndexByte("()<>[]:;@\\,\"", c) >= 0 {
				return false
			}
		}
	}
	return true
}

// validDomain: dot-separated letter-digit-hyphen labels, or an address
// literal in brackets.
func validDomain(d string) bool {
	if len(d) >= 2 && d[0] == '[' && d[len(d)-1] == ']' {
		for i := 1; i < len(d)-1; i++ {
			if c := d[i]; c <= 32 || c >= 127 || c == '[' || c == ']' || c == '\\' {
				return false
			}
		}
		return len(d) > 2
	}
	if d == "" || len(d) > 253 {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// passwords maps users to their POP3 passwords; nil accepts any password.
type passwords map[uint64]string

func (p passwords) check(user uint64, pw string) bool {
	if p == nil {
		return true
	}
	want, ok := p[user]
	return ok && subtle.ConstantTimeCompare([]byte(want), []byte(pw)) == 1
}

// loadPasswords reads a file of "user password" lines ('#' starts a
// comment line); the password is everything after the first run of spaces.
func loadPasswords(path string, users uint64) (passwords, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p := passwords{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		name, pw, _ := strings.Cut(line, " ")
		pw = strings.TrimLeft(pw, " \t")
		u, ok := parseUser(name, users)
		switch {
		case !ok || strings.EqualFold(name, "postmaster"):
			return nil, fmt.Errorf("%s:%d:1: error: unknown user %q (user0..user%d)", path, n, name, users-1)
		case pw == "":
			return nil, fmt.Errorf("%s:%d:%d: error: no password for %s", path, n, len(name)+1, name)
		case p[u] != "":
			return nil, fmt.Errorf("%s:%d:1: error: a second password for %s", path, n, name)
		}
		p[u] = pw
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return p, nil
}
