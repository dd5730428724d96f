"""Parser, part 3: the LALR(1) tables lark computes from grammar.lark (shipped as
`grammar_tables.json`) and the small lexer and parser runtime that uses them without
importing lark (seplogic/parser.py)."""
from __future__ import annotations

import _thread
import os
import re

from .document import (Definition, Require)
from .elab import (PVSyntaxError, _AOP, _Err, _TERM_BINOP)
from .callbacks import _Builder


# ---------------------------------------------------------------------------------------------
# Parse tables and the parser runtime
#
# lark computes the LALR(1) tables of `grammar.lark` (`_build_tables`); they are shipped in the
# package as `grammar_tables.json` and only ever read from there -- never from a shared
# directory such as /tmp, where another user could plant tables that change what pv parses.
# A test checks that the file equals what lark computes from the grammar.  Parsing runs the
# small contextual lexer and LALR driver below, which follow lark's semantics (a state's lexer
# only considers the terminals the parser accepts there, longest match, keywords win ties with
# identifiers, IDENT is tried in every state; child filtering and `?rule` inlining as in lark)
# without importing lark: importing lark and loading its own cache costs ~40 ms, this ~2 ms.

_STARTS = ("file", "formula_phrase", "expr_phrase", "sort_phrase")
_FORMAT = 3  # bump when the layout of the tables changes (3: a state a string, `_States`)
_HERE = os.path.dirname(os.path.abspath(__file__))
TABLES_PATH = os.path.join(_HERE, "grammar_tables.json")
REGENERATE = "python -m seplogic.parser --write-tables"
_tables_cache: dict = {}
_tables_lock = _thread.allocate_lock()   # (not threading: its import is ~1.5 ms)


def _grammar_text() -> str:
    with open(os.path.join(_HERE, "grammar.lark"), encoding="utf-8") as f:
        return f.read()


def _grammar_digest(grammar: str) -> str:
    from .digest import sha256_hex
    return sha256_hex(grammar)


def _build_tables(grammar: str) -> dict:
    """Run lark's LALR(1) analysis and export plain data (slow: used to make the shipped file).

    lark numbers states and rules in an order that depends on string hashing (PYTHONHASHSEED),
    so states are renumbered breadth-first from the start states (symbols in sorted order) and
    rules are sorted by their text: the result is a function of the grammar alone."""
    from lark import Lark
    lk = Lark(grammar, parser="lalr", lexer="contextual", start=list(_STARTS),
              maybe_placeholders=False)
    pt = lk.parser.parser._parse_table
    new = {}
    queue = [pt.start_states[s] for s in sorted(pt.start_states)]
    for st in queue:
        if st not in new:
            new[st] = len(new)
            queue += [arg for sym, (action, arg) in sorted(pt.states[st].items(),
                                                          key=lambda kv: str(kv[0]))
                      if action.name == "Shift"]
    assert len(new) == len(pt.states), "unreachable parser states"
    key = lambda r: (str(r.origin.name), tuple(str(x.name) for x in r.expansion), str(r.alias))
    by_key = {key(arg): arg for row in pt.states.values() for action, arg in row.values()
              if action.name != "Shift"}
    rules = [by_key[k] for k in sorted(by_key)]
    index = {key(r): i for i, r in enumerate(rules)}
    states = [None] * len(new)
    for old, st in new.items():
        states[st] = {str(sym): new[arg] if action.name == "Shift" else -1 - index[key(arg)]
                      for sym, (action, arg) in sorted(pt.states[old].items(),
                                                       key=lambda kv: str(kv[0]))}
    rule_specs = []
    for r in rules:
        keep = []
        for i, sym in enumerate(r.expansion):
            if sym.is_term:
                if not sym.filter_out:
                    keep.append(i)
            else:
                keep.append(~i if sym.name.startswith("_") else i)
        name = r.alias or r.origin.name
        expand1 = bool(r.options.expand1 and not r.alias)
        if name.startswith("_") or expand1 and len(keep) == 1 and keep[0] >= 0:
            name = ""  # spliced into the parent (`_rule`) or always inlined (`?rule`)
        elif not hasattr(_Builder, name):
            raise AssertionError(f"grammar rule {name} has no callback in _Builder")
        rule_specs.append([str(r.origin.name), str(name), expand1, len(r.expansion), keep])
    terminals = [[str(t.name), str(t.pattern.type), str(t.pattern.value),
                  [str(f) for f in t.pattern.flags]] for t in lk.terminals]
    return {"format": _FORMAT, "grammar_sha256": _grammar_digest(grammar),
            "start": {str(k): new[v] for k, v in sorted(pt.start_states.items())},
            "end": {str(k): new[v] for k, v in sorted(pt.end_states.items())},
            "ignore": sorted(str(x) for x in lk.lexer_conf.ignore),
            "terminals": terminals, "rules": rule_specs, "states": states}


