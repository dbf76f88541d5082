r"""Critical points that are the teacher itself: W = P·V·Qᵀ exactly (n = k, V = I).

Some branches of a fixed-point space pass through the global minimum at an integer k (a block
tends to a permuted identity).  There the reduced Krawczyk test of :mod:`symcrit.critical.certify`
fails: the teacher has exactly aligned pairs, where √S (S = |w|²|v|² − (w·v)², a sum of several
squares) has no enclosable derivative in the reduced coordinates, and the computed loss is
rounding noise (±1e-46).  :func:`teacher_certificate` identifies such a point exactly instead:

1. **exact point**: the parameters rounded to integers give, in exact integer arithmetic, a
   permutation matrix W* = P·Qᵀ = P·V·Qᵀ.  As F(P W Qᵀ) = F(W) (permuting the student neurons, and
   rotating the Gaussian inputs by the permutation Q, which permutes the teacher's neurons), F(W*) =
   F(V) = 0 exactly; F ≥ 0 (an expected square), so W* is a global minimum, and ∇F(W*) = 0.
2. **the zero there is the teacher**: a Krawczyk box X around x* in the branch's own fixed-point
   space, K(X) = x* − C G(x*) + (I − C J(X))(X − x*) ⊂ int X, with J(X) the reduced Jacobian
   enclosed from the **full-space Hessian** over the box in ball arithmetic: the Hessian of the
   arc-cosine kernel is h1 = |v| sin θ/(2π|w|)(I − ŵŵᵀ + n nᵀ), h2 = ((π − θ)I + sin θ(ŵv̂ᵀ + n mᵀ))/(2π)
   with unit vectors n, m; where the box meets θ = 0 or π their entries are enclosed by [−1, 1]
   (a unit vector's entries), multiplied by sin θ ∋ 0 — bounded, unlike the reduced √S's
   derivative.  F is C² where no row vanishes (the terms with n, m tend to 0 with sin θ), so J(X)
   encloses the Jacobian of the reduced gradient G (one full-space gradient entry per orbit: its
   zeros are the critical points in the space, by symmetric criticality) at every point of X.
   Then X holds exactly one critical point, x*; the Newton point must lie in X.
3. **index**: 0 — the teacher is a global minimum, so its Hessian is positive semidefinite; and
   the Hessian at W* is the Hessian at V conjugated by the isometry W ↦ P W Qᵀ, so its inertia is
   that of the ``global`` family's point at k (proven there by
   :func:`symcrit.spectra.inertia.prove_inertia` — a layer above; the caller passes it in).

>>> from symcrit.critical.families import family
>>> cert = teacher_certificate(family("global").solve(6, dps=30))
>>> cert["teacher"], cert["loss"], cert["permutation"]
(True, '0', [0, 1, 2, 3, 4, 5])
"""
from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
from flint import arb, arb_mat, ctx as flint_ctx

from symcrit.core.contexts import get_context

__all__ = ["teacher_certificate", "permutation_of", "reduced_balls", "TEACHER_DISTANCE"]

#: a point is compared with the teacher only when its parameters are this close to integers
TEACHER_DISTANCE = 1e-20


def permutation_of(M: Any) -> list[int] | None:
    """If the integer matrix ``M`` (exact ints) is a permutation matrix, the permutation p with
    M[i, p[i]] = 1; else None.  Exact: every entry compared with the integers 0 and 1."""
    n = len(M)
    p = []
    for i in range(n):
        row = [int(x) for x in M[i]]
        if len(row) != n or any(x not in (0, 1) for x in row) or sum(row) != 1:
            return None
        p.append(row.index(1))
    return p if sorted(p) == list(range(n)) else None


def _interval(lo: arb, hi: arb) -> arb:
    return lo.union(hi)


def _nonneg_sqrt(x: arb) -> arb:
    """√max(x, 0) for a ball whose exact value is known to be ≥ 0 (a sum of squares)."""
    if x > 0:
        return x.sqrt()
    return _interval(arb(0), x.upper().sqrt()) if x.upper() > 0 else arb(0)


def _unit_or_any(x: list[arb], norm: arb) -> list[arb]:
    """x/|x|, or where |x| may be 0 any unit vector: each entry in [−1, 1]."""
    if norm > 0:
        return [xi / norm for xi in x]
    return [arb(0, 1)] * len(x)


