"""Counting symmetry-induced affine subspaces in wider networks (Şimşek et al. 2021, seed 004).

A two-layer network of width m computes f(x) = Σ_{i=1}^m a_i σ(w_i·x).  The target needs width
r* (its incoming vectors are distinct and its output weights non-zero) and m = r* + h.  The
definitions below are the ones symcrit counts; ``docs/counting.md`` has the derivation.

* **T(r*, m)** — the affine subspaces of zero-loss parameters made from the r*! permutations of
  the target by *duplication* (several neurons carry the incoming vector of one target neuron,
  their output weights sum to its output weight) and *zero-type neurons* (output weight 0,
  incoming vector free).  A subspace is a pair (Z, φ): the zero-type neurons Z ⊆ [m] and a
  surjection φ: [m] \\ Z → [r*].  Adding a phantom element to Z turns the pairs into the
  partitions of [m + 1] into r* + 1 blocks with r* of them labelled:

      T(r*, m) = Σ_{s=0}^{h} C(m, s) · r*! · S(m − s, r*) = r*! · S(m + 1, r* + 1).

* **G(r, m)**, r < r* — the affine subspaces of symmetry-induced critical points made from one
  critical point of width r (distinct incoming vectors, non-zero output weights, its r!
  permutations) in the same way, except that at a critical point that is not a global minimum a
  zero-type neuron cannot keep a free incoming vector (∂F/∂a = E[residual · σ(w·x)] ≠ 0 for
  generic w): spare neurons are duplicates or *inactive* (w = 0, a = 0, critical because
  σ(0) = 0, as for ReLU).  The same bijection gives

      G(r, m) = Σ_{s=0}^{m−r} C(m, s) · r! · S(m − s, r) = r! · S(m + 1, r + 1).

S is the Stirling number of the second kind.  Every value is an exact integer; a whole row
S(n, 0..J) comes from one polynomial product (the exponential generating functions
Σ i^n x^i / i! and e^{−x}), so ``count`` is fast for m in the thousands.

>>> T(2, 2), T(2, 3), G(1, 3)
(2, 12, 7)
>>> count(3, 5)["G"]
{1: 31, 2: 180}
>>> crossover(3)
2
"""
from __future__ import annotations

from symcrit.core.errors import BadInput
import itertools
import math

import numpy as np
from flint import fmpz, fmpz_poly

__all__ = ["stirling2_row", "T", "G", "count", "crossover", "T_sum", "G_sum", "T_cancelling",
           "subspaces", "inclusion_matrix", "brute_force"]


def _check(name, value, lo):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < lo:
        raise BadInput(f"{name} must be an integer >= {lo} (got {value!r})")
    return int(value)


