"""`seplogic.record` against the frozen, slotted dataclasses it replaces: for every record class
of the syntax, the file commands, the kernel and the tactics, the dataclass with the same fields and defaults must
agree on construction, equality, hashing, repr, immutability, field order, pattern matching,
replace, copy and pickle (equality and hashing of terms decide what the kernel accepts)."""
import copy
import dataclasses
import pickle

import pytest
from hypothesis import given, settings, strategies as st

import kernel.core
import kernel.crash
import kernel.rules
import kernel.sequent
import seplogic.document
import seplogic.syntax as S
import tactics.patterns
import tactics.state
from seplogic.record import FrozenRecordError, Record, field, is_record, record, replace


def _record_classes():
    out = []
    for mod in (S, seplogic.document, kernel.core, kernel.crash, kernel.rules, kernel.sequent, tactics.patterns,
                tactics.state):
        for v in vars(mod).values():
            if isinstance(v, type) and "_fields" in v.__dict__ and v is not Record \
                    and v not in out:
                out.append(v)
    return out


CLASSES = _record_classes()


def _reference(cls):
    """The frozen, slotted dataclass of the same name, fields and defaults."""
    specs = []
    for n in cls._fields:
        if n in cls._defaults:
            d = cls._defaults[n]
            f = dataclasses.field(default_factory=d.make) if type(d).__name__ == "_Factory" \
                else dataclasses.field(default=d)
            specs.append((n, object, f))
        else:
            specs.append((n, object))
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)


REFS = {c: _reference(c) for c in CLASSES}

leaf = st.one_of(st.integers(-3, 3), st.booleans(), st.sampled_from(["x", "y", "", "1"]),
                 st.none(), st.just(1.0), st.builds(S.Var, st.sampled_from(["x", "y"])))
values = st.recursive(leaf, lambda inner: st.tuples(inner, inner) | st.tuples(inner),
                      max_leaves=4)


def test_the_record_classes_are_all_found():
    names = {c.__name__ for c in CLASSES}
    assert {"Sort", "Var", "Lit", "App", "WP", "BigSep", "Seq", "PrimAxiom", "Thm", "Goal",
            "CrashStatement", "Rule", "PName", "Document", "TheoremDef", "Pos"} <= names
    assert len(CLASSES) >= 67


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_class_shape_matches_the_dataclass(cls):
    ref = REFS[cls]
    assert cls.__slots__ == ref.__slots__ == cls._fields
    assert cls.__match_args__ == ref.__match_args__
    assert tuple(f.name for f in dataclasses.fields(ref)) == cls._fields
    assert cls.__qualname__ == cls.__name__ and is_record(cls(*[0] * len(cls._fields)))
    assert not hasattr(cls(*[0] * len(cls._fields)), "__dict__")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_instances_behave_as_the_dataclasses(data):
    cls = data.draw(st.sampled_from(CLASSES))
    ref = REFS[cls]
    n = len(cls._fields)
    vs = data.draw(st.lists(values, min_size=n, max_size=n))
    ws = data.draw(st.one_of(st.just(list(vs)), st.lists(values, min_size=n, max_size=n)))
    a, b, ra, rb = cls(*vs), cls(*ws), ref(*vs), ref(*ws)
    assert (a == b) == (ra == rb) and (a != b) == (ra != rb)
    assert hash(a) == hash(ra) and hash(a) == hash(a)
    assert repr(a) == repr(ra)
    assert a == cls(**dict(zip(cls._fields, vs))) == copy.copy(a) == copy.deepcopy(a)
    assert pickle.loads(pickle.dumps(a)) == a
    assert (a == tuple(vs)) is False and a.__eq__(ra) is NotImplemented
    other = data.draw(st.sampled_from(CLASSES))
    if other is not cls and len(other._fields) == n:
        assert other(*vs) != a                     # another class is never equal
    if not n:
        return
    name = data.draw(st.sampled_from(cls._fields))
    for obj in (a, ra):
        with pytest.raises(AttributeError):
            setattr(obj, name, 5)
        with pytest.raises(AttributeError):
            delattr(obj, name)
    with pytest.raises(AttributeError):    # (the dataclass raises TypeError: CPython bug 90055)
        a.not_a_field = 1
    assert getattr(a, name) == getattr(ra, name)
    new = data.draw(values)
    assert repr(replace(a, **{name: new})) == repr(dataclasses.replace(ra, **{name: new}))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_construction_errors_and_defaults_match(cls):
    ref, n = REFS[cls], len(cls._fields)
    required = n - len(cls._defaults)
    for k in range(required):        # too few arguments
        with pytest.raises(TypeError):
            ref(*[0] * k)
        with pytest.raises(TypeError):
            cls(*[0] * k)
    for c in (cls, ref):
        with pytest.raises(TypeError):
            c(*[0] * (n + 1))
        with pytest.raises(TypeError):
            c(*[0] * n, not_a_field=1)
        if n:
            with pytest.raises(TypeError):
                c(0, *[0] * (n - 1), **{cls._fields[0]: 1})   # given twice
    assert repr(cls(*[7] * required)) == repr(ref(*[7] * required))


