package main

import (
	"net"
	"syscall"
)

// quickAck wraps a TCP connection so that the kernel acknowledges what
// arrives at once (Linux TCP_QUICKACK, which the kernel clears again, hence
// before every read). A client that writes a message in several small
// pieces without TCP_NODELAY (postal does) otherwise holds its last piece
// back until our delayed ACK, some 40 ms later: per-message latency that
// would bound the server at a few dozen messages per second per client.
type quickAck struct {
	*net.TCPConn
	raw syscall.RawConn
}

func withQuickAck(c net.Conn) net.Conn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return c
	}
	return &quickAck{TCPConn: tc, raw: raw}
}

func (q *quickAck) Read(b []byte) (int, error) {
	q.raw.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
	return q.TCPConn.Read(b)
}