def stirling2_row(n, jmax):
    """[S(n, 0), S(n, 1), ..., S(n, jmax)] exactly, by one product of integer polynomials.

    S(n, j) = Σ_i (i^n / i!) · ((−1)^{j−i} / (j − i)!); with both factors scaled by jmax! the
    product has integer coefficients jmax!² · S(n, j).

    >>> stirling2_row(5, 5)
    [0, 1, 15, 25, 10, 1]
    """
    n = _check("n", n, 0)
    jmax = _check("jmax", jmax, 0)
    R = math.factorial(jmax)
    fact = [1]
    for i in range(1, jmax + 1):
        fact.append(fact[-1] * i)
    a = fmpz_poly([fmpz(i) ** n * (R // fact[i]) for i in range(jmax + 1)])
    b = fmpz_poly([(-1) ** l * (R // fact[l]) for l in range(jmax + 1)])
    c = a * b
    R2 = R * R
    out = []
    for j in range(jmax + 1):
        q, r = divmod(int(c[j]), R2)
        if r:
            raise ArithmeticError("inexact Stirling row (internal error)")
        out.append(q)
    return out


def _labelled(row, r):
    return math.factorial(r) * row[r + 1]


def T(rstar, m):
    """T(r*, m) = r*! S(m + 1, r* + 1): affine subspaces of the global-minimum manifold."""
    rstar = _check("rstar", rstar, 1)
    m = _check("m", m, rstar)
    return _labelled(stirling2_row(m + 1, rstar + 1), rstar)


def G(r, m):
    """G(r, m) = r! S(m + 1, r + 1): symmetry-induced critical subspaces from one width-r critical point."""
    r = _check("r", r, 1)
    m = _check("m", m, r)
    return _labelled(stirling2_row(m + 1, r + 1), r)


def _sum_form(r, m):
    """Σ_{s=0}^{m−r} C(m, s) · r! · S(m − s, r): the sum over the number s of spare neurons."""
    return sum(math.comb(m, s) * math.factorial(r) * int(fmpz.stirling_s2(m - s, r)) for s in range(0, m - r + 1))


def T_sum(rstar, m):
    """T as the sum over the number s of zero-type neurons (the derivation's first line)."""
    return _sum_form(rstar, m)


def G_sum(r, m):
    """G as the sum over the number s of inactive neurons."""
    return _sum_form(r, m)


def T_cancelling(rstar, m):
    """Zero-loss affine subspaces when spare neurons may also form *cancelling groups* (two or more
    neurons sharing a free incoming vector, output weights summing to 0): a partition of [m] with
    r* of its blocks labelled by the target neurons,

        T~(r*, m) = Σ_s C(m, s) B_s r*! S(m − s, r*) = Σ_j S(m, j) j! / (j − r*)!

    (B_s: Bell numbers).  T counts the singleton blocks only; T~ ≥ T with equality for h ≤ 1.

    >>> [T_cancelling(2, m) - T(2, m) for m in (2, 3, 4, 5)]
    [0, 0, 12, 140]
    """
    rstar = _check("rstar", rstar, 1)
    m = _check("m", m, rstar)
    row = stirling2_row(m, m)
    return sum(row[j] * (math.factorial(j) // math.factorial(j - rstar)) for j in range(rstar, m + 1))


def count(rstar, m):
    """``{rstar, m, h, T, G: {r: G(r, m)}, G_total}`` for r = 1 .. r* − 1, from one Stirling row."""
    rstar = _check("rstar", rstar, 1)
    m = _check("m", m, rstar)
    row = stirling2_row(m + 1, rstar + 1)
    g = {r: _labelled(row, r) for r in range(1, rstar)}
    return {"rstar": rstar, "m": m, "h": m - rstar, "T": _labelled(row, rstar), "G": g,
            "G_total": sum(g.values())}


def crossover(rstar, hmax=None):
    """The smallest h at which T(r*, r* + h) exceeds Σ_{r<r*} G(r, r* + h) (None if not by hmax)."""
    rstar = _check("rstar", rstar, 2)
    hmax = 10 * rstar + 10 if hmax is None else hmax
    for h in range(hmax + 1):
        c = count(rstar, rstar + h)
        if c["T"] > c["G_total"]:
            return h
    return None


# -- brute force: the subspaces themselves -----------------------------------------------------
def _targets(r, d, seed):
    """Integer incoming vectors (distinct, non-zero) and non-zero integer output weights."""
    rng = np.random.default_rng(seed)
    while True:
        Wt = rng.integers(-5, 6, size=(r, d))
        if all(Wt[i].any() for i in range(r)) and len({tuple(w) for w in Wt}) == r:
            break
    at = rng.integers(1, 6, size=r) * rng.choice([-1, 1], size=r)
    return Wt, at


def subspaces(kind, r, m, d=2, seed=0):
    """Every labelled configuration of ``kind`` ('T' or 'G') as an affine subspace of R^{m(d+1)}.

    Coordinates: W (m × d, row-major) then a (m).  Each configuration is a map λ: [m] → {0..r},
    onto {1..r}; λ(i) = j > 0 makes neuron i a duplicate of neuron j of the narrow network; λ(i) = 0
    makes it zero-type (T: a_i = 0, w_i free) or inactive (G: w_i = 0, a_i = 0).  Returns a list of
    (λ, point, directions) with integer point and direction matrix (columns).
    """
    if kind not in ("T", "G", "T~"):
        raise BadInput("kind is 'T', 'G' or 'T~'")
    Wt, at = _targets(r, d, seed)
    N = m * (d + 1)
    out = []
    for lam in itertools.product(range(r + 1), repeat=m):
        if set(range(1, r + 1)) - set(lam):
            continue
        p = np.zeros(N, dtype=np.int64)
        dirs = []
        for j in range(1, r + 1):
            grp = [i for i in range(m) if lam[i] == j]
            for i in grp:
                p[i * d:(i + 1) * d] = Wt[j - 1]
            p[m * d + grp[0]] = at[j - 1]          # output weights: a_j on the first, differences free
            for i in grp[1:]:
                v = np.zeros(N, dtype=np.int64)
                v[m * d + grp[0]], v[m * d + i] = -1, 1
                dirs.append(v)
        if kind == "T":
            for i in (i for i in range(m) if lam[i] == 0):
                for c in range(d):
                    v = np.zeros(N, dtype=np.int64)
                    v[i * d + c] = 1
                    dirs.append(v)
        if kind == "T~":
            zero = [i for i in range(m) if lam[i] == 0]
            for part in _set_partitions(zero):
                dz = list(dirs)
                for blk in part:
                    for c in range(d):                    # the block's shared incoming vector
                        v = np.zeros(N, dtype=np.int64)
                        v[[i * d + c for i in blk]] = 1
                        dz.append(v)
                    for i in blk[1:]:                      # output weights summing to 0
                        v = np.zeros(N, dtype=np.int64)
                        v[m * d + blk[0]], v[m * d + i] = -1, 1
                        dz.append(v)
                D = np.array(dz, dtype=np.int64).T if dz else np.zeros((N, 0), dtype=np.int64)
                out.append((lam, p, D))
            continue
        D = np.array(dirs, dtype=np.int64).T if dirs else np.zeros((N, 0), dtype=np.int64)
        out.append((lam, p, D))
    return out


def _set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _set_partitions(rest):
        yield [[first]] + part
        for i in range(len(part)):
            yield part[:i] + [[first] + part[i]] + part[i + 1:]


def _rank(M):
    return 0 if M.size == 0 else int(np.linalg.matrix_rank(M.astype(float)))


def inclusion_matrix(subs):
    """inc[a, b] = True when subspace a lies in subspace b (exact integer data; ranks in float64
    are exact for these small 0/±1/±5 matrices)."""
    n = len(subs)
    inc = np.zeros((n, n), dtype=bool)
    ranks = [_rank(D) for _, _, D in subs]
    for b, (_, pb, Db) in enumerate(subs):
        for a, (_, pa, Da) in enumerate(subs):
            M = np.column_stack([Db, pa - pb, Da]) if Da.size else np.column_stack([Db, pa - pb])
            inc[a, b] = _rank(M) == ranks[b]
    return inc


def brute_force(kind, r, m, d=2, seed=0):
    """Enumerate the subspaces of ``kind`` and count those that are distinct and maximal (no one
    contained in another); returns ``(count, all_distinct_and_maximal)``."""
    subs = subspaces(kind, r, m, d, seed)
    inc = inclusion_matrix(subs)
    np.fill_diagonal(inc, False)
    return len(subs), not inc.any()
