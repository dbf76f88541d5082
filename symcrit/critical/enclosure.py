r"""All critical points in a box of a fixed-point space, proven complete by interval branch-and-bound.

:func:`all_critical_points` searches a box of a fixed-point space (at one integer k) for the zeros
of the entry gradient G (one full-space gradient entry per orbit: G = 0 exactly at the critical
points in the space, which are critical points of the full loss by symmetric criticality).  Every
box of a subdivision is, in ball arithmetic (python-flint ``arb``):

* **excluded** when an enclosure of G over it misses 0 in some component: the natural interval
  extension of the compiled gradient, then the mean-value form G(m) + J(X)(X − m), then the
  Krawczyk operator (K(X) ∩ X = ∅: every zero in X lies in K(X));
* **proven** to hold exactly one zero when K(X) ⊂ int X (Krawczyk), with
  K(X) = m − C G(m) + (I − C J(X))(X − m), C ≈ J(m)⁻¹, J(X) an enclosure of the Jacobian over X;
  zeros are also sought by Newton's method from the box's centre and proven on a box around the
  Newton point (its *uniqueness box* U: one zero in U); a later box inside some U is *covered*
  (the only zero it can hold is already counted), and two Newton points whose enclosures lie in
  one U are the same zero, so no zero is counted twice;
* otherwise **bisected** along its widest coordinate relative to the initial box, down to
  ``min_width``; a box still undecided there is reported with the reason (the gradient enclosure
  contains 0 and the Jacobian is not enclosable, or Krawczyk neither contracts nor excludes: a
  singular Jacobian, as at a non-isolated critical set or a double zero).

The list of zeros is **proven complete** in the search domain only when no box is undecided.

*The search domain.*  At a critical point with all rows nonzero, w_i · ∂F/∂w_i = 0 reads (the kernel
is 1-homogeneous; teacher I, so |v_j| = 1)

.. math:: \frac{r_i}{2} + \sum_{i' \ne i} r_{i'}\,\varphi(\theta_{ii'}) = \sum_j \varphi(\theta_{ij}),
   \qquad \varphi = \frac{\sin\theta + (\pi-\theta)\cos\theta}{2\pi} \in [0, \tfrac12],

with r_i = |w_i|.  As a function of c = cos θ, φ is increasing and convex (φ'' = 1/(2π sin θ)),
φ(0) = 1/(2π), φ(1) = 1/2, and Σ_j c_j² = 1 for the teacher's orthonormal rows.  So

* r_i ≤ 2 Σ_j φ(c_j) ≤ k/π + (1 − 1/π)√k =: B_k (chord bound, Σ_j (c_j)₊ ≤ √k): every critical
  point lies in the box of :func:`default_box` (each parameter bounded by B_k over the root of its
  count in its row): **proven**;
* Σ_j φ(c_j) ≥ k φ(−1/√k) (Jensen, Σ_j c_j ≥ −√k), and with φ ≤ 1/2, Σ_i r_i ≥ 2k φ(−1/√k):
  when all rows have the same norm (isotropy ΔS_k) every row has r ≥ ρ_k := 2φ(−1/√k): the
  small-norm region is excluded **by proof** there.  In the other spaces a lower bound ρ on the
  rows' norms is a restriction of the search domain (stated in the result as *assumed*).

Near a zero row the gradient is not defined (the kernel's gradient involves w/|w|), and where two
rows are aligned (angle 0 or π) the loss is only C¹ with Lipschitz gradient: the Jacobian of √S
(S = |u|²|v|² − (u·v)², a sum of squares) is not enclosable on a box that meets S = 0, while the
gradient is.  The gradient is enclosed there by ball arithmetic in which √ of a quantity that is a
sum of squares is taken on its nonnegative part and atan2(√S, u·v) ∈ [0, π] is taken on the
upper half plane (both checked on the symbolic gradient before use: :func:`nonnegative_roots`).
In the parameters themselves (``coordinates="cartesian"``) a critical point on an aligned set (such
as the global minimum W = I in Δ(S₁ × S_{k−1})) cannot be proven by Krawczyk: its box stays
undecided and is reported, never counted.

*In norm–angle coordinates* (the default) the search uses the structure of the gradient:

* it is written in the chart itself (:func:`_native_exprs`): a row's norm is the coordinate r,
  never recomputed from the parameters, and the gradient is **affine in the norms** at fixed
  angles, G = A(φ) r − b(φ) (:func:`_affine_system`, checked symbolically);
* a second enclosure of A, b and of the Jacobian uses the cosines between unit rows, each
  occurring once (:func:`_cosine_form`, :func:`_cosine_jacobian`), with the sines from the 2×2
  minors (O(h) at alignment) and the derivative rearranged so that the terms in 1/sin θ cancel by
  hand: the quotients left are coordinates of unit vectors, enclosed in [−1, 1].  The Jacobian is
  then enclosed to O(h) on boxes of width h at aligned and anti-aligned rows and at rows aligned
  with a teacher row, where the gradient is C¹ but √ and arccos have unbounded derivatives: W = I
  and W = u 1ᵀ are proven by Krawczyk.  Both enclosures are met (intersected);
* the **norm contractor** (:func:`_norm_contractor`): every zero of a box satisfies A r = b with
  A, b enclosed over the angles alone; interval Gauss–Seidel (raw and preconditioned) narrows the
  norms or excludes the box, so the bisection runs mostly over the angles (norm widths are weighted
  by ``R_WEIGHT``).  A(φ), b(φ) and their derivatives depend on the angles only: they are enclosed
  once per angle box (:class:`_AngleCache`) and reused, unchanged, by the two halves of a box
  bisected in a norm and by the Jacobian tests on the same box (the same enclosures, never wider);
* with ``rho=0`` the norms range over [0, B_k] (subdivided in log(r + shift)): the gradient in the
  chart is finite at r = 0, so boxes of short rows are excluded like any other and every critical
  point with nonzero rows is searched (**proven** domain, in every space);
* **continua**: in a two-block space the points W = u 1ᵀ whose u has all entries of one sign and
  Σu = k t± are critical (the segments through t± 11ᵀ, :func:`_continuum_tubes`); a parametric
  Krawczyk test along the segment proves it to be the only zero set in a chain of overlapping
  *tilted tubes* (boxes in (r_2, s = p_1 r_1 + p_2 r_2 − L, angles), which follow the segment
  instead of boxing it), reaching past its ends at r = 0; a search box inside a tube is counted
  as decided.  Each tube has its own shape (half-width σ in s, w in the angles: ``TUBE_WIDTHS``,
  widest first; σ ≫ w, the s-direction being the well-conditioned one), and a piece of the segment
  is split while its halves prove wider tubes: the boxes a search spends around a segment fall like
  1/(the tube's width).  They are listed in ``Enclosure.continua``.

*What decides each box* (every box counted as decided is decided by one of these):

* *outside the domain*: the proven bounds (:func:`critical_point_bounds`: no critical point has a
  row longer than B_k, and Σ_i r_i ≥ k ρ_k), tested in ball arithmetic;
* *excluded, radial*: the identity w_i · ∂F/∂w_i = 0 (Euler's theorem for the 1-homogeneous kernel)
  is violated on the whole box (:func:`_radial_test`);
* *excluded, contraction*: interval Gauss–Seidel on A(φ) r = b(φ) finds no norms in the box
  (:func:`_norm_contractor`; every zero satisfies it, A and b enclosed over the angles);
* *excluded, gradient / mean value*: an enclosure of a component of G over the box misses 0 (the
  natural extension, or the mean-value theorem G(x) ∈ G(m) + J(X)(X − m), with J(X) an enclosure
  of Clarke's generalized Jacobian where the gradient is only Lipschitz);
* *excluded, Krawczyk*: K(X) ∩ X = ∅ (every zero of X lies in K(X));
* *covered*: the box lies in the uniqueness box of a zero proven by Krawczyk (K(U) ⊂ int U:
  exactly one zero in U, by Brouwer's fixed point theorem and the contraction of I − C J(U));
* *covered by a continuum*: the box lies in a tilted tube in which the parametric Krawczyk test
  proved, for every value of the segment's parameter, exactly one zero of the projected gradient:
  the segment's point (:func:`_tilted_krawczyk`);
* a box shrunk by the contractor or by Krawczyk (X ∩ K(X)) keeps every zero of the box, and is
  tested for coverage again.

Anything else is bisected; :func:`search_statistics` says where the bisected boxes lie and which
test failed on them.

A toy system, x² = 1 and y² = x + 3, with its four zeros (±1, ·):

>>> import sympy
>>> from symcrit.core.compile import compile_exprs
>>> x, y = sympy.symbols("x y")
>>> toy = BallSystem.from_compiled(compile_exprs([x, y], [x * x - 1, y * y - x - 3]), 2)
>>> res = find_zeros(toy, ((-3.0, 3.0), (-3.0, 3.0)))
>>> len(res["zeros"]), res["undecided"]
(4, [])

``all_critical_points(fixed_point_space(["k"]), 6)`` proves four critical points in ΔS_6 (a few
seconds): the global minimum, ``sk``, and the two points W = t±·11ᵀ with all rows equal, which
:func:`compare_with_catalogue` names by their closed-form families ``rank1p``, ``rank1m``
(:func:`symcrit.critical.families.closed_form_families`).
"""
from __future__ import annotations

import functools
import math
import time
from typing import Any, Callable, Sequence

import mpmath
import numpy as np
import sympy
from flint import arb, arb_mat, ctx as flint_ctx

from symcrit.core.ad import jacobian_program
from symcrit.core.compile import compile_exprs
from symcrit.core.contexts import ArbContext, HalfPlaneArb, PiecewiseArb, get_context
from symcrit.core.errors import BadInput, SymcritError
from symcrit.model.kernel import FactoredRootsContext
from symcrit.symmetry.fixedpoint import K_SYMBOL, FixedPointSpace

__all__ = ["all_critical_points", "Enclosure", "ProvenZero", "critical_point_bounds", "default_box",
           "nonnegative_roots", "krawczyk_box", "find_zeros", "BallSystem", "compare_with_catalogue",
           "search_statistics"]

Box = tuple  # tuple of (lo, hi) float pairs: exact binary endpoints


# ---------------------------------------------------------------------------------------------
# ball arithmetic on boxes


_HALF = HalfPlaneArb()


#: the weight of a row norm's relative (logarithmic) width when choosing the coordinate to bisect
#: in norm–angle coordinates: the norms are mostly narrowed by the contractor
R_WEIGHT = 0.1
#: in norm–angle coordinates, the Jacobian tests (mean value, Krawczyk, Newton) run on boxes whose
#: largest relative width is below this (wider boxes are bisected: the tests rarely decide them)
JACOBIAN_WIDTH = 0.02

#: the norm contractor adds the mean-value form of A(φ), b(φ) on boxes whose angles are narrower
CENTRED_WIDTH = 0.5

#: the shapes (σ, w) tried for the tilted tubes around a segment of critical points, widest first:
#: half-width σ in s = p_1 r_1 + p_2 r_2 − L, w·max(1, |angle|) in each angle.  A piece whose first
#: proven shape is not the first is split down to TUBE_MIN_PIECE of the segment's length, its
#: halves trying the shapes before their parent's (a box near a segment is decided only inside a
#: tube: the number of search boxes around a segment falls like 1/the tube's width).  σ ≫ w: the
#: s-direction is the well-conditioned one (measured at k = 6)
TUBE_WIDTHS: tuple[tuple[float, float], ...] = ((0.3, 0.03), (0.1, 0.03), (0.1, 0.01), (0.03, 0.01), (0.1, 3e-3), (0.03, 3e-3), (0.01, 3e-3),
               (0.01, 1e-3), (3e-3, 1e-3), (1e-3, 3e-4), (3e-4, 1e-4))
TUBE_MIN_PIECE = 1 / 512

#: at most this many |a| with a ball containing 0 are split into pieces (2^n evaluations)
MAX_PIECES = 4


def _hull_jacobian_noargs(gj, xs):
    return _hull_jacobian(gj, xs)


def _hull_jacobian(gj, xs, *extra):
    """Enclosure of the (generalized) Jacobian over the box xs: the hull over the smooth pieces."""
    ctx = PiecewiseArb()
    gval, J = gj(ctx, *xs, *extra)
    m = len(ctx.seen)
    if m == 0 or m > MAX_PIECES or not all(v.is_finite() for v in J):
        return gval, J
    hull = None
    for bits in range(2 ** m):
        choices = [1 if (bits >> i) & 1 else -1 for i in range(m)]
        _, Jc = gj(PiecewiseArb(choices), *xs, *extra)
        hull = list(Jc) if hull is None else [a.union(b) for a, b in zip(hull, Jc)]
    return gval, hull


def _meet(u: arb, v: arb) -> arb:
    """The intersection of two enclosures of one number (a non-finite one is ignored): a ball that
    contains it (arb's intersection, rounded outward); an empty intersection would mean a wrong
    enclosure: it raises."""
    if not v.is_finite():
        return u
    if not u.is_finite():
        return v
    if not u.overlaps(v):
        raise SymcritError("two enclosures of one number are disjoint (an enclosure is wrong)")
    return u.intersection(v)


def _ball(lo: float, hi: float) -> arb:
    return arb(lo) if lo == hi else arb(lo).union(arb(hi))


def _below(b: arb) -> float:
    """A float ≤ every point of the ball b (mid − rad, rounded down with a margin that covers the
    float conversions: |fl(m) − m| ≤ u|m|, rad is a float, |fl(m − r) − (m − r)| ≤ u|m − r|)."""
    if not b.is_finite():
        return -math.inf
    m, r = float(b.mid()), float(b.rad())
    return m - r - 4.5e-16 * (abs(m) + r) - 1e-300


def _above(b: arb) -> float:
    if not b.is_finite():
        return math.inf
    m, r = float(b.mid()), float(b.rad())
    return m + r + 4.5e-16 * (abs(m) + r) + 1e-300


def _sq(lo: float, hi: float) -> arb:
    """Enclosure of {x² : lo ≤ x ≤ hi} (tight, nonnegative)."""
    a, b = arb(lo), arb(hi)
    if lo >= 0:
        return _ball_from(a * a, b * b)
    if hi <= 0:
        return _ball_from(b * b, a * a)
    m = a * a if -lo > hi else b * b
    return arb(0).union(m)


def _ball_from(lo: arb, hi: arb) -> arb:
    return lo.union(hi)


def _mpf(b: arb) -> mpmath.mpf:
    """The midpoint of a ball as an exact mpmath number."""
    m, e = b.mid().man_exp()
    return mpmath.ldexp(mpmath.mpf(int(m)), int(e))


