r"""The row transform of the series certificate, exactly, and the proof of its structural hypothesis.

The series certificate (:mod:`symcrit.asymptotics.engine`) solves G(x∞ + s^m y, k = s^-2) = 0 for
power series y(s), with a row transform T(s) (rows scaled by s^(-valuation), combined by left
null vectors of the s^0 part of the rescaled Jacobian and divided by a power of s while that part
is singular) such that H(s, y) = T(s)·G(x∞ + s^m y, s^-2) has an invertible s^0 Jacobian.  The
implicit function theorem then gives an analytic branch y(s) -- provided H has no negative powers
of s *identically in y* near the branch (the *structural hypothesis*).  Checked on balls, the
negative-power coefficients of T·G are only small (their y-derivatives on a Krawczyk box are balls
of the box's width: ball arithmetic cannot cancel G_c − G_a exactly).

Here the hypothesis is proven.  G is evaluated on Laurent series over Q(P, y)
(:mod:`symcrit.core.mratfun`): π ↦ P and the rescaled parameters y_i left *symbolic* (constants in
s), every branch decision (sign, square root, valuation) taken on a box Y around the leading
coefficients y(0), so the coefficients computed are the expansion of G for every y in Y, as
rational functions of (π, y).  Then, exactly:

1. the Jacobian ∂G/∂y is the y-derivative of these coefficients; row i's valuation v_i is the
   first power of s at which ∂G_i/∂y is not the zero rational function;
2. while the s^0 part M0(y) of the Jacobian of T·G is singular (as a matrix over Q(P, y)), its
   left null vector v is computed over Q(P, y) by exact elimination; it must not depend on y
   (else the transform would; :class:`~symcrit.core.rings.NotExact`), so v ∈ Q(P)^n; the row
   with the largest |v_j| at π is replaced by Σ v_j (row j), divided by s^t, t ≥ 1 the valuation
   of its y-derivative;
3. **the hypothesis**: every coefficient of T·G below s^0 is the zero rational function in
   Q(P, y).  Being zero for every y in Y (and at P = π), those coefficients vanish identically
   near the branch, and T·G is analytic in (s, y) on a neighbourhood of {0} × Y.

From coefficients to functions.  Every operation of the compiled gradient is done on a series
whose leading coefficient was decided on Y (nonzero, with a sign): a square root of s^(2v)·u with
u(0, y) > 0, an inverse of s^v·u with u(0, y) ≠ 0, an atan2 whose dominant argument has a sign, an
abs with a sign.  For every y in Y these are the operations on the convergent expansions of the
functions themselves (s > 0), with coefficients that are rational functions of y (and π) without
poles on Y.  So T·G(x∞ + s^m y, s^-2) = Σ_(j<0) h_j(y) s^j + A(s, y) with A analytic near {0} × Y
and h_j the computed coefficients; h_j = 0 in Q(P, y) means H.

Why the s^0 Jacobian is singular (sk1, sk1b, s2).  A student neuron w sees the residual
r(x) = Σ_i relu(w_i·x) − Σ_j relu(v_j·x) through ∂F/∂w = E[r(x) 1{w·x > 0} x].  If r has a
*linear* part ℓ·x, that part contributes E[(ℓ·x) 1{w·x > 0} x] = ℓ/2 to *every* neuron's gradient,
whatever w is (x ↦ −x flips the indicator and keeps (ℓ·x)x).  In these families one student is
flipped (w ≈ −e_1 against the teacher e_1; two for s2; k − 1 for sk1b), relu(x_1) − relu(−x_1) =
x_1 is linear, and the k − 1 other students compensate it collectively through O(s²) weights on
x_1 (k·s² = 1).  At s^0 the gradient entries of coordinate 1 of all neurons are therefore the same
function of y -- computed here: sk1: G_a = G_c = (y_c − 2)/4 (W_11 and W_i1), so y_c(0) = 2 and
G_a − G_c is a left null vector; s2: G_α = G_β = G_δ = (y_δ − 2)/4 (W_11, W_12, W_i1): two null
vectors α − β, β − δ; sk1b (neurons 2 … k flipped, compensated through W_ij = e):
G_b = G_e = (y_e − 2)/4 (W_1j and W_ij), null vector b − e, and in addition
G_a = (y_e² − 2 y_d)/(4π), G_d = (y_e − 2)/4 − (y_e² − 2 y_d)/(4π): the term the aligned neuron sees
along its own coordinate, each flipped neuron sees with the opposite sign along its own, so
a − b + d is a second null vector.  These cancellations are identities in y (the cancelled terms
are the collective, neuron-independent part of r), so the combinations vanish identically at s^0
and s^1, and divided by s² they carry the next order's information.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Sequence

from flint import arb, fmpz_poly

from symcrit.core.errors import NotConverged, PrecisionError
from symcrit.core.laurent import LSeries, SeriesContext, series_precision
from symcrit.core.linalg import exact_left_null_vector
from symcrit.core.mratfun import MRatFun, MRatRing, NeedRoot
from symcrit.core.ratfun import RatFun
from symcrit.core.rings import NotExact

__all__ = ["StructureProof", "prove_structure", "apply_transform", "build_row_transform"]


class StructureProof:
    """Result of :func:`prove_structure`.

    ``field``: the coefficient field of the computation (Q(π, y), or with √c adjoined);
    ``transform``: the row transform, a list (one per equation) of dicts column → (c, p) meaning
    row i of T·G = Σ_j c_ij s^(p_ij) G_j, with c_ij in Q(π) (:class:`~symcrit.core.ratfun.RatFun`,
    P = π); ``proven``: every coefficient of T·G below s^0 is the zero element of Q(P, y) and the
    s^0 Jacobian is invertible over Q(P, y); ``negative_coefficients``: per row i, the number n_i
    of powers s^-n_i … s^-1 whose coefficients were proven zero (n_i = −(the lowest power the row
    can have: min_j p_ij + valuation of G_j)); ``valuations``: the rows' Jacobian
    valuations; ``null_vectors``: the combinations used (strings); ``box``: the box Y of y(0) on
    which the branch decisions were taken; ``reason``: why not proven (None when proven)."""

    def __init__(self, transform: list | None, proven: bool, negative_coefficients: dict | None,
                 valuations: dict | None, null_vectors: list, box: list, length: int, seconds: float,
                 reason: str | None = None, field: str | None = None) -> None:
        self.field = field
        self.transform = transform
        self.proven = proven
        self.negative_coefficients = negative_coefficients
        self.valuations = valuations
        self.null_vectors = null_vectors
        self.box = box
        self.length = length
        self.seconds = seconds
        self.reason = reason

    def to_dict(self) -> dict[str, Any]:
        return {"proven": self.proven, "field": self.field, "negative_coefficients_zero": self.negative_coefficients,
                "valuations": self.valuations, "null_vectors": self.null_vectors, "series_length": self.length,
                "seconds": self.seconds, "reason": self.reason}


def _to_ratfun(c: MRatFun) -> RatFun:
    """An element of Q(P) ⊂ Q(P, √…, y) (no y, no root occurs) as a univariate RatFun."""
    def uni(p):
        cs: dict[int, int] = {}
        for exps, a in p.terms():
            if any(exps[1:]):
                raise NotExact("the row transform is not in Q(π)")
            cs[exps[0]] = int(a)
        top = max(cs, default=-1)
        return fmpz_poly([cs.get(i, 0) for i in range(top + 1)])
    return RatFun(uni(c.n), uni(c.d))


def apply_transform(T: Sequence[dict], rows: Sequence[Any], convert: Callable[[Any], Any] = lambda c: c) -> list:
    """T·rows for a row transform T (dicts column → (c, p): row i of T·rows = Σ_j c_ij s^(p_ij) rows_j,
    summed in the order of T's dict); ``rows[j]`` an LSeries (T·G, a vector) or a list of LSeries
    (T·M, a matrix row); ``convert`` maps c into the ring in force (the one place a row transform
    is applied: the structure proof, the series engine's certificate, the exact row transform)."""
    s = LSeries.var()
    out = []
    for Ti in T:
        acc = None
        for j, (c, p) in Ti.items():
            f = convert(c)   # a scalar where the ring's elements are (arb, fmpq): no series product
            if isinstance(rows[j], list):
                term = [e * (s ** p) * f for e in rows[j]]
                acc = term if acc is None else [a + b for a, b in zip(acc, term)]
            else:
                term = rows[j] * (s ** p) * f
                acc = term if acc is None else acc + term
        out.append(acc)
    return out


def build_row_transform(valuations: Sequence[int], block: Callable[[list], list], combined_valuation: Callable[[dict], Any],
                        magnitude: Callable[[Any], Any], zero: Any, one: Any, max_steps: int = 12,
                        error: type[Exception] = NotExact,
                        check: Callable[[list], None] | None = None) -> tuple[list[dict], list[tuple[int, dict]]]:
    """The exact row transform T of the series certificate: the one construction, over any exact
    ring (Q(P, y) for the structure proof, the forms' field Q(P) or Q(√d)(P) for
    :func:`symcrit.asymptotics.exact.exact_row_transform`).

    Row i starts as s^(-valuations[i]) (row i); then, while the s^0 block ``block(T)`` (a square
    matrix over the ring) is singular, its exact left null vector v (:func:`exact_left_null_vector`;
    ``check(v)`` may refuse it) is normalised at its entry of largest ``magnitude`` (at π), whose
    row it replaces by Σ_j v_j (row j of T), divided by s^t, t = ``combined_valuation(comb)`` >= 1
    (the combination as {column: (c, p)}).  Returns (T, steps): T as rows {column: (c, p)} (row i
    of T·G = Σ_j c_ij s^(p_ij) G_j), steps the (row replaced, new row) of each combination.
    Failures raise ``error``."""
    n = len(valuations)
    T: list[dict] = [{i: (one, -valuations[i])} for i in range(n)]
    steps: list[tuple[int, dict]] = []
    for _ in range(max_steps):
        null = exact_left_null_vector(block(T), zero, one)
        if null is None:
            return T, steps
        if check is not None:
            check(null)
        big = max(range(n), key=lambda j: magnitude(null[j]))
        v = [c / null[big] for c in null]
        comb: dict[int, tuple] = {}
        for j in range(n):
            if v[j].is_zero():
                continue
            for col, (c, p) in T[j].items():
                old = comb.get(col)
                if old is not None and old[1] != p:
                    raise error("a row combination with mixed powers of s")
                comb[col] = ((old[0] if old else zero) + v[j] * c, p)
        comb = {c: e for c, e in comb.items() if not e[0].is_zero()}
        t = combined_valuation(comb)
        if t is None or t < 1:
            raise error("a null-vector combination does not cancel the s^0 Jacobian")
        T[big] = {col: (c, p - t) for col, (c, p) in comb.items()}
        steps.append((big, T[big]))
    raise error("the s^0 Jacobian stays singular")


def _jac_valuation(row: LSeries, yidx: Sequence[int]) -> int:
    """The first power of s whose coefficient depends on y (∂/∂y not the zero rational function)."""
    for p in range(row.v, row.prec):
        c = row.coeff(p)
        if any(not c.diff(j).is_zero() for j in yidx):
            return p
    raise PrecisionError(f"the row does not depend on y to O(s^{row.prec})")


def prove_structure(space: Any, m: Sequence[int | None], free: Sequence[int], lim: Sequence[Any],
                    box: Sequence[Any], prec: int = 256, length: int = 8, max_steps: int = 12) -> StructureProof:
    """The exact row transform of the series certificate and the proof of the structural hypothesis.

    ``space``: the fixed-point space (its compiled entry gradient); ``m``: leading powers (None: the
    parameter is fixed at its limit); ``free``: the indices of the free parameters; ``lim``: the
    limit W∞ as exact numbers; ``box``: one ball per free parameter, a box Y containing y(0) (the
    branch decisions are taken on it: a caller must check that the certified y(0) lies in it).
    See the module docstring.  Never raises on a failure of the method: ``proven`` is False with
    the ``reason``."""
    t0 = time.perf_counter()
    names = [str(space.params[i]) for i in free]
    nv = len(free)
    out_box = [arb(b) for b in box]
    roots: list[int] = []

    def fail(reason, T=None, val=None, nulls=None):
        return StructureProof(T, False, None, val, nulls or [], out_box, length, round(time.perf_counter() - t0, 3),
                              reason)

    tries = [length, length + 4, length + 8, length + 16]
    while tries:
        L = tries[0]
        R = MRatRing([f"y_{nm}" for nm in names], box, roots)
        try:
            with series_precision(prec, L, ring=R):
                return _prove(space, m, free, lim, R, names, nv, max_steps, out_box, L, t0)
        except NeedRoot as exc:  # adjoin √c and start again
            if exc.radicand in roots or len(roots) >= 4:
                return fail(f"{exc}")
            roots.append(exc.radicand)
            continue
        except PrecisionError as exc:
            last = f"{exc}"
            if "to O(s^" not in last and "known to" not in last and "not known" not in last:
                return fail(last)
            tries.pop(0)
        except (NotExact, NotConverged, ZeroDivisionError) as exc:
            return fail(f"{type(exc).__name__}: {exc}")
    return fail(f"the series were too short at every length tried ({last})")


def branch_ansatz(lim: Sequence[Any], m: Sequence[int | None], y: Sequence[LSeries]) -> tuple[LSeries, list[LSeries], LSeries]:
    """The ansatz of a branch with a limit, in the series ring in force: (s, x, k) with
    x_i = lim_i + s^(m_i)·y_t (t counting the parameters with m_i not None; x_i = lim_i where m_i is
    None) and k = s⁻².  ``lim``: constants of the ring; ``y``: one series per moving parameter."""
    s = LSeries.var()
    x: list[LSeries] = []
    t = 0
    for li, mi in zip(lim, m):
        if mi is None:
            x.append(LSeries.const(li))
        else:
            x.append(LSeries.const(li) + (s ** mi) * y[t])
            t += 1
    return s, x, s ** -2


def _prove(space, m, free, lim, R, names, nv, max_steps, box, L, t0):
    n = space.dim
    moving = sum(1 for i in range(n) if m[i] is not None)
    s, x, k = branch_ansatz([R.convert(lim[i]) for i in range(n)], m[:n],
                            [LSeries.const(R.gen(t)) for t in range(moving)])
    grad = space.compiled["grad"](SeriesContext(), *x, k)
    rows = [grad[i] for i in free]
    val = [_jac_valuation(r, R.y_indices()) for r in rows]

    def block(T):
        TR = apply_transform(T, rows)
        return [[TR[i].coeff(0).diff(R.y_index(j)) for j in range(nv)] for i in range(nv)]

    def check(v):
        if any(not c.is_constant_in(R.y_indices()) for c in v):
            raise NotExact("a left null vector of the s^0 Jacobian depends on y: a constant row transform "
                           "cannot remove the singularity")

    T, steps = build_row_transform(
        val, block, lambda comb: _jac_valuation(apply_transform([comb], rows)[0], R.y_indices()),
        lambda c: abs(_to_ratfun(c).at_pi(64)) if not c.is_zero() else -1, R.convert(0), R.convert(1),
        max_steps=max_steps, check=check)
    nulls = [" + ".join(f"({_to_ratfun(c)})·G_{names[col]}·s^{p}" for col, (c, p) in sorted(row.items()))
             for _, row in steps]
    TR = apply_transform(T, rows)
    negs = []
    for i, r in enumerate(TR):
        if r.prec <= 0:
            raise PrecisionError(f"row {names[i]} of T·G known to O(s^{r.prec}) only")
        # the lowest power the row can have: every coefficient from there to s^-1 is checked
        low = min(r.v, min(p + rows[j].v for j, (_, p) in T[i].items()))
        for p in range(low, 0):
            if not r.coeff(p).is_zero():
                return StructureProof(_exact(T), False, None, val, nulls, box, L, round(time.perf_counter() - t0, 3),
                                      f"row {names[i]} of T·G has a nonzero coefficient of s^{p}: "
                                      f"{str(r.coeff(p))[:200]}")
        negs.append(max(0, -low))
    return StructureProof(_exact(T), True, dict(zip(names, negs)), dict(zip(names, val)), nulls, box, L,
                          round(time.perf_counter() - t0, 3), field=_field(R))


def _field(R: MRatRing) -> str:
    return "Q(π, " + "".join(f"√{c}, " for c in R.roots) + "y)"


def _exact(T):
    return [{col: (_to_ratfun(c), p) for col, (c, p) in Ti.items()} for Ti in T]
