"""Forward-mode dual numbers a + b·ε (ε² = 0) over mpmath, as a number context.

Evaluating a gradient written against a number context on duals gives a directional second
derivative (a Hessian-vector product) at the working precision, with no symbolic
differentiation.  At a double zero of S = Σ n n' t² (exactly aligned vectors, where F is only C²)
:meth:`AlignedDualOver.profile_root` returns the first-order term ε·sqrt(Σ n n' t₁²) instead of the
0/0 of d sqrt(S) = dS / (2 sqrt S).

>>> import mpmath
>>> ctx = DualContext()
>>> x = Dual(mpmath.mpf(2), mpmath.mpf(1))        # x = 2 + ε
>>> y = ctx.sqrt(x * x * x)                         # d/dx x^(3/2) = 3/2 sqrt(x)
>>> mpmath.nstr(y.du, 10)
'2.121320344'
"""
from __future__ import annotations

import mpmath

from symcrit.core.contexts import ContextOver, get_context
from symcrit.core.errors import PrecisionError

__all__ = ["Dual", "DualOver", "AlignedDualOver", "DualContext", "FloatDualContext"]


class Dual:
    __slots__ = ("re", "du")

    def __init__(self, re, du=0):
        self.re = re
        self.du = du

    @staticmethod
    def lift(x):
        return x if isinstance(x, Dual) else Dual(x, 0)

    def __add__(self, o):
        o = Dual.lift(o)
        return Dual(self.re + o.re, self.du + o.du)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.re, -self.du)

    def __sub__(self, o):
        o = Dual.lift(o)
        return Dual(self.re - o.re, self.du - o.du)

    def __rsub__(self, o):
        return Dual.lift(o) - self

    def __mul__(self, o):
        if not isinstance(o, Dual):
            return Dual(self.re * o, self.du * o)
        return Dual(self.re * o.re, self.re * o.du + self.du * o.re)

    __rmul__ = __mul__

    def __truediv__(self, o):
        if not isinstance(o, Dual):
            return Dual(self.re / o, self.du / o)
        return Dual(self.re / o.re, (self.du * o.re - self.re * o.du) / (o.re * o.re))

    def __rtruediv__(self, o):
        return Dual.lift(o) / self

    def __pow__(self, n):
        if not isinstance(n, int):
            raise TypeError("integer powers only")
        if n == 0:
            return Dual(mpmath.mpf(1), 0)
        # by multiplication (ipow): arb ** n is NaN on a ball that contains 0 (python-flint 0.9)
        from symcrit.core.compile import ipow
        return Dual(ipow(self.re, n), n * ipow(self.re, n - 1) * self.du)

    def __abs__(self):
        if self.re > 0:
            return self
        if self.re < 0:
            return -self
        return Dual(self.re, abs(self.du))

    def __gt__(self, o):
        return self.re > Dual.lift(o).re

    def __lt__(self, o):
        return self.re < Dual.lift(o).re

    def __repr__(self):
        return f"Dual({self.re}, {self.du})"


class DualOver(ContextOver):
    """Dual numbers whose parts live in another number context ``base`` (mpmath, float, arb, or
    e.g. Laurent series): directional derivatives, with every derivative rule written once."""

    name = "dual-over"
    number = Dual

    def constant(self, x):
        return Dual(x, 0)

    def sqrt(self, x):
        x = Dual.lift(x)
        r = self.base.sqrt(x.re)
        if _is_zero(x.du):
            return Dual(r, 0 * r)
        if _is_zero(r):
            raise ZeroDivisionError("derivative of sqrt at a simple zero")
        return Dual(r, x.du / (2 * r))

    def atan2(self, y, x):
        y, x = Dual.lift(y), Dual.lift(x)
        d = x.re * x.re + y.re * y.re
        return Dual(self.base.atan2(y.re, x.re), (x.re * y.du - y.re * x.du) / d)

    def abs(self, x):
        x = Dual.lift(x)
        sg = self.base.sign(x.re)
        return x if sg >= 0 else -x

    def sign(self, x):
        return self.base.sign(Dual.lift(x).re)


class AlignedDualOver(DualOver):
    """:class:`DualOver` with :meth:`profile_root`: at an exact double zero of S = Σ n n' t²
    (exactly aligned vectors, where F is only C²) sqrt(S) is ε·sqrt(Σ n n' t₁²), its first-order
    term, instead of the 0/0 of dS / (2 sqrt S)."""

    def profile_root(self, profile, S):
        """sqrt(S) for a profile, exact to first order also at a double zero of S."""
        S = Dual.lift(S)
        if not _is_zero(S.re):
            return self.sqrt(S)
        conv = self.base.convert
        acc = conv(0)
        for a in range(len(profile)):
            na, ua, va = profile[a]
            for b in range(a + 1, len(profile)):
                nb, ub, vb = profile[b]
                du = conv(Dual.lift(ua * vb - ub * va).du)
                acc = acc + Dual.lift(na).re * Dual.lift(nb).re * du * du
        return Dual(conv(0), self.base.sqrt(acc))


class DualContext(AlignedDualOver):
    """Duals over mpmath at the precision in force; |x| at x = 0 takes |dx| (the one-sided
    directional derivative)."""

    name = "dual"

    def __init__(self):
        super().__init__(get_context("mpmath"))

    def abs(self, x):
        return abs(Dual.lift(x))


class FloatDualContext(DualContext):
    """First-order duals over float64: directional derivatives for fast scans (never for a stated
    result)."""

    name = "float-dual"

    def __init__(self):
        AlignedDualOver.__init__(self, get_context("float"))


def _is_zero(x):
    """True if x is known to be zero (a series whose zero test the coefficient ring cannot decide,
    e.g. balls that contain 0, counts as not known to be zero: its derivative is then divided out,
    which raises PrecisionError only if the root itself is undecidable)."""
    if not hasattr(x, "is_zero"):
        return x == 0
    try:
        return x.is_zero()
    except PrecisionError:
        return False
