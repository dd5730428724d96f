"""Immutable records: what ``@dataclass(frozen=True, slots=True)`` gives pv's syntax and kernel
data, without generating code at import.

TRUSTED: equality and hashing of terms decide what the kernel accepts.  `record` keeps the
dataclass semantics exactly -- fields are the class's annotations in order (``__slots__`` and
``__match_args__`` are those names), ``==`` compares the field tuples of two instances of the
same class (``NotImplemented`` otherwise), ``hash`` is the hash of the field tuple, the repr is
``Name(field=value, ...)``, assignment and deletion raise -- but builds ``__init__`` from
closures instead of ``exec`` (dataclasses spent ~25 ms of every start compiling the methods of
~70 classes).  The hash is computed once per instance (instances never change).
tests/test_record.py compares every record class with the dataclass of the same fields.
"""
from __future__ import annotations

from operator import attrgetter

_setattr = object.__setattr__


class FrozenRecordError(AttributeError):
    """Assigning to or deleting a field of a record (dataclasses' FrozenInstanceError)."""


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


def field(*, default_factory):
    """A field whose default is made by ``default_factory()`` for each instance."""
    return _Factory(default_factory)


class Record:
    """The base of every record class: the methods shared by all (one class's own are its
    ``__init__``, ``_fields`` and ``_key``)."""
    __slots__ = ("_hash",)
    _fields: tuple = ()
    _defaults: dict = {}
    _at: dict = {}
    _key = staticmethod(lambda self: ())

    def __setattr__(self, name, value):
        raise FrozenRecordError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise FrozenRecordError(f"cannot delete field {name!r}")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self is other or self._key(self) == other._key(other)
        return NotImplemented

    def __hash__(self):
        h = getattr(self, "_hash", None)    # (a default, not an exception: new records are many)
        if h is None:
            h = hash(self._key(self))
            _setattr(self, "_hash", h)
        return h

    def __repr__(self):
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{self.__class__.__qualname__}({inner})"

    def __reduce__(self):            # copy and pickle rebuild through __init__
        return self.__class__, self._key(self)


def _getter(names: tuple):
    """``obj -> tuple of its fields`` (attrgetter returns a bare value for one name)."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda self: (get(self),)
    return attrgetter(*names)


def _bind(cls, names: tuple, defaults: dict, args: tuple, kw: dict) -> list:
    """The field values of a call ``cls(*args, **kw)``, in field order (dataclass rules)."""
    if len(args) > len(names):
        raise TypeError(f"{cls.__name__}() takes {len(names)} positional arguments but "
                        f"{len(args)} were given")
    out, kw = list(args), dict(kw)
    for name in names[:len(args)]:
        if name in kw:
            raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
    for name in names[len(args):]:
        if name in kw:
            out.append(kw.pop(name))
        elif name in defaults:
            d = defaults[name]
            out.append(d.make() if type(d) is _Factory else d)
        else:
            raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
    if kw:
        raise TypeError(f"{cls.__name__}() got an unexpected keyword argument "
                        f"{next(iter(kw))!r}")
    return out


def _fields_of(cls):
    """(field names in order, {name: default}) from the class body's annotations."""
    own = cls.__dict__
    names = tuple(own.get("__annotations__", {}))
    defaults = {n: own[n] for n in names if n in own}
    for i, n in enumerate(names):
        if n not in defaults and any(m in defaults for m in names[:i]):
            raise TypeError(f"non-default field {n!r} follows a default field")
    return names, defaults


def _make_init(cls, names: tuple, defaults: dict):
    setters = tuple(cls.__dict__[n].__set__ for n in names)
    n = len(names)

    def __init__(self, *args, **kw):
        if kw or len(args) != n:
            args = _bind(cls, names, defaults, args, kw)
        for set_field, v in zip(setters, args):
            set_field(self, v)
    if n == 2:      # the common arities without the loop (records are made in every step)
        s0, s1 = setters

        def __init__(self, *args, **kw):   # noqa: F811
            if kw or len(args) != 2:
                args = _bind(cls, names, defaults, args, kw)
            s0(self, args[0])
            s1(self, args[1])
    elif n == 1:
        s0, = setters

        def __init__(self, *args, **kw):   # noqa: F811
            if kw or len(args) != 1:
                args = _bind(cls, names, defaults, args, kw)
            s0(self, args[0])
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def record(cls=None, /, *, frozen=True, slots=True):
    """Make ``cls`` a record (``frozen``/``slots`` are accepted for dataclass compatibility;
    only frozen, slotted records exist).  Fields with a class-level value or `field` default
    must follow those without, as for dataclasses."""
    if not (frozen and slots):
        raise TypeError("records are frozen and slotted")
    if cls is None:
        return record
    own = cls.__dict__
    names, defaults = _fields_of(cls)
    if any(getattr(b, "_fields", ()) for b in cls.__mro__[1:]):
        raise TypeError("a record cannot extend another record's fields")
    ns = {k: v for k, v in own.items() if k not in defaults and k not in
          ("__dict__", "__weakref__")}
    ns["__slots__"] = names
    ns["__match_args__"] = names
    ns["_fields"] = names
    ns["_defaults"] = defaults
    ns["_key"] = staticmethod(_getter(names))
    ns["_at"] = {n: i for i, n in enumerate(names)}     # field -> its position (replace)
    bases = cls.__bases__ if issubclass(cls, Record) else cls.__bases__ + (Record,)
    if bases[0] is object:
        bases = bases[1:]
    new = type(cls)(cls.__name__, bases, ns)
    new.__qualname__ = cls.__qualname__
    new.__init__ = _make_init(new, names, defaults)
    return new


def _mutable(cls):
    """A plain mutable data class (dataclass's default form): ``__init__`` from the fields,
    ``==`` on the fields, unhashable, the dataclass repr; attributes may be assigned."""
    names, defaults = _fields_of(cls)
    for n, d in defaults.items():
        if type(d) is _Factory:
            delattr(cls, n)
    n_fields = len(names)

    def __init__(self, *args, **kw):
        if kw or len(args) != n_fields:
            args = _bind(cls, names, defaults, args, kw)
        for name, v in zip(names, args):
            setattr(self, name, v)

    key = _getter(names)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__, cls.__eq__, cls.__hash__ = __init__, __eq__, None
    cls.__repr__ = Record.__repr__
    cls._fields, cls._defaults, cls.__match_args__ = names, defaults, names
    return cls


def dataclass(cls=None, /, *, frozen=False, slots=False):
    """``dataclasses.dataclass`` for the forms pv uses, without its code generation: a frozen
    one is a `record` (slotted: a frozen instance takes no other attributes anyway), the plain
    form a mutable data class."""
    if slots and not frozen:
        raise TypeError("use @dataclass(frozen=True[, slots=True]) or the plain @dataclass")
    if cls is None:
        return lambda c: dataclass(c, frozen=frozen, slots=slots)
    return record(cls) if frozen else _mutable(cls)


def is_record(x) -> bool:
    return isinstance(x, Record) and not isinstance(x, type)


def fields(x) -> tuple:
    """The field names of a record (class or instance), in order."""
    return x._fields


def replace(x, **changes):
    """A copy of record ``x`` with some fields changed (dataclasses.replace, which it calls for
    a dataclass)."""
    if not is_record(x):
        import dataclasses
        return dataclasses.replace(x, **changes)
    vals, at = list(x._key(x)), x._at
    for k, v in changes.items():
        if k not in at:
            raise TypeError(f"{type(x).__name__} has no field {k!r}")
        vals[at[k]] = v
    return x.__class__(*vals)