# ---------------------------------------------------------------------------------------------
# the domain


def _phi(c: arb) -> arb:
    """φ(c) = (√(1 − c²) + (π − acos c) c) / (2π)."""
    pi = arb.pi()
    return ((1 - c * c).sqrt() + (pi - c.acos()) * c) / (2 * pi)


def critical_point_bounds(k: int) -> dict[str, Any]:
    """Proven bounds on the row norms r_i = |w_i| at any critical point with all rows nonzero.

    ``B``: r_i ≤ B for every row (a float rounded up); ``rho_equal``: r ≥ rho_equal when all rows
    have one norm (isotropy ΔS_k), a float rounded down; ``sum_lower``: Σ_i r_i ≥ sum_lower.
    See the module doc for the proof.

    >>> b = critical_point_bounds(6)
    >>> round(b["B"], 4), round(b["rho_equal"], 4)
    (3.5797, 0.1411)
    """
    k = _int_k(k)
    with flint_ctx.workprec(128):
        pi = arb.pi()
        rk = arb(k).sqrt()
        B = arb(k) / pi + (1 - 1 / pi) * rk
        rho = 2 * _phi(-1 / rk)
        return {"B": _above(B), "rho_equal": _below(rho), "sum_lower": _below(arb(k) * rho),
                "evidence": "proven"}


def _int_k(k):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
        raise BadInput(f"k must be an integer >= 2 for an enclosure, got {k!r}")
    return int(k)


class _RowNorms:
    """Squared row norms of each block's representative row as Σ count·x² over its parameters."""

    def __init__(self, space: FixedPointSpace, k: int):
        S = space.slot_matrix(k)
        sizes = space.sizes_at(k)
        starts = np.concatenate([[0], np.cumsum(sizes)])[:-1]
        self.rows = []
        for I, i in enumerate(starts):
            counts = np.bincount(S[i][S[i] >= 0], minlength=space.dim)
            self.rows.append([(n, int(c)) for n, c in enumerate(counts) if c])
        if space.extra:
            counts = np.bincount(S[-1], minlength=space.dim)
            self.rows.append([(n, int(c)) for n, c in enumerate(counts) if c])

    def enclose(self, box: Box) -> list[arb]:
        return [sum((c * _sq(*box[n]) for n, c in row), arb(0)) for row in self.rows]

    def counts(self, dim):
        out = [None] * dim
        for row in self.rows:
            for n, c in row:
                out[n] = c
        return out


def default_box(space: FixedPointSpace, k: int) -> tuple[Box, dict[str, Any]]:
    """The box that holds every critical point with nonzero rows: each parameter bounded by
    B_k / √(its count in its row) (proven, :func:`critical_point_bounds`)."""
    k = _int_k(k)
    B = critical_point_bounds(k)["B"]
    counts = _RowNorms(space, k).counts(space.dim)
    box = []
    with flint_ctx.workprec(128):
        for c in counts:
            h = _above(arb(B) / arb(c).sqrt())
            box.append((-h, h))
    return tuple(box), {"B": B, "statement": f"every row norm |w_i| <= {B!r} at a critical point (proven): "
                        "each parameter is bounded by B / sqrt(its count in its row)"}


# ---------------------------------------------------------------------------------------------
# the reduced gradient with the aligned factors of sqrt(S) taken out


@functools.lru_cache(maxsize=32)
def _factored_system(space):
    """(grad, grad_jac, exprs) of the entry gradient written with :class:`FactoredRootsContext`."""
    exprs = space.entry_gradient_in(FactoredRootsContext(), space.params, K_SYMBOL)
    args = list(space.params) + [K_SYMBOL]
    grad = compile_exprs(args, exprs, "entry_gradient_factored")
    gj = jacobian_program(grad, space.dim + 1, space.dim, "entry_grad_jac_factored", with_values=True)
    return grad, gj, tuple(exprs)


def _r_content(e, rs):
    """The monomial in the norm symbols ``rs`` that divides e (an Add of monomials times the rest)."""
    terms = sympy.Add.make_args(sympy.expand(e)) if e.is_Add else (e,)
    m = sympy.Integer(1)
    for r in rs:
        d = min(sympy.degree(t, r) if t.is_polynomial(r) else 0 for t in terms)
        if d > 0:
            m = m * r ** d
    return m


@functools.lru_cache(maxsize=32)
def _native_exprs(space, k):
    """The entry gradient as expressions in the norm–angle coordinates of :class:`_Chart`, written
    so that a row's norm is the coordinate r itself (never recomputed from the parameters).

    Each parameter x_n = r_I z_n (r_I > 0 its row's norm, z the unit row, Σ c_n z_n² = 1): the
    gradient is built by :class:`FactoredRootsContext` in (r, z), every |w_I|² = r_I² Σ c z² is replaced
    by r_I², the positive factors r of every √S = r_I r_J |g| √rest and of both arguments of every
    atan2 are taken out (atan2(r y, r x) = atan2(y, x) for r > 0), and z = the chart's unit row in
    the angles.  The same function as the Cartesian gradient at x(y); ball arithmetic encloses it
    without the loss of the dependence between the parameters of a row and its norm."""
    chart = _chart(space, k)
    n = space.dim
    Z = [sympy.Symbol(f"_z{i}", real=True) for i in range(n)]
    vals = [chart.r_of[i] * Z[i] for i in range(n)]
    exprs = space.entry_gradient_in(FactoredRootsContext(), vals, k)
    rs = [chart.symbols[i] for i in chart.r_index]
    subs = {}
    for b, row in enumerate(chart.rows):
        r = rs[b]
        subs[sum((c * (r * Z[m]) ** 2 for m, c in row), sympy.Integer(0))] = r ** 2

    def fix_atan2(e):
        y, x = e.args
        m = _r_content(x, rs)
        my = sympy.Integer(1)
        for r in rs:
            dy = sympy.degree(sympy.factor_terms(y).as_independent(*rs)[1], r) if y.has(r) else 0
            dx = sympy.degree(m, r)
            if min(dy, dx) > 0:
                my = my * r ** min(dy, dx)
        return sympy.atan2(y / my, sympy.expand(x / my)) if my != 1 else e
    out = []
    for e in exprs:
        e = e.subs(subs)
        e = e.replace(lambda a: isinstance(a, sympy.Abs), lambda a: sympy.Abs(sympy.factor(a.args[0])))
        e = e.replace(lambda a: isinstance(a, sympy.atan2), fix_atan2)
        e = e.subs({Z[i]: chart.unit[i] for i in range(n)})
        out.append(e)
    return tuple(out)


@functools.lru_cache(maxsize=32)
def _native_system(space, k):
    """(grad, grad_jac) compiled from :func:`_native_exprs` in the chart's coordinates."""
    chart = _chart(space, k)
    exprs = _native_exprs(space, k)
    grad = compile_exprs(chart.symbols, list(exprs), "entry_gradient_chart")
    gj = jacobian_program(grad, space.dim, space.dim, "entry_grad_jac_chart", with_values=True)
    return grad, gj


@functools.lru_cache(maxsize=32)
def _affine_system(space, k):
    """The entry gradient is affine in the row norms at fixed angles: G(r, φ) = A(φ) r − b(φ)
    (each term of ∂F/∂w_i is a norm times a function of the directions, or a function of the
    directions alone).  Returns a function of the chart coordinates (the norms are ignored) giving
    the flat list A (n × number of blocks, row-major) followed by b; raises if some expression is
    not affine in the norms (checked symbolically)."""
    chart = _chart(space, k)
    rs = [chart.symbols[i] for i in chart.r_index]
    A, b = [], []
    for e in _native_exprs(space, k):
        poly = sympy.Poly(e, *rs)  # raises if a norm sits inside a function
        if poly.total_degree() > 1:
            raise SymcritError("the chart gradient is not affine in the row norms")
        A += [poly.coeff_monomial(r) for r in rs]
        b.append(-poly.coeff_monomial(1))
    return compile_exprs(chart.symbols, A + b, "entry_gradient_affine")


def _pair_sin(zi: Sequence[arb], zj: Sequence[arb], keys: Sequence[Any]) -> arb:
    """|z_i ∧ z_j| = √(Σ_{a<b} (z_ia z_jb − z_ib z_ja)²) with the columns grouped by ``keys`` (equal
    keys: equal entries in both rows): the sine of the angle between unit rows, enclosed to O(h)
    on a box of width h even at alignment (√(1 − c²) from the cosine loses half of that)."""
    groups: dict[Any, list] = {}
    for col, key in enumerate(keys):
        if key in groups:
            groups[key][0] += 1
        else:
            groups[key] = [1, zi[col], zj[col]]
    g = list(groups.values())
    S = arb(0)
    for a in range(len(g)):
        for b in range(a + 1, len(g)):
            t = g[a][1] * g[b][2] - g[b][1] * g[a][2]
            S = S + g[a][0] * g[b][0] * (t * t)
    return _HALF.sqrt(S)


def _teacher_angles(zi: Sequence[arb], keys: Sequence[Any]) -> tuple[list[arb], list[arb]]:
    """(sin θ_j, θ_j) between a unit row z_i and each teacher row e_j: sin θ_j = √(Σ_{l ≠ j} z_il²)
    (O(h) at alignment), met with √(1 − z_ij²), and θ_j = atan2(sin θ_j, z_ij) met with arccos."""
    k = len(zi)
    sq = [_sq(_below(v), _above(v)) for v in zi]
    by_key: dict[Any, tuple[arb, arb]] = {}
    s_out, th_out = [], []
    for j in range(k):
        if keys[j] not in by_key:
            sm = _HALF.sqrt(sum((sq[l] for l in range(k) if l != j), arb(0)))
            by_key[keys[j]] = _sin_cos_angle(sm, zi[j])
        sv, th = by_key[keys[j]]
        s_out.append(sv)
        th_out.append(th)
    return s_out, th_out


def _sin_cos_angle(s_minor: arb, c: arb) -> tuple[arb, arb]:
    """(sin θ, θ) for a pair of unit vectors from two enclosures: the minors' s and the cosine c."""
    sv = _meet(s_minor, _sin_of_cos(c))
    return sv, _meet(_HALF.atan2(sv, c), _acos_range(c))


def _cos_ends(c: arb) -> tuple[float, float]:
    """Float endpoints of a ball of cosines, rounded outward and clamped to [−1, 1]."""
    return max(-1.0, _below(c)), min(1.0, _above(c))


def _sin_of_cos(c: arb) -> arb:
    """√(1 − c²) over a ball of cosines (the exact value in [−1, 1]): through the range of c²."""
    lo, hi = _cos_ends(c)
    return _HALF.sqrt(1 - _sq(lo, hi))


def _acos_range(c: arb) -> arb:
    """arccos over a ball of cosines (the exact value in [−1, 1]): decreasing, so its range is
    [arccos(hi), arccos(lo)] (endpoints exact floats in [−1, 1])."""
    lo, hi = _cos_ends(c)
    return arb(hi).acos().union(arb(lo).acos())


def _entry_layout(space: FixedPointSpace, k: int) -> tuple[list, list, int]:
    """For each parameter n of the space: (i, m, I, others) -- a slot (row i, column m) holding it,
    the block I of row i, and for every block J the rows of J other than i (a representative first) --
    with the block sizes at k and their number."""
    S = space.slot_matrix(k)
    sizes = space.sizes_at(k)
    starts = [int(v) for v in np.concatenate([[0], np.cumsum(sizes)])[:-1]]
    block_of_row = np.repeat(np.arange(len(sizes)), sizes)
    nb = len(sizes)
    entries = []
    for n in range(space.dim):
        i, m = map(int, np.argwhere(S[:k] == n)[0])
        I = int(block_of_row[i])
        others = {}
        for J in range(nb):
            rows_J = [t for t in range(starts[J], starts[J] + sizes[J]) if t != i]
            if rows_J:
                others[J] = (rows_J[0], rows_J)
        entries.append((i, m, I, others))
    return entries, list(sizes), nb


def _cosine_form(space: FixedPointSpace, k: int, chart: _Chart) -> Callable[[Box], tuple[list, list]]:
    """A second enclosure of A(φ) and b(φ) (:func:`_affine_system`), from the kernel's gradient
    written with the cosines between unit rows: for the entry (i, m) of row i (block I),

    A_iJ = δ_IJ z_im / 2 + [(p_J − δ_IJ) √(1 − c_IJ²) z_im + (π − arccos c_IJ) Σ_{i' ∈ J, i' ≠ i} z_i'm] / 2π,
    b_i = [Σ_j √(1 − z_ij²) z_im + π − arccos z_im] / 2π,

    z the unit rows (the chart at r = 1), c_IJ = z_i · z_i' (one value for all rows i' ≠ i of block J:
    the stabiliser of row i permutes them).  Each cosine occurs once, and arccos, √(1 − c²) are
    evaluated on the clamped ball: much tighter on wide boxes than the minor form (which the
    Jacobian needs near aligned rows)."""
    S = space.slot_matrix(k)
    entries, sizes, nb = _entry_layout(space, k)

    def enclose(Y):
        ys = [_ball(lo, hi) for lo, hi in Y]
        unit = list(ys)
        for ri in chart.r_index:
            unit[ri] = arb(1)
        zh = chart.fn(_HALF, *unit)

        def z(i, c):
            n = S[i, c]
            return zh[n] if n >= 0 else arb(0)
        pi = arb.pi()
        A, b = [], []
        cos_cache, tcache = {}, {}
        for i, m, I, others in entries:
            zim = z(i, m)
            row = [arb(0)] * nb
            row[I] = zim / 2
            for J, (j, rows_J) in others.items():
                key = (i, j)
                if key not in cos_cache:
                    cJ = sum((z(i, c) * z(j, c) for c in range(k)), arb(0))
                    sJ = _pair_sin([z(i, c) for c in range(k)], [z(j, c) for c in range(k)],
                                   [(S[i, c], S[j, c]) for c in range(k)])
                    cos_cache[key] = _sin_cos_angle(sJ, cJ)
                sv, th = cos_cache[key]
                colz = sum((z(t, m) for t in rows_J), arb(0))
                row[J] = row[J] + (len(rows_J) * sv * zim + (pi - th) * colz) / (2 * pi)
            A.append(row)
            if i not in tcache:
                tcache[i] = _teacher_angles([z(i, c) for c in range(k)], S[i, :k])
            sj, thj = tcache[i]
            b.append((sum(sj, arb(0)) * zim + pi - thj[m]) / (2 * pi))
        return A, b
    return enclose


