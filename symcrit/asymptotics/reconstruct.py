r"""Rational functions of one variable from their values at points of prime fields.

* :func:`rational_interpolate_mod`: from the values at N points of Z/p, the rational function
  n/d (d monic, gcd 1) of least total degree D through all of them (Cauchy interpolation by the
  extended Euclidean algorithm on (∏(P - P_j), interpolating polynomial)).  A function of total
  degree D is determined by D + 1 values; it is accepted only when it also passes through at
  least ``extra`` further points (early termination: a remainder-degree drop > ``extra``).
* :func:`rational_reconstruct_int`: a/b from a residue modulo m (|a|, |b| ≤ √(m/2)).
* :func:`lift`: the numerator and denominator coefficients over Q from their residues at several
  primes (Chinese remaindering, one common denominator found by rational reconstruction), checked
  modulo a prime that was not used.
* :func:`reconstruct_rational_function`: all of it, for one vector of residues at columns
  (p_c, P_c).

>>> import numpy as np
>>> p = 1000003
>>> xs = [5, 17, 99, 1234, 777, 31337, 4242, 90001, 12, 8]
>>> f = lambda x: (3 * x * x + 1) * pow(x - 2, -1, p) % p      # (3P² + 1)/(P - 2)
>>> rational_interpolate_mod(xs, [f(x) for x in xs], p, extra=4)
([1, 0, 3], [1000001, 1])
"""
from __future__ import annotations

import math

import numpy as np
import sympy
from flint import nmod_poly

__all__ = ["rational_interpolate_mod", "rational_reconstruct_int", "lift", "reconstruct_rational_function", "reconstruct_batch",
           "interpolation_basis", "crt_pair"]


def interpolation_basis(xs, p):
    """(M, B): M = ∏(P - x_j) (nmod_poly) and the N × N matrix B (int64, residues) whose row j holds
    the monomial coefficients of the Lagrange basis polynomial of x_j; values @ B = coefficients.
    (The quotients M/(P - x_j) by synthetic division, vectorised over j; p < 2^31.)"""
    N = len(xs)
    M = nmod_poly([1], p)
    for x in xs:
        M = M * nmod_poly([(-x) % p, 1], p)
    m = [int(c) for c in M.coeffs()]  # ascending, monic of degree N
    x = np.array(xs, dtype=np.int64) % p
    Q = np.zeros((N, N), dtype=np.int64)  # Q[j, k]: coefficient of P^k in M/(P - x_j)
    q = np.ones(N, dtype=np.int64)
    Q[:, N - 1] = q
    for k in range(N - 1, 0, -1):
        q = (m[k] + x * q) % p
        Q[:, k - 1] = q
    # M'(x_j) = (M/(P - x_j))(x_j), by Horner
    w = np.zeros(N, dtype=np.int64)
    for k in range(N - 1, -1, -1):
        w = (w * x + Q[:, k]) % p
    winv = np.array([pow(int(a), -1, p) for a in w], dtype=np.int64)
    B = Q * winv[:, None] % p
    return M, B


def _matmul_mod(A, B, p):
    """A @ B mod p for int64 residue matrices (entries < 2^26): exact via 13-bit splitting in float64."""
    lo_mask = (1 << 13) - 1
    A0, A1 = (A & lo_mask).astype(np.float64), (A >> 13).astype(np.float64)
    out = np.zeros((A.shape[0], B.shape[1]), dtype=np.int64)
    Bf = B.astype(np.float64)
    # A = A0 + 2^13 A1; each partial product sums N terms < 2^13 · 2^26: exact below 2^53 for N < 2^14
    for part, shift in ((A0, 0), (A1, 13)):
        prod = (part @ Bf)
        prod = np.fmod(prod, p).astype(np.int64)
        out = (out + (prod << shift) % p) % p
    return out


def rational_interpolate_mod(xs, ys, p, extra=6, M=None, coeffs=None):
    """n/d through the points (xs[j], ys[j]) of Z/p with d monic, of least total degree, confirmed
    by ``extra`` further points; (n coefficients, d coefficients) ascending, or None (more points
    needed).  ``M``, ``coeffs``: the node polynomial and the interpolating polynomial's
    coefficients, if already known."""
    N = len(xs)
    if M is None:
        M = nmod_poly([1], p)
        for x in xs:
            M = M * nmod_poly([(-x) % p, 1], p)
    if coeffs is None:
        _, B = interpolation_basis(xs, p)
        coeffs = [int(c) for c in (np.array(ys, dtype=np.int64) @ B) % p] if N < 4096 else None
    I = nmod_poly([int(c) for c in coeffs], p)
    if I.is_zero():
        return [0], [1]
    r0, r1 = M, I
    t0, t1 = nmod_poly([0], p), nmod_poly([1], p)
    deg_prev = N
    while not r1.is_zero():
        d1 = r1.degree()
        if deg_prev - d1 > extra:
            # candidate r1 / t1: total degree = N - (deg_prev - d1) < N - extra
            g = r1.gcd(t1)
            if g.degree() > 0:
                return None
            lc = int(t1.leading_coefficient())
            il = pow(lc, -1, p)
            num = [int(c) * il % p for c in r1.coeffs()]
            den = [int(c) * il % p for c in t1.coeffs()]
            # the denominator must not vanish at a node: no common root with M = ∏(P - x_j)
            if t1.gcd(M).degree() > 0:
                return None
            return num, den
        q, r2 = divmod(r0, r1)
        r0, r1 = r1, r2
        t0, t1 = t1, t0 - q * t1
        deg_prev = d1
    return None


