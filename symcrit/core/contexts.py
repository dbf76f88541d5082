"""Number contexts: the few operations the kernel needs, for each kind of number.

Every formula in symcrit (the arc-cosine kernel, the reduced losses and their derivatives) is
written once against a context object that provides ``sqrt``, ``atan2``, ``pi``, ``rational``,
``abs``, ``sign``, ``sin``, ``cos``, ``acos`` and ``convert``.  The same code then runs in

* ``float``  -- numpy float64 (scalars or arrays),
* ``mpmath`` -- mpmath ``mpf`` at the current ``mpmath.mp`` precision,
* ``arb``    -- python-flint ``arb`` balls at the current ``flint.ctx`` precision,
* ``sympy``  -- exact symbolic expressions,
* ``complex`` -- Python complex numbers (cmath), principal branches,
* ``mpc``    -- mpmath complex numbers at the current precision, principal branches,
* ``acb``    -- python-flint complex balls (``acb``), principal branches,
* ``acb_series`` -- truncated power series with ``acb`` coefficients (Taylor models).

The complex contexts take the *principal* branch of sqrt, log and atan2 (atan2(y, x) =
-i log((x + iy)/sqrt(x² + y²))); |x| and sign(x) are accepted on real values only (they have no
analytic continuation).  The analytic continuation of a real branch into the complex plane
needs the branch of every square root and arctangent fixed along the path: that is
:class:`symcrit.core.branches.BranchContext`, built on these contexts.

Contexts are looked up in a registry, :data:`BACKENDS`, by name:

>>> get_context("mpmath").rational(1, 3)
mpf('0.33333333333333331')
>>> get_context("sympy").rational(1, 3)
1/3
>>> sorted(BACKENDS)
['acb', 'acb_series', 'arb', 'complex', 'float', 'mpc', 'mpmath', 'sympy']
"""
from __future__ import annotations

import decimal

import functools
import math
from fractions import Fraction
from typing import Any, Callable, Sequence

import mpmath
import numpy as np
import sympy
import cmath

from flint import acb, acb_series, arb, fmpq, fmpz

__all__ = ["BACKENDS", "get_context", "FloatContext", "MPContext", "ArbContext", "HalfPlaneArb", "PiecewiseArb", "SymContext",
           "ComplexContext", "MPCContext", "AcbContext", "AcbSeriesContext", "Library", "ContextOver"]


