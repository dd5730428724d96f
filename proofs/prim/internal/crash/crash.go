// Package crash is the crash-point bookkeeping shared by the primitive
// libraries' test hooks (CrashAfter, Crashed, Reboot).
//
// A simulated crash does not kill any goroutine. Instead, once the armed
// number of mutating primitive calls has completed, the primitive takes a
// snapshot of its persistent state; code keeps running against the live
// state, and Reboot later restores the snapshot. The effect on persistent
// state is exactly that of a machine that stopped right after the n-th
// mutation, while the test never has to deal with goroutines that died
// holding locks or spin in retry loops on a dead machine.
//
// The caller (a primitive package) must serialise every method with the
// mutations it counts (a mutex held around both), so that the snapshot is
// taken atomically with the mutation.
package crash

// Point counts mutations down to an armed crash point.
type Point struct {
	armed   bool
	left    uint64
	crashed bool
}

// Arm sets the crash point after n more mutations. It reports whether the
// snapshot must be taken right now (n == 0).
func (p *Point) Arm(n uint64) bool {
	p.armed = true
	p.left = n
	p.crashed = false
	if n == 0 {
		p.crashed = true
		return true
	}
	return false
}

// Mutated records one completed mutation. It reports whether this mutation
// was the last one before the crash point, so the snapshot must be taken now.
func (p *Point) Mutated() bool {
	if !p.armed || p.crashed {
		return false
	}
	p.left--
	if p.left == 0 {
		p.crashed = true
		return true
	}
	return false
}

// Crashed reports whether the crash point has been reached.
func (p *Point) Crashed() bool { return p.crashed }

// Reset disarms the point. It reports whether a snapshot was taken (and so
// must be restored by the caller).
func (p *Point) Reset() bool {
	restore := p.crashed
	*p = Point{}
	return restore
}
