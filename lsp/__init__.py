"""The editor loop: `pv lsp`, a language server (`lsp.server`) over what the checker and the
tactic engine know about a document (`lsp.analysis`, no LSP types there)."""
