package main

import (
	"bufio"
	"strings"
	"testing"
)

func TestParseUser(t *testing.T) {
	for in, want := range map[string]int{"user0": 0, "USER7": 7, "user99": 99, "postmaster": 0,
		"user100": -1, "user01": -1, "user": -1, "bob": -1, "user-1": -1, "user1x": -1} {
		u, ok := parseUser(in, 100)
		if (want < 0) == ok || ok && int(u) != want {
			t.Errorf("parseUser(%q) = %d, %v", in, u, ok)
		}
	}
	if _, ok := parseUser("user5", 5); ok {
		t.Error("user5 of 5 users")
	}
}

func TestParsePath(t *testing.T) {
	good := map[string]string{"<a@b.org>": "a", " <x.y@[127.0.0.1]> SIZE=5": "x.y",
		"<@relay.org:u@d.org>": "u", `<"odd name"@d.org>`: `"odd name"`}
	for in, local := range good {
		if l, _, _, err := parsePath(in, false); err != nil || l != local {
			t.Errorf("parsePath(%q) = %q, %v", in, l, err)
		}
	}
	for _, in := range []string{"a@b.org", "<a@b.org", "<ab.org>", "<a@@b>", "<a b@c.org>",
		"<a@-b.org>", "<a..b@c.org>", "<@r:a>", "<>", "<a@b_c.org>", "<" + strings.Repeat("a", 65) + "@b.org>"} {
		if _, _, _, err := parsePath(in, false); err == nil {
			t.Errorf("parsePath(%q) accepted", in)
		}
	}
	if l, _, _, err := parsePath("<>", true); err != nil || l != "" {
		t.Error("null path")
	}
}

func TestReadData(t *testing.T) {
	long := strings.Repeat("L", 3*ioBuffer) // longer than the reader's buffer
	in := "a\r\n..b\r\n.\r\n"
	for _, c := range []struct{ in, want string }{
		{"a\r\n..b\r\nc\n.\r\nnext", "a\r\n.b\r\nc\r\n"},
		{"..\r\n.\n", ".\r\n"},
		{"." + long + "\r\n.\r\n", long + "\r\n"},
		{".\r\n", ""},
	} {
		msg, big, err := readData(bufio.NewReaderSize(strings.NewReader(c.in), ioBuffer), 1<<20)
		if err != nil || big || string(msg) != c.want {
			t.Errorf("readData(%.20q) = %.20q, %v, %v", c.in, msg, big, err)
		}
	}
	if _, _, err := readData(bufio.NewReader(strings.NewReader("a\r\nb")), 100); err == nil {
		t.Error("cut-off DATA accepted")
	}
	msg, big, err := readData(bufio.NewReaderSize(strings.NewReader(long+"\r\n"+in), ioBuffer), 100)
	if err != nil || !big || msg != nil {
		t.Error("oversized message kept")
	}
}

func TestWireForm(t *testing.T) {
	for in, want := range map[string]string{"": "", "a\r\n": "a\r\n", "a\nb": "a\r\nb\r\n",
		"a\r\nb\n": "a\r\nb\r\n", "\n": "\r\n"} {
		if got := string(wireForm(in)); got != want {
			t.Errorf("wireForm(%q) = %q", in, got)
		}
	}
}