def rational_reconstruct_int(u, m):
    """a/b ≡ u (mod m) with |a| ≤ √(m/2) and 0 < b ≤ √(m/2), as (a, b), or None."""
    u %= m
    bound = math.isqrt(m // 2)
    r0, r1 = m, u
    s0, s1 = 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        s0, s1 = s1, s0 - q * s1
    if s1 == 0 or abs(s1) > bound:
        return None
    if s1 < 0:
        r1, s1 = -r1, -s1
    if math.gcd(r1, s1) != 1:
        return None
    return r1, s1


def crt_pair(r1, m1, r2, m2):
    """x mod m1·m2 with x ≡ r1 (m1), x ≡ r2 (m2) (coprime moduli)."""
    t = (r2 - r1) * pow(m1, -1, m2) % m2
    return r1 + m1 * t, m1 * m2


def lift(residues, primes):
    """Rationals from residues: ``residues[t]`` is the list of residues (one per coefficient) at
    ``primes[t]``.  Chinese remaindering over all primes but the last, then one common denominator
    by rational reconstruction; the result must reduce to the residues at the last prime.
    Returns a list of (numerator, denominator) Python ints, or None (more primes needed)."""
    if len(primes) < 2:
        return None
    use = len(primes) - 1
    m = 1
    vals = [0] * len(residues[0])
    for t in range(use):
        p = primes[t]
        if t == 0:
            vals = [int(r) for r in residues[0]]
            m = p
            continue
        inv = pow(m, -1, p)
        vals = [v + m * ((int(r) - v) * inv % p) for v, r in zip(vals, residues[t])]
        m *= p
    bound = math.isqrt(m // 2)
    L = 1
    out = []
    for u in vals:
        w = u * L % m
        if w > m // 2:
            w -= m
        if abs(w) <= bound:
            out.append((w, L))
            continue
        rr = rational_reconstruct_int(w, m)
        if rr is None:
            return None
        a, b = rr
        L *= b
        out.append((a, L))
    # normalise each to lowest terms
    res = []
    for a, b in out:
        g = math.gcd(a, b)
        res.append((a // g, b // g))
    # check at the prime not used
    q = primes[-1]
    for (a, b), r in zip(res, residues[-1]):
        if b % q == 0 or (a * pow(b, -1, q) - int(r)) % q:
            return None
    return res


def reconstruct_batch(values, p, P, good, extra=6):
    """Rational functions over Q from residues at columns (p[c], P[c]) (only the ``good`` ones).

    ``values``: a list of residue vectors (one per function).  Returns, per function, either
    ``(num, den)`` -- lists of (numerator, denominator) ints, ascending powers, den monic -- or the
    reason it failed: ``"points"`` (no rational function of total degree < N - extra through the
    N points of some prime) or ``"primes"`` (the coefficients did not lift over Q with the primes
    at hand, or the lift disagreed with the prime kept for checking)."""
    primes = sorted(set(int(q) for q in p[good]), reverse=True)
    per_prime = []
    for q in primes:
        sel = (p == q) & good
        xs = [int(x) for x in P[sel]]
        if len(xs) < extra + 2:
            continue
        M, B = interpolation_basis(xs, q)
        Y = np.array([v[sel] for v in values], dtype=np.int64)
        coeffs = _matmul_mod(Y, B, q)
        per_prime.append((q, xs, M, coeffs))
    out = []
    for f in range(len(values)):
        rfs = []
        for q, xs, M, coeffs in per_prime:
            rf = rational_interpolate_mod(xs, None, q, extra=extra, M=M, coeffs=coeffs[f])
            rfs.append((q, rf))
        if not rfs or any(rf is None for _, rf in rfs):
            out.append("points")
            continue
        degs = max((len(rf[0]), len(rf[1])) for _, rf in rfs)
        use = [(q, rf) for q, rf in rfs if (len(rf[0]), len(rf[1])) == degs]  # others: unlucky primes
        lifted = lift([rf[0] + rf[1] for _, rf in use], [q for q, _ in use])
        if lifted is None:
            out.append("primes")
            continue
        out.append((lifted[:degs[0]], lifted[degs[0]:]))
    return out


def reconstruct_rational_function(values, p, P, good, extra=6):
    """The rational function over Q with residues ``values`` at the good columns (p[c], P[c]), as
    (numerator, denominator) sympy Polys in the symbol P, or None."""
    res = reconstruct_batch([values], p, P, good, extra=extra)[0]
    if isinstance(res, str):
        return None
    Psym = sympy.Symbol("P")
    num = sympy.Poly([sympy.Rational(a, b) for a, b in reversed(res[0])], Psym, domain="QQ")
    den = sympy.Poly([sympy.Rational(a, b) for a, b in reversed(res[1])], Psym, domain="QQ")
    return num, den