class _Frame:
    """The pair (w, v) over a box: norms, unit vectors, θ, sin θ, cos θ, and the unit vectors
    n = unit(v̂ − cos θ ŵ), m = unit(ŵ − cos θ v̂) (entries in [−1, 1] where θ may be 0 or π)."""

    def __init__(self, w: list[arb], v: list[arb]) -> None:
        d = len(w)
        ww = sum((x * x for x in w), arb(0))
        vv = sum((x * x for x in v), arb(0))
        wv = sum((a * b for a, b in zip(w, v)), arb(0))
        S = arb(0)
        for a in range(d):
            for b in range(a + 1, d):
                t = w[a] * v[b] - w[b] * v[a]
                S += t * t
        self.nw, self.nv = _nonneg_sqrt(ww), _nonneg_sqrt(vv)
        self.wh = [x / self.nw for x in w]
        self.vh = [x / self.nv for x in v]
        rS = _nonneg_sqrt(S)
        # θ = atan2(√S, w·v) ∈ [0, π] (√S ≥ 0): the ball is cut to that interval
        self.theta = _clamp(arb.atan2(rS, wv), arb(0), arb.pi())
        self.s = rS / (self.nw * self.nv)
        self.c = wv / (self.nw * self.nv)
        n_raw = [b - self.c * a for a, b in zip(self.wh, self.vh)]
        m_raw = [a - self.c * b for a, b in zip(self.wh, self.vh)]
        # |v̂ − cos θ ŵ| = |ŵ − cos θ v̂| = sin θ
        self.n = _unit_or_any(n_raw, self.s)
        self.m = _unit_or_any(m_raw, self.s)


def _clamp(x: arb, lo: arb, hi: arb) -> arb:
    a = x.lower() if x.lower() > lo else lo
    b = x.upper() if x.upper() < hi else hi
    return _interval(arb(a), arb(b))


def _grad_row(fr: _Frame) -> list[arb]:
    """g(w, v) = ∂f/∂w = (|v| sin θ ŵ + (π − θ) v)/(2π)."""
    tp = 2 * arb.pi()
    return [(fr.nv * fr.s * a + (arb.pi() - fr.theta) * b * fr.nv) / tp for a, b in zip(fr.wh, fr.vh)]


def _h1_row(fr: _Frame, r: int) -> list[arb]:
    a = fr.nv * fr.s / (2 * arb.pi() * fr.nw)
    d = len(fr.wh)
    return [a * ((1 if r == j else 0) - fr.wh[r] * fr.wh[j] + fr.n[r] * fr.n[j]) for j in range(d)]


def _h2_row(fr: _Frame, r: int) -> list[arb]:
    d = len(fr.wh)
    return [((arb.pi() - fr.theta) * (1 if r == j else 0) + fr.s * (fr.wh[r] * fr.vh[j] + fr.n[r] * fr.m[j]))
            / (2 * arb.pi()) for j in range(d)]


def _reduced(W: list[list[arb]], slots: np.ndarray, reps: list[tuple[int, int]], dim: int,
             jacobian: bool) -> tuple[list[arb], list[list[arb]] | None]:
    """The reduced gradient G_s = ∂F/∂W_rep(s) and (``jacobian``) J[s][t] = Σ_{slot(l,b) = t}
    ∂²F/∂W_rep(s)∂W_lb, from the full-space formulas (n = k = d, teacher I, output weights 1)."""
    k = len(W)
    V = [[arb(1) if i == j else arb(0) for j in range(k)] for i in range(k)]
    G: list[arb] = []
    J: list[list[arb]] | None = [] if jacobian else None
    half = arb(1) / 2
    cache: dict[int, tuple[list[_Frame], list[_Frame]]] = {}
    for (i, a) in reps:
        if i not in cache:
            cache[i] = ([_Frame(W[i], W[l]) if l != i else None for l in range(k)],  # type: ignore[misc]
                        [_Frame(W[i], V[j]) for j in range(k)])
        fw, fv = cache[i]
        g = half * W[i][a]
        for l in range(k):
            if l != i:
                g += _grad_row(fw[l])[a]
        for j in range(k):
            g -= _grad_row(fv[j])[a]
        G.append(g)
        if J is None:
            continue
        row = [arb(0)] * dim
        # diagonal block: ½ I + Σ_l h1(w_i, w_l) − Σ_j h1(w_i, v_j), row a
        D = [half if b == a else arb(0) for b in range(k)]
        for l in range(k):
            if l != i:
                D = [x + y for x, y in zip(D, _h1_row(fw[l], a))]
        for j in range(k):
            D = [x - y for x, y in zip(D, _h1_row(fv[j], a))]
        for b in range(k):
            t = slots[i, b]
            if t >= 0:
                row[t] += D[b]
        for l in range(k):
            if l != i:
                h = _h2_row(fw[l], a)
                for b in range(k):
                    t = slots[l, b]
                    if t >= 0:
                        row[t] += h[b]
        J.append(row)
    return G, J


def _representatives(space: Any, k: int) -> tuple[np.ndarray, list[tuple[int, int]]] | None:
    slots = np.asarray(space.slot_matrix(k))
    reps: list[tuple[int, int]] = []
    for s in range(space.dim):
        where = np.argwhere(slots == s)
        if len(where) == 0:
            return None  # a parameter that no entry reads at this k
        reps.append((int(where[0][0]), int(where[0][1])))
    return slots, reps


