r"""Proven inertia of the Hessian at a certified critical point, by symmetry, in ball arithmetic.

The Krawczyk test (:mod:`symcrit.critical.certify`) proves that a box X (radius ρ around the
computed point) holds exactly one critical point, and its images bound where in X that point
lies (the proven enclosure, far tighter).  Here every isotypic block of the Hessian
(see :mod:`symcrit.spectra.hessian`) is enclosed over that enclosure: A_τ = UᵀHU, with U the
independent copies of one vector of the type τ (chosen by exact rank decisions), is evaluated
in python-flint ``arb`` with the parameters as the box's balls, by forward-mode dual numbers
over balls through the same entry-gradient code (each A_τ entry encloses its value at every
point of the box, hence at the critical point).  By Sylvester's law of inertia, the Hessian's
inertia on τ is that of A_τ (U has independent columns), each eigenvalue with multiplicity
dim τ (an exact integer).

The inertia of a ball matrix A is proven by a congruence: Q, the eigenvectors of the midpoint
(exact binary numbers), is proven nonsingular (QᵀQ has a ball LDLᵀ with positive pivots), and
M = QᵀAQ (nearly diagonal) has a ball LDLᵀ factorisation M = LDLᵀ whose pivots' balls exclude 0;
then every symmetric matrix in the enclosure has the inertia of D.  A pivot ball that contains 0
makes the result *undecided*, with the reason; the precision is raised and the box shrunk first.

Index = Σ_τ (negative pivots of A_τ) × dim τ.

Where the point is the teacher itself (the global minimum W = I, with n = k), the box is known to
hold that exact point (F = 0 = min F there, and the box holds one critical point only), and the
blocks are evaluated at the exact point, where aligned pairs make the gradient only C¹: the dual
numbers take the first-order term of sqrt(S) at its double zero (as :class:`DualContext` does).

>>> from symcrit.critical.families import family
>>> inr = prove_inertia(family("sk1").solve(6, dps=30).certify())
>>> inr.evidence, inr.index, inr.positive
('proven', 0, 36)
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Optional

import mpmath
from flint import arb, arb_mat, ctx as flint_ctx

from symcrit.core.contexts import get_context
from symcrit.core.dual import AlignedDualOver, Dual
from symcrit.core.signs import SignCount, count_signs

if TYPE_CHECKING:
    from symcrit.critical.families import CriticalPoint
from symcrit.spectra.hessian import (Component, CopyBasis, check_multiplicities, component_types, exact_at,
                                     exact_k, fine_space)

__all__ = ["Inertia", "BlockInertia", "prove_inertia", "ball_inertia", "evidence_record"]


class BlockInertia:
    """The proven inertia of one isotypic block: ``name``, ``dim`` (exact multiplicity of each of
    its eigenvalues), ``copies`` (block size), ``signs`` (a :class:`SignCount` of the block's
    eigenvalues, each counted once), ``pivots`` (the balls of D in M = LDLᵀ, as strings) and
    ``estimates`` (midpoint eigenvalues of the pencil, for reading only)."""

    def __init__(self, name, dim, copies, signs, pivots, estimates):
        self.name, self.dim, self.copies, self.signs = name, dim, copies, signs
        self.pivots, self.estimates = pivots, estimates

    def to_dict(self) -> dict:
        from symcrit.spectra.hessian import json_multiplicity
        return {"component": self.name, "dim": json_multiplicity(self.dim), "copies": self.copies,
                "negative": self.signs.negative, "positive": self.signs.positive,
                "undecided": self.signs.undecided, "pivots": self.pivots,
                "estimates": [mpmath.nstr(e, 10) for e in self.estimates]}


class Inertia:
    """The Hessian's inertia at a critical point: ``negative``, ``zero`` (forced zeros), ``positive``
    (counts with multiplicity, exact ints), ``index`` (= negative, or None when undecided),
    ``radii`` (the box's half-width per coordinate, when the certificate gives them),
    ``evidence`` ('proven' when the point is certified and every sign is decided; 'undecided' when
    the point is certified but some signs are not -- the counts given are then proven, the index is
    None; 'estimated' when the point is not certified), ``undecided`` (count),
    ``reason``, ``components`` (one :class:`BlockInertia` each), ``radius`` (the box's radius),
    ``prec`` (bits), ``exact_point`` (evaluated at the exact teacher point), ``seconds``."""

    def __init__(self, cp: CriticalPoint, components: list[BlockInertia], evidence: str, reason: str | None,
                 radius: Any, prec: int, exact_point: bool, seconds: float) -> None:
        self.point = cp
        self.radii: list[Any] | None = None  # the box's half-width per coordinate, when per-coordinate
        self.components = components
        self.negative = sum(c.signs.negative * c.dim for c in components)
        self.positive = sum(c.signs.positive * c.dim for c in components)
        self.zero = sum(c.signs.zero * c.dim for c in components)
        self.undecided = sum(c.signs.undecided * c.dim for c in components)
        self.evidence = "undecided" if evidence == "proven" and self.undecided else evidence
        self.reason = reason or next((c.signs.reason for c in components if c.signs.reason), None)
        self.radius, self.prec, self.exact_point, self.seconds = radius, prec, exact_point, seconds

    @property
    def decided(self) -> bool:
        return self.undecided == 0

    @property
    def index(self) -> Optional[int]:
        return self.negative if self.decided else None

    @property
    def is_minimum(self) -> Optional[bool]:
        """True (proven positive definite), False (a proven negative direction), None (undecided)."""
        if self.negative > 0:
            return False
        return True if self.decided and self.zero == 0 else None

    def signs(self) -> SignCount:
        return SignCount(self.negative, self.zero, self.positive, self.undecided, self.evidence, self.reason)

    def to_dict(self) -> dict:
        from symcrit.spectra.hessian import json_multiplicity
        return {"negative": json_multiplicity(self.negative), "zero": json_multiplicity(self.zero),
                "positive": json_multiplicity(self.positive), "undecided": json_multiplicity(self.undecided),
                "index": None if self.index is None else json_multiplicity(self.index),
                "evidence": self.evidence, "reason": self.reason,
                "radius": None if self.radius is None else mpmath.nstr(self.radius, 3), "prec": self.prec,
                "exact_point": self.exact_point, "components": [c.to_dict() for c in self.components]}

    def __repr__(self):
        return (f"<Inertia {self.point.family.id} k={self.point.k}: index {self.index}, {self.negative} negative, "
                f"{self.zero} zero, {self.positive} positive, {self.undecided} undecided ({self.evidence})>")


# ---------------------------------------------------------------------------------------------
# ball linear algebra


def _ldl_pivots(M, n):
    """Pivots of the ball LDLᵀ factorisation (no pivoting) of the n×n symmetric arb_mat M, or the
    pivots computed until one contains 0 (then the list is shorter than n)."""
    A = [[M[i, j] for j in range(n)] for i in range(n)]
    piv = []
    for c in range(n):
        d = A[c][c]
        piv.append(d)
        if not (d > 0 or d < 0):
            return piv
        for r in range(c + 1, n):
            f = A[r][c] / d
            for s in range(c + 1, n):
                A[r][s] = A[r][s] - f * A[c][s]
    return piv


def ball_inertia(A, evidence: str = "proven", what: str = "eigenvalue"):
    """The inertia of every symmetric matrix in the ball matrix A (list of lists of arb): returns
    ``(SignCount, pivots, midpoint eigenvalues)``; pivots of a congruent LDLᵀ (see module doc)."""
    n = len(A)
    if n == 0:
        return count_signs([], evidence=evidence), [], []
    # symmetric part: encloses each member of the family, which is symmetric
    S = [[(A[i][j] + A[j][i]) / 2 for j in range(n)] for i in range(n)]
    if not all(e.is_finite() for row in S for e in row):
        signs = count_signs([arb(0, 1)] * n, evidence=evidence, what=what)
        signs.reason = ("the block is not enclosable over the box (a non-finite ball: raise the precision "
                        "or shrink the box)")
        return signs, [], []
    mid = mpmath.matrix([[_mid(S[i][j]) for j in range(n)] for i in range(n)])
    ev, Q = mpmath.eigsy(mid)
    conv = get_context("arb").convert
    Qa = arb_mat([[conv(Q[i, j]) for j in range(n)] for i in range(n)])
    Sa = arb_mat(S)
    M = Qa.transpose() * Sa * Qa
    QtQ = Qa.transpose() * Qa
    qp = _ldl_pivots(QtQ, n)
    if len(qp) < n or not all(p > 0 for p in qp):
        return (count_signs([arb(0, 1)] * n, evidence=evidence, what=what), [],
                [ev[i] for i in range(n)])
    piv = _ldl_pivots(M, n)
    # pivots after an undecided one are unknown: count them as undecided
    vals = piv + [arb(0, 1)] * (n - len(piv))
    return (count_signs(vals, evidence=evidence, what=what), [p.str(5) for p in piv],
            sorted(ev[i] for i in range(n)))


def _mid(b):
    from symcrit.core.laurent import ball_mid
    return ball_mid(b)


# ---------------------------------------------------------------------------------------------


class _ArbDual(AlignedDualOver):
    """Dual numbers over arb balls, with the first-order term of sqrt(S) at an exact double zero
    (aligned pairs of the exact teacher point)."""

    def __init__(self):
        super().__init__(get_context("arb"))


def _is_teacher(space, values):
    """True when the exact teacher point (n = k, W = I) has these coordinates' slots: diagonal
    1, everything else 0."""
    if space.extra:
        return False
    return [1 if kind == "d" else 0 for kind, _, _ in space.slots]


def _block_matrix(space, ctx, X, ka, W, keep, support, orb):
    """A = UᵀHU over the box: A[i][j] = Σ_t orb_t W_a[t] (H W_b)[t] for a, b in keep (arb)."""
    HW = []
    for b in keep:
        vals = [Dual(x, arb(c)) for x, c in zip(X, W[b])]
        g = space.entry_gradient_in(ctx, vals, Dual(ka, arb(0)), only=set(support))
        HW.append([Dual.lift(v).du for v in g])
    m = len(keep)
    A = [[None] * m for _ in range(m)]
    for i, a in enumerate(keep):
        for j in range(m):
            acc = arb(0)
            for t in support:
                if W[a][t]:
                    acc = acc + orb[t] * W[a][t] * HW[j][t]
            A[i][j] = acc
    return A


def _scaled(A, gram_diag):
    """S A S with S = diag(1/sqrt(|u_a|²)) (a congruence by a positive diagonal: same inertia)."""
    s = [1 / arb(g).sqrt() for g in gram_diag]
    n = len(A)
    return [[A[i][j] * s[i] * s[j] for j in range(n)] for i in range(n)]


def _arb_k(k):
    ke = exact_k(k)
    if isinstance(ke, int):
        return arb(ke)
    from flint import fmpq
    return arb(fmpq(int(ke.p), int(ke.q)))


def _arb_orb(o):
    if isinstance(o, int):
        return arb(o)
    from flint import fmpq
    return arb(fmpq(int(o.p), int(o.q)))


def _attempt(cp, radius, prec):
    coarse = cp.space
    k = cp.k
    ke = exact_k(k)
    conv = get_context("arb").convert
    teacher = _is_teacher(coarse, cp.values)
    comps = []
    with flint_ctx.workprec(prec):
        ka = _arb_k(k)
        exact_point = False
        # the Krawczyk box: one half-width per coordinate (exact binary numbers, see certify_point)
        radii = [arb(0)] * len(cp.values) if radius is None else \
            [conv(r) for r in (radius if isinstance(radius, (list, tuple)) else [radius] * len(cp.values))]
        if teacher and radius is not None:
            # the box holds exactly one critical point; W = I (F = 0 = min F) is critical: if the
            # box holds it, it is the point
            exact_point = all(abs(conv(v) - t) <= r for v, t, r in zip(cp.values, teacher, radii))
        if exact_point:
            Xc = [arb(t) for t in teacher]
        else:
            Xc = [arb(conv(v).mid(), r) for v, r in zip(cp.values, radii)]
        ctx = _ArbDual()
        # trivial component: the orbit indicators of the coarse space itself
        orb_c = [exact_at(o, ke) for o in coarse.orbit_sizes]
        live = [i for i in range(coarse.dim) if orb_c[i] > 0]
        W = [[1 if t == i else 0 for t in range(coarse.dim)] for i in live]
        A = _block_matrix(coarse, ctx, Xc, ka, W, list(range(len(live))), live, [_arb_orb(o) for o in orb_c])
        A = _scaled(A, [orb_c[i] for i in live])
        signs, piv, est = ball_inertia(A)
        comps.append(BlockInertia("trivial", 1, len(live), signs, piv, est))
        sizes_at_k = [exact_at(s, ke) for s in coarse.sizes]
        for name, dim, labels, vecs in component_types(coarse, sizes_at_k):
            key = tuple(sorted((I, tuple(l)) for I, l in labels.items()))
            fine = fine_space(tuple(coarse.sizes), key, coarse.extra)
            basis = CopyBasis(fine, k, vecs)
            Xf = fine.point(Xc)
            A = _block_matrix(fine.space, ctx, Xf, ka, basis.W, basis.keep, basis.support,
                              [_arb_orb(o) for o in basis.orb_exact])
            A = _scaled(A, [basis.gram[a][a] for a in basis.keep])
            signs, piv, est = ball_inertia(A)
            comps.append(BlockInertia(name, exact_at(dim, ke), len(basis.keep), signs, piv, est))
    # no copy lost: Σ dim × copies = n·d, exactly
    check_multiplicities(coarse, k, [Component(c.name, _dim_poly(coarse, c.name), c.dim, c.copies, [])
                                     for c in comps])
    return comps, exact_point


def _dim_poly(coarse, name):
    import sympy
    if name == "trivial":
        return sympy.Integer(1)
    sizes_at_k = [10 ** 6] * len(coarse.sizes)
    return next(d for n, d, _, _ in component_types(coarse, sizes_at_k) if n == name)


def prove_inertia(cp: CriticalPoint, prec: Optional[int] = None, attempts: int = 3) -> Inertia:
    """The Hessian's inertia at the critical point ``cp``, proven in ball arithmetic over its
    Krawczyk box (``cp`` is certified first if it is not yet).  Integer k only.

    Each undecided attempt doubles the precision and re-certifies with a box 10^5·k times smaller
    (10^5 for k < 10; as long as Krawczyk still passes); after ``attempts`` the result is 'undecided' with the
    reason.  If the point cannot be certified, the blocks are evaluated at the point itself
    (radius 0) and the evidence is 'estimated' (the point is only numerically critical)."""
    t0 = time.perf_counter()
    if not cp.is_integer_k:
        raise ValueError(f"k = {cp.k} is not an integer: the inertia counts multiplicities, which are integers "
                         "only at integer k")
    if cp.certified is None:
        cp.certify()
    prec = prec or int(cp.work_dps * 3.33) + 32
    evidence = "proven" if cp.certified else "estimated"
    radius = _box(cp) if cp.certified else None
    reason = None if cp.certified else f"the point is not certified ({cp.certificate.reason if cp.certificate else ''})"
    comps, exact_point = _attempt(cp, radius, prec)
    tries = 1
    while tries < attempts and any(not c.signs.decided for c in comps):
        tries += 1
        prec *= 2
        if radius is not None and not exact_point:
            from symcrit.critical.certify import certify_point
            cert = cp.certificate
            rho = cert.rho if cert.rho is not None else cert.radius
            # the blocks' enclosures widen like ρ·k (entries of the Hessian's derivative grow with k)
            L = int(mpmath.floor(mpmath.log10(cp.k_mpf))) if cp.k_mpf >= 10 else 0
            smaller = rho / mpmath.mpf(10) ** (5 + L)
            if smaller > mpmath.mpf(10) ** (-(cp.work_dps - 5)):
                certify_point(cp, smaller, scale=cert.scale)
                if not cp.certified:  # keep the proven larger box
                    certify_point(cp, rho, scale=cert.scale)
                radius = _box(cp)
        comps, exact_point = _attempt(cp, radius, prec)
    inr = Inertia(cp, comps, evidence, reason, max(radius) if isinstance(radius, list) else radius, prec,
                  exact_point, time.perf_counter() - t0)
    inr.radii = radius if isinstance(radius, list) else None  # the box's half-width per coordinate
    return inr


def _box(cp):
    """Where the critical point is known to lie: the proven enclosure of the zero (bounds of
    |x* - y_i| from the iterated Krawczyk images, :func:`symcrit.critical.certify.tighten`: the
    Hessian enclosed there encloses it at x*), else the Krawczyk box's half-widths, one per
    coordinate (or the one radius of an older certificate)."""
    enc = getattr(cp, "enclosure_radii", None)
    radii = getattr(cp, "radii", None)
    if radii is not None and cp.radius is not None and max(radii) == cp.radius:  # the certificate as computed
        return list(enc) if enc is not None and cp.certified else list(radii)
    return cp.radius  # one half-width for every coordinate (an older certificate, or set by hand)


def evidence_record(cp: CriticalPoint, prove: bool = True) -> dict[str, Any]:
    """The evidence of a critical point for a `solve --certify` record:
    ``{"evidence": {"critical": ..., "index": ..., "minimum": ...}, "index": int or None}``.

    ``critical``: 'proven' when the Krawczyk test passed, else 'estimated' (a Newton residual).
    ``index``: the evidence of the Hessian index ('proven' from :func:`prove_inertia` when every
    block's sign is decided; 'estimated' from float64 eigenvalues otherwise); ``minimum``: the
    same for the statement 'a local minimum' (index 0 with no zero eigenvalue) or None when the
    point is a saddle."""
    if cp.certified is None:
        cp.certify()
    crit = "proven" if cp.certified else "estimated"
    out: dict[str, Any] = {"evidence": {"critical": crit}, "index": None}
    if prove and cp.is_integer_k:
        inr = prove_inertia(cp)
        if inr.decided:
            out["index"] = inr.index
            out["evidence"]["index"] = inr.evidence
            out["evidence"]["minimum"] = inr.evidence if inr.is_minimum else None
            out["inertia"] = {"negative": inr.to_dict()["negative"], "zero": inr.to_dict()["zero"],
                              "positive": inr.to_dict()["positive"]}
            return out
        out["evidence"]["index_undecided"] = inr.reason
    if cp.negative_count is not None:
        out["index"] = cp.negative_count
        out["evidence"]["index"] = "estimated"
        out["evidence"]["minimum"] = "estimated" if cp.negative_count == 0 else None
    return out