def test_pattern_matching():
    t = S.App("add", (S.Var("x"), S.Lit("int", 1)))
    match t:
        case S.App("add", (S.Var(x), S.Lit("int", k))):
            assert (x, k) == ("x", 1)
        case _:
            raise AssertionError("no match")
    match S.Var("y"):
        case S.Lit():
            raise AssertionError("Var matched Lit")
        case S.Var(name="y"):
            pass
        case _:
            raise AssertionError("no match")


def test_a_cached_hash_never_changes_equality():
    a, b = S.App("f", (S.Var("x"),)), S.App("f", (S.Var("x"),))
    hash(a)
    assert a == b and hash(a) == hash(b) and {a: 1}[b] == 1
    assert S.Lit("bool", True) != S.Lit("int", 1)          # the kind keeps True apart from 1
    assert hash(S.Sort("u64")) == hash(("u64", ()))


def test_unhashable_fields_fail_as_for_dataclasses():
    for c in (S.App, REFS[S.App]):
        with pytest.raises(TypeError):
            hash(c("f", [S.Var("x")]))


def test_record_rules():
    with pytest.raises(TypeError):
        @record
        class Bad:
            a: int = 0
            b: int
    @record
    class WithFactory:
        a: int
        b: list = field(default_factory=list)
    x, y = WithFactory(1), WithFactory(1)
    assert x == y and x.b is not y.b and x.b == []
    with pytest.raises(FrozenRecordError):
        x.a = 2
    with pytest.raises(TypeError):
        record(frozen=False)
    from seplogic.record import dataclass

    @dataclass(frozen=True)
    class Frozen:
        a: int
    assert is_record(Frozen(1)) and Frozen(1) == Frozen(1) and hash(Frozen(1)) == hash((1,))
    with pytest.raises(TypeError):
        dataclass(slots=True)(Frozen)


def _mutable_classes():
    import driver.certificate
    import driver.load
    import tactics.script
    return [driver.load.Diagnostic, driver.load.TheoremResult, driver.load.TheoremPlan,
            tactics.script.ProofState, driver.certificate.Outcome]


def _mutable_reference(cls):
    specs = []
    for n in cls._fields:
        d = cls._defaults.get(n, dataclasses.MISSING)
        if d is dataclasses.MISSING:
            specs.append((n, object))
        elif type(d).__name__ == "_Factory":
            specs.append((n, object, dataclasses.field(default_factory=d.make)))
        else:
            specs.append((n, object, dataclasses.field(default=d)))
    return dataclasses.make_dataclass(cls.__name__, specs)


@pytest.mark.parametrize("cls", _mutable_classes(), ids=lambda c: c.__name__)
def test_mutable_data_classes_behave_as_dataclasses(cls):
    ref = _mutable_reference(cls)
    n, required = len(cls._fields), len(cls._fields) - len(cls._defaults)
    assert cls.__match_args__ == ref.__match_args__ == cls._fields
    a, ra = cls(*range(required)), ref(*range(required))
    assert repr(a) == repr(ra) and a == cls(*range(required)) and a.__eq__(ra) is NotImplemented
    assert cls.__hash__ is None and ref.__hash__ is None
    for f, d in cls._defaults.items():
        if type(d).__name__ == "_Factory":
            assert getattr(a, f) == d.make() and getattr(a, f) is not getattr(cls(
                *range(required)), f)                # a new default per instance
    name = cls._fields[-1]
    setattr(a, name, "changed")                     # mutable
    setattr(ra, name, "changed")
    assert repr(a) == repr(ra) and a != cls(*range(required))
    for c in (cls, ref):
        with pytest.raises(TypeError):
            c(*range(n + 1))
        with pytest.raises(TypeError):
            c(*range(required), not_a_field=1)
        if required:
            with pytest.raises(TypeError):
                c()