def _cosine_jacobian(space: FixedPointSpace, k: int, chart: _Chart) -> Callable[..., tuple]:
    r"""The gradient G = A(φ) r − b(φ) of :func:`_cosine_form` and its Jacobian in the chart's
    coordinates, enclosed over a box (balls ``ys``), with the derivative written so that it stays
    bounded where two rows are aligned or anti-aligned (c = ±1) or a row is aligned with a teacher
    row (z_ij = ±1), where the gradient is C¹ but d√(1 − c²) and d arccos c are unbounded:

    * a pair of student rows: d[(p − δ) s z_im + (π − θ) Σ_i' z_i'm] = (p − δ) s dz_im + (π − θ) Σ dz_i'm
      + Q dc with Q = Σ_i' (z_i'm − c z_im)/s, and each (z_i'm − c z_im)/s is a coordinate of the unit
      vector (z_i' − c z_i)/|z_i' − c z_i| (|z_i' − c z_i| = s): enclosed in [−1, 1] even where s ∋ 0;
    * a teacher row: d[Σ_j s_j z_im + π − arccos z_im] = Σ_{j ≠ m} (s_j dz_im − z_ij R_j dz_ij)
      + 2 s_m dz_im with R_j = z_im / s_j ∈ [−1, 1] (s_j² = Σ_{l ≠ j} z_il² ≥ z_im²).

    Both are exact rearrangements of the derivative (the terms in 1/s cancel by hand); each
    quotient is met with its bound, so the enclosure holds on every box of the chart.  Returns
    (G, J flat row-major)."""
    S = space.slot_matrix(k)
    entries, sizes, nb = _entry_layout(space, k)
    n = space.dim
    unit_ball = arb(0, 1)  # [−1, 1]
    zero_vec = [arb(0)] * n

    def bounded(num, den, bound):
        """num/den met with [−bound, bound] (the exact quotient is known to lie there)."""
        if den > 0 or den < 0:
            qv = num / den
            if qv.is_finite():
                lo, hi = max(-bound, _below(qv)), min(bound, _above(qv))
                if lo <= hi:
                    return _ball(lo, hi)
        return arb(0, bound)

    def enclose(ys, parts=False):
        unit = list(ys)
        for ri in chart.r_index:
            unit[ri] = arb(1)
        zh, Dx = chart.fn_jac(_HALF, *unit)
        Dz = [[arb(0) if y in chart.r_index else Dx[q * n + y] for y in range(n)] for q in range(n)]

        def z(i, c):
            q = S[i, c]
            return zh[q] if q >= 0 else arb(0)

        def dz(i, c):
            q = S[i, c]
            return Dz[q] if q >= 0 else zero_vec

        def axpy(acc, a, v):
            return [x + a * y for x, y in zip(acc, v)]
        pi = arb.pi()
        r = [ys[ri] for ri in chart.r_index]
        G, Jac = [], []
        PA, PdA, Pb, Pdb = [], [], [], []
        cache = {}
        tcache = {}
        for i, m, I, others in entries:
            zim, dzim = z(i, m), dz(i, m)
            g = r[I] * zim / 2
            dg = [r[I] * v / 2 for v in dzim]
            dg[chart.r_index[I]] += zim / 2
            rowA = [arb(0)] * nb
            rowdA = [zero_vec] * nb
            rowA[I] = zim / 2
            rowdA[I] = [v / 2 for v in dzim]
            for J, (j, rows_J) in others.items():
                if (i, j) not in cache:
                    c = sum((z(i, col) * z(j, col) for col in range(k)), arb(0))
                    dc = zero_vec
                    for col in range(k):
                        dc = axpy(axpy(dc, z(j, col), dz(i, col)), z(i, col), dz(j, col))
                    sJ = _pair_sin([z(i, col) for col in range(k)], [z(j, col) for col in range(k)],
                                   [(S[i, col], S[j, col]) for col in range(k)])
                    cache[(i, j)] = (c, dc) + _sin_cos_angle(sJ, c)
                c, dc, sv, th = cache[(i, j)]
                npair = len(rows_J)
                colz = sum((z(t, m) for t in rows_J), arb(0))
                dcolz = zero_vec
                for t in rows_J:
                    dcolz = axpy(dcolz, arb(1), dz(t, m))
                Q = sum((bounded(z(t, m) - c * zim, sv, 1.0) for t in rows_J), arb(0))
                a = (npair * sv * zim + (pi - th) * colz) / (2 * pi)
                da = [(npair * sv * u + (pi - th) * v + Q * w) / (2 * pi) for u, v, w in zip(dzim, dcolz, dc)]
                g = g + r[J] * a
                dg = axpy(dg, r[J], da)
                dg[chart.r_index[J]] += a
                rowA[J] = rowA[J] + a
                rowdA[J] = [u + v for u, v in zip(rowdA[J], da)]
            if i not in tcache:
                tcache[i] = _teacher_angles([z(i, col) for col in range(k)], S[i, :k])
            sj, thj = tcache[i]
            b = (sum(sj, arb(0)) * zim + pi - thj[m]) / (2 * pi)
            db = [2 * sj[m] * v for v in dzim]
            for col in range(k):
                if col == m:
                    continue
                R = bounded(zim, sj[col], 1.0)
                zc, dzc = z(i, col), dz(i, col)
                db = [x + sj[col] * u - zc * R * w for x, u, w in zip(db, dzim, dzc)]
            G.append(g - b)
            Jac += [x - y / (2 * pi) for x, y in zip(dg, db)]
            PA.append(rowA)
            PdA.append(rowdA)
            Pb.append(b)
            Pdb.append([y / (2 * pi) for y in db])
        if parts:  # G = A r − b with A, b and their derivatives (vectors over the coordinates)
            return PA, PdA, Pb, Pdb
        return G, Jac
    return enclose


class _AngleCache:
    """The enclosures over a box that depend on its angles only (the gradient is affine in the norms:
    A(φ), b(φ) and their derivatives), kept for the last ``size`` angle boxes: the two halves of a
    box bisected in a norm, and the Jacobian tests after the contractor on the same box, reuse them.
    Keyed by the angles' (lo, hi) floats and the working precision; an entry is a dict that the
    contractor fills round by round (``round``: how many rounds of :func:`_norm_contractor` its A, b
    hold) and :meth:`parts` adds to."""

    def __init__(self, space: FixedPointSpace, k: int, chart: _Chart, size: int = 256) -> None:
        self.aidx = [i for i in range(space.dim) if i not in chart.r_index]
        self.ridx = list(chart.r_index)
        self.cosine_parts = _cosine_jacobian(space, k, chart)
        self.size = size
        self.store: dict = {}
        self.hits = 0

    def _put(self, key, ent):
        if len(self.store) >= self.size:
            self.store.pop(next(iter(self.store)))
        self.store[key] = ent

    def _outer_key(self, balls):
        return (flint_ctx.prec, "balls") + tuple((_below(v), _above(v)) for v in balls)

    def entry(self, Y: Sequence[tuple[float, float]]) -> dict:
        """The entry of the box Y's angles (created empty: ``round`` 0); its balls are _ball(lo, hi)."""
        key = (flint_ctx.prec,) + tuple(Y[i] for i in self.aidx)
        ent = self.store.get(key)
        if ent is None:
            balls = [_ball(*Y[i]) for i in self.aidx]
            ent = {"round": 0, "balls": balls}
            self._put(key, ent)
            self._put(self._outer_key(balls), ent)  # the same balls, as the Jacobian tests see them
        else:
            self.hits += 1
        return ent

    def parts(self, ent: dict) -> tuple:
        """(A, dA, b, db) of :func:`_cosine_jacobian` over the entry's angle balls (norms: any)."""
        if "parts" not in ent:
            unit = [arb(1)] * (len(self.aidx) + len(self.ridx))
            for i, v in zip(self.aidx, ent["balls"]):
                unit[i] = v
            ent["parts"] = self.cosine_parts(unit, parts=True)
        return ent["parts"]

    def gradient_jacobian(self, ys: Sequence[arb]) -> tuple[list, list]:
        """G = A r − b and its Jacobian over the balls ys from the parts of an entry whose angle balls
        contain those of ys (checked; else a new entry): the enclosure of :func:`_cosine_jacobian`
        (d/dr_J G = A_{·J}; the angles' columns Σ_J r_J dA_J − db)."""
        angles = [ys[i] for i in self.aidx]
        key = self._outer_key(angles)
        ent = self.store.get(key)
        if ent is None or not all(u.contains(v) for u, v in zip(ent["balls"], angles)):
            ent = {"round": 0, "balls": angles}
            self._put(key, ent)
        else:
            self.hits += 1
        PA, PdA, Pb, Pdb = self.parts(ent)
        r = [ys[i] for i in self.ridx]
        n, nb = len(ys), len(r)
        G, Jac = [], []
        for i in range(len(PA)):
            G.append(sum((r[J] * PA[i][J] for J in range(nb)), arb(0)) - Pb[i])
            row = [sum((r[J] * PdA[i][J][y] for J in range(nb)), arb(0)) - Pdb[i][y] for y in range(n)]
            for J, ri in enumerate(self.ridx):
                row[ri] = row[ri] + PA[i][J]
            Jac += row
        return G, Jac


@functools.lru_cache(maxsize=32)
def _angle_cache(space, k):
    return _AngleCache(space, k, _chart(space, k))


def _norm_contractor(space: FixedPointSpace, k: int, chart: _Chart) -> Callable[[Box], Box | None]:
    """A contractor for the row norms: over a box of the chart, A(φ) and b(φ) of
    :func:`_affine_system` are enclosed (they do not depend on the norms), and every zero in the
    box satisfies A r = b; interval Gauss–Seidel sweeps on the raw equations and on the equations
    preconditioned by a float pseudo-inverse of mid A shrink the norms' ranges.  Returns the
    contracted box (every zero of the box lies in it) or None (no zero in the box)."""
    fn = _affine_system(space, k)
    cosine = _cosine_form(space, k, chart)
    parts = _cosine_jacobian(space, k, chart)
    n, nb = space.dim, len(chart.r_index)
    ridx = list(chart.r_index)

    meet = _meet  # two enclosures of one number (disjoint ones raise: an enclosure would be wrong)

    def preconditioners(A):
        """Float rows y to combine the equations with (any y: yᵀA r = yᵀb holds at every zero):
        the rows of the pseudo-inverse of mid A (yᵀA ≈ a unit row: one norm solved for).  (The
        left null space of mid A, which eliminates the norms, excluded no more box at k = 6.)"""
        Am = np.array([[float(a.mid()) for a in row] for row in A])
        if not np.all(np.isfinite(Am)):
            return []
        try:
            U, sv, Vt = np.linalg.svd(Am, full_matrices=False)
        except np.linalg.LinAlgError:
            return []
        if not sv[-1] > 1e-12 * sv[0]:
            return []
        P = Vt.T @ np.diag(1 / sv) @ U[:, :nb].T
        return [[arb(float(v)) for v in P[J]] for J in range(nb)]

    def sweep(A, b, lo, hi, pre):
        """Gauss–Seidel sweeps on A r = b over the norm ranges [lo, hi] (updated in place), on the
        raw equations and their combinations by the float rows ``pre`` (computed once per box from
        the first finite enclosure); False: no zero."""
        if not (all(v.is_finite() for v in b) and all(v.is_finite() for row in A for v in row)):
            return True
        R = [_ball(a, c) for a, c in zip(lo, hi)]
        if not pre:
            pre.append(preconditioners(A))
        rows = []
        for y in pre[0]:
            pa = [sum((y[i] * A[i][J2] for i in range(n)), arb(0)) for J2 in range(nb)]
            pb = sum((y[i] * b[i] for i in range(n)), arb(0))
            rows.append((pa, pb))
        rows += [(A[i], b[i]) for i in range(n)]
        for _ in range(3):
            changed = False
            for a_row, bi in rows:
                res = sum((a * r for a, r in zip(a_row, R)), arb(0)) - bi
                if res.is_finite() and not res.contains(0):
                    return False
                for J in range(nb):
                    a = a_row[J]
                    if not (a > 0 or a < 0):
                        continue
                    rest = bi - sum((a_row[J2] * R[J2] for J2 in range(nb) if J2 != J), arb(0))
                    c = rest / a
                    if not c.is_finite():
                        continue
                    if c < lo[J] or c > hi[J]:
                        return False
                    nlo, nhi = max(lo[J], _below(c)), min(hi[J], _above(c))
                    if nlo > lo[J] or nhi < hi[J]:
                        if nhi - nlo < 0.9 * (hi[J] - lo[J]):
                            changed = True
                        lo[J], hi[J] = nlo, nhi
                        R[J] = _ball(nlo, nhi)
            if not changed:
                break
        return True

    cache = _angle_cache(space, k)

    def contract(Y):
        """Three rounds, cheapest first, each ending in sweeps: the compiled minor form, met with
        the cosine form, met with the mean-value form (narrow boxes).  A, b depend on the angles
        only: the rounds already computed for the same angles (:class:`_AngleCache`) are reused
        and only the last one is swept again."""
        ys = [_ball(a, c) for a, c in Y]
        lo = [Y[i][0] for i in ridx]
        hi = [Y[i][1] for i in ridx]
        ent = cache.entry(Y)
        done = ent["round"]
        pre = ent.setdefault("pre", [])
        if done == 0:
            vals = fn(_HALF, *ys)
            ent["A"] = [[vals[i * nb + J] for J in range(nb)] for i in range(n)]
            ent["b"] = [vals[n * nb + i] for i in range(n)]
            ent["round"] = 1
        if done <= 1 and not sweep(ent["A"], ent["b"], lo, hi, pre):
            return None
        if done < 2:
            A2, b2 = cosine(Y)
            ent["A"] = [[meet(ent["A"][i][J], A2[i][J]) for J in range(nb)] for i in range(n)]
            ent["b"] = [meet(ent["b"][i], b2[i]) for i in range(n)]
            ent["round"] = 2
        narrow = max(c - a for j, (a, c) in enumerate(Y) if j not in ridx) < CENTRED_WIDTH
        if (done == 2 or (done < 2 and not narrow)) and not sweep(ent["A"], ent["b"], lo, hi, pre):
            return None
        if done < 2 and narrow and not sweep(ent["A"], ent["b"], lo, hi, pre):
            return None
        if narrow:
            if done < 3:
                # the mean-value form A(m) + A'(Y)(Y − m), b(m) + b'(Y)(Y − m) over the angles
                A, b = ent["A"], ent["b"]
                mid = [arb((a + c) / 2) for a, c in Y]
                vm = fn(_HALF, *mid)  # A(m), b(m) at the centre (a point: the compiled form is tight)
                Am = [[vm[i * nb + J] for J in range(nb)] for i in range(n)]
                bm = vm[n * nb:]
                _, dA, _, db = cache.parts(ent)
                dev = [ys[j] - mid[j] if j not in ridx else arb(0) for j in range(n)]
                A = [[meet(A[i][J], Am[i][J] + sum((d * e for d, e in zip(dA[i][J], dev)), arb(0)))
                      for J in range(nb)] for i in range(n)]
                b = [meet(b[i], bm[i] + sum((d * e for d, e in zip(db[i], dev)), arb(0))) for i in range(n)]
                ent["A"], ent["b"], ent["round"] = A, b, 3
            if not sweep(ent["A"], ent["b"], lo, hi, pre):
                return None
        out = list(Y)
        for J, i in enumerate(ridx):
            out[i] = (lo[J], hi[J])
        return tuple(out)
    return contract


