r"""Hessian spectra by symmetry.

At a critical point with isotropy H = Δ(S_{p_1} × … × S_{p_r}) the Hessian commutes with H, so it
preserves each isotypic component of M(k, k) = ⊕_{I,J} R^{p_I} ⊗ R^{p_J}.  With R^p = 1 ⊕ V
(V the standard representation of S_p) and V ⊗ V = 1 ⊕ V ⊕ [p-2,2] ⊕ [p-2,1,1], the types are

=====================  =======================  ===========================
type                   dimension                copies in M(k, k)
=====================  =======================  ===========================
trivial                1                        dim of the fixed-point space
V_I                    p_I - 1                  2(r - 1) + 3  (2 if p_I = 2)
V_I ⊗ V_J  (I < J)     (p_I - 1)(p_J - 1)       2
[p-2,2]_I              p_I (p_I - 3) / 2        1
[p-2,1,1]_I            (p_I - 1)(p_I - 2) / 2   1
=====================  =======================  ===========================

For a type τ with m copies, choose one vector e of τ and its images u_1 … u_m under the
equivariant embeddings (v⊗1_J, 1_J⊗v, diag(v) for V with v = e_a - e_b; Specht vectors for the
others).  Then H u_b = Σ_a B_ab u_a with B = G⁻¹ UᵀHU (G the Gram matrix), and the eigenvalues of
B are the Hessian's eigenvalues on τ, each with multiplicity dim τ -- a polynomial in k.

Each u_c is fixed by the Young subgroup K that also fixes the special indices a, b, …, so it lies
in the fixed-point space of K (the blocks split into singletons and a remainder, still symbolic
in k), and UᵀHU consists of directional second derivatives of that finer reduced loss.  They are
computed by forward-mode dual numbers (:mod:`symcrit.core.dual`) through the same kernel code, at any
real k and any precision: no k×k matrix is formed.

>>> from symcrit.critical.families import family
>>> sp = spectrum(family("global").solve(6, dps=30))
>>> [(c.name, c.dim_at_k) for c in sp.components if c.name.startswith("[")]
[('[p-2,2]_1', 9), ('[p-2,1,1]_1', 10)]
"""
from __future__ import annotations

import fractions
import functools
import numbers
from typing import TYPE_CHECKING, Any, Iterable

import mpmath
import sympy

from symcrit.core.dual import Dual, DualContext
from symcrit.core.errors import BadInput
from symcrit.core.numbers import format_exact, is_integer, parse_number, to_mpf
from symcrit.core.signs import SignCount, count_signs
from symcrit.symmetry.blocks import poly_at
from symcrit.symmetry.fixedpoint import K_SYMBOL, FixedPointSpace

if TYPE_CHECKING:
    from symcrit.critical.families import CriticalPoint

__all__ = ["spectrum", "Spectrum", "Component", "component_names", "MultiplicityError", "check_multiplicities",
           "CopyBasis", "exact_k", "exact_at"]


class Component:
    """One isotypic component: its name, dimension (sympy polynomial in k and its value at k),
    the number of copies, and the Hessian's eigenvalues on it (each of multiplicity ``dim``)."""

    def __init__(self, name, dim, dim_at_k, copies, eigenvalues):
        self.name, self.dim, self.dim_at_k = name, dim, dim_at_k
        self.copies, self.eigenvalues = copies, eigenvalues

    def __repr__(self):
        ev = ", ".join(mpmath.nstr(e, 8) for e in self.eigenvalues)
        return f"<{self.name}: dim {self.dim} = {self.dim_at_k}, eigenvalues [{ev}]>"


