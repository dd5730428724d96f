"""Hints for a name that is not there: the nearest existing names ("did you mean"), and the pv
tactic for a name that Coq or Iris Proof Mode users type out of habit."""
from __future__ import annotations

import difflib

# Iris Proof Mode / Coq tactic -> what pv calls it (and how it differs, where it does)
COQ_NAMES = {
    "iIntros": "intros", "iIntro": "intros", "intros": "intros", "iFrame": "frame",
    "iSplitL": "split_l", "iSplitR": "split_r", "iSplit": "split", "iLeft": "left",
    "iRight": "right", "iExists": "exists", "eexists": "exists", "iDestruct": "destruct",
    "iApply": "apply", "iSpecialize": "specialize", "iAssert": "assert", "iPureIntro": "done",
    "iPure": "destruct", "iClear": "clear", "iInv": "inv_open", "iMod": "use_axiom",
    "iModIntro": "done", "iNext": "done", "iExact": "done", "iAssumption": "done",
    "iInduction": "induction", "iRewrite": "rewrite", "iUnfold": "unfold",
    "wp_load": "wp_step", "wp_store": "wp_step", "wp_alloc": "wp_step", "wp_cmpxchg": "wp_step",
    "wp_bind": "wp_step", "wp_lam": "wp_call", "wp_rec": "wp_call", "wp_let": "wp_pures",
    "wp_pure": "wp_pures", "wp_seq": "wp_pures", "wp_op": "wp_pures", "wp_apply": "wp_apply",
    "lia": "done", "lra": "done", "omega": "done", "auto": "done", "eauto": "done",
    "trivial": "done", "reflexivity": "done", "assumption": "done", "congruence": "done",
    "discriminate": "contradiction", "exfalso": "contradiction", "inversion": "cases",
    "destruct": "destruct", "case": "cases", "subst": "rewrite", "simpl": "unfold",
    "exact": "done", "Defined": "Qed", "Save": "Qed", "Abort": "Admitted",
}


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def did_you_mean(name: str, candidates, n: int = 3) -> str:
    """`` (did you mean a or b?)`` for the candidates closest to ``name``, or ``""``: those a
    typo away (one edit per three characters, at least one), else difflib's close matches."""
    cands = sorted(set(candidates) - {name})
    limit = max(1, len(name) // 3)
    scored = sorted((d, c) for c in cands if (d := _distance(name.lower(), c.lower())) <= limit)
    near = [c for _, c in scored[:n]] or difflib.get_close_matches(name, cands, n=n, cutoff=0.7)
    return f" (did you mean {' or '.join(near)}?)" if near else ""


def tactic_hint(name: str, tactics) -> str:
    """The hint for an unknown tactic: the pv name of a Coq/Iris tactic, or the nearest ones."""
    pv = COQ_NAMES.get(name)
    if pv is not None and pv != name and (pv in tactics or pv in ("Qed", "Admitted")):
        return f" (Coq/Iris's {name} is pv's {pv}; `pv tactics` lists them all)"
    return did_you_mean(name, tactics)
