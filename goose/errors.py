"""The translator's one error type."""
from __future__ import annotations


class GooseError(Exception):
    """Go code that cannot be translated, located at 1-based ``line``/``col`` (a byte column,
    as the Go toolchain counts) of ``path``."""

    def __init__(self, path, line: int, col: int, message: str):
        super().__init__(path, line, col, message)
        self.path, self.line, self.col, self.message = path, line, col, message

    def __str__(self) -> str:
        if self.path is None:
            return f"error: {self.message}"
        return f"{self.path}:{self.line}:{self.col}: error: {self.message}"