class Spectrum:
    """The Hessian spectrum of a critical point, by isotypic component."""

    def __init__(self, cp: CriticalPoint, components: list[Component]) -> None:
        self.point = cp
        self.components = components

    def eigenvalues(self) -> list[tuple[Any, Any, str]]:
        """[(value, multiplicity, component name)], sorted by value."""
        out = [(e, c.dim_at_k, c.name) for c in self.components for e in c.eigenvalues if c.dim_at_k > 0]
        return sorted(out, key=lambda t: t[0])

    @property
    def total_multiplicity(self):
        return sum(m for _, m, _ in self.eigenvalues())

    @property
    def min_eigenvalue(self):
        return self.eigenvalues()[0][0]

    def error_bound(self, value: Any) -> Any:
        """The heuristic error bound of one eigenvalue (mpmath at the working precision, from a
        point accurate to ``dps`` digits): 10^(-dps/2) · max(1, |λ|)."""
        return mpmath.mpf(10) ** (-(self.point.dps // 2)) * max(mpmath.mpf(1), abs(value))

    def signs(self) -> SignCount:
        """Signs of the eigenvalues with multiplicities (:func:`symcrit.core.signs.count_signs`,
        evidence 'estimated'; the proof is :func:`symcrit.spectra.inertia.prove_inertia`)."""
        ev = self.eigenvalues()
        return count_signs([e for e, _, _ in ev], bound=[self.error_bound(e) for e, _, _ in ev],
                           multiplicities=[m for _, m, _ in ev], evidence="estimated")

    @property
    def negative_count(self):
        """The number of negative eigenvalues with multiplicity (estimated), None if undecided."""
        return self.signs().index

    def component_signs(self, name: str) -> SignCount:
        """Signs of one component's distinct eigenvalues (each counted once)."""
        c = next(c for c in self.components if c.name == name)
        return count_signs(c.eigenvalues, bound=[self.error_bound(e) for e in c.eigenvalues], evidence="estimated")

    def to_dict(self, digits: int = 20) -> dict[str, Any]:
        cp = self.point
        k = int(cp.k) if cp.is_integer_k else format_exact(cp.k, cp.dps)
        return {"family": cp.family.id, "k": k,
                "eigenvalues": [{"value": mpmath.nstr(e, digits), "multiplicity": json_multiplicity(m), "component": n}
                                for e, m, n in self.eigenvalues()],
                "total_multiplicity": json_multiplicity(self.total_multiplicity),
                "components": [{"name": c.name, "dim": str(c.dim), "copies": c.copies} for c in self.components],
                "min_eigenvalue": mpmath.nstr(self.min_eigenvalue, digits),
                # the values are mpmath eigenvalues of the isotypic pencils at the computed (not
                # enclosed) point: estimated, with the heuristic bound the sign count uses
                "eigenvalue_evidence": "estimated",
                "eigenvalue_error_bound": f"10^-{self.point.dps // 2} · max(1, |λ|)",
                "negative_count": None if self.negative_count is None else json_multiplicity(self.negative_count),
                "negative_count_evidence": "estimated"}

    def __repr__(self):
        return f"<Spectrum {self.point.family.id} k={self.point.k}: {len(self.eigenvalues())} distinct eigenvalues>"

    def to_latex(self, digits: int = 15) -> str:
        """The spectrum as a LaTeX table: eigenvalue, multiplicity (a polynomial in k and its
        value), component."""
        from symcrit.core.tex import tex, tex_number, tex_table
        dims = {c.name: c.dim for c in self.components}
        rows = [[f"${tex_number(e, digits)}$", f"${tex(dims[n])} = {tex_number(m) if isinstance(m, int) else f'{float(m):g}'}$",
                 f"${_component_tex(n)}$"] for e, m, n in self.eigenvalues()]
        return (f"\\text{{{self.point.family.id} at }} k = {tex_number(self.point.k)}\\text{{: "
                f"{len(self.eigenvalues())} distinct eigenvalues}}\n\n"
                + tex_table(["eigenvalue", "multiplicity", "component"], rows))

    def _repr_latex_(self):
        # Jupyter renders math mode only: one aligned array
        from symcrit.core.tex import tex, tex_number
        dims = {c.name: c.dim for c in self.components}
        rows = " \\\\ ".join(f"{tex_number(e, 15)} & {tex(dims[n])} & {_component_tex(n)}" for e, m, n in self.eigenvalues())
        return (f"$$\\text{{{self.point.family.id} at }} k = {tex_number(self.point.k)}:\\quad"
                f"\\begin{{array}}{{lll}}\\text{{eigenvalue}} & \\text{{multiplicity}} & \\text{{component}} \\\\ "
                f"\\hline {rows}\\end{{array}}$$")

    def _repr_html_(self):
        rows = "".join(f"<tr><td><code>{mpmath.nstr(e, 15)}</code></td><td>{_count_text(m)}</td><td>{n}</td></tr>"
                       for e, m, n in self.eigenvalues())
        neg = "undecided" if self.negative_count is None else _count_text(self.negative_count)
        return (f"<b>{self.point.family.id}</b> at k = {self.point.k}: {len(self.eigenvalues())} distinct "
                f"eigenvalues, total multiplicity {_count_text(self.total_multiplicity)}, {neg} negative (estimated)"
                f"<table><tr><th>eigenvalue</th><th>multiplicity</th><th>component</th></tr>{rows}</table>")


def _count_text(m) -> str:
    """A multiplicity as text: an exact integer in full (up to 30 digits, else 'about 10^n'), a
    real (non-integer k) with 6 digits; never through a float that overflows."""
    if isinstance(m, numbers.Integral):
        s = str(int(m))
        return s if len(s) <= 30 else f"about 10^{len(s) - 1}"
    return f"{float(m):g}"


def json_multiplicity(m):
    """A multiplicity for JSON: an exact int when it fits a double exactly (|m| <= 2^53), else its
    decimal string (never a rounded float); a non-integer (real k) stays a float."""
    if isinstance(m, numbers.Integral):
        return int(m) if abs(int(m)) <= 2 ** 53 else str(int(m))
    return m


# ---------------------------------------------------------------------------------------------
# vectors of R^k described on positions (coarse block, label): label None = a generic index


def unit_vector(I, lab):
    return lambda pos: 1 if pos == (I, lab) else 0


def ones_vector(I):
    return lambda pos: 1 if pos[0] == I else 0


def vector_difference(x, y):
    return lambda pos: x(pos) - y(pos)


class _Fine:
    """The fixed-point space of the Young subgroup fixing the labelled indices."""

    def __init__(self, coarse, labels):
        self.coarse = coarse
        self.labels = labels  # {coarse block: [labels]}
        blocks, where = [], []
        for I, size in enumerate(coarse.sizes):
            labs = labels.get(I, [])
            for lab in labs:
                blocks.append(sympy.Integer(1))
                where.append((I, lab))
            rest = sympy.expand(size - len(labs))
            if rest != 0:
                blocks.append(rest)
                where.append((I, None))
        extra = coarse.extra
        self.space = FixedPointSpace(blocks, extra=extra) if any(not b.is_number for b in blocks) else \
            FixedPointSpace([int(b) for b in blocks], extra=extra)
        if extra:
            where.append(("u", None))  # the extra student row (row index len(blocks))
        self.where = where
        self.slots = self.space.slots

    def coords(self, matrix_fn):
        """Fine coordinates of a K-invariant matrix given as f(rowpos, colpos, same_index)."""
        out = []
        for kind, fi, fj in self.slots:
            out.append(matrix_fn(self.where[fi], self.where[fj], kind == "d"))
        return out


    def point(self, cvals):
        """Fine coordinates of the coarse point with parameter values cvals."""
        P = {}
        for (kind, I, J), v in zip(self.coarse.slots, cvals):
            P[(kind, I, J)] = v
        out = []
        for kind, fi, fj in self.slots:
            I, J = self.where[fi][0], self.where[fj][0]
            if kind == "e":
                out.append(P[("e", len(self.coarse.sizes), J)])
            elif I != J:
                out.append(P[("x", I, J)])
            elif kind == "d":
                out.append(P[("d", I, I)])
            else:
                out.append(P[("o", I, I)])
        return out


def _outer(x, y):
    return lambda rp, cp, same: x(rp) * y(cp)


def _diag(x):
    return lambda rp, cp, same: x(rp) if same else 0


def _combo(*terms):
    return lambda rp, cp, same: sum(c * f(rp, cp, same) for c, f in terms)


def component_types(coarse, sizes_at_k):
    """[(name, dim (sympy), labels, [matrix functions])] for every isotypic type present."""
    r = len(coarse.sizes)
    out = []
    for I in range(r):
        p = coarse.sizes[I]
        pk = sizes_at_k[I]
        if pk >= 2:
            vecs = standard_vectors(coarse, I, vector_difference(unit_vector(I, "a"), unit_vector(I, "b")))
            out.append((f"V_{I + 1}", sympy.expand(p - 1), {I: ["a", "b"]}, vecs))
        if pk >= 4:
            x, y = vector_difference(unit_vector(I, "a"), unit_vector(I, "b")), vector_difference(unit_vector(I, "c"), unit_vector(I, "d"))
            u = _combo((1, _outer(x, y)), (1, _outer(y, x)))
            out.append((f"[p-2,2]_{I + 1}", sympy.factor(p * (p - 3) / 2), {I: ["a", "b", "c", "d"]}, [u]))
        if pk >= 3:
            x, y = vector_difference(unit_vector(I, "a"), unit_vector(I, "b")), vector_difference(unit_vector(I, "a"), unit_vector(I, "c"))
            u = _combo((1, _outer(x, y)), (-1, _outer(y, x)))
            out.append((f"[p-2,1,1]_{I + 1}", sympy.factor((p - 1) * (p - 2) / 2), {I: ["a", "b", "c"]}, [u]))
        for J in range(I + 1, r):
            if pk >= 2 and sizes_at_k[J] >= 2:
                x, y = vector_difference(unit_vector(I, "a"), unit_vector(I, "b")), vector_difference(unit_vector(J, "c"), unit_vector(J, "d"))
                out.append((f"V_{I + 1}⊗V_{J + 1}", sympy.factor((p - 1) * (coarse.sizes[J] - 1)),
                            {I: ["a", "b"], J: ["c", "d"]}, [_outer(x, y), _outer(y, x)]))
    return out


@functools.lru_cache(maxsize=256)
def fine_space(coarse_sizes, labels_key, extra=0):
    coarse = FixedPointSpace(list(coarse_sizes), extra=extra)
    return _Fine(coarse, {I: list(l) for I, l in labels_key})


def orbit_values(space, k):
    """The orbit sizes of ``space`` at k as mpmath numbers (at the working precision)."""
    return _orbit_values_of(space.orbit_sizes, k)


def _orbit_values_of(sizes, k):
    """Polynomials in k (sympy) at k, as mpmath numbers at the working precision."""
    return [mpmath.mpf(sympy.N(o.subs(K_SYMBOL, k), mpmath.mp.dps + 5)) if not o.is_number else mpmath.mpf(int(o))
            for o in sizes]


def standard_vectors(coarse, I, v):
    """The V_I basis as matrix functions built from a vector function ``v`` on block I (summing to 0):
    v ⊗ 1_J and 1_J ⊗ v for the other blocks J, then v ⊗ 1_I, 1_I ⊗ v and diag(v); with an extra
    student row, also v on that row (e_u ⊗ v)."""
    vecs = []
    for J in range(len(coarse.sizes)):
        if J != I:
            vecs += [_outer(v, ones_vector(J)), _outer(ones_vector(J), v)]
    vecs += [_outer(v, ones_vector(I)), _outer(ones_vector(I), v), _diag(v)]
    if coarse.extra:
        vecs.append(lambda rp, cp, same: v(cp) if rp[0] == "u" else 0)
    return vecs


def exact_k(k):
    """k as an exact number: a Python int at integer k, else the exact rational value of the
    binary number k (an mpf, a Fraction or a decimal string) as a sympy Rational."""
    if isinstance(k, numbers.Integral) and not isinstance(k, bool):
        return int(k)
    if isinstance(k, mpmath.mpf):
        sign, man, exp, _ = k._mpf_
        if not man:
            if exp:
                raise ValueError(f"k = {k} is not a finite number")
            return 0
        q = sympy.Integer(-int(man) if sign else int(man)) * sympy.Integer(2) ** int(exp)
    else:
        q = sympy.Rational(str(k)) if not isinstance(k, fractions.Fraction) else sympy.Rational(k.numerator, k.denominator)
    return int(q) if q.is_integer else q


def exact_at(poly, k):
    """A polynomial in k (sympy) at the exact k of :func:`exact_k`: an int or a sympy Rational
    (evaluated by :func:`symcrit.symmetry.blocks.poly_at`, exactly)."""
    if isinstance(k, sympy.Rational) and not isinstance(k, sympy.Integer):
        v = poly_at(poly, fractions.Fraction(int(k.p), int(k.q)))
    else:
        v = poly_at(poly, int(k))
    return v if isinstance(v, int) else sympy.Rational(v.numerator, v.denominator)


def _exact_rank_select(Gx):
    """Indices of a maximal independent subset, chosen greedily in order, of the vectors with the
    exact (integer or rational) Gram matrix ``Gx``: vector a is kept when it is not in the span of
    the kept ones, decided by exact elimination (no tolerance, so the decision does not depend on
    the scale of k or of the vectors)."""
    keep, rows = [], []  # rows: the kept Gram rows, reduced (exact Fractions)
    m = len(Gx)
    for a in range(m):
        idx = keep + [a]
        # exact determinant of the Gram matrix of idx by fraction-free elimination
        M = [[fractions.Fraction(int(sympy.numer(Gx[i][j])), int(sympy.denom(Gx[i][j]))) for j in idx] for i in idx]
        n = len(M)
        det = fractions.Fraction(1)
        for c in range(n):
            piv = next((r for r in range(c, n) if M[r][c] != 0), None)
            if piv is None:
                det = 0
                break
            if piv != c:
                M[c], M[piv] = M[piv], M[c]
                det = -det
            det *= M[c][c]
            for r in range(c + 1, n):
                f = M[r][c] / M[c][c]
                if f:
                    M[r] = [x - f * y for x, y in zip(M[r], M[c])]
        if det != 0:
            keep.append(a)
    return keep


def _normalised_rank_select(gram):
    """Greedy independent subset for a Gram matrix of real numbers: vector a is kept when the
    determinant of the normalised Gram matrix (unit diagonal, so between 0 and 1 whatever the
    vectors' scale) of the kept ones and a exceeds 10^(-dps/2)."""
    keep = []
    tol = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2))
    for a in range(len(gram)):
        if gram[a][a] <= 0:
            continue
        idx = keep + [a]
        sub = mpmath.matrix([[gram[i][j] / mpmath.sqrt(gram[i][i] * gram[j][j]) for j in idx] for i in idx])
        if mpmath.det(sub) > tol:
            keep.append(a)
    return keep