# ---------------------------------------------------------------------------------------------
# which roots are of nonnegative quantities


def _nonneg(e, k) -> bool:
    """A structural proof that the expression e is >= 0 for all real parameter values at this k."""
    if e.is_number:
        return bool(e >= 0)
    if e.free_symbols <= {sympy.Symbol("k")} or all(str(s) == "k" for s in e.free_symbols):
        return bool(e.subs({s: k for s in e.free_symbols}) >= 0)
    if isinstance(e, sympy.Abs):
        return True
    if e.is_Pow:
        if e.exp.is_Integer and int(e.exp) % 2 == 0:
            return True
        if e.exp == sympy.Rational(1, 2) or (e.exp.is_Rational and e.exp.q == 2):
            return True  # a square root (of a quantity checked on its own)
        return _nonneg(e.base, k) and e.exp.is_real
    if e.is_Add:
        return all(_nonneg(a, k) for a in e.args)
    if e.is_Mul:
        return all(_nonneg(a, k) for a in e.args)
    return False


def nonnegative_roots(space: FixedPointSpace, k: int) -> tuple[bool, str]:
    """Check (structurally, on the symbolic entry gradient that the enclosure evaluates) that every √ is of a nonnegative
    quantity and every atan2 has a nonnegative first argument at this k: the conditions under
    which :class:`HalfPlaneArb` encloses the gradient.  Returns ``(ok, reason)``."""
    return _nonnegative_roots(space, int(k))


@functools.lru_cache(maxsize=64)
def _nonnegative_roots(space, k):
    for g in list(_factored_system(space)[2]) + [space.reduced_loss()]:
        for node in sympy.preorder_traversal(g):
            if node.is_Pow and node.exp.is_Rational and node.exp.q == 2 and not _nonneg(node.base, k):
                return False, f"a square root of {node.base} is not structurally nonnegative"
            if isinstance(node, sympy.atan2) and not _nonneg(node.args[0], k):
                return False, f"atan2 with first argument {node.args[0]} not structurally nonnegative"
    return True, "every sqrt is of a sum of squares (times positive counts), every atan2 is of sqrt(S)"


# ---------------------------------------------------------------------------------------------
# results


class ProvenZero:
    """A critical point proven to exist: the ``enclosure`` (a box, one (lo, hi) per parameter) holds
    exactly one zero of the reduced gradient, and it is the only zero in ``uniqueness_box``.
    ``values`` are the Newton point (mpmath, inside the enclosure), ``loss`` a ball, ``family`` the
    catalogued family it matches (None: not in the catalogue)."""

    def __init__(self, enclosure: Box, uniqueness_box: Box, values: list[Any], loss: arb) -> None:
        self.enclosure, self.uniqueness_box, self.values, self.loss = enclosure, uniqueness_box, values, loss
        self.family: str | None = None
        self.in_domain = True  # False: found (by Newton) just outside the search domain
        self.balls: list[arb] | None = None  # the tight enclosure (about 22 digits), when proven

    def __repr__(self):
        return f"ProvenZero(family={self.family!r}, values={[mpmath.nstr(v, 10) for v in self.values]})"

    def to_dict(self, params: Sequence[Any] = ()) -> dict[str, Any]:
        names = [str(p) for p in params] or [f"x{i}" for i in range(len(self.values))]
        return {"family": self.family,
                "values": {n: mpmath.nstr(v, 20) for n, v in zip(names, self.values)},
                "enclosure": {n: [repr(lo), repr(hi)] for n, (lo, hi) in zip(names, self.enclosure)},
                "loss": _loss_str(self.loss),
                "in_domain": self.in_domain,
                "evidence": "proven (Krawczyk: exactly one zero in the enclosure and in the uniqueness box)"}


def _loss_str(b: arb) -> str:
    from symcrit.critical.extended import ball_bounds, ball_digits
    d = ball_digits(b, 15)
    if d is not None:
        return d
    if b.is_finite() and b.contains(0):
        return f"|F| <= {_above(abs(b)):.2g}"
    lo, hi = ball_bounds(b, 3)
    return f"[{lo}, {hi}]"


class Enclosure:
    """The outcome of :func:`all_critical_points` (attributes as in :meth:`to_dict`)."""

    def __init__(self, space: FixedPointSpace, k: int, box: Box, domain: dict[str, Any], points: list[ProvenZero],
                 counts: dict[str, Any], undecided: list[dict[str, Any]], seconds: float, truncated: bool) -> None:
        self.space, self.k, self.box, self.domain = space, k, box, domain
        self.points: list[ProvenZero] = points
        self.counts: dict[str, Any] = counts
        self.undecided: list[dict[str, Any]] = undecided
        self.seconds = seconds
        self.truncated = truncated
        self.catalogue: dict[str, Any] | None = None
        self.coordinates: list[str] = [str(p) for p in space.params]  # of the search boxes (undecided)
        self.in_domain: Callable[[Sequence[float]], bool] = lambda x: True
        self.aligned: list[dict[str, Any]] = []  # ΔS_k critical points in excluded boxes (see all_critical_points)
        self.continua: list[dict[str, Any]] = []  # segments of critical points, proven alone in their tubes

    @property
    def complete(self) -> bool:
        """True when no box is undecided: the list of zeros in the domain is proven complete."""
        return not self.undecided

    @property
    def evidence(self) -> str:
        return "proven" if self.complete else "incomplete"

    def undecided_reasons(self) -> dict[str, int]:
        """How many undecided boxes each reason left (the reason up to its first ';' clause about
        the conditioning), most frequent first."""
        out: dict[str, int] = {}
        for u in self.undecided:
            key = u["reason"].split("; the Jacobian at the centre")[0].split("; condition number")[0]
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    def __repr__(self):
        return (f"Enclosure(blocks={list(self.space.blocks)}, k={self.k}, points={len(self.points)}, "
                f"boxes={self.counts['boxes']}, undecided={len(self.undecided)}, evidence={self.evidence!r})")

    def to_dict(self) -> dict[str, Any]:
        ps = self.space.params
        return {"blocks": list(self.space.blocks), "k": self.k, "params": [str(p) for p in ps],
                "box": {str(p): [repr(lo), repr(hi)] for p, (lo, hi) in zip(ps, self.box)},
                "domain": self.domain, "evidence": self.evidence, "complete": self.complete,
                "critical_points": sum(p.in_domain for p in self.points) + len(self.aligned),
                "critical_points_krawczyk": sum(p.in_domain for p in self.points),
                "continua": list(self.continua),
                "points": [p.to_dict(ps) for p in self.points],
                "boxes": dict(self.counts), "truncated": self.truncated,
                "coordinates": list(self.coordinates),
                "undecided": [{"box": {c: [repr(lo), repr(hi)] for c, (lo, hi) in zip(self.coordinates, u["box"])},
                               "reason": u["reason"]} for u in self.undecided[:50]],
                "undecided_count": len(self.undecided),
                "undecided_reasons": self.undecided_reasons(),
                "aligned": [{"label": a["label"], "values": {str(p): repr(v) for p, v in zip(ps, a["values"])},
                             "box": [[repr(lo), repr(hi)] for lo, hi in a["box"]],
                             "evidence": "proven critical (Krawczyk in ΔS_k); alone in its excluded box: not decided"}
                            for a in self.aligned],
                "seconds": round(self.seconds, 3), "catalogue": self.catalogue}


# ---------------------------------------------------------------------------------------------
# the search


class BallSystem:
    """Ball and float evaluations of a square system G: R^n -> R^n (the reduced gradient, or any
    callables with the same calling convention)."""

    def __init__(self, grad: Callable, grad_jac: Callable, n: int, fgrad_jac: Callable, k_arg: Any,
                 log_coords: Sequence[int] = ()) -> None:
        def balls(v):
            return [b if isinstance(b, arb) else ArbContext.convert(b) for b in v]

        def gj(xs):
            gval, J = grad_jac(xs)
            return balls(gval), balls(J)
        self.grad, self.grad_jac = (lambda xs: balls(grad(xs))), gj
        self.n, self.fgrad_jac, self.k = n, fgrad_jac, k_arg
        self.log_coords = frozenset(log_coords)  # positive coordinates subdivided geometrically
        # ... in log(x + log_shift): a shift > 0 lets such a coordinate start at 0 (linear near 0)
        self.log_shift = 0.0
        self.shifts: Callable[[Box], list[Box]] = lambda b: [b]  # copies of a box that are the same points
        # bisection: the coordinate of the largest relative width times its weight (None: all 1)
        self.split_weights: Sequence[float] | None = None

    @classmethod
    def from_compiled(cls, fn: Callable, n: int, extra_args: Sequence[Any] = ()) -> BallSystem:
        """A system from a function compiled by :func:`symcrit.core.compile.compile_exprs`,
        ``fn(ctx, *x, *extra) -> list`` of n values (Jacobian by :mod:`symcrit.core.ad`)."""
        m = len(extra_args)
        gj = jacobian_program(fn, n + m, n, "toy_grad_jac", with_values=True)
        fctx = get_context("float")

        def fgj(x):
            gval, J = gj(fctx, *[float(v) for v in x], *[float(a) for a in extra_args])
            return np.array(gval, dtype=float), np.array(J, dtype=float).reshape(n, n)
        ex = [arb(a) for a in extra_args] if extra_args else []
        return cls(lambda xs: fn(_HALF, *xs, *ex), lambda xs: _hull_jacobian(gj, list(xs), *ex) if ex
                   else _hull_jacobian_noargs(gj, list(xs)), n, fgj, None)

    @classmethod
    def of_space(cls, space: FixedPointSpace, k: int) -> BallSystem:
        g, gj, _ = _factored_system(space)
        fk = float(k)
        fctx = get_context("float")

        def fgj(x):
            gval, J = gj(fctx, *[float(v) for v in x], fk)
            return np.array(gval, dtype=float), np.array(J, dtype=float).reshape(space.dim, space.dim)
        return cls(lambda xs: g(_HALF, *xs, arb(k)), lambda xs: _hull_jacobian(gj, xs, arb(k)), space.dim, fgj, k)

    @classmethod
    def in_chart(cls, space: FixedPointSpace, k: int, chart: _Chart) -> BallSystem:
        """The reduced gradient as a function of the norm–angle coordinates of :class:`_Chart`,
        with its Jacobian by the chain rule J_x(x(y)) · Dx(y)."""
        g, gj = _native_system(space, k)
        n = space.dim
        fctx = get_context("float")

        angle_cache = _angle_cache(space, k)

        def grad(ys):
            return g(_HALF, *ys)

        def grad_jac(ys):  # two enclosures of each entry, met
            ys = list(ys)
            g1, J1 = _hull_jacobian_noargs(gj, ys)
            g2, J2 = angle_cache.gradient_jacobian(ys)
            return [_meet(a, b) for a, b in zip(g1, g2)], [_meet(a, b) for a, b in zip(J1, J2)]

        def fgj(y):
            gval, J = gj(fctx, *[float(v) for v in y])
            return np.array(gval, dtype=float), np.array(J, dtype=float).reshape(n, n)
        system = cls(grad, grad_jac, n, fgj, k, log_coords=chart.r_index)
        system.shifts = chart.shifts
        # the norms are contracted by :func:`_norm_contractor` (affine in them): split angles first
        system.split_weights = [R_WEIGHT if i in chart.r_index else 1.0 for i in range(n)]
        return system


class _Chart:
    """Norm–angle coordinates of each row block: for a block whose representative row holds the
    parameters x_1 … x_m with counts c_1 … c_m (|w|² = Σ c_j x_j²), the coordinates are the row norm
    r and spherical angles φ_1 … φ_{m−1}: x_j = r u_j(φ) / √c_j with u the unit vector
    (cos φ_1, sin φ_1 cos φ_2, …, sin φ_1 ⋯ sin φ_{m−1}), φ_1 … φ_{m−2} ∈ [0, π], φ_{m−1} ∈ [−π, π].
    Near a short row the gradient depends on the row's direction only: in these coordinates it is
    enclosed well on boxes of any r-width ratio, and the domain r ∈ [ρ, B] is a box.  The chart is
    injective on the interior of that box; the last angle is periodic (a zero found twice, across
    the seam, is recognised by shifting by 2π) and a zero on a pole (sin φ = 0) is reported as
    undecided, never counted."""

    def __init__(self, space: FixedPointSpace, k: int) -> None:
        rows = _RowNorms(space, k).rows
        self.rows = rows
        self.sizes = space.sizes_at(k)
        self.dim = space.dim
        ys: list[Any] = []
        xs: list[Any] = [None] * space.dim
        self.r_index, self.last_angles, self.blocks = [], [], []
        self.r_of: list[Any] = [None] * space.dim   # the norm symbol of each parameter's row block
        self.unit: list[Any] = [None] * space.dim   # the parameter of the unit row (r = 1) in the angles
        for b, row in enumerate(rows):
            m = len(row)
            if m < 2:
                raise BadInput("norm-angle coordinates need at least two parameters in every row block")
            r = sympy.Symbol(f"r{b + 1}", positive=True)
            phis = [sympy.Symbol(f"phi{b + 1}_{j + 1}", real=True) for j in range(m - 1)]
            self.r_index.append(len(ys))
            self.blocks.append((len(ys), m))
            ys += [r] + phis
            self.last_angles.append(len(ys) - 1)
            prod = sympy.Integer(1)
            for j, (n, c) in enumerate(row):
                u = prod * sympy.cos(phis[j]) if j < m - 1 else prod
                if j < m - 1:
                    prod = prod * sympy.sin(phis[j])
                xs[n] = r * u / sympy.sqrt(c)
                self.r_of[n], self.unit[n] = r, u / sympy.sqrt(c)
        self.symbols = ys
        self.names = [str(y) for y in ys]
        self.fn = compile_exprs(ys, xs, "chart")
        self.fn_jac = jacobian_program(self.fn, len(ys), len(ys), "chart_jac", with_values=True)

    def box(self, rho: float, B: float) -> Box:
        """r ∈ [ρ, B] in each block, angles over [0, π] and [−π, π] (rounded outward)."""
        pi_hi = _above(arb.pi())
        out = []
        for start, m in self.blocks:
            out.append((float(rho), float(B)))
            out += [(0.0, pi_hi)] * (m - 2)
            out.append((-pi_hi, pi_hi))
        return tuple(out)

    def inverse(self, x: Sequence[Any], lib: Any = math) -> list[Any]:
        """The coordinates (r, angles) of a parameter point (floats with ``math``, mpf with ``mpmath``)."""
        y = []
        for row in self.rows:
            u = [x[n] * lib.sqrt(c) for n, c in row]
            r = lib.sqrt(sum(v * v for v in u))
            u = [v / r for v in u]
            y.append(r)
            m = len(u)
            for i in range(m - 2):
                y.append(lib.atan2(lib.sqrt(sum(v * v for v in u[i + 1:])), u[i]))
            y.append(lib.atan2(u[m - 1], u[m - 2]))
        return y

    def block_of(self) -> list[tuple[int, int]]:
        """(index of r, block size p_I) per block."""
        return list(zip(self.r_index, self.sizes))

    def shifts(self, box: Box) -> list[Box]:
        """The box and its copies shifted by ±2π in the last angle of each block (one at a time)."""
        out = [box]
        for i in self.last_angles:
            for sgn in (1, -1):
                b = list(box)
                lo, hi = b[i]
                tp = 2 * math.pi
                b[i] = (lo + sgn * tp, hi + sgn * tp)
                out.append(tuple(b))
        return out


