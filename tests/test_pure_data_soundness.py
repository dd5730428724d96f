"""Randomised soundness of the pure checker on data: sets, maps, lists, pairs and options.

Random claims over variables of data sorts are evaluated on a random assignment of small
values; a claim the assignment falsifies must never be proved (from hypotheses it satisfies).
The evaluator below is an independent reading of the semantics documented in kernel/pure.py:
nth is None outside [0, len); update out of range changes nothing; replicate(k, x) is max(k, 0)
copies; range(a, b) = {a, ..., b-1}; sublist(l, o, k) takes k after dropping max(o, 0); maps and
sets are extensional."""
import random

from kernel.pure import entails
from seplogic.syntax import App, INT, Lit, Sort, U64, Var, mk_int

SET_U, SET_I = Sort("set", (U64,)), Sort("set", (INT,))
MAP_U, MAP_I = Sort("map", (U64, INT)), Sort("map", (INT, INT))
LIST, PAIR, OPT = Sort("list", (INT,)), Sort("prod", (INT, INT)), Sort("option", (INT,))
ENV = {"x": U64, "y": U64, "a": INT, "b": INT, "S": SET_U, "T": SET_I, "U": SET_U,
       "m": MAP_U, "n": MAP_I, "l": LIST, "k": LIST, "p": PAIR, "q": PAIR}
NONE = ("none",)


def some(v):
    return ("some", v)