class CopyBasis:
    """The copies of one isotypic type in the fine fixed-point space at k.

    ``W``: the vectors' fine coordinates (integers); ``orb_exact``: the fine orbit sizes at the
    exact k (ints at integer k); ``gram``: the exact Gram matrix Σ_t orb_t W_a[t] W_b[t];
    ``keep``: a maximal independent subset, decided exactly; ``support``: the fine slots used."""

    def __init__(self, fine, k, vec_fns):
        self.fine = fine
        self.W = [fine.coords(f) for f in vec_fns]
        ke = exact_k(k)
        self.orb_exact = [exact_at(o, ke) for o in fine.space.orbit_sizes]
        self.support = sorted({a for w in self.W for a, c in enumerate(w) if c != 0})
        m = len(self.W)
        self.exact = all(isinstance(c, int) for w in self.W for c in w)
        if self.exact:
            self.gram = [[sum(self.orb_exact[t] * self.W[a][t] * self.W[b][t] for t in self.support)
                          for b in range(m)] for a in range(m)]
            self.keep = _exact_rank_select(self.gram)
        else:
            # vectors with real coordinates (e.g. e_a - 1/p at a real k): a rank decision on the
            # normalised Gram matrix (unit diagonal), relative to the working precision
            orb = [_to_mpf(o) for o in self.orb_exact]
            self.gram = [[sum(orb[t] * self.W[a][t] * self.W[b][t] for t in self.support)
                          for b in range(m)] for a in range(m)]
            self.keep = _normalised_rank_select(self.gram)