def _phi_monotone(c: arb) -> arb:
    """φ over a ball of cosines (clamped to [−1, 1]): φ is increasing, so its range is
    [φ(lower), φ(upper)]."""
    lo, hi = c.lower(), c.upper()
    lo = arb(-1) if lo < -1 else (arb(1) if lo > 1 else lo)
    hi = arb(1) if hi > 1 else (arb(-1) if hi < -1 else hi)
    a, b = _phi(lo), _phi(hi)
    return a.union(b)


def _radial_test(space: FixedPointSpace, k: int, chart: _Chart) -> Callable[[Box], bool]:
    """The necessary condition w_i · ∂F/∂w_i = 0 (module doc) in norm–angle coordinates, per block:
    r_I/2 + Σ_J (p_J − δ_IJ) r_J φ(cos θ_IJ) − Σ_n count_n φ(x̂_n) = 0, with x̂ the row directions
    (the chart at r = 1) and θ_IJ the angle between a row of block I and another row of block J.
    Linear in the norms with coefficients that depend on the angles only, it is enclosed tightly;
    a box where it excludes 0 for some block holds no critical point."""
    S = space.slot_matrix(k)
    sizes = space.sizes_at(k)
    starts = [int(v) for v in np.concatenate([[0], np.cumsum(sizes)])[:-1]]
    rows = chart.rows
    reps = []
    for I, i in enumerate(starts):
        other = {}
        for J, j in enumerate(starts):
            if J == I:
                if sizes[I] < 2:
                    continue
                j = i + 1
            other[J] = j
        reps.append((i, other))

    def excluded(Y):
        ys = [_ball(lo, hi) for lo, hi in Y]
        unit = list(ys)
        for ri in chart.r_index:
            unit[ri] = arb(1)
        xh = chart.fn(_HALF, *unit)  # the parameters of unit rows
        r = [ys[ri] for ri in chart.r_index]
        for I, (i, other) in enumerate(reps):
            E = r[I] / 2
            for J, j in other.items():
                dot = sum((xh[S[i, c]] * xh[S[j, c]] for c in range(k) if S[i, c] >= 0 and S[j, c] >= 0), arb(0))
                E = E + (sizes[J] - (1 if J == I else 0)) * r[J] * _phi_monotone(dot)
            E = E - sum((c * _phi_monotone(xh[n]) for n, c in rows[I]), arb(0))
            if E.is_finite() and not E.contains(0):
                return True
        return False
    return excluded


class _TiltedTube:
    """A neighbourhood of a piece of a segment of critical points p_1 r_1 + p_2 r_2 = L in the chart
    of a two-block space (norms r_1, r_2 at chart indices i1, i2): r_2 ∈ ``r2``, s = p_1 r_1 + p_2 r_2 − L
    ∈ [−σ, σ], and each other coordinate (an angle) in its interval of ``angles``."""

    def __init__(self, i1: int, i2: int, p1: int, p2: int, L: arb, r2: tuple[float, float], sigma: float,
                 angles: dict[int, tuple[float, float]]) -> None:
        self.i1, self.i2, self.p1, self.p2, self.L = i1, i2, p1, p2, L
        self.r2, self.sigma, self.angles = r2, sigma, dict(angles)

    def bounding_box(self, n: int) -> Box:
        """An axis-parallel box that contains the tube (not contained in it: never for covering)."""
        out: list[Any] = [None] * n
        for a, iv in self.angles.items():
            out[a] = iv
        out[self.i2] = self.r2
        lo = (self.L - self.sigma - self.p2 * arb(self.r2[1])) / self.p1
        hi = (self.L + self.sigma - self.p2 * arb(self.r2[0])) / self.p1
        out[self.i1] = (_below(lo), _above(hi))
        return tuple(out)

    def contains(self, X: Box) -> bool:
        """X lies inside the tube (decided in ball arithmetic: s is linear in the box's norms)."""
        lo2, hi2 = X[self.i2]
        if not (self.r2[0] <= lo2 and hi2 <= self.r2[1]):
            return False
        if not all(iv[0] <= X[a][0] and X[a][1] <= iv[1] for a, iv in self.angles.items()):
            return False
        lo1, hi1 = X[self.i1]
        smin = self.p1 * arb(lo1) + self.p2 * arb(lo2) - self.L
        smax = self.p1 * arb(hi1) + self.p2 * arb(hi2) - self.L
        return bool(smin >= -self.sigma and smax <= self.sigma)


def _tilted_krawczyk(space: FixedPointSpace, k: int, chart: _Chart, tube: _TiltedTube, P: np.ndarray) -> bool:
    """The parametric Krawczyk test of a tilted tube (:func:`_continuum_tubes`): True when, for every
    r_2 in the tube's interval, the projected gradient P·G, as a function of (s, angles), has
    exactly one zero in the tube.  G = A_1(φ)(L + s)/p_1 + (A_2(φ) − (p_2/p_1) A_1(φ)) r_2 − b(φ)
    (the chart gradient, affine in the norms, with r_1 = (L + s − p_2 r_2)/p_1); A, b and their
    derivatives in the angles are enclosed over the tube by :func:`_cosine_jacobian` (met with the
    compiled form), G at the centre (s = 0, the angles' midpoints) with r_2 the whole interval."""
    n = space.dim
    nb = 2
    fn = _affine_system(space, k)
    parts = _cosine_jacobian(space, k, chart)
    i1, i2, p1, p2, L = tube.i1, tube.i2, tube.p1, tube.p2, tube.L
    aidx = sorted(tube.angles)
    R2 = _ball(*tube.r2)
    S = _ball(-tube.sigma, tube.sigma)
    ys = [arb(1)] * n
    for a in aidx:
        ys[a] = _ball(*tube.angles[a])
    PA, PdA, Pb, Pdb = parts(ys, parts=True)
    vals = fn(_HALF, *ys)
    A = [[_meet(vals[i * nb + J], PA[i][J]) for J in range(nb)] for i in range(n)]
    q = arb(p2) / p1
    c1 = (L + S) / p1
    cols = [[A[i][0] / p1 for i in range(n)]]
    for a in aidx:
        cols.append([PdA[i][0][a] * c1 + (PdA[i][1][a] - q * PdA[i][0][a]) * R2 - Pdb[i][a] for i in range(n)])
    ym = [arb(1)] * n
    mid = [0.0]
    for a in aidx:
        m = (tube.angles[a][0] + tube.angles[a][1]) / 2
        ym[a] = arb(m)
        mid.append(m)
    vm = fn(_HALF, *ym)
    Gm = [vm[i * nb] * L / p1 + (vm[i * nb + 1] - q * vm[i * nb]) * R2 - vm[n * nb + i] for i in range(n)]
    if not (all(v.is_finite() for v in Gm) and all(v.is_finite() for c in cols for v in c)):
        return False
    m1 = n - 1
    Pa = [[arb(float(P[a, b])) for b in range(n)] for a in range(m1)]
    PJ = [[sum((Pa[a][i] * cols[j][i] for i in range(n)), arb(0)) for j in range(m1)] for a in range(m1)]
    PG = [sum((Pa[a][i] * Gm[i] for i in range(n)), arb(0)) for a in range(m1)]
    try:
        C = np.linalg.inv(np.array([[float(v.mid()) for v in row] for row in PJ]))
    except np.linalg.LinAlgError:
        return False
    U = [S] + [ys[a] for a in aidx]
    kraw = _krawczyk_image(C, [v for row in PJ for v in row], U, mid, PG)
    ivs = [(-tube.sigma, tube.sigma)] + [tube.angles[a] for a in aidx]
    return all(v.is_finite() and v > lo and v < hi for v, (lo, hi) in zip(kraw, ivs))


def _continuum_tubes(space: FixedPointSpace, k: int, chart: _Chart, system: BallSystem, rho: float,
                     B: float) -> list[dict[str, Any]]:
    r"""The two segments of critical points W = u 1ᵀ of a two-block space (every row a multiple of
    1ᵀ, all of one sign ±), each covered by boxes of the chart in which it is proven to be the only
    zero set.

    *Why they are critical.*  For W = u 1ᵀ the student is Σ_i relu(u_i 1·x), which depends only on
    P = Σ_{u_i>0} u_i and N = Σ_{u_i<0} |u_i|, and ∂F/∂w_i depends on w_i only through sign(u_i) and
    the student function.  So W = u 1ᵀ with all u_i of one sign is critical iff W = (Σu/k) 11ᵀ is,
    i.e. iff Σ_i u_i = k t± (the two critical points t± 11ᵀ of ΔS_k, proven there).  In a two-block
    space with block sizes p_1, p_2 and row norms r_I = |u_I| √k this is the segment
    p_1 r_1 + p_2 r_2 = k^{3/2} |t±| at the fixed angles of the rows ±1ᵀ/√k: a continuum (the
    Jacobian is singular along it), which no point-wise Krawczyk test can prove.

    *The tubes.*  Each piece of a segment gets a *tilted tube* (:class:`_TiltedTube`): r_2 in an
    interval, s = p_1 r_1 + p_2 r_2 − L in [−σ, σ] (the segment is s = 0), the angles in intervals
    around those of ±1ᵀ.  With r_2 as a parameter and (s, angles) as unknowns, a parametric
    Krawczyk test (:func:`_tilted_krawczyk`, the gradient projected on the range of its Jacobian
    at the piece's centre) proves, for each r_2 in the interval, exactly one zero of the projected
    system in the tube: the segment's point.  So the segment is the only zero set in each tube.
    The gradient is affine in the norms, G = A_1(φ) r_1 + A_2(φ) r_2 − b(φ), and on the segment's
    angles φ* the coefficient of r_2 at fixed s, A_2 − (p_2/p_1) A_1, vanishes (G = 0 along the
    line): so in these coordinates the enclosures stay tight over long pieces (an axis-parallel
    box around a tilted segment is as wide in r_1 as the piece is long).  The test is on the chart's formula of the gradient
    (:func:`_native_exprs`, affine in the norms), which is defined for every real r_1, r_2: the
    line p_1 r_1 + p_2 r_2 = L (at the angles of ±1ᵀ) is its zero set in the box, also past the
    segment's ends, where r_1 < 0 or r_2 < 0.  So each piece's box is proven on a quarter of its
    length beyond it at both ends: consecutive boxes overlap (every small search box that meets the
    segment lies inside one of them, also around a junction), and at the ends r_1 → 0 and r_2 → 0
    (with ``rho = 0``) the boxes reach past the chart's boundary r = 0, so the search boxes at the
    end of the continuum are covered too (no zero of the box has a negative norm: the part of the
    line beyond the ends lies outside the domain).  Returns a list of {label, t, boxes, loss}."""
    sizes = space.sizes_at(k)
    if len(sizes) != 2:
        return []
    out = []
    n = space.dim
    i1, i2 = chart.r_index
    aidx = [i for i in range(n) if i not in (i1, i2)]
    from symcrit.critical.families import rank_one_t
    with flint_ctx.workprec(128):
        rk = arb(k).sqrt()
        actx = get_context("arb")
        ts = {"+": rank_one_t(actx, arb(k), 1), "-": rank_one_t(actx, arb(k), -1)}  # the closed forms t±
    for sign, t in ts.items():
        sg = 1.0 if sign == "+" else -1.0
        y0 = chart.inverse([sg] * n)  # the angles of the rows ±1ᵀ (the norms are replaced below)
        Lb = arb(k) * rk * abs(t)     # p_1 r_1 + p_2 r_2 = L on the segment
        L = float(Lb.mid())
        p1, p2 = sizes
        lo2, hi2 = max(rho, 0.0), (L - p1 * rho) / p2
        if not hi2 > lo2:
            continue
        tubes: list[_TiltedTube] = []
        failed: list[tuple[float, float]] = []

        def tube_at(a2, c2, widths):
            """The widest tube of the piece [a2, c2] proven by the parametric Krawczyk test (its r_2
            interval reaches a quarter of the piece's length past both ends), or None."""
            m2 = (a2 + c2) / 2
            y = list(y0)
            y[i2] = m2
            y[i1] = (L - p2 * m2) / p1
            _, Jf = system.fgrad_jac(np.array(y))
            U, sv, Vt = np.linalg.svd(Jf)
            P = U[:, :n - 1].T  # onto the range of the Jacobian (rank n − 1 on the segment)
            e2 = (c2 - a2) / 4
            for sw in widths:
                sigma, w = sw
                angles = {a: (y0[a] - w * max(1.0, abs(y0[a])), y0[a] + w * max(1.0, abs(y0[a]))) for a in aidx}
                tube = _TiltedTube(i1, i2, p1, p2, Lb, (a2 - e2, c2 + e2), sigma, angles)
                if _tilted_krawczyk(space, k, chart, tube, P):
                    return sw, tube
            return None
        # pieces of the segment, each with the widest tube proven on it; a piece whose tube is not of
        # the widest width is also split, and its halves keep the tubes wider than their parent's
        # (every tube added is proven on its own: the union only grows)
        todo = [(lo2, hi2, TUBE_WIDTHS)]
        while todo:
            a2, c2, widths = todo.pop()
            found = tube_at(a2, c2, widths)
            if found is not None:
                w, tube = found
                tubes.append(tube)
                wider = widths[:widths.index(w)]
                if wider and c2 - a2 >= TUBE_MIN_PIECE * (hi2 - lo2):
                    m2 = (a2 + c2) / 2
                    todo += [(m2, c2, wider), (a2, m2, wider)]
            elif widths is TUBE_WIDTHS:  # not a refinement: the piece must be covered
                if c2 - a2 < 1e-4 * (hi2 - lo2):
                    failed.append((a2, c2))  # this piece stays to the search (undecided there)
                    continue
                m2 = (a2 + c2) / 2
                todo += [(m2, c2, widths), (a2, m2, widths)]
        if tubes:
            out.append({"label": f"W = u·1ᵀ, all u_i {'>' if sign == '+' else '<'} 0, Σu = k·t{sign} "
                                 f"(t{sign} = {mpmath.nstr(_mpf(t), 12)})",
                        "t": t, "tubes": tubes, "boxes": [T.bounding_box(n) for T in tubes],
                        "r2_range": (lo2, hi2), "not_covered": failed})
    return out