class Library:
    """Base of the contexts: a subclass names its library's functions once, as a table
    (``functions=dict(sqrt=..., atan2=..., pi=..., rational=...)``); they become static methods."""

    name = "library"
    exact = False
    sqrt: Callable[..., Any]
    atan2: Callable[..., Any]
    abs: Callable[..., Any]
    sign: Callable[..., Any]
    pi: Callable[[], Any]
    rational: Callable[[int, int], Any]

    def __init_subclass__(cls, functions: dict[str, Callable[..., Any]] | None = None, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        for fname, f in (functions or {}).items():
            setattr(cls, fname, staticmethod(f))

    @classmethod
    def gram_sqrt(cls, x: Any) -> Any:
        """The square root of a quantity that is >= 0 mathematically (a Gram determinant
        |u|²|v|² − (u·v)²): the context's sqrt; float64 clamps its roundoff below 0 to 0."""
        return cls.sqrt(x)


class FloatContext(Library, functions=dict(
        sqrt=np.sqrt, atan2=np.arctan2, sin=np.sin, cos=np.cos, acos=np.arccos, abs=np.abs, sign=np.sign,
        pi=lambda: math.pi, rational=lambda p, q: p / q)):
    """float64 through numpy: works on scalars and on arrays (vectorised)."""

    name = "float"

    @staticmethod
    def gram_sqrt(x: Any) -> Any:
        # |u|²|v|² − (u·v)² >= 0 by Cauchy–Schwarz; in float64 it can come out as −1e−17 for
        # (nearly) aligned rows, and np.sqrt would turn that into NaN with a RuntimeWarning
        return np.sqrt(np.maximum(x, 0.0))

    @staticmethod
    def convert(x):
        if isinstance(x, (sympy.Basic,)):
            return float(x)
        return np.float64(x) if np.ndim(x) == 0 else np.asarray(x, dtype=float)


class MPContext(Library, functions=dict(
        sqrt=mpmath.sqrt, atan2=mpmath.atan2, sin=mpmath.sin, cos=mpmath.cos, acos=mpmath.acos, abs=abs,
        sign=mpmath.sign, pi=lambda: +mpmath.pi, rational=lambda p, q: mpmath.mpf(p) / q)):
    """mpmath multiprecision at the precision in force (use ``mpmath.workdps``)."""

    name = "mpmath"

    @staticmethod
    def convert(x):
        if isinstance(x, sympy.Basic):
            return mpmath.mpf(sympy.N(x, mpmath.mp.dps + 10))
        return mpmath.mpf(x)


class ContextOver:
    """Base of the contexts whose numbers have parts in another context ``base`` (dual numbers,
    jets): constants (pi, rationals, converted numbers) enter through :meth:`constant`."""

    name = "over"
    exact = False
    #: the number type of this context (a value of it passes :meth:`convert` unchanged)
    number: type = object

    def __init__(self, base: Any) -> None:
        self.base = base

    def constant(self, x: Any) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def pi(self) -> Any:
        return self.constant(self.base.pi())

    def rational(self, p: int, q: int) -> Any:
        return self.constant(self.base.rational(p, q))

    def convert(self, x: Any) -> Any:
        return x if isinstance(x, self.number) else self.constant(self.base.convert(x))


def _arb(x):
    return x if isinstance(x, arb) else ArbContext.convert(x)


def _arb_sign(x):
    return _arb(x).sgn()


def _arb_fn(name):
    f = getattr(arb, name)
    return lambda *xs: f(*[_arb(x) for x in xs])


class ArbContext(Library, functions=dict(
        sqrt=_arb_fn("sqrt"), atan2=_arb_fn("atan2"), sin=_arb_fn("sin"), cos=_arb_fn("cos"), acos=_arb_fn("acos"),
        abs=lambda x: abs(_arb(x)), sign=_arb_sign, pi=arb.pi, rational=lambda p, q: arb(fmpq(int(p), int(q))))):
    """python-flint ball arithmetic at the precision in force (use ``flint.ctx.workprec``).

    Every result is a ball guaranteed to contain the exact value.
    """

    name = "arb"

    @staticmethod
    def convert(x):
        if isinstance(x, arb):
            return x
        if isinstance(x, sympy.Rational):
            return arb(fmpq(int(x.p), int(x.q)))
        if isinstance(x, mpmath.mpf):
            # exact conversion of the binary value: sign, mantissa, exponent
            sign, man, exp, _ = x._mpf_
            if not man:
                if exp:  # inf / nan special values have a zero mantissa and nonzero exponent
                    raise ValueError(f"cannot convert {x} to a ball")
                return arb(0)
            m = fmpz(-int(man) if sign else int(man))
            return arb(m) * arb(2) ** int(exp) if exp >= 0 else arb(m) / arb(2) ** int(-exp)
        if isinstance(x, (int, np.integer)):
            return arb(int(x))
        if isinstance(x, Fraction):  # exact: a ball around p/q at the working precision, never a float
            return arb(fmpq(x.numerator, x.denominator))
        if isinstance(x, str):
            return arb(x)
        if isinstance(x, (fmpq, fmpz)):  # exact (through float(x) an fmpq became a radius-0 ball off its value)
            return arb(x)
        if isinstance(x, (float, np.floating)):
            return arb(float(x))  # a float's binary value is exact
        if isinstance(x, decimal.Decimal):
            return arb(str(x))
        raise TypeError(f"cannot convert {type(x).__name__} {x!r} to a ball exactly")


class HalfPlaneArb(ArbContext):
    """``arb`` balls with √ and atan2 for arguments that are known to be nonnegative.

    ``sqrt(x)`` encloses √max(x, 0): valid when the exact value of x is ≥ 0 (a sum of squares),
    where plain ``arb`` returns NaN as soon as the ball reaches below 0.  ``atan2(y, x)`` encloses
    the angle in [0, π] for an exact y ≥ 0 (y = √S): on a ball around y = 0 with x < 0, plain
    ``arb`` straddles the branch cut (±π) while the angle is near π.  Use only on functions whose
    every √ and atan2 has that property (:func:`symcrit.critical.enclosure.nonnegative_roots` checks
    it on a fixed-point space's gradient).

    >>> from flint import arb
    >>> H = HalfPlaneArb()
    >>> H.sqrt(arb(0, 1e-3)).contains(0), H.atan2(arb(0, 1e-9), arb(-1)).contains(arb.pi())
    (True, True)
    """

    name = "arb-halfplane"

    @staticmethod
    def sqrt(x: Any) -> arb:
        x = x if isinstance(x, arb) else ArbContext.convert(x)
        if x > 0:
            return x.sqrt()
        if not x.is_finite():
            return arb.nan()
        if x <= 0:  # exact value >= 0 and <= 0: it is 0
            return arb(0)
        return arb(0).union(x.upper().sqrt())

    @staticmethod
    def atan2(y: Any, x: Any) -> arb:
        y = y if isinstance(y, arb) else ArbContext.convert(y)
        x = x if isinstance(x, arb) else ArbContext.convert(x)
        if x > 0:
            return arb.atan2(y, x)
        if x < 0:  # θ = π − atan(y/|x|) for y >= 0
            return arb.pi() - (y / (-x)).atan()
        if y > 0:  # θ = π/2 − atan(x/y)
            return arb.pi() / 2 - (x / y).atan()
        return arb(0).union(arb.pi())


_HALF = HalfPlaneArb()


class PiecewiseArb(HalfPlaneArb):
    """:class:`HalfPlaneArb` in which each |a| whose ball contains 0 is replaced by σ·a and sign(a)
    by σ, with σ = ±1 chosen per argument (the n-th distinct argument object of one evaluation gets
    ``choices[n]``).  With every choice in turn, the Jacobians of the smooth pieces of the function
    are enclosed; their hull encloses Clarke's generalized Jacobian over the box, which is what the
    mean-value argument of the Krawczyk test needs for a piecewise smooth gradient.  (Enclosing
    sign(a) by [−1, 1] instead is also valid, but it loses the cancellation between the pieces'
    terms: at W = t·11ᵀ in ΔS_k the Hessian is continuous, yet that enclosure is ±2 wide.)
    Used by :mod:`symcrit.critical.enclosure` for the Krawczyk test at aligned rows."""

    def __init__(self, choices: Sequence[int] | None = None) -> None:
        self.choices = choices
        self.seen: dict[int, int] = {}
        self.keep: list[Any] = []

    def _choice(self, a: Any) -> int | None:
        if a > 0 or a < 0:
            return None
        n = self.seen.get(id(a))
        if n is None:
            n = self.seen[id(a)] = len(self.seen)
            self.keep.append(a)  # keep the object alive: ids stay unique during the evaluation
        if self.choices is None or n >= len(self.choices):
            return None
        return self.choices[n]

    def abs(self, a: Any) -> arb:
        a = a if isinstance(a, arb) else ArbContext.convert(a)
        c = self._choice(a)
        return abs(a) if c is None else (a if c > 0 else -a)

    def sign(self, a: Any) -> arb:
        a = a if isinstance(a, arb) else ArbContext.convert(a)
        c = self._choice(a)
        return a.sgn() if c is None else arb(c)


class SymContext(Library, functions=dict(
        sqrt=sympy.sqrt, atan2=sympy.atan2, sin=sympy.sin, cos=sympy.cos, acos=sympy.acos, abs=sympy.Abs,
        sign=sympy.sign, pi=lambda: sympy.pi, rational=sympy.Rational,
        # the kernel factors the same small 2x2 minors u_a v_b - u_b v_a over and over (in every
        # profile of a space, in profile_sums and again in profile_root): cache them
        factor=functools.lru_cache(maxsize=8192)(sympy.factor))):
    """Exact symbolic arithmetic (sympy)."""

    name = "sympy"
    exact = True

    @staticmethod
    def convert(x):
        return sympy.sympify(x)


class _ComplexBase(Library):
    """Shared complex-context operations (principal branches); subclasses give the primitives."""

    name = "complex-base"

    def atan2(self, y, x):
        """Principal atan2 continued to complex arguments: -i log((x + iy)/sqrt(x² + y²))."""
        if self.is_real(y) and self.is_real(x):
            return self.real_atan2(y, x)
        i = self.I()
        return -i * self.log((x + i * y) / self.sqrt(x * x + y * y))

    def abs(self, x):
        if not self.is_real(x):
            raise ValueError("|x| of a non-real number has no analytic continuation: use BranchContext")
        return x if self.real_sign(x) >= 0 else -x

    def sign(self, x):
        if not self.is_real(x):
            raise ValueError("sign(x) of a non-real number: use BranchContext")
        return self.real_sign(x)


class ComplexContext(_ComplexBase, functions=dict(
        sqrt=cmath.sqrt, log=cmath.log, exp=cmath.exp, I=lambda: 1j, pi=FloatContext.pi,
        rational=FloatContext.rational, is_real=lambda x: complex(x).imag == 0,
        real_atan2=lambda y, x: complex(math.atan2(complex(y).real, complex(x).real)),
        real_sign=lambda x: (complex(x).real > 0) - (complex(x).real < 0),
        re_positive=lambda q: complex(q).real > 0)):
    """Python complex numbers (double precision) through cmath."""

    name = "complex"

    @staticmethod
    def convert(x):
        if isinstance(x, sympy.Basic):
            return complex(x)
        if isinstance(x, (mpmath.mpf, mpmath.mpc)):
            return complex(x)
        return complex(x)


class MPCContext(_ComplexBase, functions=dict(
        sqrt=mpmath.sqrt, log=mpmath.log, exp=mpmath.exp, I=lambda: mpmath.mpc(0, 1), pi=MPContext.pi,
        rational=MPContext.rational, is_real=lambda x: mpmath.im(x) == 0,
        real_atan2=lambda y, x: mpmath.mpc(mpmath.atan2(mpmath.re(y), mpmath.re(x))),
        real_sign=lambda x: int(mpmath.sign(mpmath.re(x))), re_positive=lambda q: mpmath.re(q) > 0)):
    """mpmath complex numbers at the precision in force (``mpmath.workdps``)."""

    name = "mpc"

    @staticmethod
    def convert(x):
        if isinstance(x, sympy.Basic):
            return mpmath.mpmathify(sympy.N(x, mpmath.mp.dps + 10))
        if isinstance(x, complex):
            return mpmath.mpc(x.real, x.imag)
        return mpmath.mpmathify(x)


def _acb(x):
    return x if isinstance(x, acb) else AcbContext.convert(x)


class AcbContext(_ComplexBase, functions=dict(
        sqrt=lambda x: _acb(x).sqrt(), log=lambda x: _acb(x).log(), exp=lambda x: _acb(x).exp(),
        I=lambda: acb(0, 1), pi=lambda: acb(arb.pi()), rational=lambda p, q: acb(ArbContext.rational(p, q)),
        is_real=lambda x: _acb(x).imag.is_zero(), real_atan2=lambda y, x: acb(arb.atan2(_acb(y).real, _acb(x).real)),
        re_positive=lambda q: bool(_acb(q).real > 0))):
    """python-flint complex balls (``acb``) at the precision in force (``flint.ctx.workprec``).

    Every result encloses the exact value of the principal branch; :meth:`re_positive` is True
    only when the real part of the whole ball is positive (so a principal sqrt or log of it is
    analytic on the ball)."""

    name = "acb"

    @staticmethod
    def real_sign(x):
        r = _acb(x).real
        if r > 0:
            return 1
        if r < 0:
            return -1
        if r.is_zero():
            return 0
        raise ValueError("the sign of a ball that contains 0 is undecided")

    @staticmethod
    def convert(x):
        if isinstance(x, acb):
            return x
        if isinstance(x, arb):
            return acb(x)
        if isinstance(x, mpmath.mpc):
            return acb(ArbContext.convert(x.real), ArbContext.convert(x.imag))
        if isinstance(x, complex):
            return acb(arb(x.real), arb(x.imag))
        return acb(ArbContext.convert(x))


def _series_or_ball(f):
    return lambda x: getattr(x if isinstance(x, acb_series) else _acb(x), f)()


class AcbSeriesContext(_ComplexBase, functions=dict(
        sqrt=_series_or_ball("sqrt"), log=_series_or_ball("log"), exp=_series_or_ball("exp"),
        I=getattr(AcbContext, "I"), pi=getattr(AcbContext, "pi"), rational=getattr(AcbContext, "rational"), convert=AcbContext.convert)):
    """Truncated power series in one variable t with ``acb`` ball coefficients (python-flint
    ``acb_series``; constants stay ``acb`` balls): Taylor models of analytic functions.

    The length of the series is that of the inputs, capped by python-flint's ``ctx.cap`` (scope
    it with :func:`symcrit.core.laurent.series_precision`).  Every coefficient of a result
    encloses the Taylor coefficient at t = 0 of the exact function, for every choice of the
    input coefficients in their balls.  sqrt and log are the principal ones, expanded at the
    constant term: :meth:`re_positive` looks at the constant term only, so whether the expanded
    function stays analytic on a whole disc |t| <= ρ must be proven separately (an ``acb``
    evaluation over the disc, as :class:`symcrit.core.branches.BranchContext` over ``acb`` does).
    Complex numbers only: sqrt/atan2 branches follow references (BranchContext), and |·|,
    sign have no analytic continuation.

    >>> from flint import acb_series
    >>> ctx = AcbSeriesContext()
    >>> [round(c.real.mid().__float__(), 6) for c in ctx.sqrt(acb_series([4, 1], prec=3)).coeffs()]
    [2.0, 0.25, -0.015625]
    """

    name = "acb_series"

    @staticmethod
    def constant_term(x):
        if isinstance(x, acb_series):
            c = x.coeffs()
            return c[0] if c else acb(0)
        return _acb(x)

    def re_positive(self, q):
        return bool(self.constant_term(q).real > 0)

    def is_real(self, x):
        return False

    def real_sign(self, x):
        raise ValueError("the sign of a power series: use BranchContext with references")


BACKENDS = {c.name: c() for c in (FloatContext, MPContext, ArbContext, SymContext,
                                  ComplexContext, MPCContext, AcbContext, AcbSeriesContext)}


def get_context(name: str) -> Any:
    """Return the number context registered under ``name`` (a context object passes through)."""
    if not isinstance(name, str):
        return name
    try:
        return BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown backend {name!r}; known: {', '.join(sorted(BACKENDS))}") from None