def ev(t, s):
    """The value of t under the assignment s."""
    if type(t) is Var:
        return s[t.name]
    if type(t) is Lit:
        return t.value
    o, v = t.op, [ev(u, s) for u in t.args]
    if o == "set":
        return frozenset(v)
    if o == "list":
        return tuple(v)
    table = {
        "add": lambda: v[0] + v[1], "sub": lambda: v[0] - v[1], "eq": lambda: v[0] == v[1],
        "lt": lambda: v[0] < v[1], "le": lambda: v[0] <= v[1], "not": lambda: not v[0],
        "and": lambda: v[0] and v[1], "or": lambda: v[0] or v[1],
        "union": lambda: v[0] | v[1], "inter": lambda: v[0] & v[1], "diff": lambda: v[0] - v[1],
        "mem": lambda: v[0] in v[1], "subseteq": lambda: v[0] <= v[1],
        "range": lambda: frozenset(range(v[0], v[1])),
        "map_empty": lambda: frozenset(),
        "insert": lambda: frozenset({(kk, vv) for kk, vv in v[0] if kk != v[1]} | {(v[1], v[2])}),
        "delete": lambda: frozenset((kk, vv) for kk, vv in v[0] if kk != v[1]),
        "lookup": lambda: next((some(vv) for kk, vv in v[0] if kk == v[1]), NONE),
        "dom": lambda: frozenset(kk for kk, _ in v[0]),
        "map_replicate": lambda: frozenset((kk, v[1]) for kk in range(0, v[0])),
        "len": lambda: len(v[0]), "app": lambda: v[0] + v[1],
        "nth": lambda: some(v[0][v[1]]) if 0 <= v[1] < len(v[0]) else NONE,
        "update": lambda: (v[0][:v[1]] + (v[2],) + v[0][v[1] + 1:]
                           if 0 <= v[1] < len(v[0]) else v[0]),
        "replicate": lambda: (v[1],) * max(v[0], 0),
        "sublist": lambda: v[0][max(v[1], 0):][:max(v[2], 0)],
        "pair": lambda: ("pair", v[0], v[1]), "fst": lambda: v[0][1], "snd": lambda: v[0][2],
        "some": lambda: some(v[0]), "none": lambda: NONE,
    }
    return table[o]()


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def lit(self):
        return mk_int(self.r.choice([-1, 0, 1, 2, 3]))

    def int_(self, d):
        r = self.r.random()
        if d == 0 or r < 0.35:
            return self.r.choice([Var("x"), Var("y"), Var("a"), Var("b"), self.lit()])
        if r < 0.55:
            return App(self.r.choice(["add", "sub"]), (self.int_(d - 1), self.lit()))
        if r < 0.7:
            return App("len", (self.list_(d - 1),))
        return App(self.r.choice(["fst", "snd"]), (self.pair(d - 1),))

    def set_(self, d, which=None):
        r = self.r.random()
        if d == 0 or r < 0.3:
            return self.r.choice([Var("S"), Var("T"), Var("U"), App("set", ()),
                                  App("set", (self.int_(0),))])
        if r < 0.6:
            return App(self.r.choice(["union", "inter", "diff"]), (self.set_(d - 1),
                                                                   self.set_(d - 1)))
        if r < 0.8:
            return App("range", (self.int_(d - 1), self.int_(d - 1)))
        return App("dom", (self.map_(d - 1),))

    def map_(self, d):
        r = self.r.random()
        if d == 0 or r < 0.3:
            return self.r.choice([Var("m"), Var("n"), App("map_empty", ())])
        if r < 0.6:
            return App("insert", (self.map_(d - 1), self.int_(d - 1), self.int_(d - 1)))
        if r < 0.8:
            return App("map_replicate", (self.int_(d - 1), self.int_(d - 1)))
        return App("delete", (self.map_(d - 1), self.int_(d - 1)))

    def list_(self, d):
        r = self.r.random()
        if d == 0 or r < 0.3:
            return self.r.choice([Var("l"), Var("k"), App("list", ()),
                                  App("list", (self.int_(0), self.int_(0)))])
        if r < 0.5:
            return App("app", (self.list_(d - 1), self.list_(d - 1)))
        if r < 0.7:
            return App("update", (self.list_(d - 1), self.int_(d - 1), self.int_(d - 1)))
        if r < 0.85:
            return App("sublist", (self.list_(d - 1), self.int_(d - 1), self.int_(d - 1)))
        return App("replicate", (self.int_(d - 1), self.int_(d - 1)))

    def pair(self, d):
        if d == 0 or self.r.random() < 0.5:
            return self.r.choice([Var("p"), Var("q")])
        return App("pair", (self.int_(d - 1), self.int_(d - 1)))

    def opt(self, d):
        r = self.r.random()
        if r < 0.4:
            return App("lookup", (self.map_(d), self.int_(d)))
        if r < 0.8:
            return App("nth", (self.list_(d), self.int_(d)))
        return self.r.choice([App("some", (self.int_(d),)), App("none", ())])

    def prop(self, d):
        kind = self.r.choice(["int", "set", "map", "list", "pair", "opt", "mem", "lt", "sub",
                              "not", "and", "or"])
        if kind in ("not", "and", "or") and d > 0:
            if kind == "not":
                return App("not", (self.prop(d - 1),))
            return App(kind, (self.prop(d - 1), self.prop(d - 1)))
        if kind == "mem":
            return App("mem", (self.int_(d), self.set_(d)))
        if kind == "lt":
            return App(self.r.choice(["lt", "le"]), (self.int_(d), self.int_(d)))
        if kind == "sub":
            return App("subseteq", (self.set_(d), self.set_(d)))
        gen = {"int": self.int_, "set": self.set_, "map": self.map_, "list": self.list_,
               "pair": self.pair, "opt": self.opt}.get(kind, self.int_)
        if kind in ("set", "map", "list") and self.r.random() < 0.5:
            return self.related(kind, gen(d), d)
        return App("eq", (gen(d), gen(d)))

    def related(self, kind, t, d):
        """t = (t changed at one place): often nearly true, where extensionality matters."""
        k, v = self.int_(d), self.int_(d)
        u = {"set": lambda: self.r.choice([App("union", (t, App("set", (k,)))),
                                           App("diff", (t, App("set", (k,))))]),
             "map": lambda: self.r.choice([App("insert", (t, k, v)), App("delete", (t, k))]),
             "list": lambda: self.r.choice([App("update", (t, k, v)),
                                            App("sublist", (t, k, v))])}[kind]()
        return App("eq", (t, u) if self.r.random() < 0.5 else (u, t))

    def assignment(self):
        r = self.r
        small_u = [0, 1, 2, 3]
        small_i = [-1, 0, 1, 2]
        sub = lambda xs: frozenset(x for x in xs if r.random() < 0.5)   # noqa: E731
        mp = lambda ks: frozenset((kk, r.choice(small_i)) for kk in sub(ks))  # noqa: E731
        lst = lambda: tuple(r.choice(small_i) for _ in range(r.randrange(4)))  # noqa: E731
        return {"x": r.choice(small_u), "y": r.choice(small_u), "a": r.choice(small_i),
                "b": r.choice(small_i), "S": sub(small_u), "T": sub(small_i), "U": sub(small_u),
                "m": mp(small_u), "n": mp(small_i), "l": lst(), "k": lst(),
                "p": ("pair", r.choice(small_i), r.choice(small_i)),
                "q": ("pair", r.choice(small_i), r.choice(small_i))}


def test_random_invalid_data_claims_are_not_proved():
    rnd = random.Random(11)
    g = Gen(rnd)
    checked = proved_true = 0
    while checked < 800:
        s = g.assignment()
        hyps, goal = [], None
        for _ in range(40):
            t = g.prop(2)
            val = ev(t, s)
            if val and len(hyps) < rnd.randrange(4):
                hyps.append(t)
            elif not val and goal is None:
                goal = t
        if goal is None:
            continue
        checked += 1
        assert not entails(ENV, hyps, goal, {}), (hyps, goal, s)
        # and the checker still proves things here: the negation of the falsified goal
        proved_true += entails(ENV, hyps, App("not", (goal,)), {})
    assert proved_true > 60     # the test exercises the theories, not only failures
