"""tree-sitter nodes of a Go file: field access, the constructs outside the subset, and the
control-flow facts (which statements never fall through, which jumps escape) the statement
translation dispatches on."""
from __future__ import annotations


def _kids(n):
    return [c for c in n.named_children if c.type != "comment"]


def _field(n, name):
    return n.child_by_field_name(name)


def _fields(n, name):
    return [c for c in n.children_by_field_name(name) if c.type != "comment"]


def _text(n) -> str:
    return n.text.decode("utf-8")


def _op(n) -> str:
    o = n.child_by_field_name("operator")
    return _text(o) if o is not None else ""


def _unparen(n):
    while n is not None and n.type in ("parenthesized_expression", "parenthesized_type"):
        ks = _kids(n)
        if len(ks) != 1:
            break
        n = ks[0]
    return n


# Constructs outside the subset, by node type: the name used in "... is not supported".
UNSUPPORTED_NODES = {
    "func_literal": "function literal", "function_type": "function type",
    "interface_type": "interface", "channel_type": "channel",
    "send_statement": "channel", "receive_statement": "channel",
    "select_statement": "select", "goto_statement": "goto", "labeled_statement": "label",
    "defer_statement": "defer", "fallthrough_statement": "fallthrough",
    "expression_switch_statement": "switch", "type_switch_statement": "type switch",
    "type_assertion_expression": "type assertion", "float_literal": "floating-point number",
    "imaginary_literal": "complex number", "array_type": "array",
    "implicit_length_array_type": "array", "generic_type": "generic type",
    "type_instantiation_expression": "generic instantiation",
    "type_parameter_list": "type parameter", "method_declaration": "method",
    "variadic_parameter_declaration": "variadic function", "negated_type": "type parameter",
    "type_constraint": "type parameter",
}


def _pos(node):
    return node.start_point[0] + 1, node.start_point[1] + 1


def _collect_idents(root, out: set):
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type in ("identifier", "field_identifier", "type_identifier"):
            out.add(n.text.decode("utf-8"))
        elif n.child_count:
            stack.extend(n.children)


def _elem(n):
    """The expression inside a ``literal_element``."""
    if n is not None and n.type == "literal_element":
        return _kids(n)[0]
    return n


def _is_blank(n):
    n = _unparen(n)
    return n.type == "identifier" and _text(n) == "_"


def _stmts(block):
    out = []
    for c in _kids(block):
        if c.type == "statement_list":
            out += _kids(c)
        else:
            out.append(c)
    return [s for s in out if s.type != "empty_statement"]


def _never_falls(s) -> bool:
    """Control never reaches the statement after ``s``."""
    if s is None:
        return False
    t = s.type
    if t in ("return_statement", "break_statement", "continue_statement", "goto_statement"):
        return True
    if t == "block":
        ss = _stmts(s)
        return bool(ss) and _never_falls(ss[-1])
    if t == "if_statement":
        alt = _field(s, "alternative")
        return alt is not None and _never_falls(_field(s, "consequence")) and _never_falls(alt)
    if t == "for_statement":
        body = _field(s, "body")
        clause = next((c for c in _kids(s) if c.id != body.id), None)
        infinite = clause is None or (clause.type == "for_clause" and
                                      _field(clause, "condition") is None)
        return infinite and "brk" not in _escapes(body)
    return False


def _escapes(s) -> set:
    """Which of return / break / continue inside ``s`` leave it (``ret``, ``brk``, ``cont``).
    The breaks and continues of a loop belong to it; when ``s`` is a loop, its own do not
    escape."""
    out = set()

    def walk(n, depth):
        t = n.type
        if t == "return_statement":
            out.add("ret")
            return
        if t == "break_statement" and depth == 0:
            out.add("brk")
            return
        if t == "continue_statement" and depth == 0:
            out.add("cont")
            return
        if t == "func_literal":
            return
        d = depth + 1 if t == "for_statement" else depth
        for c in n.named_children:
            walk(c, d)
    if s.type == "for_statement":
        for c in s.named_children:
            walk(c, 1)
    else:
        walk(s, 0)
    return out
