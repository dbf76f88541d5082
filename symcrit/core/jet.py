r"""Second-order jets a + b·ε₁ + c·ε₂ + d·ε₁ε₂ (ε₁² = ε₂² = 0) over a number context, and (re-exported
from :mod:`symcrit.core.dual`) first-order dual numbers over float64.

Evaluating a gradient G on jets with x + ε₁ u + ε₂ w gives G (part a), the directional derivatives
DG·u (b) and DG·w (c), and the mixed second derivative D²G[u, w] (d), all in the base context: in
``arb`` every part is a ball that encloses the exact value, also when x is a box (then the parts
enclose the derivatives over the whole box).  That is what a Krawczyk test on an extended system
such as (G(x, k) = 0, ∂G/∂x · v = 0) needs: the Jacobian of (x, k) ↦ DG(x, k)·v is the d part.

>>> import mpmath
>>> from symcrit.core.contexts import get_context
>>> J = JetContext(get_context("mpmath"))
>>> x = Jet(2, 1, 1, 0)                 # x = 2 + ε₁ + ε₂
>>> y = J.sqrt(x * x * x)               # x^(3/2): first derivative 3/2 √x, second 3/(4 √x)
>>> [mpmath.nstr(t, 12) for t in (y.b, y.d)]
['2.12132034356', '0.53033008589']
"""
from __future__ import annotations

from symcrit.core.contexts import ContextOver
from symcrit.core.dual import FloatDualContext  # noqa: F401  (re-exported: it lived here)

__all__ = ["Jet", "JetContext", "FloatDualContext"]


def _zero(x):
    return isinstance(x, int) and x == 0


class Jet:
    """a + b ε₁ + c ε₂ + d ε₁ε₂; the parts are numbers of one base context (or Python ints)."""

    __slots__ = ("a", "b", "c", "d")

    def __init__(self, a, b=0, c=0, d=0):
        self.a, self.b, self.c, self.d = a, b, c, d

    @staticmethod
    def lift(x):
        return x if isinstance(x, Jet) else Jet(x)

    def __add__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.a + o, self.b, self.c, self.d)
        return Jet(self.a + o.a, self.b + o.b, self.c + o.c, self.d + o.d)

    __radd__ = __add__

    def __neg__(self):
        return Jet(-self.a, -self.b, -self.c, -self.d)

    def __sub__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.a - o, self.b, self.c, self.d)
        return Jet(self.a - o.a, self.b - o.b, self.c - o.c, self.d - o.d)

    def __rsub__(self, o):
        return Jet(o - self.a, -self.b, -self.c, -self.d)

    def __mul__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.a * o, self.b * o, self.c * o, self.d * o)
        a, b, c, d = self.a, self.b, self.c, self.d
        A, B, C, D = o.a, o.b, o.c, o.d
        return Jet(a * A, a * B + b * A, a * C + c * A, a * D + d * A + b * C + c * B)

    __rmul__ = __mul__

    def _unary(self, f0, f1, f2):
        """f(self) from f(a), f'(a), f''(a)."""
        return Jet(f0, f1 * self.b, f1 * self.c, f1 * self.d + f2 * self.b * self.c)

    def inverse(self):
        a = self.a
        ia = 1 / a
        return self._unary(ia, -ia * ia, 2 * ia * ia * ia)

    def __truediv__(self, o):
        if not isinstance(o, Jet):
            return Jet(self.a / o, self.b / o, self.c / o, self.d / o)
        return self * o.inverse()

    def __rtruediv__(self, o):
        return self.inverse() * o

    def __pow__(self, n):
        if not isinstance(n, int) or n < 0:
            raise TypeError("non-negative integer powers only")
        from symcrit.core.compile import ipow
        return Jet(1) if n == 0 else ipow(self, n)

    def __repr__(self):
        return f"Jet({self.a}, {self.b}, {self.c}, {self.d})"


class JetContext(ContextOver):
    """The number-context interface (see :mod:`symcrit.core.contexts`) for :class:`Jet` over a base
    context ``base`` ('float', 'mpmath' or 'arb').  ``abs`` and ``sign`` need the sign of the value
    to be decided (in ``arb``: a ball that does not contain 0), else they raise ValueError."""

    name = "jet"
    number = Jet

    def constant(self, x):
        return Jet(x)

    def sqrt(self, x):
        x = Jet.lift(x)
        r = self.base.sqrt(x.a)
        f1 = 1 / (2 * r)
        return x._unary(r, f1, -f1 / (2 * x.a))

    def atan2(self, y, x):
        y, x = Jet.lift(y), Jet.lift(x)
        ya, xa = y.a, x.a
        q = xa * xa + ya * ya
        ty, tx = xa / q, -ya / q                 # ∂θ/∂y, ∂θ/∂x
        q2 = q * q
        tyy, txx, txy = -2 * xa * ya / q2, 2 * xa * ya / q2, (ya * ya - xa * xa) / q2
        return Jet(self.base.atan2(ya, xa),
                   ty * y.b + tx * x.b,
                   ty * y.c + tx * x.c,
                   ty * y.d + tx * x.d + tyy * y.b * y.c + txx * x.b * x.c + txy * (y.b * x.c + x.b * y.c))

    def _sign(self, x):
        a = Jet.lift(x).a
        if a > 0:
            return 1
        if a < 0:
            return -1
        raise ValueError("the sign of a jet whose value may be 0 is not decided (abs/sign not differentiable there)")

    def abs(self, x):
        return Jet.lift(x) * self._sign(x)

    def sign(self, x):
        return Jet(self._sign(x))