def _tubes_test(tubes: Sequence[dict[str, Any]]) -> Callable[[Box], bool] | None:
    """The covering test of the tilted tubes of :func:`_continuum_tubes`: a box inside one of them
    holds no zero but the segment's points.  The tubes are filtered on their r_2 intervals first."""
    all_tubes = [T for seg in tubes for T in seg["tubes"]]
    if not all_tubes:
        return None
    i2 = all_tubes[0].i2
    lo = np.array([T.r2[0] for T in all_tubes])
    hi = np.array([T.r2[1] for T in all_tubes])

    def test(X):
        a, c = X[i2]
        return any(all_tubes[j].contains(X) for j in np.nonzero((lo <= a) & (c <= hi))[0])
    return test


def krawczyk_box(system: BallSystem, box: Box, J: Sequence[arb] | None = None) -> tuple[str, Any]:
    """One Krawczyk step on a box. Returns ``("unique", K)`` when K(X) ⊂ int X (exactly one zero in
    X, and it lies in K), ``("empty", None)`` when K(X) ∩ X = ∅ (no zero), ``("shrunk", box')`` with
    box' = X ∩ K(X) (every zero of X lies in it), or ``("unknown", reason)`` when the Jacobian is not
    enclosable or its midpoint is singular."""
    n = system.n
    X = [_ball(lo, hi) for lo, hi in box]
    mid = [(lo + hi) / 2 for lo, hi in box]
    if any(not (lo <= m <= hi) for m, (lo, hi) in zip(mid, box)):
        mid = [float(_mpf(x)) for x in X]
    if J is None:  # (J: an enclosure of the Jacobian over the box, when the caller has one)
        _, J = system.grad_jac(X)
    if not all(v.is_finite() for v in J):
        return "unknown", "the Jacobian is not enclosable on the box (an aligned pair or a zero row)"
    Gm = system.grad([arb(m) for m in mid])
    if not all(v.is_finite() for v in Gm):
        return "unknown", "the gradient at the centre is not finite"
    Jm = np.array([float(v.mid()) for v in J]).reshape(n, n)
    try:
        if not np.all(np.isfinite(Jm)) or np.linalg.cond(Jm) > 1e13:
            return "unknown", "the Jacobian is (nearly) singular on the box"
        Cf = np.linalg.inv(Jm)
    except np.linalg.LinAlgError:
        return "unknown", "the Jacobian is singular on the box"
    kraw = _krawczyk_image(Cf, J, X, mid, Gm)
    if not all(v.is_finite() for v in kraw):
        return "unknown", "the Krawczyk image is not finite"
    if all(kraw[i] > box[i][0] and kraw[i] < box[i][1] for i in range(n)):
        return "unique", kraw
    if any(kraw[i] < box[i][0] or kraw[i] > box[i][1] for i in range(n)):
        return "empty", None
    out = []
    for i in range(n):
        lo, hi = box[i]
        out.append((max(lo, _below(kraw[i])), min(hi, _above(kraw[i]))))
    return "shrunk", tuple(out)


def _krawczyk_image(Cf: Any, J: Sequence[arb], X: Sequence[Any], mid: Sequence[Any], Gm: Sequence[arb]) -> list[arb]:
    """K(X) = mid − C G(mid) + (I − C J(X))(X − mid) in ball arithmetic, with C the float64
    preconditioner ``Cf`` (n×n array) and J(X) the flattened ball Jacobian over the box X."""
    n = len(mid)
    C = arb_mat([[float(Cf[i, j]) for j in range(n)] for i in range(n)])
    JX = arb_mat([[J[i * n + j] for j in range(n)] for i in range(n)])
    D = arb_mat([[X[i] - mid[i]] for i in range(n)])
    Id = arb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
    Km = -(C * arb_mat([[g] for g in Gm])) + (Id - C * JX) * D
    return [Km[i, 0] + mid[i] for i in range(n)]


def _tight(system, center: Sequence[Any], U: Box, rel: float = 1e-22) -> list[arb] | None:
    """A tight Krawczyk enclosure around an mpmath point ``center`` (at the precision in force):
    balls of radius rel·(1 + |c|) that lie inside the uniqueness box U, so the zero they hold is
    the zero of U.  None when the test fails."""
    n = system.n
    X = [arb(ArbContext.convert(c), ArbContext.convert(mpmath.mpf(rel) * (1 + abs(c)))) for c in center]
    if not all(X[i] > U[i][0] and X[i] < U[i][1] for i in range(n)):
        return None
    mid = [ArbContext.convert(c) for c in center]
    _, J = system.grad_jac(X)
    Gm = system.grad(mid)
    if not (all(v.is_finite() for v in J) and all(v.is_finite() for v in Gm)):
        return None
    Jm = np.array([float(v.mid()) for v in J]).reshape(n, n)
    try:
        Cf = np.linalg.inv(Jm)
    except np.linalg.LinAlgError:
        return None
    # one Newton correction in ball arithmetic first: C from float64 is only a preconditioner
    kraw = _krawczyk_image(Cf, J, X, mid, Gm)
    if all(kraw[i].is_finite() and kraw[i].rad() < X[i].rad() and X[i].contains(kraw[i]) and
           kraw[i] > X[i].lower() and kraw[i] < X[i].upper() for i in range(n)):
        return kraw
    return None


def _mean_value_excludes(system, box, J):
    n = system.n
    mid = [(lo + hi) / 2 for lo, hi in box]
    Gm = system.grad([arb(m) for m in mid])
    for i in range(n):
        acc = Gm[i]
        for j in range(n):
            acc = acc + J[i * n + j] * (_ball(*box[j]) - mid[j])
        if acc.is_finite() and not acc.contains(0):
            return True
    return False


def _inside(a: Box, b: Box) -> bool:
    return all(bl <= al and ah <= bh for (al, ah), (bl, bh) in zip(a, b))


def _float_newton(system, x, box, scale, steps=40):
    x = np.array(x, dtype=float)
    for _ in range(steps):
        with np.errstate(all="ignore"):
            gval, J = system.fgrad_jac(x)
            if not (np.all(np.isfinite(gval)) and np.all(np.isfinite(J))):
                return None
            try:
                dx = np.linalg.solve(J, gval)
            except np.linalg.LinAlgError:
                return None
        x = x - dx
        if np.max(np.abs(dx) / scale) < 1e-14:
            return x
    return x if np.max(np.abs(dx) / scale) < 1e-10 else None


def _prove_around(system, y, halfwidths):
    """Try Krawczyk on boxes centred at y with the given half-widths, then smaller ones; once a
    zero is proven (and its enclosure tightened), try larger uniqueness boxes around it (a larger
    uniqueness box covers more of the search: an ill-conditioned zero sits in a long valley of
    small gradient; exactly one zero in the larger box, which holds the first, so it is the same
    zero).  Returns (uniqueness box, enclosure) or None."""
    for f in (1.0, 0.25, 1 / 16, 1 / 256, 1 / 4096, 1e-6):
        U = tuple((float(c - f * h), float(c + f * h)) for c, h in zip(y, halfwidths))
        res, kraw = krawczyk_box(system, U)
        if res == "unique":
            Z = tuple((max(lo, _below(v)), min(hi, _above(v))) for (lo, hi), v in zip(U, kraw))
            for _ in range(3):  # tighten: every zero of Z lies in K(Z)
                r2, K2 = krawczyk_box(system, Z)
                if r2 == "unique":
                    Z = tuple((max(lo, _below(v)), min(hi, _above(v))) for (lo, hi), v in zip(Z, K2))
                elif r2 == "shrunk":
                    Z = K2
                else:
                    break
            if f == 1.0:
                for g in (8.0, 3.0):
                    U2 = tuple((float(c - g * h), float(c + g * h)) for c, h in zip(y, halfwidths))
                    if _inside(U, U2) and krawczyk_box(system, U2)[0] == "unique":
                        return U2, Z
            return U, Z
    return None


def _conditioning(system, X):
    """The condition number of the float Jacobian at the box's centre, as a clause of a reason."""
    try:
        with np.errstate(all="ignore"):
            _, J = system.fgrad_jac(np.array([(lo + hi) / 2 for lo, hi in X]))
            c = float(np.linalg.cond(J)) if np.all(np.isfinite(J)) else math.inf
    except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):
        return ""
    w = max((hi - lo) / max(1.0, abs(lo), abs(hi)) for lo, hi in X)
    # at a regular zero the condition number stays bounded as the box shrinks; near a singular set
    # it grows like 1/(the distance to it), which is about the box's width here
    if not math.isfinite(c) or c > 1e8 or c * w > 1e-3:
        return (f"; the Jacobian at the centre is singular or nearly so (condition number {c:.2g}): "
                "a non-isolated critical set or a multiple zero is likely")
    return f"; condition number of the Jacobian at the centre {c:.2g}"


