"""Parsing Go source with tree-sitter-go (see the package docstring for why), and turning the
first syntax error of a file into a located `GooseError`."""
from __future__ import annotations

from .errors import GooseError

_PARSER = None


def parser():
    global _PARSER
    if _PARSER is None:
        try:
            import tree_sitter
            import tree_sitter_go
        except ImportError as e:  # pragma: no cover - depends on the installation
            raise GooseError(None, 0, 0, f"pv goose needs the Python packages tree-sitter and "
                             f"tree-sitter-go ({e}); install them with "
                             f"`pip install tree-sitter tree-sitter-go`") from None
        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))
    return _PARSER


def parse_go(src: bytes, path: str):
    """The tree-sitter tree of ``src``; raises `GooseError` at the first syntax error."""
    tree = parser().parse(src)
    root = tree.root_node
    if root.has_error:
        node = _first_error(root)
        if node is None:  # pragma: no cover - has_error promises an error node
            raise GooseError(path, 1, 1, "syntax error")
        line, col = node.start_point[0] + 1, node.start_point[1] + 1
        if node.is_missing:
            what = node.type if not node.type.isidentifier() else node.type.replace("_", " ")
            raise GooseError(path, line, col, f"syntax error: missing {what!r}"
                             if not node.type.isidentifier() else f"syntax error: missing {what}")
        text = _first_token(node, src)
        msg = f"syntax error: unexpected {text}" if text else "syntax error"
        raise GooseError(path, line, col, msg)
    return root


def _first_error(node):
    """The first ERROR or MISSING node in document order."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.is_missing or n.type == "ERROR":
            return n
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


def _first_token(node, src: bytes) -> str:
    while node.child_count:
        node = node.children[0]
    text = src[node.start_byte:node.end_byte].decode("utf-8", "replace")
    if not text:
        return ""
    text = text.splitlines()[0] if text.strip() else text
    return repr(text[:20]) if not text.isidentifier() else text