def _to_mpf(x):
    if isinstance(x, mpmath.mpf):
        return x
    return mpmath.mpf(int(x)) if isinstance(x, int) or getattr(x, "is_integer", False) else \
        mpmath.mpf(int(sympy.numer(x))) / int(sympy.denom(x))


def pencil(fine, cvals, k, vec_fns):
    """The symmetric form C = L⁻¹ S (UᵀHU) S L⁻ᵀ for the vectors (matrix functions) in the fine
    space at the coarse point, after dropping dependent vectors (decided exactly on the exact Gram
    matrix, see :class:`CopyBasis`); S = diag(|u_a|⁻¹) normalises the vectors (so the pencil does
    not depend on their scale, which grows with k) and S G S = L Lᵀ.  Returns
    ``(C, Li, W, keep, y0, orb)`` with Li = L⁻¹ S (so x = Liᵀ z maps an eigenvector z of C back
    to the coefficients of the kept vectors), W the vectors' fine coordinates, keep the
    independent ones."""
    sp = fine.space
    y0 = fine.point(cvals)
    basis = CopyBasis(fine, k, vec_fns)
    W, keep, support = basis.W, basis.keep, set(basis.support)
    orb = [_to_mpf(o) for o in basis.orb_exact]
    ctx = DualContext()
    kd = Dual(to_mpf(k), 0)  # exact int / Fraction / mpf at the working precision in force (never a float)
    HW = []
    for b in keep:
        w = W[b]
        vals = [Dual(mpmath.mpf(y) if not isinstance(y, mpmath.mpf) else y, mpmath.mpf(c)) for y, c in zip(y0, w)]
        g = sp.entry_gradient_in(ctx, vals, kd, only=support)
        HW.append([Dual.lift(x).du for x in g])
    m = len(keep)
    scale = [1 / mpmath.sqrt(_to_mpf(basis.gram[a][a])) for a in keep]
    A = mpmath.matrix(m, m)
    Gm = mpmath.matrix(m, m)
    for i, a in enumerate(keep):
        for j, b in enumerate(keep):
            A[i, j] = scale[i] * scale[j] * sum(orb[t] * W[a][t] * HW[j][t] for t in support)
            Gm[i, j] = scale[i] * scale[j] * _to_mpf(basis.gram[a][b])
    # symmetric form: L⁻¹ A L⁻ᵀ with G = L Lᵀ (G: the normalised Gram matrix, unit diagonal)
    L = mpmath.cholesky(Gm)
    Li = mpmath.inverse(L)
    C = Li * A * Li.T
    Li = Li * mpmath.diag(scale)
    return (C + C.T) / 2, Li, W, keep, y0, orb