def find_zeros(system: BallSystem, box: Box, *, min_width: float = 1e-9, max_boxes: int = 200_000,
               domain_test: Callable[[Box], bool] | None = None, newton_width: float = 0.05,
               jacobian_width: float = math.inf,
               known: Sequence[Box] = (), search: bool = True,
               necessary: Callable[[Box], bool] | None = None,
               contract: Callable[[Box], Box | None] | None = None,
               continua: Sequence[Box] = (),
               continuum_test: Callable[[Box], bool] | None = None,
               progress: Callable[[int], None] | None = None,
               trace: Callable[[str, Box, str], None] | None = None,
               reference_box: Box | None = None) -> dict[str, Any]:
    """Branch-and-bound for the zeros of a square system in a box (the engine of
    :func:`all_critical_points`; ``system`` gives ball and float evaluations).

    ``domain_test(box)`` returns True for a box that lies entirely outside the search domain (it
    is skipped and counted). Returns a dict with ``zeros`` (list of (uniqueness box, enclosure,
    Newton point)), ``counts`` and ``undecided`` (list of {box, reason}).

    ``necessary(box)``: True when a proven necessary condition for a zero fails on the whole box
    (the box is excluded). ``contract(box)``: a sub-box that holds every zero of the box, or None
    when the box holds none. ``continua``: boxes whose zeros are all accounted for elsewhere (a
    proven continuum of zeros is the only zero set in each): a box inside one is *covered*; so is a
    box for which ``continuum_test(box)`` is True (it lies in a region proven to hold no zero but
    those of a continuum, such as a tilted tube of :func:`_continuum_tubes`).
    ``trace(event, box, reason)``: called for every box that is bisected (event ``"bisected"``) or
    left undecided (``"undecided"``), with the reason no test decided it (see
    :func:`search_statistics`). ``reference_box``: the widths (bisection, ``min_width``,
    ``jacobian_width``, the decided share) are relative to it (default: ``box``), so a piece of a
    domain is searched exactly as inside the whole. ``known``: uniqueness boxes of zeros found before (each is proven again by Krawczyk, else
    BadInput); with ``search=False`` no new zero is sought, so the run *checks* a claimed list:
    a zero missing from it leaves undecided boxes.
    """
    ref = box if reference_box is None else reference_box
    scale = np.array([hi - lo for lo, hi in ref], dtype=float)
    scale[scale == 0] = 1.0
    logs = sorted(system.log_coords)
    f = system.log_shift
    for i in logs:
        if not (box[i][0] + f > 0 and ref[i][0] + f > 0):
            raise BadInput("a geometrically subdivided coordinate needs a positive range (or a log_shift)")
    lscale = {i: math.log((ref[i][1] + f) / (ref[i][0] + f)) or 1.0 for i in logs}
    weights = np.array(system.split_weights if system.split_weights is not None else [1.0] * len(box), dtype=float)

    def rel_widths(X):
        w = np.array([hi - lo for lo, hi in X]) / scale
        for i in logs:
            w[i] = math.log((X[i][1] + f) / (X[i][0] + f)) / lscale[i]
        return w
    counts: dict[str, Any] = {"boxes": 0, "excluded_radial": 0, "excluded_gradient": 0, "excluded_mean_value": 0, "excluded_krawczyk": 0,
              "excluded_contraction": 0, "outside_domain": 0, "covered": 0, "covered_continuum": 0,
              "bisections": 0}
    zeros: list[tuple[Box, Box, np.ndarray]] = []
    for U in known:
        U = tuple((float(lo), float(hi)) for lo, hi in U)
        res, kraw = krawczyk_box(system, U)
        if res != "unique":
            raise BadInput(f"a known zero's box is not proven by Krawczyk ({res}): {U}")
        zeros.append((U, tuple((_below(v), _above(v)) for v in kraw), np.array([float(v.mid()) for v in kraw])))
    undecided: list[dict[str, Any]] = []
    c_lo = np.array([[lo for lo, _ in T] for T in continua]) if len(continua) else None
    c_hi = np.array([[hi for _, hi in T] for T in continua]) if len(continua) else None
    stack = [tuple(box)]
    truncated = False
    decided = [0.0]  # share of the search box's volume decided (excluded, outside, covered)

    def share(X):
        return float(np.prod(rel_widths(X)))

    def covered(X):
        """The box lies in a uniqueness box of a zero found, or in a tube box of a continuum:
        its zeros are accounted for (counted and decided)."""
        if any(_inside(Xs, U) for U, _, _ in zeros for Xs in system.shifts(X)):
            counts["covered"] += 1
        elif c_lo is not None and any(np.any(np.all((c_lo <= np.array([lo for lo, _ in Xs])) &
                                                     (np.array([hi for _, hi in Xs]) <= c_hi), axis=1))
                                      for Xs in system.shifts(X)):
            counts["covered_continuum"] += 1
        elif continuum_test is not None and any(continuum_test(Xs) for Xs in system.shifts(X)):
            counts["covered_continuum"] += 1
        else:
            return False
        decided[0] += share(X)
        return True
    while stack:
        X = stack.pop()
        counts["boxes"] += 1
        if progress is not None and counts["boxes"] % 500 == 0:
            progress(counts["boxes"])
        if counts["boxes"] > max_boxes:
            truncated = True
            undecided.extend({"box": B, "reason": "not examined: the box budget (max_boxes) ran out"}
                             for B in [X] + stack)
            break
        if domain_test is not None and domain_test(X):
            counts["outside_domain"] += 1
            decided[0] += share(X)
            continue
        if necessary is not None and necessary(X):
            counts["excluded_radial"] += 1
            decided[0] += share(X)
            continue
        if covered(X):
            continue
        if contract is not None:
            X2 = contract(X)
            if X2 is None:
                counts["excluded_contraction"] += 1
                decided[0] += share(X)
                continue
            if X2 != X:
                decided[0] += share(X) - share(X2)
                X = X2
                if covered(X):  # every zero of the box lies in the contracted box
                    continue
        Xb = [_ball(lo, hi) for lo, hi in X]
        gval = system.grad(Xb)
        if any(g.is_finite() and not g.contains(0) for g in gval):
            counts["excluded_gradient"] += 1
            decided[0] += share(X)
            continue
        reason = "the gradient enclosure contains 0 and is not finite (a zero row meets the box)"
        widths = rel_widths(X)
        if all(g.is_finite() for g in gval) and (widths * weights).max() >= jacobian_width:
            reason = "the gradient enclosure contains 0 (the box is too wide for the Jacobian tests)"
        elif all(g.is_finite() for g in gval):
            reason = "the gradient enclosure contains 0; the Jacobian is not enclosable (an aligned pair meets the box)"
            _, J = system.grad_jac(Xb)
            if all(v.is_finite() for v in J):
                if _mean_value_excludes(system, X, J):
                    counts["excluded_mean_value"] += 1
                    decided[0] += share(X)
                    continue
                res, out = krawczyk_box(system, X, J)
                if res == "empty":
                    counts["excluded_krawczyk"] += 1
                    decided[0] += share(X)
                    continue
                if res == "unknown":
                    reason = f"the gradient enclosure contains 0; Krawczyk undecided: {out}"
                else:
                    reason = "the gradient enclosure contains 0; Krawczyk neither contracts nor excludes"
                if res == "shrunk":
                    decided[0] += share(X) - share(out)
                    X = out
                    if covered(X):  # every zero of the box lies in K(X) ∩ X
                        continue
                widths = rel_widths(X)
                if search and (res == "unique" or widths.max() < newton_width):
                    mid = np.array([(lo + hi) / 2 for lo, hi in X])
                    y = _float_newton(system, mid, X, scale)
                    half = np.array([(hi - lo) / 2 for lo, hi in X])
                    if res == "unique" and y is None:  # Krawczyk on X itself: its zero is in K(X)
                        Z = tuple((max(lo, _below(v)), min(hi, _above(v))) for (lo, hi), v in zip(X, out))
                        if not any(_inside(Zs, U2) or _inside(Z2s, X) for U2, Z2, _ in zeros
                                   for Zs in system.shifts(Z) for Z2s in system.shifts(Z2)):
                            zeros.append((X, Z, np.array([(lo + hi) / 2 for lo, hi in Z])))
                        counts["covered"] += 1
                        decided[0] += share(X)
                        continue
                    if y is not None and np.all(np.abs(y - mid) <= 1.5 * half + 1e-12 * scale):
                        hw = (half + np.abs(y - mid)) * 1.01 + 1e-15 * scale
                        proven = _prove_around(system, y, hw)
                        if proven is not None:
                            U, Z = proven
                            if not any(_inside(Zs, U2) or _inside(Z2s, U) for U2, Z2, _ in zeros
                                       for Zs in system.shifts(Z) for Z2s in system.shifts(Z2)):
                                zeros.append((U, Z, y))
                            if any(_inside(X, U2) for U2, _, _ in zeros):
                                counts["covered"] += 1
                                decided[0] += share(X)
                                continue
        widths = rel_widths(X)
        if widths.max() < min_width:
            undecided.append({"box": X, "reason": reason + _conditioning(system, X)})
            if trace is not None:
                trace("undecided", X, reason)
            continue
        i = int(np.argmax(widths * weights))
        lo, hi = X[i]
        m = math.sqrt((lo + f) * (hi + f)) - f if i in system.log_coords else (lo + hi) / 2
        if not lo < m < hi:
            m = (lo + hi) / 2
        counts["bisections"] += 1
        if trace is not None:
            trace("bisected", X, reason)
        stack.append(X[:i] + ((m, hi),) + X[i + 1:])
        stack.append(X[:i] + ((lo, m),) + X[i + 1:])
    counts["decided_volume_share"] = round(min(1.0, decided[0]), 6)
    return {"zeros": zeros, "counts": counts, "undecided": undecided, "truncated": truncated}


def all_critical_points(space: FixedPointSpace, k: int, box: Sequence[Sequence[Any]] | None = None, *,
                        rho: Any = None, coordinates: str | None = None, prec: int = 64, min_width: float = 1e-9,
                        max_boxes: int = 1_000_000, digits: int = 30, compare: bool = True,
                        exclude_aligned: bool = True, eps: float = 1e-6,
                        progress: Callable[[int], None] | None = None,
                        trace: Callable[[str, Box, str], None] | None = None) -> Enclosure:
    """Every critical point of the fixed-point space ``space`` at integer ``k`` in the search
    domain, proven complete when the result's ``evidence`` is ``'proven'`` (no undecided box).

    The domain: every row norm in [ρ, B_k] (B_k from :func:`critical_point_bounds`: no critical
    point has a longer row, proven), intersected with ``box`` when one is given (one (lo, hi) per
    parameter).  ``rho``: default the proven bound ρ_k for ΔS_k (all rows of one norm), the same
    number, *assumed*, for the other spaces (critical points with a shorter row are not searched).
    ``coordinates``: ``"norm-angle"`` (default without a box: each row block in its norm and
    spherical angles, :class:`_Chart`, where short rows cost little) or ``"cartesian"`` (the
    parameters themselves; default with a box).  ``prec``: bits of the ball arithmetic.
    ``min_width``: the smallest box (relative to the initial box) before a box is declared
    undecided; ``max_boxes``: the budget (the boxes left are reported undecided).  With ``compare``,
    each proven zero is matched against the catalogued families of the same isotropy type
    (:func:`compare_with_catalogue`).  ``trace``: passed to :func:`find_zeros` (boxes in the
    search coordinates).
    """
    if not isinstance(space, FixedPointSpace):
        raise BadInput(f"expected a FixedPointSpace, got {type(space).__name__}")
    k = _int_k(k)
    sizes = space.sizes_at(k)
    if space.extra:
        raise BadInput("enclosures are implemented for n = k (no extra neuron)")
    if coordinates is None:
        coordinates = "cartesian" if box is not None else "norm-angle"
    if coordinates not in ("cartesian", "norm-angle"):
        raise BadInput(f"coordinates must be 'cartesian' or 'norm-angle', got {coordinates!r}")
    if coordinates == "norm-angle" and box is not None:
        raise BadInput("a box is given in the parameters: use coordinates='cartesian'")
    ok, why = nonnegative_roots(space, k)
    if not ok:
        raise SymcritError(f"cannot enclose the gradient near aligned pairs: {why}")
    bounds = critical_point_bounds(k)
    single = len(sizes) == 1
    if rho is None:  # 7/8 of the proven bound: W = t·11ᵀ (t < 0) attains it, and must lie inside
        rho = _below(arb(bounds["rho_equal"]) * 7 / 8)
        rho_ev = "proven" if single else "assumed"
    else:
        rho = float(mpmath.mpf(rho))
        if not (0 <= rho < bounds["B"]):
            raise BadInput(f"rho must be in [0, {bounds['B']!r}), got {rho}")
        rho_ev = "proven" if rho == 0 or (single and rho <= bounds["rho_equal"]) else "assumed"
    if box is None:
        box, box_info = default_box(space, k)
    else:
        box = _parse_box(box, space)
        box_info = {"statement": "the box given by the user"}
    norms = _RowNorms(space, k)
    rho2 = arb(rho) * arb(rho)
    B2 = arb(bounds["B"]) * arb(bounds["B"])

    sum_lower = arb(bounds["sum_lower"])

    def outside(X):
        uu = norms.enclose(X)
        if any(u > B2 for u in uu) or (rho > 0 and any(u < rho2 for u in uu)):
            return True
        total = sum((p * _HALF.sqrt(u) for p, u in zip(sizes, uu)), arb(0))
        return bool(total < sum_lower)

    def in_domain(x):  # a point (floats) of the parameter space
        X = tuple((float(v), float(v)) for v in x)
        return _inside(X, box) and not outside(X)

    domain = {"box": box_info["statement"], "coordinates": coordinates, "rho": repr(rho), "rho_evidence": rho_ev,
              "statement": (f"every row norm in [{rho!r}, {bounds['B']!r}]: no critical point has a longer row "
                            "(proven); "
                            + ("every critical point with all rows nonzero is searched" if rho == 0 else
                               "no critical point has a shorter row (proven: all rows of ΔS_k have one norm)"
                               if rho_ev == "proven" else "critical points with a shorter row are not searched (assumed)")
                            + ("; and inside the given box" if box_info["statement"] == "the box given by the user" else "")),
              "bounds": bounds}
    t0, c0 = time.perf_counter(), time.process_time()
    with flint_ctx.workprec(prec):
        if coordinates == "cartesian":
            chart = None
            system = BallSystem.of_space(space, k)
            search_box, names, test = tuple(box), [str(p) for p in space.params], outside
        else:
            chart = _chart(space, k)
            system = BallSystem.in_chart(space, k, chart)
            # the chart's gradient is affine in the norms, finite down to r = 0: with rho = 0 the
            # norms are subdivided in log(r + shift), linearly near 0
            system.log_shift = 0.0 if rho > 0 else _below(arb(bounds["rho_equal"]) * 7 / 8)
            search_box, names = chart.box(rho, bounds["B"]), chart.names

            def test(Y):  # Σ_i r_i >= sum_lower (proven)
                total = sum((p * _ball(*Y[i]) for i, p in chart.block_of()), arb(0))
                return bool(total < sum_lower)
        # critical points of ΔS_k (proven there) at which this space's Jacobian is not enclosable
        # two blocks in the chart: the ΔS_k points at aligned rows are W = I (proven by Krawczyk in
        # the chart) and t± 11ᵀ, which lie on segments of critical points (proven tubes)
        tubes = (_continuum_tubes(space, k, chart, system, rho, bounds["B"])
                 if chart is not None and len(sizes) == 2 else [])
        two_block_chart = chart is not None and len(sizes) == 2
        aligned = ([] if single or two_block_chart or not exclude_aligned
                   else _aligned_points(space, k, eps, chart))
        aligned = [a for a in aligned if in_domain(a["values"])]
        base_test = test

        def test(X):
            if base_test is not None and base_test(X):
                return True
            return any(_inside(Xs, E) for E in (a["box"] for a in aligned) for Xs in system.shifts(X))
        necessary = None if chart is None else _radial_test(space, k, chart)
        contract = None if chart is None else _norm_contractor(space, k, chart)
        res = find_zeros(system, search_box, min_width=min_width, max_boxes=max_boxes, domain_test=test,
                         necessary=necessary, contract=contract, progress=progress, trace=trace,
                         continuum_test=_tubes_test(tubes),
                         jacobian_width=math.inf if chart is None else JACOBIAN_WIDTH)
        points = []
        Floss = space.compiled["loss"]
        for U, Z, y in res["zeros"]:
            if chart is None:
                X, x0 = Z, y
            else:
                xb = chart.fn(_HALF, *[_ball(lo, hi) for lo, hi in Z])
                X = tuple((_below(v), _above(v)) for v in xb)
                x0 = chart.fn(get_context("float"), *[float(v) for v in y])
            vals = _refine(space, k, x0, X, digits)
            xballs = [_ball(lo, hi) for lo, hi in X]
            with flint_ctx.workprec(max(prec, int(3.33 * digits) + 64)), mpmath.workdps(digits + 15):
                center = vals if chart is None else chart.inverse(vals, mpmath)
                kraw = _tight(system, center, U)
                if kraw is not None:  # the zero of U, enclosed to about 22 digits
                    xballs = kraw if chart is None else chart.fn(_HALF, *kraw)
                    X = tuple((max(lo, _below(v)), min(hi, _above(v))) for (lo, hi), v in zip(X, xballs))
                loss = Floss(_HALF, *xballs, arb(k))[0]
            z = ProvenZero(X, U, vals, loss)
            z.balls = xballs
            z.in_domain = _inside(Z, search_box) and (chart is not None or not outside(Z))
            points.append(z)
    seconds = time.perf_counter() - t0
    res["counts"]["cpu_seconds"] = round(time.process_time() - c0, 3)
    enc = Enclosure(space, k, tuple(box), domain, points, res["counts"], res["undecided"], seconds, res["truncated"])
    enc.coordinates = names
    enc.in_domain = in_domain
    enc.aligned = aligned
    for T in tubes:
        with flint_ctx.workprec(prec):
            sg = 1 if T["t"] > 0 else -1
            xs = [arb(sg) * abs(T["t"])] * space.dim  # t±·11ᵀ, a point of the segment
            loss = space.compiled["loss"](_HALF, *xs, arb(k))[0]
        enc.continua.append({"label": T["label"], "sign": "+" if T["t"] > 0 else "-", "family": None,
                             "tube_boxes": len(T["tubes"]),
                             "norm_range": [repr(T["r2_range"][0]), repr(T["r2_range"][1])],
                             "norm_ranges_not_covered": [[repr(a), repr(b)] for a, b in T["not_covered"]],
                             "loss": _loss_str(loss),
                             "evidence": "proven: critical by the identity W = u 1ᵀ (module doc of _continuum_tubes) "
                                         "and the proven point t±·11ᵀ of ΔS_k; the only zeros in its tilted tubes "
                                         "(parametric Krawczyk)"})
    if tubes:
        enc.domain["statement"] += ("; the segments " + ", ".join(T["label"] for T in tubes)
                                    + " are continua of critical points, each proven to be the only zero set in its tube")
    if aligned:
        enc.domain["statement"] += (
            "; minus a box of half-width " + repr(eps) + " (in the search coordinates) around each of "
            + ", ".join(a["label"] for a in aligned) + ": critical points proven in the subspace ΔS_k, where this "
            "space's Jacobian is not enclosable (aligned rows); whether another critical point lies in those "
            "boxes is not decided")
    if compare:
        enc.catalogue = compare_with_catalogue(enc, digits)
    return enc


