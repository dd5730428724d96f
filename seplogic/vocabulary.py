"""The words and symbols of the `.pv` language, for syntax highlighting and completion.

This is the one source of truth for the editor tooling: the Pygments lexer (`repl/lexer.py`)
and the VS Code TextMate grammar (`editors/vscode/gen_grammar.py` generates
`editors/vscode/syntaxes/pv.tmLanguage.json` from this module) are both built from it.

Plain constants only -- no lark, no AST -- so that anything may import it cheaply.  The
authorities are `grammar.lark` (keywords and notations), `parser.py` / `syntax.py` (reserved
words, sorts, built-in names) and `tactics.script.TACTICS` (tactic names); the tests in
`tests/test_vocabulary.py` fail when one of them changes and this module does not follow.
"""

# Commands (vernacular).  `Abort` is not in the file grammar: it is a command of the
# interactive REPL (abandon the proof in progress) and is listed so that it is highlighted there.
COMMANDS = ("Require", "Definition", "Predicate", "Function", "Record", "Spec", "Operation",
            "Crash", "Initial", "Refinement", "Theorem", "Lemma", "Proof",
            "Qed", "Admitted", "Print", "Assumptions", "Abort")
# A proof script runs from PROOF_START to one of PROOF_ENDS.
PROOF_START = "Proof"
PROOF_ENDS = ("Qed", "Admitted", "Abort")

# Reserved words of terms, assertions and programs: the alphabetic terminals of grammar.lark
# (minus the commands and tacticals), the other words of parser.RESERVED, and the special
# forms `inv(N, P)` / `is_lock(lk, P)`.  ASCII spellings of notations (`exists`, `in`, ...) are
# keywords too.
KEYWORDS = (
    # programs
    "let", "in", "if", "then", "else", "fork", "loop", "not",
    # constants
    "true", "false", "True", "False", "emp", "Some", "None", "continue", "map_empty",
    # assertions
    "WP", "inv", "is_lock", "exists", "forall",
    # operators spelled as words
    "mod", "subseteq", "supseteq",
)

# The kind word of a big separating conjunction `[∗ set] x ∈ S. P` / `[∗ map] k ↦ v ∈ m. P`
# (elsewhere `set` and `map` are sorts).
BIGSEP_KINDS = ("set", "map")

# Sorts: the base sorts and the sort constructors of seplogic.syntax.
SORTS = ("u64", "nat", "int", "bool", "string", "unit", "loc", "gname", "val", "iProp",
         "list", "set", "option", "map", "prod")

# Surface names of the primitive resources (seplogic.syntax.ATOM_KINDS): `master[n](d[a], v)`,
# `lease[n](...)`, `dir(d) ↦[n] S`, `link(d, nm) ↦[n] i`, `fd(f) ↦[n] (i, md)`, `inode(i) ↦[n] bs`,
# `locked(lk)`, `tok(γ)`, `source(σ)`, `⤇ Crashing`, `⤇ Done`.  (`l ↦[n] v` and `j ⤇ op` are
# notations.)  Highlighters treat the names as atoms only before `(` or `[`, except the two
# capitalised spec states.
ATOMS = ("master", "lease", "dir", "link", "fd", "inode", "locked", "tok", "source", "failed",
         "disks", "disk_blocks", "ro", "slice", "slice_ro", "gmaster", "glease",
         "dmaster", "dlease", "spec_era")
SPEC_STATES = ("Crashing", "Done")

