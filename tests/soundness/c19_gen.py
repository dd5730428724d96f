"""Random gooseable Go functions for the differential test of test_c19_go_semantics.py: nested
loops with break and continue, early returns, if/else, uint64 arithmetic (some of it grouped
by Go's operator precedence) that wraps, divides (by zero too) and truncates to bytes, slice
reads, writes and appends (out of range too) and ranges over slices, maps (ranged over by
bodies whose effect does not depend on the order), struct fields through a pointer and
struct copies, and calls that write through their pointer and slice arguments.  Every
function compiles (no constant overflow, every variable used) and ends; some panic."""
from __future__ import annotations

import random

HEADER = """package gen

type pt struct {
\tx uint64
\ty uint64
}

func mut(q *pt, t []uint64, v uint64) (uint64, uint64) {
\tq.x += v
\tif len(t) > 1 {
\t\tt[1] = v
\t}
\treturn q.y, v * 3
}

"""


class _Gen:
    def __init__(self, rng: random.Random):
        self.r = rng
        self.loops = 0

    def const(self):
        return str(self.r.choice([0, 1, 2, 3, 7, 255, 256, 1000, 2 ** 32, 2 ** 63,
                                  2 ** 64 - 1, 2 ** 64 - 2]))

    def atom(self):
        """A non-constant uint64 expression."""
        return self.r.choice(["a", "b", "c", "p.x", "p.y", "uint64(len(s))", "s[a%4]",
                              "s[b%uint64(len(s))]", "uint64(byte(a))", "s[c%8]"])

    def expr(self, d=0):
        if d > 2 or self.r.random() < 0.3:
            return self.atom()
        op = self.r.choice(["+", "-", "*", "/", "%", "+", "-", "*"])
        left = self.expr(d + 1)
        const = self.r.random() >= 0.6
        right = self.const() if const else self.expr(d + 1)
        if op in "/%" and right == "0":
            right = "a"
        if not const and self.r.random() < 0.4:
            # Go's precedence groups it (its leftmost operand is a variable, so no constant
            # subexpression, which could overflow, forms)
            return f"{left} {op} {right}"
        return f"({left} {op} {right})"

    def cond(self, d=0):
        k = self.r.random()
        if d < 2 and k < 0.2:
            return f"({self.cond(d + 1)} && {self.cond(d + 1)})"
        if d < 2 and k < 0.35:
            return f"({self.cond(d + 1)} || {self.cond(d + 1)})"
        if d < 2 and k < 0.45:
            return f"!({self.cond(d + 1)})"
        return f"{self.expr(2)} {self.r.choice(['<', '<=', '==', '!=', '>', '>='])} " \
               f"{self.expr(2) if self.r.random() < 0.5 else self.const()}"

    def block(self, ind, depth, in_loop):
        return [s for _ in range(self.r.randint(1, 3)) for s in self.stmt(ind, depth, in_loop)]

    def stmt(self, ind, depth, in_loop):
        t = "\t" * ind
        k = self.r.random()
        if depth < 3 and k < 0.15:
            out = [f"{t}if {self.cond()} {{"] + self.block(ind + 1, depth + 1, in_loop)
            if self.r.random() < 0.5:
                out += [f"{t}}} else {{"] + self.block(ind + 1, depth + 1, in_loop)
            return out + [f"{t}}}"]
        if depth < 3 and k < 0.27:
            self.loops += 1
            i = f"i{self.loops}"
            body = [f"{t}\t{self.r.choice(['a', 'b', 'c'])} += {i}"] + \
                self.block(ind + 1, depth + 1, True)
            return [f"{t}for {i} := uint64(0); {i} < {self.r.randint(1, 4)}; {i}++ {{"] + \
                body + [f"{t}}}"]
        if depth < 3 and k < 0.31:
            self.loops += 1
            j, x = f"j{self.loops}", f"x{self.loops}"
            return [f"{t}for {j}, {x} := range s {{", f"{t}\ta += {x} * uint64({j})",
                    f"{t}\tif len(s) < 40 {{", f"{t}\t\ts = append(s, {x})", f"{t}\t}}"] + \
                self.block(ind + 1, depth + 1, True) + [f"{t}}}"]
        if depth < 3 and k < 0.34:
            self.loops += 1
            kk, v = f"k{self.loops}", f"v{self.loops}"
            # a body whose effect does not depend on the (unspecified) iteration order
            return [f"{t}for {kk}, {v} := range m {{", f"{t}\tc += {kk}*{v} + 1",
                    f"{t}\tb += {v}", f"{t}}}"]
        if in_loop and k < 0.40:
            return [f"{t}if {self.cond()} {{", f"{t}\t{self.r.choice(['break', 'continue'])}",
                    f"{t}}}"]
        for bound, make in _SIMPLE:
            if k < bound:
                return [t + line for line in make(self)]
        return [t + f"{self.r.choice('abc')} {self.r.choice(['=', '+=', '-=', '*='])} "
                f"{self.expr()}"]

    def func(self, name):
        self.loops = 0
        body = self.block(1, 0, False)
        return "\n".join([f"func {name}() uint64 {{",
                          f"\ta := uint64({self.const()})",
                          f"\tb := uint64({self.const()})",
                          "\tc := uint64(1)",
                          "\ts := make([]uint64, 4, 6)",
                          f"\tp := &pt{{x: {self.const()}}}",
                          "\tm := map[uint64]uint64{1: 2}"] + body +
                         ["\treturn a + b*3 + c*7 + p.x + p.y*11 + uint64(len(s)) + "
                          "uint64(len(m))*17 + m[1]*19", "}", ""])


