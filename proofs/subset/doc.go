// Package subset holds no code, only a test (subset_test.go) that checks
// that every verified package of this module (all but prim/... and subset)
// stays inside the "gooseable" subset of Go that the translator accepts:
//
//   - types: uint64, byte, bool, string, slices, maps with uint64 keys,
//     structs, pointers to structs, *sync.Mutex, and aliases of these;
//   - imports: "sync" and the primitive packages pv/proofs/prim/...;
//   - top level: const, type and func declarations only (no package-level
//     var, no methods, no generics);
//   - statements: assignments (=, :=, +=, -=), ++/--, if/else, for {},
//     for cond {}, for i := ...; cond; i++ {}, range over slices and maps,
//     break/continue without labels, return, go f(x), expression calls;
//   - builtins: append, len, make, new, delete; conversions to uint64, byte,
//     string (of a []byte) and []byte (of a string);
//   - not: interfaces, closures, channels, select, switch, goto, labels,
//     defer, panic/recover, floats, arrays, type assertions, variadic
//     functions, three-index slices, & other than on a composite literal,
//     and bitwise or shift operators (the core language has none).
//
// Test files (_test.go) are not checked.
package subset