def _block(fine, cvals, k, vec_fns):
    """B = G⁻¹ UᵀHU for the vectors (as matrix functions) in the fine space, at the coarse point:
    its eigenvalues and the number of independent vectors."""
    C, _, _, keep, _, _ = pencil(fine, cvals, k, vec_fns)
    ev = mpmath.eigsy(C, eigvals_only=True)
    return sorted([ev[i] for i in range(len(keep))]), len(keep)


def spectrum(cp: CriticalPoint, components: Iterable[str] | None = None, d: Any = None) -> Spectrum:
    """The Hessian spectrum of the critical point ``cp`` by isotypic component (see module doc).
    ``components``: names to compute (default all).

    With an extra student neuron (``cp.space.extra``, n = k + 1) the extra row is one more copy
    in the trivial component (r values) and in each V_I (the row e_u ⊗ v).

    ``d > k``: input dimension d with teacher [I_k | 0] and the point [W | 0] (still critical: the
    gradient in the extra columns vanishes).  The Hessian then also acts on d - k extra columns,
    each a copy of one k×k matrix (:meth:`FixedPointSpace.extra_column_block`); its eigenvalues
    are added as components 'extra:trivial' (r of them) and 'extra:V_I' (D_I - O_I), with
    multiplicity times d - k.
    """
    if d is not None:
        d = parse_number(d, name="d", positive=True)
    if d is not None and d != cp.k and cp.space.extra:
        raise BadInput("d > k with an extra student neuron (n = k + 1) is not implemented")
    if d is not None and d != cp.k:
        if not cp.is_integer_k or not is_integer(d) or d < cp.k:
            raise BadInput(f"d must be an integer >= k = {format_exact(cp.k)}, got {format_exact(d)}")
    sp = _spectrum_square(cp, components)
    if d is not None and d != cp.k:
        extra = extra_column_components(cp, int(d) - int(cp.k))
        if components is None:
            got = sum(c.dim_at_k * c.copies for c in extra)
            if got != int(cp.k) * (int(d) - int(cp.k)):
                raise MultiplicityError(f"the extra-column components add up to {got}, not n·(d - k) = "
                                        f"{int(cp.k) * (int(d) - int(cp.k))}")
        sp.components += extra
    return sp


