"""The parameter ranges printed with a refinement are exactly what the named axioms state."""
from driver.load import make_kernel
from seplogic.parser import parse_assertion
from seplogic.syntax import alpha_eq
from theories import PARAM_RANGES


def test_each_range_is_its_axioms_conclusion():
    k = make_kernel()
    for init, (cond, ax) in PARAM_RANGES.items():
        assert init in k.sem_inits
        a = k.axioms[ax]
        assert alpha_eq(a.post, parse_assertion(f"⌜{cond}⌝")), (ax, a.post)
        assert {x for x, _ in a.params} <= {x for x, _ in k.preds[init][0]}
