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
* :func:`maximal_quotient_reconstruct`: a/b from a residue when |a|·b (not max(|a|, b)²) is below
  the modulus: values that are nearly integers.
* :func:`reconstruct_batch`: all of it for many functions at once, optionally after multiplying
  each by a guess of its denominator (:func:`denominator_guess`, extrapolated from lower orders).
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
           "interpolation_basis", "crt_pair", "maximal_quotient_reconstruct", "denominator_guess"]


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
    A01 = np.concatenate([A0, A1], axis=0)
    prod = np.empty((A01.shape[0], B.shape[1]), dtype=np.float64)
    # in blocks of 32 rows: small enough that OpenBLAS stays on one thread (its threads, fighting
    # other processes for two cores, made one product 30-100x slower than this)
    for r in range(0, A01.shape[0], 32):
        np.matmul(A01[r:r + 32], Bf, out=prod[r:r + 32])
    prod = np.fmod(prod, p).astype(np.int64)
    n = A.shape[0]
    out = (prod[:n] + (prod[n:] << 13) % p) % p
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


def maximal_quotient_reconstruct(u: int, m: int, margin_bits: int = 20) -> tuple[int, int] | None:
    """a/b ≡ u (mod m) by maximal-quotient rational reconstruction (Monagan): the convergent of u/m
    followed by the largest quotient, accepted when that quotient exceeds 2^margin_bits (so
    |a|·b ≲ m / 2^margin_bits).  Unlike :func:`rational_reconstruct_int` it finds a/b with a large
    numerator and a small denominator (or the reverse).  (a, b) with b > 0, or None."""
    u %= m
    if u == 0:
        return 0, 1
    r0, r1 = m, u
    s0, s1 = 0, 1
    best, qmax = None, 0
    while r1:
        q = r0 // r1
        if q > qmax:
            qmax, best = q, (r1, s1)
        r0, r1 = r1, r0 - q * r1
        s0, s1 = s1, s0 - q * s1
    if best is None or qmax < (1 << margin_bits):
        return None
    a, b = best
    if b < 0:
        a, b = -a, -b
    if math.gcd(a, b) != 1:
        return None
    return a, b