def extra_column_components(cp, extra):
    """The components of ``extra`` extra input columns (d = k + extra).  At a real k (crossings)
    the block sizes are real and so are the multiplicities; the eigenvalues do not depend on d."""
    coarse = cp.space
    with mpmath.workdps(cp.work_dps):
        from symcrit.core.contexts import get_context
        if cp.is_integer_k:
            kk = mpmath.mpf(int(cp.k))
            p = [int(s.subs(K_SYMBOL, int(cp.k))) if not s.is_number else int(s) for s in coarse.sizes]
        else:
            kk = cp.k_mpf
            p = _orbit_values_of(coarse.sizes, kk)
        D, O, C = coarse.extra_column_block(get_context("mpmath"), cp.values, kk)
        r = len(p)
        # trivial part: the action on block-constant vectors, symmetrised by sqrt(p)
        M = mpmath.matrix(r, r)
        for I in range(r):
            for J in range(r):
                if I == J:
                    M[I, J] = D[I] + ((p[I] - 1) * O[I] if O[I] is not None else 0)
                else:
                    M[I, J] = mpmath.sqrt(p[I] * p[J]) * C[I][J]
        ev = mpmath.eigsy((M + M.T) / 2, eigvals_only=True)
        comps = [Component("extra:trivial", sympy.Integer(extra), extra, r, sorted(ev[i] for i in range(r)))]
        for I in range(r):
            if p[I] >= 2:
                comps.append(Component(f"extra:V_{I + 1}", sympy.expand((coarse.sizes[I] - 1) * extra),
                                       (p[I] - 1) * extra if cp.is_integer_k else float((p[I] - 1) * extra),
                                       1, [D[I] - O[I]]))
    return comps