# the simple statements: (upper bound of the draw that picks it, its lines without indent)
_SIMPLE = [
    (0.44, lambda g: [f"if {g.cond()} {{", f"\treturn {g.expr()}", "}"]),
    (0.48, lambda g: [f"m[{g.expr()} % 5] = {g.expr()}"]),
    (0.50, lambda g: [f"delete(m, {g.expr()} % 5)"]),
    (0.53, lambda g: [f"a, b = mut(p, s, {g.expr()})"]),
    (0.55, lambda g: ["{", "\tq := *p", f"\tq.y = {g.expr()}", "\ta += q.x + q.y", "}"]),
    (0.60, lambda g: [f"s[{g.r.choice(['a % 4', 'b', '0', 'c % uint64(len(s))'])}] = "
                      f"{g.expr()}"]),
    (0.65, lambda g: ["if len(s) < 40 {", f"\ts = append(s, {g.expr()})", "}"]),
    (0.69, lambda g: [f"s = s[{g.r.choice(['1', '0', 'a % 3'])}:]"]),
    (0.75, lambda g: [f"p.{g.r.choice('xy')} = {g.expr()}"]),
    (0.80, lambda g: [f"{g.r.choice('abc')}, {g.r.choice('abc')} = {g.expr()}, {g.expr()}"]),
]


def package(seed: int, count: int):
    """(Go source of package gen, its test file printing each result or "panic", names)."""
    g = _Gen(random.Random(seed))
    names = [f"F{i}" for i in range(count)]
    src = HEADER + "\n".join(g.func(n) for n in names)
    rows = "\n".join(f'\t{{"{n}", {n}}},' for n in names)
    test = ("package gen\n\nimport (\n\t\"fmt\"\n\t\"testing\"\n)\n\n"
            "var cases = []struct {\n\tname string\n\tf    func() uint64\n}{\n" + rows +
            "\n}\n\nfunc result(f func() uint64) (out string) {\n\tdefer func() {\n"
            "\t\tif recover() != nil {\n\t\t\tout = \"panic\"\n\t\t}\n\t}()\n"
            "\treturn fmt.Sprint(f())\n}\n\nfunc TestPrint(t *testing.T) {\n"
            "\tfor _, c := range cases {\n\t\tfmt.Println(c.name, result(c.f))\n\t}\n}\n")
    return src, test, names