# Built-in functions called by name: the pure term operators (seplogic.syntax.TERM_OPS) and the
# program primitives (seplogic.syntax.PRIM_OPS).  Highlighted only before `(`, since many of
# them (`add`, `read`, `size`, ...) are ordinary words.
BUILTINS = (
    # TERM_OPS
    "add", "sub", "mul", "div", "mod", "neg", "add64", "sub64", "mul64",
    "eq", "ne", "lt", "le", "and", "or", "not", "implies", "ite",
    "pair", "fst", "snd", "some", "none", "list", "len", "nth", "app", "update",
    "replicate",
    "set", "union", "inter", "diff", "mem", "subseteq", "range",
    "map_empty", "insert", "lookup", "delete", "dom", "map_replicate", "continue", "break",
    "ret",
    "sublist", "fs_name_ok",
    # PRIM_OPS not listed above
    "gt", "ge", "ref", "load", "store", "cas", "atomic_load", "atomic_store", "newlock",
    "acquire", "release",
    "disk_read", "disk_write", "disk_size", "read", "write", "size",
    "fs_create", "fs_append_prefix", "fs_append_rest", "fs_close", "fs_open", "fs_readat",
    "fs_delete", "fs_link", "fs_list", "rand_u64", "u64_to_string", "string_to_u64",
    "modify", "undefined", "any", "assume", "gets",
    # PRIM_OPS for Go data (pv goose)
    "nil", "slice_make", "slice_len", "slice_cap", "slice_get", "slice_set", "slice_append",
    "slice_append_slice", "slice_sub", "map_make", "map_get", "map_insert", "map_delete",
    "map_len", "map_keys", "string_len", "string_concat", "string_from_bytes",
    "bytes_from_string",
)

# Tactics: must equal the keys of tactics.script.TACTICS (tests/test_vocabulary.py checks it;
# this module may not import `tactics`, which sits above `seplogic`).
TACTICS = (
    "assert", "bigsep_empty", "bigsep_mono", "bigsep_range", "bigsep_sep", "bigsep_split",
    "change", "clear", "contradiction", "destruct", "done", "exact", "excl", "exists", "frame",
    "induction", "intro", "intros", "inv_alloc", "inv_ghost", "inv_open", "left", "pure",
    "right", "specialize", "split", "split_l", "split_r", "tok_alloc", "ghost_alloc", "unfold",
    "use", "wp_apply",
    "wp_call", "wp_fork", "wp_if", "wp_loop", "wp_pures", "wp_step", "wp_value",
    "spec_step", "spec_crash", "spec_era", "source_era", "agree", "use_axiom", "ghost_update",
    "cases", "rewrite",
    "apply", "inv_close", "bigsep_merge",
)
# Tactic combinators (grammar: TRY, REPEAT, FIRST) and the keywords among tactic arguments.
TACTICALS = ("try", "repeat", "first")
TACTIC_KEYWORDS = ("with", "as", "in")

# Notations with two spellings: (Unicode, ASCII).  The printer writes the first, the parser
# reads both.  Alphabetic ASCII spellings are KEYWORDS, except `T` (the ⊤ of a mask
# `@ T\{N}`), which is only a notation right after `@`.
NOTATIONS = (
    ("∗", "**"),          # separating conjunction
    ("-∗", "-*"),         # magic wand
    ("∧", "/\\"),         # conjunction
    ("∨", "\\/"),         # disjunction
    ("∃", "exists"),      # existential quantifier
    ("∀", "forall"),      # universal quantifier
    ("□", "#[]"),         # persistently
    ("[∗", "[**"),        # big separating conjunction `[∗ set] ...`
    ("↦", "|->"),         # points-to (`l ↦[n] v`)
    ("⤇", "~>"),          # spec thread / spec state
    ("⌜", "[!"),          # pure assertion, open
    ("⌝", "!]"),          # pure assertion, close
    ("→", "->"),          # implication (terms)
    ("≠", "!="),
    ("≤", "<="),
    ("≥", ">="),
    ("∈", "in"),
    ("⊆", "subseteq"),
    ("⊇", "supseteq"),
    ("∪", "\\cup"),
    ("∩", "\\cap"),
    ("∖", "\\"),          # set difference; also the `∖` of a mask `⊤∖{N}`
    ("⇒", "==>"),         # crash implication of a crash theorem `P ⇒[n] Q`
    ("∅", "{}"),          # empty set
    ("⊤", "T"),           # the full mask
)
MASK_TOP_ASCII = "T"