class MultiplicityError(RuntimeError):
    """The isotypic decomposition lost or gained a copy: Σ dim(type) × copies ≠ n·d."""


def check_multiplicities(coarse, k, components):
    """Check Σ dim(τ) × copies(τ) = n·k exactly (n = k + extra students, d = k inputs) for the
    components of the square part at k (exact: ints at integer k, rationals at a real k where
    every type is present; :func:`spectrum` checks it on every full call there), and
    raise :class:`MultiplicityError` when it fails.  Returns the exact total."""
    ke = exact_k(k)
    total = 0
    for c in components:
        total += exact_at(c.dim, ke) * c.copies
    want = ke * (ke + coarse.extra)
    if sympy.simplify(total - want) != 0:
        detail = ", ".join(f"{c.name}: {c.copies} × {c.dim}" for c in components)
        raise MultiplicityError(f"the isotypic components at k = {ke} add up to {total}, not n·d = {want}: "
                                f"a copy was lost or gained ({detail})")
    return total


def _spectrum_square(cp, components=None):
    coarse = cp.space
    k = cp.k
    ke = exact_k(k)
    with mpmath.workdps(cp.work_dps):
        kk = cp.k_mpf
        sizes_at_k = [exact_at(s, ke) for s in coarse.sizes]
        comps = []
        # trivial: the entry Jacobian is B itself in the basis of orbit indicators
        Jf = coarse.jacobian_function("mpmath")(cp.values, kk)
        n = coarse.dim
        orb_exact = [exact_at(o, ke) for o in coarse.orbit_sizes]
        orb = [_to_mpf(o) for o in orb_exact]
        live = [i for i in range(n) if orb_exact[i] > 0]
        # symmetrise: D^(1/2) J D^(-1/2) with D = diag(orbit sizes) is the (symmetric) reduced Hessian
        C = mpmath.matrix(len(live), len(live))
        for a, i in enumerate(live):
            for b, j in enumerate(live):
                C[a, b] = mpmath.sqrt(orb[i]) * Jf[i * n + j] / mpmath.sqrt(orb[j])
        C = (C + C.T) / 2
        ev = mpmath.eigsy(C, eigvals_only=True)
        if components is None or "trivial" in components:
            comps.append(Component("trivial", sympy.Integer(1), 1, len(live), sorted(ev[i] for i in range(len(live)))))
        for name, dim, labels, vecs in component_types(coarse, sizes_at_k):
            if components is not None and name not in components:
                continue
            key = tuple(sorted((I, tuple(l)) for I, l in labels.items()))
            fine = fine_space(tuple(coarse.sizes), key, coarse.extra)
            evs, copies = _block(fine, cp.values, kk, vecs)
            d = exact_at(dim, ke)
            d_at = int(d) if cp.is_integer_k else float(d)
            comps.append(Component(name, dim, d_at, copies, evs))
        # the count is an identity at integer k, and at a real k where every type is present
        # (all blocks >= 4; below, the types present at a real k are a convention)
        if components is None and (cp.is_integer_k or min(sizes_at_k) >= 4):
            check_multiplicities(coarse, k, comps)
    return Spectrum(cp, comps)


