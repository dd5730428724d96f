"""Regression tests for the soundness audit (issue 9): one module per class of accepted false
result, named after its number in the issue; each fails on the code before its fix.

c01 premise statements built capture-free · c02 the spec's declared initial state · c03 spec
programs mean their text · c04 spec tokens do not outlive a crash (eras) · c05 the
refinement's printed record · c06 recheck and admits · c07 names, alpha keys, certificate
fuzzing · c08 grammar tables shipped · c09 race freedom · c10 allocation bounds · c11 the
two disks over bytes · c12 each semantics owns its cells · c13 kernel and
interpreter agree on pure steps · c14 fs_example states the bytes · c15 modules (issue 12:
two definitions of one short name never confused; visibility, shadowing, ambiguity,
certificates) · audit_*, audit2_* what the audits after the fixes found (a crash during init; Print's handle name; Print's definitions).
"""