# Editor input of the Unicode notations: typing ``\name`` (then a space or any non-letter)
# gives the symbol, as in Lean's and Coq's editor modes.  Every Unicode notation above has at
# least one name here (tests/test_vocabulary.py checks it); the VS Code extension reads
# editors/vscode/abbreviations.json, generated from this table by gen_grammar.py.
ABBREVIATIONS = (
    ("sep", "∗"), ("star", "∗"),
    ("wand", "-∗"),
    ("and", "∧"), ("wedge", "∧"),
    ("or", "∨"), ("vee", "∨"),
    ("exists", "∃"), ("ex", "∃"),
    ("forall", "∀"), ("all", "∀"),
    ("box", "□"), ("pers", "□"),
    ("bigsep", "[∗"),
    ("mapsto", "↦"), ("pto", "↦"),
    ("spec", "⤇"),
    ("lc", "⌜"), ("rc", "⌝"),
    ("to", "→"), ("imp", "→"), ("rightarrow", "→"),
    ("ne", "≠"), ("neq", "≠"),
    ("le", "≤"), ("leq", "≤"),
    ("ge", "≥"), ("geq", "≥"),
    ("in", "∈"), ("mem", "∈"),
    ("subseteq", "⊆"), ("supseteq", "⊇"),
    ("cup", "∪"), ("union", "∪"),
    ("cap", "∩"), ("inter", "∩"),
    ("setminus", "∖"), ("diff", "∖"),
    ("crash", "⇒"), ("Rightarrow", "⇒"),
    ("empty", "∅"), ("emptyset", "∅"),
    ("top", "⊤"),
    ("gamma", "γ"), ("sigma", "σ"), ("Phi", "Φ"), ("Psi", "Ψ"),
)

# Operators with a single spelling (terms and programs).  `#` makes a logical value out of a
# term inside a program (`#x`, `#(t)`); `:=` and `;;` bind and sequence.
OPERATORS = ("+", "-", "*", "/", "%", "++", "+64", "-64", "*64", "=", "==", "<", ">", "||",
             "&&", "~", "!", "<-", ";;", ":=", "@", "#")

# The remaining punctuation.  `-`, `+`, `*` (repeated) and `{`, `}` are also proof bullets.
PUNCTUATION = ("(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "|")

COMMENT = ("(*", "*)")  # comments nest
STRING_QUOTE = '"'      # strings end on the same line; escapes \\ \" \n \t \r \u{hex}


def symbols() -> tuple:
    """All non-alphabetic notation and operator spellings, longest first (so that a regular
    expression alternation of them matches the longest one, as the grammar's lexer does)."""
    out = {s for pair in NOTATIONS for s in pair if not s[0].isalpha()} | set(OPERATORS)
    return tuple(sorted(out, key=lambda s: (-len(s), s)))


def regex_escape(s: str) -> str:
    """Escape ``s`` for a regular expression that both Python's `re` and Oniguruma (TextMate)
    read the same way: only the metacharacters get a backslash."""
    return "".join("\\" + c if c in "\\.^$|?*+()[]{}" else c for c in s)


def regex_alternation(items) -> str:
    """``(?:a|b|...)`` matching any of ``items``, longest first."""
    ordered = sorted(set(items), key=lambda s: (-len(s), s))
    return "(?:" + "|".join(regex_escape(s) for s in ordered) + ")"


# An identifier (grammar.lark IDENT), and a whole-word match of one of ``words``: a word is not
# recognised inside a longer identifier (`int` in `inter`, `in` in `x'in`).
IDENT = r"(?!\d)\w[\w']*"


def word_regex(words) -> str:
    return r"(?<![\w'])" + regex_alternation(words) + r"(?![\w'])"