def lift(residues, primes, balanced=True, margin_bits=20):
    """Rationals from residues: ``residues[t]`` is the list of residues (one per coefficient) at
    ``primes[t]``.  Chinese remaindering over all primes but the last, then one common denominator
    by rational reconstruction; the result must reduce to the residues at the last prime.
    ``balanced``: numerators and denominators both below √(m/2) (m the product of the primes
    used); otherwise maximal-quotient reconstruction, which needs only |numerator|·denominator
    below about m / 2^margin_bits (values that are nearly integers: numerators much larger than
    their denominators).
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
    bound = math.isqrt(m // 2) if balanced else m >> (margin_bits + 1)
    L = 1
    out = []
    for u in vals:
        w = u * L % m
        if w > m // 2:
            w -= m
        if abs(w) <= bound:
            out.append((w, L))
            continue
        rr = rational_reconstruct_int(w, m) if balanced else maximal_quotient_reconstruct(w, m, margin_bits)
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


_BASES: dict = {}


def _basis(q, xs):
    """interpolation_basis(xs, q), cached (the reconstruction runs in rounds over the same points)."""
    key = (q, len(xs), hash(tuple(xs)))
    if key not in _BASES:
        if len(_BASES) > 256:
            _BASES.clear()
        _BASES[key] = interpolation_basis(xs, q)
    return _BASES[key]


_FACTOR_VALUES: dict = {}


def _premul_residues(factors, S, q, xs, xkey):
    """Π f(x)^e · S mod q at the points xs (``factors``: ((f's integer coefficients, ascending), e)
    pairs); the values f(x) are cached per prime and factor, the powers taken by squaring."""
    x = None
    acc = np.full(len(xs), int(S) % q, dtype=np.int64)
    for f, e in factors:
        key = (q, xkey, f)
        fv = _FACTOR_VALUES.get(key)
        if fv is None:
            if len(_FACTOR_VALUES) > 4096:
                _FACTOR_VALUES.clear()
            x = np.array(xs, dtype=np.int64) if x is None else x
            fv = np.zeros(len(xs), dtype=np.int64)
            for c in reversed(f):
                fv = (fv * x + int(c) % q) % q
            _FACTOR_VALUES[key] = fv
        b, e = fv, int(e)
        while e:
            if e & 1:
                acc = acc * b % q
            e >>= 1
            if e:
                b = b * b % q
    return acc


def reconstruct_batch(values, p, P, good, extra=6, premul=None):
    """Rational functions over Q from residues at columns (p[c], P[c]) (only the ``good`` ones).

    ``values``: a list of residue vectors (one per function).  Returns, per function, either
    ``(num, den)`` -- lists of (numerator, denominator) ints, ascending powers, den monic -- or the
    reason it failed: ``"points"`` (no rational function of total degree < N - extra through the
    N points of some prime) or ``"primes"`` (the coefficients did not lift over Q with the primes
    at hand, or the lift disagreed with the prime kept for checking).

    ``premul``: per function None or a guess (G, S) of its denominator -- G a tuple of (integer
    coefficients of a polynomial, ascending; exponent) pairs, S an integer: the values times G(P)·S are reconstructed instead (total degree
    deg(num) + |deg d - deg G| rather than deg(num) + deg(den) when the guess is close; numerators
    lifted by maximal-quotient reconstruction, their size rather than the denominators' counts),
    and the result divided by G·S.  A wrong guess costs points, never a wrong answer: the
    interpolation still needs its ``extra`` confirming points and the lift its check prime."""
    primes = sorted(set(int(q) for q in p[good]), reverse=True)
    premul = premul or [None] * len(values)
    per_prime = []
    for q in primes:
        sel = (p == q) & good
        xs = [int(x) for x in P[sel]]
        if len(xs) < extra + 2:
            continue
        M, B = _basis(q, xs)
        xkey = hash(tuple(xs))
        rows = []
        for v, g in zip(values, premul):
            r = v[sel]
            if g is not None:
                r = r * _premul_residues(g[0], g[1], q, xs, xkey) % q
            rows.append(r)
        Y = np.array(rows, dtype=np.int64)
        coeffs = _matmul_mod(Y, B, q)
        per_prime.append((q, xs, M, coeffs))
    out = []
    for f in range(len(values)):
        rfs = []
        for q, xs, M, coeffs in per_prime:
            rf = rational_interpolate_mod(xs, None, q, extra=extra, M=M, coeffs=coeffs[f])
            rfs.append((q, rf))
            if rf is None:
                break
        if not rfs or any(rf is None for _, rf in rfs):
            out.append("points")
            continue
        degs = max((len(rf[0]), len(rf[1])) for _, rf in rfs)
        use = [(q, rf) for q, rf in rfs if (len(rf[0]), len(rf[1])) == degs]  # others: unlucky primes
        lifted = lift([rf[0] + rf[1] for _, rf in use], [q for q, _ in use], balanced=premul[f] is None)
        if lifted is None:
            out.append("primes")
            continue
        num, den = lifted[:degs[0]], lifted[degs[0]:]
        if premul[f] is not None:
            num, den = _divide_by(num, den, *premul[f])
        out.append((num, den))
    return out


def _divide_by(num, den, G, S):
    """(num/den)/(G·S) in lowest terms, den monic (coefficient lists of (a, b) pairs)."""
    from flint import fmpz_poly

    def poly(cs):
        L = 1
        for _, b in cs:
            L = L * b // math.gcd(L, b)
        return fmpz_poly([a * (L // b) for a, b in cs]), L

    n, Ln = poly(num)
    d, Ld = poly(den)
    n = n * Ld
    d = d * Ln * int(S)
    for f, e in G:
        d = d * fmpz_poly([int(c) for c in f]) ** int(e)
    if n.is_zero():
        return [(0, 1)], [(1, 1)]
    g = n.gcd(d)
    n, d = n // g, d // g
    lc = int(d.leading_coefficient())

    def frac(a):
        a = int(a)
        g = math.gcd(a, lc)
        return (a // g, lc // g) if lc > 0 else (-a // g, -lc // g)
    return [frac(a) for a in n.coeffs()], [frac(a) for a in d.coeffs()]


def denominator_guess(forms: dict, n: int, small_primes: int = 1000) -> tuple[tuple, int] | None:
    """A guess (G, S) of the denominator of the coefficient of order ``n`` (G: ((coefficients of an
    irreducible polynomial, ascending), exponent) pairs; S: an integer) from the forms of lower
    orders of the same series (``forms``: {order: (num, den)}): each irreducible factor of their
    denominators over Q, and each small prime of their contents, with its exponent extrapolated
    linearly from the last orders.  None when there is nothing to go by.  A guess only (see
    :func:`reconstruct_batch`: a wrong one costs points, not correctness)."""
    from flint import fmpz_poly

    data = []
    for k in sorted(forms):
        if k >= n:
            continue
        num, den = forms[k]
        hit = _SHAPES.get(id(num))
        if hit is not None and hit[0] is num:
            if hit[1] is not None:
                data.append((k, hit[1]))
            continue
        if all(a == 0 for a, _ in num):
            _SHAPES[id(num)] = (num, None)
            continue
        L = 1
        for _, b in den:
            L = L * b // math.gcd(L, b)
        d = fmpz_poly([a * (L // b) for a, b in den])
        Ln = 1
        for _, b in num:
            Ln = Ln * b // math.gcd(Ln, b)
        cn = 0
        for a, b in num:
            cn = math.gcd(cn, a * (Ln // b))
        # value = (cn·n₀/Ln) / (c·d₀/L) with n₀, d₀ primitive: its integer denominator is
        # Ln·c / gcd(Ln·c, cn·L)
        c, facs = d.factor()
        ex = {str(f): (f, e) for f, e in facs}
        cont = abs(int(c)) * Ln
        cont //= math.gcd(cont, cn * L)
        for q in _small_primes(small_primes):
            e = 0
            while cont % q == 0:
                cont //= q
                e += 1
            if e:
                ex[q] = (q, e)
        if len(_SHAPES) > 8192:
            _SHAPES.clear()
        _SHAPES[id(num)] = (num, ex)
        data.append((k, ex))
    if len(data) < 2:
        return None
    keys = set()
    for _, ex in data:
        keys |= set(ex)
    G = []
    S = 1
    tail = data[-min(len(data), 6):]
    for key in keys:
        pts = [(k, ex[key][1] if key in ex else 0) for k, ex in tail]
        obj = next(ex[key][0] for _, ex in data if key in ex)
        (k0, e0), (k1, e1) = pts[0], pts[-1]
        slope = (e1 - e0) / (k1 - k0) if k1 > k0 else 0.0
        e = max(0, round(e1 + slope * (n - k1)))
        if e == 0:
            continue
        if isinstance(obj, int):
            S *= obj ** e
        else:
            G.append((tuple(int(c) for c in obj.coeffs()), e))
    return tuple(sorted(G)), S


_PRIMES: dict = {}
_SHAPES: dict = {}  # id(numerator list) -> (the list, its denominator's factors): the guesses' cache


def _small_primes(bound):
    if bound not in _PRIMES:
        out, sieve = [], bytearray([1]) * bound
        for i in range(2, bound):
            if sieve[i]:
                out.append(i)
                sieve[i * i::i] = bytearray(len(sieve[i * i::i]))
        _PRIMES[bound] = out
    return _PRIMES[bound]


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