def reduced_balls(space: Any, k: int, X: list[Any], jacobian: bool = True) -> tuple[list[arb], list[list[arb]] | None]:
    """The reduced gradient G (G_s = ∂F/∂W_ij at the first entry (i, j) read by parameter s) and its
    Jacobian J (J[s][t] = Σ over the entries (l, b) read by t of ∂²F/∂W_ij∂W_lb), enclosed in ball
    arithmetic at the precision in force for every point of the box X (balls, or exact numbers),
    from the full-space gradient and Hessian of the arc-cosine kernel (n = k, teacher I, output
    weights 1); bounded where the box meets aligned pairs (see the module doc).  Integer k."""
    if space.extra:
        raise ValueError("reduced_balls: n = k only (no extra row)")
    sr = _representatives(space, int(k))
    if sr is None:
        raise ValueError(f"reduced_balls: a parameter of {space} reads no entry at k = {k}")
    slots, reps = sr
    conv = get_context("arb").convert
    Xb = [conv(x) for x in X]
    W = [[arb(0) if slots[i, j] < 0 else Xb[slots[i, j]] for j in range(int(k))] for i in range(int(k))]
    return _reduced(W, slots, reps, space.dim, jacobian)


def teacher_certificate(cp: Any, radius: Any = None, prec: int | None = None) -> dict[str, Any] | None:
    """Whether the critical point ``cp`` (integer k, n = k) is the teacher, exactly: None when its
    parameters are not within :data:`TEACHER_DISTANCE` of integers forming a permutation matrix
    (it is not the teacher); else ``{"teacher": bool, "loss", "permutation", "exact_point",
    "distance", "radius", "evidence"}`` where ``teacher`` is True (and ``loss`` "0", else None)
    only when the Krawczyk box
    around the exact point x* (see the module doc) proves that the only critical point of the
    branch's space near the Newton point is x* (``evidence`` says what failed otherwise)."""
    sp = cp.space
    if sp.extra or not cp.is_integer_k:
        return None
    k = int(cp.k)
    with mpmath.workdps(cp.work_dps):
        xs = [int(mpmath.nint(v)) for v in cp.values]
        dist = max(abs(v - n) for v, n in zip(cp.values, xs))
    if not dist < TEACHER_DISTANCE:
        return None
    sr = _representatives(sp, k)
    if sr is None:
        return None
    slots, reps = sr
    M = [[0 if slots[i, j] < 0 else xs[slots[i, j]] for j in range(k)] for i in range(k)]
    perm = permutation_of(M)
    if perm is None:
        return None
    dim = sp.dim
    prec = prec or int(cp.work_dps * 3.33) + 32
    conv = get_context("arb").convert
    out: dict[str, Any] = {"teacher": False, "loss": None, "permutation": perm, "exact_point": [str(n) for n in xs],
                           "distance": mpmath.nstr(dist, 3), "radius": None}
    with flint_ctx.workprec(prec):
        W0 = [[arb(n) for n in row] for row in M]
        G0, J0 = _reduced(W0, slots, reps, dim, jacobian=True)
        assert J0 is not None
        with mpmath.workdps(int(prec / 3.33)):
            mid = mpmath.matrix([[mpmath.mpf(J0[s][t].mid().str(40, radius=False)) for t in range(dim)]
                                 for s in range(dim)])
            try:
                Cm = mpmath.inverse(mid)
            except ZeroDivisionError:
                out["evidence"] = "not proven: the reduced Hessian at the teacher is singular"
                return out
            C = arb_mat([[conv(Cm[s, t]) for t in range(dim)] for s in range(dim)])
        radii = [mpmath.mpf(radius)] if radius is not None else [mpmath.mpf(10) ** -e for e in (12, 20, 30)]
        for r in radii:
            if not dist < r / 2:
                continue
            ra = conv(r)
            X = [arb(n) + arb(0, 1) * ra for n in xs]
            WX = [[arb(0) if slots[i, j] < 0 else X[slots[i, j]] for j in range(k)] for i in range(k)]
            _, JX = _reduced(WX, slots, reps, dim, jacobian=True)
            if JX is None or not all(e.is_finite() for row in JX for e in row):
                continue
            Jm = arb_mat(JX)
            Gm = arb_mat([[g] for g in G0])
            dX = arb_mat([[arb(0, 1) * ra] for _ in range(dim)])
            K = -(C * Gm) + (arb_mat(dim, dim, [1 if s == t else 0 for s in range(dim) for t in range(dim)])
                             - C * Jm) * dX
            if all(abs(K[s, 0]).upper() < ra for s in range(dim)):
                rs = mpmath.nstr(r, 2)
                out.update(teacher=True, loss="0", radius=rs, evidence=(
                    "proven: the point is the teacher (W = V up to permutation), loss 0 exactly — its parameters "
                    f"rounded to integers give exactly a permutation matrix (exact check; the Newton point is "
                    f"{out['distance']} away), F(P·V·Qᵀ) = F(V) = 0 and ∇F = 0 there (global minimum, F ≥ 0); a "
                    f"Krawczyk box of radius {rs} around it in the branch's fixed-point space, with the full-space "
                    "Hessian enclosed in ball arithmetic over the box, holds exactly one critical point"))
                return out
    out["evidence"] = ("not proven: the parameters round to a permutation matrix (the teacher), but the Krawczyk "
                       "test around it failed")
    return out
