r"""The arc-cosine kernel of order 1 and its derivatives, written once against a number context.

For vectors u, v with angle :math:`\theta`,

.. math:: f(u, v) = \frac{|u||v|(\sin\theta + (\pi-\theta)\cos\theta)}{2\pi}
          = \frac{\sqrt{S} + (\pi - \operatorname{atan2}(\sqrt S, u\cdot v))\, u\cdot v}{2\pi},

where :math:`S = |u|^2|v|^2 - (u\cdot v)^2 = \sum_{l<m}(u_l v_m - u_m v_l)^2` (Lagrange's identity).
Written with S as a sum of squares, :math:`|u||v|\sin\theta = \sqrt S` and
:math:`\theta = \operatorname{atan2}(\sqrt S, u\cdot v)` are computed without cancellation, even
for aligned or anti-aligned pairs, where ``acos`` of a dot product would lose half the digits.

Two layers use it:

* **profiles** (:func:`profile_sums`, :func:`kernel_from_sums`): a pair of vectors whose
  coordinates take few distinct value pairs, each with a multiplicity (possibly a symbol such as
  ``k - 2``).  This is how the fixed-point spaces build their reduced losses with k symbolic.
* **dense vectors** (:func:`angle`, :func:`kernel`, :func:`kernel_grad`, :func:`h1`, :func:`h2`)
  for the full-space model in mpmath (or any context with elementwise numpy object arrays).

>>> from symcrit.core.contexts import get_context
>>> ctx = get_context("sympy")
>>> kernel_from_sums(ctx, *profile_sums(ctx, [(1, 1, 0), (1, 0, 1)]))   # e1, e2: theta = pi/2
1/(2*pi)
>>> kernel_from_sums(ctx, *profile_sums(ctx, [(1, 1, 1)]))              # f(u, u) = |u|^2/2
1/2
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np
import sympy

from symcrit.core.contexts import SymContext

__all__ = ["FactoredRootsContext", "profile_sums", "profile_root", "minor_terms", "kernel_from_profile", "kernel_from_sums", "angle", "pair_angles", "kernel", "kernel_grad", "h1", "h2"]


def profile_sums(ctx, profile):
    """Sums of a pair profile ``[(count, u_value, v_value), ...]``.

    Returns ``(uu, vv, uv, S)`` with S = |u|^2 |v|^2 - (u.v)^2 written as the sum of squares
    ``sum_{t<t'} n_t n_t' (u_t v_t' - u_t' v_t)^2``.
    """
    uu = sum((n * u**2 for n, u, v in profile), 0)
    vv = sum((n * v**2 for n, u, v in profile), 0)
    uv = sum((n * u * v for n, u, v in profile), 0)
    S = 0
    for a in range(len(profile)):
        na, ua, va = profile[a]
        for b in range(a + 1, len(profile)):
            nb, ub, vb = profile[b]
            t = ua * vb - ub * va
            if ctx.exact:
                t = ctx.factor(t)
            S = S + na * nb * t**2
    return uu, vv, uv, S


def minor_terms(ctx: Any, profile: Any) -> list[tuple[Any, Any]]:
    """The nonzero 2×2 minors of a profile with their weights: [(n n', u v' − u' v)], factored by
    the context, so that S = Σ n n' t² (exact contexts)."""
    terms = []
    for a in range(len(profile)):
        na, ua, va = profile[a]
        for b in range(a + 1, len(profile)):
            nb, ub, vb = profile[b]
            t = ctx.factor(ua * vb - ub * va)
            if t != 0:
                terms.append((na * nb, t))
    return terms


def profile_root(ctx, profile, S=None):
    """sqrt(S) = |u||v| sin θ for a profile.

    In exact (symbolic) arithmetic, when S has a single term n n' t^2 it is written
    sqrt(n n') |t|: the same number, but its derivative sqrt(n n') sign(t) stays bounded where
    t = 0 (exactly aligned vectors), where d sqrt(S) = dS / (2 sqrt S) would be 0/0.  Ball
    arithmetic can then enclose the Jacobian there (sign(t) ∈ [-1, 1]).
    """
    if ctx.exact:
        terms = minor_terms(ctx, profile)
        if len(terms) == 1:
            n, t = terms[0]
            return ctx.sqrt(n) * ctx.abs(t)
    S = profile_sums(ctx, profile)[3] if S is None else S
    if hasattr(ctx, "profile_root"):  # contexts that need the profile (dual numbers at aligned pairs)
        return ctx.profile_root(profile, S)
    return ctx.gram_sqrt(S) if hasattr(ctx, "gram_sqrt") else ctx.sqrt(S)


def kernel_from_profile(ctx, profile):
    """f(u, v) = (sqrt S + (π - atan2(sqrt S, u.v)) u.v) / (2π) for a profile."""
    uu, vv, uv, S = profile_sums(ctx, profile)
    r = profile_root(ctx, profile, S)
    pi = ctx.pi()
    return (r + (pi - ctx.atan2(r, uv)) * uv) / (2 * pi)


def kernel_from_sums(ctx, uu, vv, uv, S):
    """f(u, v) from the sums of :func:`profile_sums` (``uu``, ``vv`` are not needed)."""
    pi = ctx.pi()
    r = ctx.sqrt(S)
    return (r + (pi - ctx.atan2(r, uv)) * uv) / (2 * pi)


# ---------------------------------------------------------------------------------------------
# dense vectors, elementwise (mpmath object arrays or float arrays)


def norm(ctx, x):
    return ctx.sqrt(sum(xi * xi for xi in x))


def angle(ctx, u, v, nu=None, nv=None):
    """Angle between dense vectors, robustly: 2 atan2(|û - v̂|, |û + v̂|)."""
    nu = norm(ctx, u) if nu is None else nu
    nv = norm(ctx, v) if nv is None else nv
    uh = [x / nu for x in u]
    vh = [x / nv for x in v]
    dm = ctx.sqrt(sum((a - b) ** 2 for a, b in zip(uh, vh)))
    dp = ctx.sqrt(sum((a + b) ** 2 for a, b in zip(uh, vh)))
    return 2 * ctx.atan2(dm, dp)


def pair_angles(U, V, nu, nv):
    """Angles between every row of U (…, n, d) and every row of V (…, m, d) in float64, given
    their norms nu (…, n), nv (…, m); leading dimensions broadcast (a stack of students against
    one teacher).  arccos of the cosine where |cos θ| ≤ 0.9 (well conditioned there), the robust
    2 atan2(|û − v̂|, |û + v̂|) of :func:`angle` near alignment and anti-alignment, where arccos
    loses half the digits.  The one vectorised angle of symcrit (model and discovery).

    >>> import numpy as np
    >>> U = np.array([[1.0, 0.0], [1.0, 1e-9]]); n = np.linalg.norm(U, axis=1)
    >>> float(pair_angles(U, U, n, n)[0, 1])   # arccos(cos θ) would give 0 or 1.49e-08
    1e-09
    """
    import numpy as np

    Uh = U / nu[..., None]
    Vh = V / nv[..., None]
    C = Uh @ np.swapaxes(Vh, -1, -2)
    np.clip(C, -1.0, 1.0, out=C)
    th = np.arccos(C)
    idx = np.nonzero(np.abs(C) > 0.9)
    if len(idx[0]):
        Vb = np.broadcast_to(Vh, C.shape[:-2] + Vh.shape[-2:])
        a = Uh[idx[:-1]]
        b = Vb[idx[:-2] + (idx[-1],)]
        th[idx] = 2 * np.arctan2(np.linalg.norm(a - b, axis=-1), np.linalg.norm(a + b, axis=-1))
    return th


def kernel(ctx, u, v):
    """f(u, v) for dense vectors."""
    nu, nv = norm(ctx, u), norm(ctx, v)
    th = angle(ctx, u, v, nu, nv)
    pi = ctx.pi()
    return nu * nv * (ctx.sin(th) + (pi - th) * ctx.cos(th)) / (2 * pi)


def kernel_grad(ctx, w, v):
    """g(w, v) = d f(w, v) / dw = (|v| sin(theta) w/|w| + (pi - theta) v) / (2 pi)."""
    nw, nv = norm(ctx, w), norm(ctx, v)
    th = angle(ctx, w, v, nw, nv)
    pi = ctx.pi()
    a = nv * ctx.sin(th) / nw
    return np.array([(a * wi + (pi - th) * vi) / (2 * pi) for wi, vi in zip(w, v)], dtype=object)


def _unit(ctx, x):
    n = norm(ctx, x)
    return [xi / n for xi in x]


def _frame(ctx, w, v):
    """Unit vectors and the angle; n = unit(v̂ - cos θ ŵ), m = unit(ŵ - cos θ v̂) (zero if θ in {0, π})."""
    nw, nv = norm(ctx, w), norm(ctx, v)
    wh, vh = [x / nw for x in w], [x / nv for x in v]
    th = angle(ctx, w, v, nw, nv)
    s, c = ctx.sin(th), ctx.cos(th)
    if s == 0:
        n = [0 * x for x in w]
        m = [0 * x for x in w]
    else:
        n = _unit(ctx, [b - c * a for a, b in zip(wh, vh)])
        m = _unit(ctx, [a - c * b for a, b in zip(wh, vh)])
    return nw, nv, wh, vh, th, s, n, m


def h1(ctx, w, v):
    """d g(w, v) / dw = |v| sin θ / (2π|w|) (I - ŵŵᵀ + n nᵀ)   (a d×d object array)."""
    nw, nv, wh, vh, th, s, n, m = _frame(ctx, w, v)
    d = len(w)
    pi = ctx.pi()
    a = nv * s / (2 * pi * nw)
    out = np.empty((d, d), dtype=object)
    for i in range(d):
        for j in range(d):
            out[i, j] = a * ((1 if i == j else 0) - wh[i] * wh[j] + n[i] * n[j])
    return out


def h2(ctx, w, v):
    """d g(w, v) / dv = ((π - θ) I + sin θ (ŵ v̂ᵀ + n mᵀ)) / (2π)   (a d×d object array)."""
    nw, nv, wh, vh, th, s, n, m = _frame(ctx, w, v)
    d = len(w)
    pi = ctx.pi()
    out = np.empty((d, d), dtype=object)
    for i in range(d):
        for j in range(d):
            out[i, j] = ((pi - th) * (1 if i == j else 0) + s * (wh[i] * vh[j] + n[i] * m[j])) / (2 * pi)
    return out


# ---------------------------------------------------------------------------------------------
# an exact context for Jacobians that stay enclosable at aligned rows


class FactoredRootsContext(SymContext):
    """Exact context whose sqrt(S) of a pair profile takes out the common factor g of the minors:
    S = g² Σ n n' (t/g)², √S = |g| √(Σ n n' (t/g)²).  The value is the same; the Jacobian of
    |g| is sign(g) ∇g (enclosable on a box where g = 0), while that of √S is ∇S / (2√S), which
    ball arithmetic cannot bound where S = 0.  With g = p − q this makes the Jacobian of ΔS_k
    enclosable at its critical points with all rows equal (W = t 11ᵀ, aligned rows).  Used by
    :mod:`symcrit.critical.enclosure` (the gradient it encloses and refines by Newton).

    >>> p, q, k = sympy.symbols("p q k")
    >>> FactoredRootsContext().profile_root([(1, p, q), (k - 1, q, q)], None)  # rows of ΔS_k: g = q(p − q)
    sqrt(k - 1)*Abs(q*(p - q))
    """

    name = "sympy-factored-roots"

    def profile_root(self, profile: Any, S: Any) -> Any:
        terms = minor_terms(self, profile)
        if not terms:
            return sympy.Integer(0)
        g = functools.reduce(sympy.gcd, [t for _, t in terms])
        if g.is_number:
            return sympy.sqrt(S)
        rest = sum(n * sympy.cancel(t / g) ** 2 for n, t in terms)
        return sympy.Abs(g) * sympy.sqrt(rest)