def asymptotics(fam, exps=(4, 6, 8), reference="global", dps=40):
    """How the distinct eigenvalues behave as k → ∞ (k = 10^e for e in ``exps``), by symmetry.

    Returns rows ``{component, index, values, growth, limit, rate}``: ``growth`` is λ/k at the
    largest k for eigenvalues that grow linearly (λ ~ c k), else None; ``limit`` the value at the
    largest k; ``rate`` the exponent β in |λ(k) - λ(∞)| ~ k^β, estimated from the last three k by
    Richardson-style differences (β = -1/2 means O(s), O(d^(-1/2))).  Also the bulk difference to
    the ``reference`` family's matching component ([p-2,1,1] and [p-2,2] of the largest block).
    """
    import math
    from symcrit.critical.families import family as _family

    ks = [10 ** e for e in exps]
    specs = [spectrum(fam.solve(k, dps=dps, verify=False)) for k in ks]
    rows = []
    for c0 in specs[0].components:
        for j in range(len(c0.eigenvalues)):
            vals = []
            for sp in specs:
                comp = next(c for c in sp.components if c.name == c0.name)
                vals.append(comp.eigenvalues[j])
            growth = vals[-1] / ks[-1] if abs(vals[-1]) > 10 * math.sqrt(ks[-1]) else None
            rate = None
            if growth is None:
                d1, d2 = abs(vals[1] - vals[0]), abs(vals[2] - vals[1])
                if d1 > 0 and d2 > 0:
                    rate = float(mpmath.log(d2 / d1) / mpmath.log(mpmath.mpf(ks[1]) / ks[0]))
            rows.append({"component": c0.name, "index": j, "dim": str(c0.dim), "values": [mpmath.nstr(v, 12) for v in vals],
                         "growth": None if growth is None else float(growth), "limit": mpmath.nstr(vals[-1], 10),
                         "rate": rate})
    bulk = []
    if reference:
        ref = [spectrum(_family(reference).solve(k, dps=dps, verify=False)) for k in ks]
        big = max(range(len(fam.space.sizes)), key=lambda I: float(fam.space.sizes[I].subs(K_SYMBOL, 10**6)))
        rbig = max(range(len(_family(reference).space.sizes)),
                   key=lambda I: float(_family(reference).space.sizes[I].subs(K_SYMBOL, 10**6)))
        for t in ("[p-2,1,1]", "[p-2,2]"):
            diffs = []
            for sp, rp, k in zip(specs, ref, ks):
                a = next(c for c in sp.components if c.name == f"{t}_{big + 1}").eigenvalues[0]
                b = next(c for c in rp.components if c.name == f"{t}_{rbig + 1}").eigenvalues[0]
                diffs.append(a - b)
            bulk.append({"component": t, "differences": [mpmath.nstr(d, 6) for d in diffs],
                         "k_times_difference": [mpmath.nstr(d * k, 8) for d, k in zip(diffs, ks)]})
    return {"k": ks, "rows": rows, "bulk": bulk}


def component_names(space, extra_columns=False, k=None):
    """The names of the isotypic components of a fixed-point space's Hessian (at integer or real
    ``k``; default: large k, where every type is present), without computing anything.

    >>> from symcrit.symmetry.fixedpoint import fixed_point_space
    >>> component_names(fixed_point_space(["1", "k-1"]))
    ['trivial', 'V_2', '[p-2,2]_2', '[p-2,1,1]_2']
    """
    kk = 10**6 if k is None else k
    sizes = [float(s.subs(K_SYMBOL, kk)) if not s.is_number else int(s) for s in space.sizes]
    r = len(sizes)
    names = ["trivial"]
    for I in range(r):
        if sizes[I] >= 2:
            names.append(f"V_{I + 1}")
        if sizes[I] >= 4:
            names.append(f"[p-2,2]_{I + 1}")
        if sizes[I] >= 3:
            names.append(f"[p-2,1,1]_{I + 1}")
        names += [f"V_{I + 1}⊗V_{J + 1}" for J in range(I + 1, r) if sizes[I] >= 2 and sizes[J] >= 2]
    if extra_columns:
        names += ["extra:trivial"] + [f"extra:V_{I + 1}" for I in range(r) if sizes[I] >= 2]
    return names


def _component_tex(name):
    """A component's name in math mode: V_{1} \\otimes V_{2}, [p-2,1,1]_{2}, \\text{extra: }V_{1}."""
    import re
    pre = ""
    if name.startswith("extra:"):
        pre, name = "\\text{extra: }", name[len("extra:"):]
    if name == "trivial":
        return pre + "\\text{trivial}"
    return pre + re.sub(r"_(\d+)", r"_{\1}", name).replace("⊗", " \\otimes ")
