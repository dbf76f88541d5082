r"""Analytic continuation of compiled formulas: the branches of sqrt, atan2 and |·| fixed along a path.

A compiled formula (:mod:`symcrit.core.compile`) is straight-line code: every evaluation makes
the same sequence of calls to ``sqrt``, ``atan2``, ``abs`` and ``sign``.  On the real branch of a
family these are real functions; continued into the complex plane each one has several branches
(±sqrt, atan2 modulo π), and ``abs``/``sign`` continue as ``σ·t`` / ``σ`` with the sign σ they
had on the real branch.  :class:`BranchContext` wraps a complex number context (``complex``,
``mpc`` or ``acb``) and fixes the branch of the i-th call from a *reference* — the value that
call had at the previous point of the path:

* sqrt(z), reference c ≈ the previous root:  ``c·sqrt(z/c²)`` (principal sqrt).  Its square is z
  exactly whatever c is; it is the root nearest c, analytic where Re(z/c²) > 0.
* atan2(y, x), references (c_ρ, c_θ):  ρ = ``c_ρ·sqrt((x² + y²)/c_ρ²)`` and
  θ = ``c_θ - i log((x + iy)/(ρ e^{i c_θ}))``, so that e^{iθ} = (x + iy)/ρ, ρ² = x² + y² exactly:
  the continuation of the real atan2, singular only where x² + y² = 0.
* abs(t) = σ t and sign(t) = σ, σ = the real sign of t where the path started.

Without references (``refs=None``) the context *records* them from a real point (principal real
values).  Each call's quotient (z/c² etc.) must have positive real part — otherwise the call
raises :class:`~symcrit.core.errors.BranchLost` — so over an ``acb`` box a successful
evaluation is an enclosure of one analytic function on the whole box.  With ``near`` set, a
quotient farther than ``near`` from 1 also raises: continuation steps stay short compared with
the distance to the nearest branch point of the kernel.

>>> import cmath
>>> ctx = BranchContext("complex")                  # record at a real point
>>> r = ctx.sqrt(4.0); refs = ctx.references()
>>> ctx = BranchContext("complex", refs)            # follow: z goes around 0 from 4 to 4 e^{iπ}
>>> for t in range(1, 11):
...     z = 4 * cmath.exp(1j * cmath.pi * t / 10)
...     r = ctx.reset().sqrt(z); ctx = BranchContext("complex", ctx.references())
>>> abs(r - 2j) < 1e-12                             # the continued root, not the principal one
True
"""
from __future__ import annotations

from symcrit.core.contexts import get_context
from symcrit.core.errors import BranchLost

__all__ = ["BranchContext", "BranchLost", "convert_refs"]


class BranchContext:
    """A number context over a complex base whose sqrt/atan2/abs/sign follow references.

    ``base``: 'complex', 'mpc' or 'acb' (or a context object).  ``refs``: a list from
    :meth:`references` (None: record principal real values).  ``near``: optional bound on
    |quotient - 1| (continuation step control).  Call :meth:`reset` before each evaluation of a
    formula (the references are matched by call number)."""

    name = "branch"
    exact = False

    def __init__(self, base, refs: list | None = None, near: float | None = None) -> None:
        self.base = get_context(base)
        self.refs = refs
        self.near = near
        self.rec: list = []
        self.values: list = []  # (kind, value) of every call: the full numbers (balls in acb)
        self.ratios: list = []

    def reset(self):
        self.rec: list = []
        self.values = []
        self.ratios: list = []
        return self

    def references(self) -> list:
        """The references recorded by the last evaluation (rounded to plain numbers of the base)."""
        return [tuple(r) for r in self.rec]

    # -- helpers ------------------------------------------------------------------------------
    def _ref(self, kind):
        i = len(self.rec)
        if self.refs is None:
            return None
        if i >= len(self.refs) or self.refs[i][0] != kind:
            raise BranchLost(f"call {i} is not a {kind} in the reference sequence (a different formula?)")
        return self.refs[i]

    def _check(self, q, what):
        b = self.base
        if not b.re_positive(q):
            raise BranchLost(f"{what}: the quotient left the half-plane Re > 0 (a branch point is near)")
        if self.near is not None:
            d = abs(complex(q) - 1) if b.name != "acb" else float(abs(q - 1).mid())
            self.ratios.append(d)
            if d > self.near:
                raise BranchLost(f"{what}: step too long for the branch (|q - 1| = {d:.3g})")

    # -- the operations -------------------------------------------------------------------------
    def sqrt(self, z):
        b = self.base
        ref = self._ref("sqrt")
        if ref is None:
            if not b.is_real(z) or b.real_sign(z) < 0:
                raise BranchLost("recording needs real, nonnegative square-root arguments")
            v = b.sqrt(z)
        else:
            c = ref[1]
            if c == 0:
                raise BranchLost("a square root whose reference value is 0 (a branch point on the path)")
            q = z / (c * c)
            self._check(q, "sqrt")
            v = c * b.sqrt(q)
        self.rec.append(("sqrt", self._plain(v)))
        self.values.append(("sqrt", v))
        return v

    def atan2(self, y, x):
        b = self.base
        ref = self._ref("atan2")
        if ref is None:
            if not (b.is_real(y) and b.is_real(x)):
                raise BranchLost("recording needs real atan2 arguments")
            rho = b.sqrt(x * x + y * y)
            th = b.real_atan2(y, x)
        else:
            _, cr, ct = ref
            if cr == 0:
                raise BranchLost("atan2 with x² + y² = 0 at the reference (a branch point on the path)")
            q = (x * x + y * y) / (cr * cr)
            self._check(q, "atan2 modulus")
            rho = cr * b.sqrt(q)
            i = b.I()
            q2 = (x + i * y) / (rho * b.exp(i * b.convert(ct)))
            self._check(q2, "atan2 angle")
            th = ct - i * b.log(q2)
        self.rec.append(("atan2", self._plain(rho), self._plain(th)))
        self.values.append(("atan2", th))
        return th

    def _sigma(self, t):
        ref = self._ref("sigma")
        if ref is None:
            b = self.base
            if not b.is_real(t) or b.real_sign(t) == 0:
                raise BranchLost("recording |t| or sign(t) needs a real, nonzero t")
            sg = b.real_sign(t)
        else:
            sg = ref[1]
        self.rec.append(("sigma", sg))
        self.values.append(("sigma", sg))
        return sg

    def abs(self, t):
        return t if self._sigma(t) > 0 else -t

    def sign(self, t):
        return self._sigma(t)

    def pi(self):
        return self.base.pi()

    def rational(self, p, q):
        return self.base.rational(p, q)

    def convert(self, x):
        return self.base.convert(x)

    def _plain(self, v):
        """A reference value: an exact number near v (the midpoint of a ball)."""
        if self.base.name == "acb":
            return v.mid()
        return v


def convert_refs(refs: list, base) -> list:
    """References recorded in one base, as numbers of another (exact conversion: a reference only
    selects a branch, the formulas are exact whatever its precision)."""
    b = get_context(base)
    out = []
    for r in refs:
        if r[0] == "sigma":
            out.append(r)
        else:
            out.append((r[0],) + tuple(b.convert(v) for v in r[1:]))
    return out
