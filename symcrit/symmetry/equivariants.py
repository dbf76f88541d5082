r"""S_n-equivariant polynomial maps on the standard representation.

V = {x ∈ R^n : Σ x_i = 0}, with S_n permuting coordinates; P(y) = y - mean(y)·1 projects onto V.
Homogeneous equivariant maps of degree d are spanned by

.. math:: x \mapsto p_{\mu}(x)\, P(x^{\circ j}),\qquad j \ge 1,\quad |\mu| + j = d,

where x^{∘j} is the coordinatewise power and p_μ = Π p_{μ_i} a product of power sums
p_m = Σ x_i^m with m ≥ 2 (p_1 = 0 on V).  Up to degree 3 this gives x (degree 1), the quadratic
equivariant P(x∘x) = x∘x - (|x|²/n)·1 (degree 2), and P(x∘x∘x), |x|²·x (degree 3).  For small n
some of them are linearly dependent (for n = 2, V is one-dimensional and x∘x has no V-component);
:func:`equivariant_basis` keeps an independent subset, found by exact rank computations.

The dimension is checked independently by brute force (:func:`brute_force_dimension`): the
Reynolds operator (the average over all n! permutations) applied to every monomial map
V → V of degree d spans the equivariant space, whose rank is computed exactly.

>>> [len(equivariant_basis(5, d)) for d in (1, 2, 3)]
[1, 1, 2]
>>> [brute_force_dimension(5, d) for d in (1, 2, 3)]
[1, 1, 2]
"""
from __future__ import annotations

from symcrit.core.errors import BadInput
import itertools
import math

import sympy

__all__ = ["equivariant_basis", "brute_force_dimension", "candidates"]


def _partitions_min2(w):
    """Partitions of w into parts >= 2 (as tuples, decreasing)."""
    if w == 0:
        return [()]
    out = []

    def rec(rest, maxpart, acc):
        if rest == 0:
            out.append(tuple(acc))
            return
        for p in range(min(rest, maxpart), 1, -1):
            rec(rest - p, p, acc + [p])

    rec(w, w, [])
    return out


def candidates(n, d):
    """The spanning set p_μ · P(x^{∘j}) of degree d, as (label, [sympy components]) in R^n."""
    x = sympy.symbols(f"x1:{n + 1}")
    out = []
    for j in range(1, d + 1):
        for mu in _partitions_min2(d - j):
            pmu = sympy.Integer(1)
            for m in mu:
                pmu *= sum(xi**m for xi in x)
            y = [xi**j for xi in x]
            mean = sum(y) / n
            comps = [sympy.expand(pmu * (yi - mean)) for yi in y]
            label = ("" if not mu else "·".join(f"p{m}" for m in mu) + " ") + (f"P(x^{j})" if j > 1 else "x")
            out.append((label, comps))
    return out, x


def _on_V(expr_list, x, n):
    """Restrict to V by eliminating x_n = -(x_1 + … + x_{n-1}); returns polynomials in x_1..x_{n-1}."""
    sub = {x[-1]: -sum(x[:-1])}
    return [sympy.Poly(sympy.expand(e.subs(sub)), *x[:-1]) for e in expr_list]


def _rank(vectors):
    """Exact rank of polynomial-valued vectors (each a list of sympy Polys)."""
    monos = {}
    rows = []
    for vec in vectors:
        row = {}
        for c, p in enumerate(vec):
            for mon, coeff in p.terms():
                key = (c, mon)
                if key not in monos:
                    monos[key] = len(monos)
                row[monos[key]] = coeff
        rows.append(row)
    if not rows or not monos:
        return 0
    M = sympy.zeros(len(rows), len(monos))
    for i, row in enumerate(rows):
        for j, v in row.items():
            M[i, j] = v
    return M.rank()


def equivariant_basis(n, d):
    """An independent set of S_n-equivariant homogeneous maps V → V of degree d (n >= 2), as
    [(label, [component expressions in x1..xn])]: the components sum to 0 on V."""
    if n < 2 or d < 1:
        raise BadInput("need n >= 2 and degree >= 1")
    cands, x = candidates(n, d)
    basis, polys = [], []
    for label, comps in cands:
        trial = polys + [_on_V(comps, x, n)]
        if _rank(trial) == len(trial):
            basis.append((label, comps))
            polys = trial
    return basis


def brute_force_dimension(n, d):
    """Dimension of the space of S_n-equivariant homogeneous degree-d maps V → V, by averaging
    every monomial map over all n! permutations (independent of :func:`equivariant_basis`)."""
    x = sympy.symbols(f"x1:{n + 1}")
    perms = list(itertools.permutations(range(n)))
    # monomial maps R^n -> R^n: e_c * x^alpha, composed with P on both sides (restricted to V)
    images = []
    for alpha in _exponents(n, d):
        mono = math.prod(xi**a for xi, a in zip(x, alpha))
        for c in range(n):
            # Reynolds: (R f)(x) = 1/|G| Σ_g g^{-1}·f(g·x).  With (g·x)_i = x_{g(i)} the basis
            # vectors move as g·e_j = e_{g^{-1}(j)}, so g^{-1}·e_c = e_{g(c)}.
            comps = [sympy.Integer(0)] * n
            for g in perms:
                gx = [x[g[i]] for i in range(n)]
                mg = mono.subs(dict(zip(x, gx)), simultaneous=True)
                comps[g[c]] += mg
            mean = sum(comps) / n
            images.append([sympy.expand(ci - mean) for ci in comps])
    return _rank([_on_V(v, x, n) for v in images])


def _exponents(n, d):
    """All exponent vectors of total degree d, up to permutation (one per orbit suffices)."""
    out = []

    def rec(i, rest, acc):
        if i == n - 1:
            out.append(tuple(acc + [rest]))
            return
        for a in range(rest, -1, -1):
            rec(i + 1, rest - a, acc + [a])

    rec(0, d, [])
    seen, uniq = set(), []
    for e in out:
        key = tuple(sorted(e, reverse=True))
        if key not in seen:
            seen.add(key)
            uniq.append(key)
    return uniq