def tables_json(data: dict) -> str:
    """The tables as the shipped file holds them: one state, rule or terminal a line; a state
    is one string ``"symbol action symbol action ..."`` (`_States` reads it)."""
    import json
    parts = []
    for k, v in data.items():
        if k == "states":
            v = [_state_row(acts) for acts in v]
        if type(v) is list:
            v = "[\n" + ",\n".join(json.dumps(x, ensure_ascii=False) for x in v) + "\n]"
        else:
            v = json.dumps(v, ensure_ascii=False)
        parts.append(f"{json.dumps(k)}: {v}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _state_row(acts: dict) -> str:
    assert all(sym and not any(c.isspace() for c in sym) for sym in acts), acts
    return " ".join(f"{sym} {act}" for sym, act in acts.items())


class _States(dict):
    """state -> {symbol: action}, each decoded from its row of the shipped file the first time
    the parser is in that state: a file visits about a quarter of the states, and decoding all
    of them (a JSON object each) was ~4 ms of every start."""
    __slots__ = ("_rows", "decoded")

    def __init__(self, rows: list):
        super().__init__()
        self._rows = rows
        self.decoded = [None] * len(rows)     # the same, as a list (the parser's fast path)

    def __missing__(self, st):
        if type(st) is not int or not 0 <= st < len(self._rows):
            raise KeyError(st)
        parts = self._rows[st].split(" ") if self._rows[st] else []
        acts = self[st] = self.decoded[st] = dict(zip(parts[::2], map(int, parts[1::2])))
        return acts


def write_tables(path: str = TABLES_PATH) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(tables_json(_build_tables(_grammar_text())))


class _Tables:
    """Loaded parse tables plus the lexer's lookup structures."""

    def __init__(self, data: dict):
        self.states = _States(data["states"])
        self.rules = data["rules"]
        self.start = data["start"]
        self.end = data["end"]
        self.ignore = frozenset(data["ignore"])
        by_char: dict = {}
        self.regexes = []
        self.strings = {}
        for name, kind, value, flags in data["terminals"]:
            if name in self.ignore:
                continue
            if kind == "str":
                by_char.setdefault(value[0], []).append((value, name))
                self.strings[name] = value
            else:
                fl = 0
                for f in flags:
                    fl |= getattr(re, f.upper())
                self.regexes.append((name, re.compile(value, fl)))
        for lst in by_char.values():
            lst.sort(key=lambda vn: -len(vn[0]))
        self.by_char = by_char
        # IDENT is tried in every state, so that `in2` is one identifier, not `in` + `2`
        self.regexes.sort(key=lambda nr: nr[0] != "IDENT")
        # which characters a match of each regex can start with (a superset: `_first_char`)
        self.starts_with = [_first_char(rx) for _, rx in self.regexes]
        self.callbacks = [spec[1] for spec in self.rules]
        # chain rules (a ?-rule of one child kept as it is): the value passes up unchanged
        self.chain = [bool(r[2] and r[3] == 1 and list(r[4]) == [0]) for r in self.rules]
        # the _Builder methods, looked up once (not per parse): called as fn(builder, children)
        self.functions = [getattr(_Builder, name) if name else None for name in self.callbacks]
        # per rule, what a reduction by it does: (origin, size, keep or None when every child
        # is kept in order, expand1, callback, chain); listed backwards, so that the action
        # ``-1 - rule`` indexes it directly
        self.reductions = [(r[0], r[3], None if list(r[4]) == list(range(r[3])) else r[4],
                            r[2], fn, ch)
                           for r, fn, ch in zip(self.rules, self.functions, self.chain)][::-1]
        # state -> {character: how that state's lexer reads a token starting with it}; states
        # that accept the same terminals share one (`lexer`)
        self.lexers: list = [None] * len(data["states"])
        self.lexer_of_terminals: dict = {}      # terminals -> {character: plan}
        self.lexer_terms: list = [None] * len(data["states"])     # state -> its terminals
        self.terminals = frozenset(self.strings) | {name for name, _ in self.regexes}
        self.first_of: dict = {}        # character -> which regexes a match may start with it
        # (state below, nonterminal, lookahead) -> the state on top after the goto and the
        # chain rules the lookahead then calls for (`_goto`)
        self.gotos: dict = {}
        # the terminals that can start a formula / a program (to summarise error messages)
        self.first_formula = {k for k in self.states[self.start["formula_phrase"]] if k.isupper()}
        self.first_expr = {k for k in self.states[self.start["expr_phrase"]] if k.isupper()}

    def lexer(self, state: int) -> dict:
        """The lexer of ``state``: {character: plan}, filled by `plan` as characters come.
        (Only ever filled with what its terminals determine: threads that race here make
        equal lexers.)"""
        terms = self.terminals.intersection(self.states[state])
        plans = self.lexer_of_terminals.setdefault(terms, {})
        self.lexer_terms[state] = terms
        self.lexers[state] = plans
        return plans

    def plan(self, state: int, plans: dict, c: str):
        """How the lexer ``plans`` of ``state`` reads a token starting with ``c``, made the
        first time it is needed.  White space is skipped; else the terminals to try are the
        string terminals its states accept that start with ``c`` (longest first) and the regex
        terminals they accept (IDENT always) whose match can start with ``c``, in that order.
        The token is the longest match, a string winning ties, then the earlier regex --
        trying only these gives what trying every terminal did."""
        terms = self.lexer_terms[state]
        if _WS.match(c):
            plan = (_SPACE,)
        else:
            first = self.first_of.get(c)
            if first is None:
                first = self.first_of[c] = [can(c) for can in self.starts_with]
            strs = [(value, name, len(value)) for value, name in self.by_char.get(c, ())
                    if name in terms]
            rxs = [(name, rx) for (name, rx), can in zip(self.regexes, first)
                   if can and (name in terms or name == "IDENT")]
            if len(strs) == 1 and strs[0][2] == 1 and not rxs:
                plan = (_CHAR, strs[0][1])          # the one candidate: this character
            elif not strs and len(rxs) == 1:
                plan = (_REGEX, rxs[0][0], rxs[0][1].match)
            else:
                plan = (_ANY, strs, rxs)
        plans[c] = plan
        return plan


_SPACE, _CHAR, _REGEX, _ANY = 0, 1, 2, 3


def _first_char(rx):
    """A test ``can(c)``: may a non-empty match of ``rx`` start with the character ``c``?
    Never False when it may (the lexer skips a regex only on a False); True whenever the
    pattern holds something this analysis of its parse does not follow (it reads the
    pattern's first items and the character classes there)."""
    flags = rx.flags
    if flags & (re.IGNORECASE | re.LOCALE):
        return _ALWAYS
    try:        # (re's own parser: a private module, so any surprise means "always try it")
        from re import _constants as C, _parser
        seq = _parser.parse(rx.pattern, flags)
    except Exception:                               # pragma: no cover
        return _ALWAYS
    if seq.state.flags & (re.IGNORECASE | re.LOCALE):
        return _ALWAYS
    tests: list = []
    if not _firsts(seq, tests, C):
        return _ALWAYS
    ascii_ = flags & re.ASCII
    cats = {cat: re.compile(pattern, ascii_).match for cat, pattern in (
        (C.CATEGORY_DIGIT, r"\d"), (C.CATEGORY_NOT_DIGIT, r"\D"), (C.CATEGORY_SPACE, r"\s"),
        (C.CATEGORY_NOT_SPACE, r"\S"), (C.CATEGORY_WORD, r"\w"), (C.CATEGORY_NOT_WORD, r"\W"))}

    def one(op, av, code, c):
        if op is C.LITERAL:
            return code == av
        if op is C.NOT_LITERAL:
            return code != av
        if op is C.RANGE:
            return av[0] <= code <= av[1]
        if op is C.CATEGORY and av in cats:
            return cats[av](c) is not None
        return None                                 # not followed: unsure

    def can(c):
        code = ord(c)
        for op, av in tests:
            if op is C.IN:
                negate, hit = False, False
                for op2, av2 in av:
                    if op2 is C.NEGATE:
                        negate = True
                        continue
                    r = one(op2, av2, code, c)
                    if r is None:
                        return True
                    hit = hit or r
                if hit != negate:
                    return True
            else:
                r = one(op, av, code, c)
                if r is None or r:
                    return True
        return False
    return can


def _ALWAYS(c):
    return True


def _firsts(seq, tests: list, C) -> bool:
    """Add to ``tests`` the items a non-empty match of ``seq`` can start with; False when the
    pattern has an item not followed here.  (Zero-width assertions are passed over, which only
    widens the set.)"""
    for op, av in seq:
        if op in (C.LITERAL, C.NOT_LITERAL, C.IN):
            tests.append((op, av))
            return True
        if op is C.BRANCH:
            nullable = False
            for alt in av[1]:
                if not _firsts(alt, tests, C):
                    return False
                nullable = nullable or _nullable(alt, C)
            if not nullable:
                return True
        elif op is C.SUBPATTERN:
            if av[1] or av[2]:                      # scoped flags: not followed
                return False
            if not _firsts(av[3], tests, C):
                return False
            if not _nullable(av[3], C):
                return True
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            if not _firsts(av[2], tests, C):
                return False
            if av[0] > 0 and not _nullable(av[2], C):
                return True
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        else:
            return False
    return True


def _nullable(seq, C) -> bool:
    """May ``seq`` match the empty string?  (True when unsure.)"""
    for op, av in seq:
        if op in (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY):
            return False
        if op is C.BRANCH:
            if not any(_nullable(alt, C) for alt in av[1]):
                return False
        elif op is C.SUBPATTERN:
            if not _nullable(av[3], C):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            if av[0] > 0 and not _nullable(av[2], C):
                return False
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        else:
            return True
    return True


def _tables() -> _Tables:
    t = _tables_cache.get("t")
    if t is not None:
        return t
    with _tables_lock:
        t = _tables_cache.get("t")
        if t is None:
            t = _tables_cache["t"] = _load_tables()
        return t


def _load_tables() -> _Tables:
    """The tables shipped beside the grammar; refused if they were made from another grammar."""
    import json
    with open(TABLES_PATH, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format") != _FORMAT or data.get("grammar_sha256") != _grammar_digest(
            _grammar_text()):
        raise RuntimeError(f"{TABLES_PATH} was not made from grammar.lark: regenerate it "
                           f"with `{REGENERATE}`")
    return _Tables(data)


_WS = re.compile(r"\s+")


def _goto(T: _Tables, below: int, origin: str, ttype: str) -> int:
    """The state on top after a reduction to ``origin`` exposed state ``below``: the goto,
    then, as long as the lookahead ``ttype`` calls for a chain rule, that rule's goto from
    ``below`` (a chain rule only replaces the state on top).  A function of the three, so the
    runtime asks once per situation (`_Tables.gotos`)."""
    states, reductions = T.states, T.reductions
    goto = states[below][origin]
    while True:
        act = states[goto].get(ttype)
        if act is None or act >= 0 or not reductions[act][5]:
            return goto
        goto = states[below][reductions[act][0]]


def _parse(text: str, start: str, original: str):
    """Run the contextual lexer and the LALR(1) driver over ``text`` (comments blanked);
    ``original`` is the unblanked text (raw tactic arguments are cut from it).  (Plain lists
    and dicts, read by subscript, a miss handled where it raises: the loop runs ~60,000 times
    for proofs/.)"""
    T = _tables()
    states, reductions, lexers, gotos = T.states, T.reductions, T.lexers, T.gotos
    decoded = states.decoded
    builder = _Builder(original)
    stack = [T.start[start]]
    values: list = []
    push = values.append
    end_state = T.end[start]
    n = len(text)
    i, line, line_start = 0, 1, 0
    ws_match = _WS.match
    prev = prev_acts = None  # for error messages: the last token shifted, where it was lexed
    opened: list = []        # and the opening brackets shifted (`_error` reads those unreduced)
    state = stack[-1]
    acts = states[state]
    while True:
        # ---- lex one token, considering only what the parser accepts in this state
        plans = lexers[state]
        if plans is None:
            plans = T.lexer(state)
        while True:
            if i >= n:
                tok = ("$END", "", line, i - line_start + 1, i, i)
                break
            c = text[i]
            try:
                plan = plans[c]
            except KeyError:
                plan = T.plan(state, plans, c)
            kind = plan[0]
            if kind == _SPACE:
                if c == "\n":        # a line break, and the white space after it
                    j = ws_match(text, i).end()
                    line += text.count("\n", i, j)
                    line_start = text.rfind("\n", i, j) + 1
                    i = j
                else:               # (mostly one space between two tokens)
                    i += 1
                continue
            if kind == _CHAR:
                tok = (plan[1], c, line, i - line_start + 1, i, i + 1)
                i += 1
                break
            if kind == _REGEX:
                m = plan[2](text, i)
                if m is not None:
                    j = m.end()
                    tok = (plan[1], text[i:j], line, i - line_start + 1, i, j)
                    i = j
                    break
                best = None
            else:
                best, best_end = None, i
                for value, name, size in plan[1]:
                    if text.startswith(value, i):
                        best, best_end = name, i + size
                        break
                for name, rx in plan[2]:
                    m = rx.match(text, i)
                    if m is not None and m.end() > best_end:
                        best, best_end = name, m.end()
                if best is not None:
                    tok = (best, text[i:best_end], line, i - line_start + 1, i, best_end)
                    i = best_end
                    break
            raise _error(text, T, acts, _lex_found(text, i, T), i, line,
                         i - line_start + 1, prev, prev_acts, values, opened)
        # ---- feed it to the parser
        ttype = tok[0]
        top = acts
        while True:
            try:
                act = top[ttype]
            except KeyError:
                found = "end of input" if ttype == "$END" else f"'{tok[1]}'"
                raise _error(text, T, top, found, tok[4], tok[2], tok[3], prev, prev_acts,
                             values, opened) from None
            if act >= 0:
                stack.append(act)
                push(tok)
                prev, prev_acts = tok, acts
                if ttype in _OPENERS:
                    opened.append(tok)
                state = act
                acts = decoded[act] or states[act]
                break
            origin, size, keep, expand1, fn, chain = reductions[act]
            if chain:       # reduce by a chain rule: the top value stays, only the state
                below = stack[-2]                                       # changes
                del stack[-1]
            else:
                if size == 1:       # (half the reductions: cheaper than slicing)
                    kid = values.pop()
                    del stack[-1]
                    if keep is None:
                        children = [kid]
                    else:
                        children = [] if not keep else kid if keep[0] < 0 else [kid]
                elif size:
                    kids = values[-size:]
                    del values[-size:]
                    del stack[-size:]
                    if keep is None:
                        children = kids
                    else:
                        children = []
                        for k in keep:
                            if k >= 0:
                                children.append(kids[k])
                            else:
                                children.extend(kids[~k])
                else:
                    children = []
                if expand1 and len(children) == 1:
                    push(children[0])
                else:
                    push(fn(builder, children) if fn is not None else children)
                below = stack[-1]
            if ttype == "$END":     # (the end of input: the goto, which may accept)
                goto = states[below][origin]
                stack.append(goto)
                if goto == end_state:
                    return values[-1]
            else:                   # the goto and the chain rules after it, once per case
                key = (below, origin, ttype)
                try:
                    goto = gotos[key]
                except KeyError:
                    goto = gotos[key] = _goto(T, below, origin, ttype)
                stack.append(goto)
            top = decoded[goto] or states[goto]


_FRIENDLY = {"IDENT": "an identifier", "INT": "an integer", "STRING": "a string",
             "SOUP": "text", "BULLET": "a bullet", "SETOPEN": "'{['", "$END": "end of input"}
_OPERATORS = frozenset(_TERM_BINOP) | frozenset(_AOP) | {
    "MAPSTO_VU", "MAPSTO_VA", "MAPSTO_U", "MAPSTO_A", "SPEC_U", "SPEC_A", "SPECV_U",
    "SPECV_A", "EQEQ", "PERCENT",
    "LARROW"}


def _describe_expected(acts, T: _Tables) -> str:
    names = {k for k in acts if k.isupper() or k == "$END"}
    items = []
    if T.first_expr <= names:
        names -= T.first_expr
        items.append("a program")
    starts = names & T.first_formula
    if {"IDENT", "INT", "LPAR"} <= starts:
        items.append("a term or an assertion" if starts == T.first_formula else "a term")
        names -= starts
    ops = [k for k in names if k in _OPERATORS]
    for name in names:
        if name in _OPERATORS:
            continue
        if name in _FRIENDLY:
            items.append(_FRIENDLY[name])
        elif name in T.strings:
            items.append(f"'{T.strings[name]}'")
    if len(ops) == 1:
        items.append(f"'{T.strings[ops[0]]}'")
    elif ops:
        items.append("an operator")
    items = sorted(set(items), key=lambda s: (not s.startswith("'"), s))
    if not items:
        return ""
    if len(items) > 14:
        items = items[:14] + ["..."]
    return "expected " + ("" if len(items) == 1 else "one of ") + ", ".join(items)


def _prev_token(text: str, pos: int):
    """The text of the token before ``pos`` (approximately; used in error messages)."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == 0:
        return None
    c = text[i - 1]
    j = i - 1
    if c.isalnum() or c in "_'":
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_'"):
            j -= 1
    elif c == '"':
        j = max(text.rfind('"', 0, i - 1), 0)
    elif c not in "()[]{},.;":
        while j > 0 and not (text[j - 1].isspace() or text[j - 1].isalnum()
                             or text[j - 1] in "()[]{},.;\"_'"):
            j -= 1
    return text[j:i]


def _message(text, pos, found, acts, T) -> str:
    msg = f"unexpected {found}"
    prev = _prev_token(text, pos)
    if prev:
        msg += f" after '{prev}'"
    exp = _describe_expected(acts, T)
    return msg + ("; " + exp if exp else "")


def _lex_found(text, i, T) -> str:
    """What to call the unlexable input at ``i``: the longest token of any state, else the
    character."""
    best = ""
    for value, _ in T.by_char.get(text[i], ()):
        if text.startswith(value, i):
            best = value
            break
    for name, rx in T.regexes:
        if name in ("SOUP", "BULLET"):  # catch-alls of tactic scripts: not informative
            continue
        m = rx.match(text, i)
        if m is not None and m.end() - i > len(best):
            best = m.group()
    return f"'{best}'" if best else f"character {text[i]!r}"


_OPENERS = {"LPAR": ")", "LSQB": "]", "LBRACE": "}", "SETOPEN": "]}", "PURE_U": "⌝",
            "PURE_A": "!]", "BIG_U": "]", "BIG_A": "]", "MAPSTO_VU": "]", "MAPSTO_VA": "]",
            "SPECV_U": "]", "SPECV_A": "]"}


def _error(text, T, acts, found, pos, line, col, prev, prev_acts, values, opened) -> _Err:
    """A located, explained syntax error at ``pos`` (found: what is there; ``prev``: the last
    token shifted; ``opened``: the opening brackets shifted, of which those still on the
    stack of ``values`` are unclosed)."""
    # The contextual lexer split a token the previous state did not accept (`:=` read as
    # `:` then `=`): report the whole token, where it starts.
    if prev is not None and prev[5] == pos and prev[0] in T.strings:
        for value, _ in T.by_char.get(prev[1][0], ()):
            if len(value) > len(prev[1]) and text.startswith(value, prev[4]):
                return _Err(_message(text, prev[4], f"'{value}'", prev_acts, T),
                            prev[2], prev[3])
    if found == "end of input":
        on_stack = {id(v) for v in values}
        for v in reversed(opened):      # the last one shifted that is unreduced
            if id(v) in on_stack:
                return _Err(f"'{v[1]}' is not closed: the input ends before its "
                            f"'{_OPENERS[v[0]]}'", v[2], v[3])
        pos = len(text.rstrip())
        line, col = _line_col(text, pos)
    return _Err(_message(text, pos, found, acts, T), line, col)


# code up to the next comment: anything but `"` and `(*`, and whole strings (a string's body
# as runs of plain characters between escapes; possessive: the alternatives start with
# different characters, so there is nothing to backtrack)
_CODE = re.compile(r'(?:[^"(]++|\((?!\*)|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+")*+')
_SCAN_COMMENT = re.compile(r"\(\*|\*\)")


def _line_col(text: str, i: int):
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def _blank_comments(text: str) -> str:
    """Replace each (nested) comment by spaces, keeping newlines, so positions are unchanged;
    report unclosed comments and strings where they start."""
    out, i, n = [], 0, len(text)
    while True:
        j = _CODE.match(text, i).end()
        if j >= n:
            if not out:
                return text
            out.append(text[i:])
            return "".join(out)
        if text[j] == '"':          # a string the line ends in
            raise _Err("unclosed string started here (strings end on the same line)",
                       *_line_col(text, j))
        out.append(text[i:j])       # code, then a comment from j
        opens, k = [j], j + 2
        while opens:
            m2 = _SCAN_COMMENT.search(text, k)
            if m2 is None:
                msg = "unclosed comment started here"
                if len(opens) > 1:
                    il, ic = _line_col(text, opens[-1])
                    msg += (f" (comments nest: {len(opens)} are open, the innermost from "
                            f"{il}:{ic})")
                raise _Err(msg, *_line_col(text, opens[0]))
            if m2.group() == "(*":
                opens.append(m2.start())
            else:
                opens.pop()
            k = m2.end()
        out.append("\n".join(" " * len(part) for part in text[j:k].split("\n")))
        i = k


_CMD_START = re.compile(r"^[ \t]*(Theorem|Lemma|Definition|Predicate|Function|Require|Print)\b",
                        re.M)
_PROOF_OPEN = re.compile(r"\bProof\s*\.")
_PROOF_CLOSE = re.compile(r"\b(Qed|Admitted)\s*\.")


def _missing_qed(blanked: str, err: _Err):
    """If an error happens inside a proof that runs into a new command, say so."""
    lines = blanked.split("\n")
    end = sum(len(s) + 1 for s in lines[:err.line - 1]) + err.col - 1
    head = blanked[:end]
    opens = list(_PROOF_OPEN.finditer(head))
    if not opens:
        return None
    start = opens[-1].end()
    if _PROOF_CLOSE.search(head, start):
        return None
    m = _CMD_START.search(head, start)
    if m is None:
        return None
    line, col = _line_col(blanked, m.start(1))
    return _Err(f"missing 'Qed.' or 'Admitted.' before this {m.group(1)}", line, col)


def _shift(err: _Err, line0: int, col0: int):
    """Map a position in a phrase to its position in the file."""
    line, col = err.line, err.col
    if line == 1:
        col += col0 - 1
    return line + line0 - 1, col


def _run(text: str, start: str, line0: int = 1, col0: int = 1, path: str | None = None):
    """Parse ``text`` from ``start``; every failure becomes a PVSyntaxError whose position is
    shifted so that (1, 1) of ``text`` is (line0, col0)."""
    if text.startswith("\ufeff"):  # a byte-order mark: blank it, keeping columns
        text = " " + text[1:]
    try:
        blanked = _blank_comments(text)
        try:
            return _parse(blanked, start, text)
        except _Err as err:
            if start == "file":
                err = _missing_qed(blanked, err) or err
            raise err
    except _Err as err:
        raise PVSyntaxError(err.message, *_shift(err, line0, col0), path) from None
    except RecursionError:
        raise PVSyntaxError("input nested too deeply", line0, col0, path) from None