def _aligned_points(space, k, eps, chart):
    """The critical points of ΔS_k (proven there by this module) embedded in ``space``, at which a
    Krawczyk test in ``space`` cannot run (the Jacobian is not enclosable: aligned rows).  Each is
    returned with its exclusion box (half-width ``eps`` in the search coordinates)."""
    from symcrit.symmetry.fixedpoint import fixed_point_space
    sub = fixed_point_space(["k"])
    enc = all_critical_points(sub, k, compare=True, exclude_aligned=False)
    cart = BallSystem.of_space(space, k)
    out = []
    for z in enc.points:
        x = [float(v) for v in space.project(sub.embed([float(v) for v in z.values], k))]
        tiny = tuple((v - 1e-9 * (1 + abs(v)), v + 1e-9 * (1 + abs(v))) for v in x)
        res, _ = krawczyk_box(cart, tiny)
        if res != "unknown":
            continue
        y = x if chart is None else chart.inverse([float(v) for v in x])
        label = (z.family or "W = t·11ᵀ, t = " + mpmath.nstr(z.values[0], 12))
        out.append({"label": label, "values": x, "box": tuple((v - eps, v + eps) for v in y), "point": z})
    return out


@functools.lru_cache(maxsize=64)
def _chart(space, k):
    return _Chart(space, k)


def _parse_box(box, space):
    box = list(box)
    if len(box) != space.dim:
        raise BadInput(f"the box needs {space.dim} intervals {tuple(map(str, space.params))}, got {len(box)}")
    out = []
    for p, iv in zip(space.params, box):
        try:
            lo, hi = iv
        except (TypeError, ValueError):
            raise BadInput(f"interval for {p} must be a pair (lo, hi), got {iv!r}") from None
        lo, hi = _outward(lo, -1, p), _outward(hi, 1, p)
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            raise BadInput(f"interval for {p} must be finite with lo <= hi, got ({lo}, {hi})")
        out.append((lo, hi))
    return tuple(out)


def _outward(v: Any, direction: int, name: Any) -> float:
    """An exact number (int, Fraction, decimal string, mpf; a float as its binary value) as the
    nearest float on the outside of the box (direction −1: not above it, +1: not below it)."""
    from symcrit.core.numbers import parse_number, to_mpf
    exact = parse_number(v, name=f"box {name}", allow_float=True)
    f = float(exact)
    if not math.isfinite(f):
        return f
    with mpmath.workdps(60):
        e = to_mpf(exact)
        while (direction < 0 and mpmath.mpf(f) > e) or (direction > 0 and mpmath.mpf(f) < e):
            f = float(np.nextafter(f, direction * math.inf))
    return f


def _refine(space, k, y, Z, digits):
    """The zero to ``digits`` digits by mpmath Newton from the float point (kept inside Z)."""
    from symcrit.core.newton import newton_system
    g, gj, _ = _factored_system(space)  # (its Jacobian is finite where rows are exactly equal)
    mctx = get_context("mpmath")
    with mpmath.workdps(digits + 15):
        x = [mpmath.mpf(float(v)) for v in y]
        kk = mpmath.mpf(k)
        try:
            x, _, _ = newton_system(lambda v: g(mctx, *v, kk),
                                    lambda v: gj(mctx, *v, kk)[1],
                                    x, "mpmath", where=f"at k = {k}")
        except SymcritError:
            pass
        if not all(lo <= v <= hi for v, (lo, hi) in zip(x, Z)):
            x = [mpmath.mpf(lo + hi) / 2 for lo, hi in Z]
    return x


def _continuum_of(enc, cp):
    """The entry of ``enc.continua`` holding the critical point ``cp`` of ΔS_k with all rows equal
    (W = t·11ᵀ, on the segment of its sign), or None."""
    if cp.space.blocks != ("k",) or enc.space.blocks == ("k",) or not enc.continua:
        return None
    p, q = cp.values
    if p != q:
        return None
    sign = "+" if p > 0 else "-"
    return next((c for c in enc.continua if c.get("sign") == sign), None)


def compare_with_catalogue(enc: Enclosure, digits: int = 30) -> dict[str, Any]:
    """Match the proven zeros with the catalogued families of the same isotropy type at that k.

    A family's point (Newton, ``digits`` digits: *checked*) matches a proven zero when it lies in
    the zero's uniqueness box within 1e-12 of its enclosure.  Returns ``matched`` (family ids),
    ``new`` (indices of zeros matching no family), ``missing`` (families whose point lies in the
    search box but matches no zero: a contradiction to investigate) and ``absent`` (families with
    no point at this k, with the reason)."""
    from symcrit.critical.families import closed_form_families, enclosure_families, families
    sp = enc.space
    fams = [f for f in families() + closed_form_families() + enclosure_families()
            if f.space == sp or (f.space.blocks == ("k",) and not f.space.extra and not sp.extra)]
    matched, missing, absent = {}, [], {}
    aligned_hits: dict[str, str] = {}
    on_continua: dict[str, str] = {}
    for f in fams:
        try:
            cp = f.solve(enc.k, dps=digits, verify=False)
        except SymcritError as exc:
            absent[f.id] = str(exc)
            continue
        vals = [float(v) for v in cp.values]
        if f.space != sp:  # a point of ΔS_k, which lies in every diagonal fixed space
            vals = [float(v) for v in sp.project(f.space.embed(vals, enc.k))]
        cont = _continuum_of(enc, cp)
        if cont is not None:
            # W = t±·11ᵀ in a space with two or more blocks: a point of a proven segment of critical
            # points (not isolated there), never one of the proven isolated zeros
            cont["family"] = f.id
            on_continua[f.id] = cont["label"]
            continue
        if any(max(abs(a - b) for a, b in zip(vals, al["values"])) < 1e-9 for al in enc.aligned):
            aligned_hits[f.id] = "in an excluded neighbourhood (proven critical in ΔS_k)"
            for al in enc.aligned:
                if max(abs(a - b) for a, b in zip(vals, al["values"])) < 1e-9:
                    al["label"] = f.id
            continue
        hit = None
        for n, p in enumerate(enc.points):
            Z = p.enclosure
            if all(lo - 1e-12 * (1 + abs(lo)) <= v <= hi + 1e-12 * (1 + abs(hi)) for v, (lo, hi) in zip(vals, Z)):
                hit = n
                break
        if hit is None:
            if enc.in_domain(vals):
                missing.append(f.id)
            else:
                absent[f.id] = "its point lies outside the search domain"
            continue
        if enc.points[hit].family is None:
            enc.points[hit].family = f.id
            matched[f.id] = hit
    new = [n for n, p in enumerate(enc.points) if p.family is None]
    residuals = {}
    if enc.k <= 40:
        from symcrit.model.network import StudentTeacher
        model = StudentTeacher(enc.k)
        with mpmath.workdps(digits):
            for n, p in enumerate(enc.points):
                gval = model.gradient(sp.embed([mpmath.mpf(v) for v in p.values], enc.k))
                residuals[n] = mpmath.nstr(max(abs(v) for v in np.asarray(gval).ravel()), 3)
    return {"families": [f.id for f in fams], "matched": matched, "new": new, "missing": missing, "absent": absent,
            "aligned": aligned_hits, "continua": on_continua,
            "full_gradient_residual": residuals,
            "agrees": not missing,
            "evidence": ("checked (catalogued points by Newton or from their closed form at the given digits, located "
                         "in the proven enclosures)")}


# ---------------------------------------------------------------------------------------------
# diagnosis: where the search spends its boxes


def _landmarks(space: FixedPointSpace, k: int) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Known critical sets of ``space`` at k as (label, A, B): the segment from A to B in the
    parameters (A = B for a point).  The catalogued families (Newton, checked), W = I, and in a
    two-block space the segments W = u·1ᵀ (u of one sign, Σu = k t±) and the two mixed-sign
    points W = u·1ᵀ with p_1 u_1 = k t∓, p_2 u_2 = k t±."""
    from symcrit.critical.families import families
    out = []
    eye = space.project(np.eye(k))
    out.append(("W = I", np.array(eye, dtype=float), np.array(eye, dtype=float)))
    for f in families():
        if not (f.space == space or (f.space.blocks == ("k",) and not f.space.extra and not space.extra)):
            continue
        if f.id == "global":
            continue
        try:
            cp = f.solve(k, dps=20, verify=False)
        except SymcritError:
            continue
        vals = [float(v) for v in cp.values]
        if f.space != space:
            vals = [float(v) for v in space.project(f.space.embed(vals, k))]
        out.append((f.id, np.array(vals), np.array(vals)))
    sizes = space.sizes_at(k)
    if len(sizes) == 2 and not space.extra:
        rows = _RowNorms(space, k).rows
        block = [0] * space.dim
        for b, row in enumerate(rows):
            for n_, _ in row:
                block[n_] = b
        rk = math.sqrt(k)
        ph = lambda c: (math.sqrt(1 - c * c) + (math.pi - math.acos(c)) * c) / (2 * math.pi)  # noqa: E731
        ts = {"+": 2 * ph(1 / rk) / rk, "-": -2 * ph(-1 / rk) / rk}
        p1, p2 = sizes
        for sg, t in ts.items():
            A = np.array([0.0 if block[n_] == 0 else k * t / p2 for n_ in range(space.dim)])
            B = np.array([k * t / p1 if block[n_] == 0 else 0.0 for n_ in range(space.dim)])
            out.append((f"segment t{sg}", A, B))
        for s1, s2 in (("-", "+"), ("+", "-")):
            u = (k * ts[s1] / p1, k * ts[s2] / p2)
            x = np.array([u[block[n_]] for n_ in range(space.dim)])
            out.append((f"mixed (u_1 ~ t{s1})", x, x))
    return out


def search_statistics(space: FixedPointSpace, k: int, *, max_boxes: int = 20_000, small: float = 1e-2,
                      near: float = 0.05, hotspots: int = 12, **kwargs: Any) -> dict[str, Any]:
    """Run :func:`all_critical_points` (norm–angle chart, keyword arguments passed on) with a box
    budget and say where the boxes that no test decided lie, and why.

    Every bisected or undecided box is recorded; those whose largest width (relative to the search
    box; norms over [0, B], angles over 2π) is below ``small`` are *deep*.  Each deep box's centre
    is mapped to the parameters and assigned to the nearest known critical set of
    :func:`_landmarks` (Frobenius distance of the k×k matrices below ``near``), else to
    ``short row`` (some row norm below ``near``·B) or ``elsewhere``.  Returns counts by reason,
    by place, by place and width decade, the deep boxes' hotspots (centres rounded at the
    deepest width, most visited first) and the enclosure's counts.  A diagnosis: *estimated*."""
    k = _int_k(k)
    chart = _chart(space, k)
    B = critical_point_bounds(k)["B"]
    ridx = set(chart.r_index)
    span = np.array([B if i in ridx else 2 * math.pi for i in range(space.dim)])
    S = space.slot_matrix(k)
    weight = np.bincount(S[S >= 0], minlength=space.dim).astype(float)
    marks = _landmarks(space, k)
    fctx = get_context("float")
    records: list[tuple[str, Box, str]] = []

    def trace(event, X, reason):
        records.append((event, X, reason))
    t0 = time.perf_counter()
    enc = all_critical_points(space, k, max_boxes=max_boxes, compare=False, trace=trace, **kwargs)
    seconds = time.perf_counter() - t0

    def place(y):
        x = np.array(chart.fn(fctx, *[float(v) for v in y]), dtype=float)
        best, dist = None, math.inf
        for label, A, Bm in marks:
            d = Bm - A
            dd = float(np.sum(weight * d * d))
            s = 0.0 if dd == 0 else min(1.0, max(0.0, float(np.sum(weight * (x - A) * d)) / dd))
            v = x - (A + s * d)
            dist_l = math.sqrt(float(np.sum(weight * v * v)))
            if dist_l < dist:
                best, dist = label, dist_l
        if dist < near:
            return best, dist, x
        if min(y[i] for i in ridx) < near * B:
            return "short row", dist, x
        return "elsewhere", dist, x
    by_reason: dict[str, int] = {}
    by_place: dict[str, int] = {}
    by_decade: dict[str, dict[str, int]] = {}
    cells: dict[tuple, dict[str, Any]] = {}
    deep = 0
    for event, X, reason in records:
        w = np.array([hi - lo for lo, hi in X]) / span
        wmax = float(w.max())
        key = reason.split(":")[0] if reason.startswith("the gradient enclosure contains 0; Krawczyk undecided") else reason
        by_reason[key] = by_reason.get(key, 0) + 1
        if wmax >= small:
            continue
        deep += 1
        y = [(lo + hi) / 2 for lo, hi in X]
        label, dist, x = place(y)
        by_place[label] = by_place.get(label, 0) + 1
        dec = f"1e{math.floor(math.log10(max(wmax, 1e-300)))}"
        by_decade.setdefault(label, {})
        by_decade[label][dec] = by_decade[label].get(dec, 0) + 1
        cell = tuple(round(v / (small * s)) for v, s in zip(y, span))
        c = cells.setdefault(cell, {"visits": 0, "min_width": wmax, "place": label, "distance": dist,
                                    "chart": [float(v) for v in y], "params": [float(v) for v in x], "reasons": {}})
        c["visits"] += 1
        if wmax < c["min_width"]:
            c["min_width"], c["chart"], c["params"], c["distance"] = wmax, [float(v) for v in y], [float(v) for v in x], dist
        c["reasons"][key] = c["reasons"].get(key, 0) + 1
    top = sorted(cells.values(), key=lambda c: -c["visits"])[:hotspots]
    return {"k": k, "boxes": enc.counts["boxes"], "counts": dict(enc.counts), "seconds": round(seconds, 2),
            "complete": enc.complete, "undecided": len(enc.undecided), "chart": list(chart.names),
            "params": [str(p) for p in space.params], "bisected_or_undecided": len(records), "deep": deep,
            "by_reason": by_reason, "by_place": by_place, "by_place_and_width": by_decade, "hotspots": top,
            "landmarks": [m[0] for m in marks], "points": [[float(v) for v in p.values] for p in enc.points],
            "evidence": "estimated (a diagnosis of one truncated run: where the boxes went)"}
