r"""Fixed-point spaces of the diagonal isotropy groups Δ(S_{p_1} × … × S_{p_r}) and the reduced loss.

With n = k = d and teacher V = I, the loss F is invariant under W ↦ P_σ W P_τᵀ.  The fixed-point
space of the diagonal group Δ(S_{p_1} × … × S_{p_r}) (block sizes p_I summing to k, possibly
affine in k) consists of the matrices that are constant on each off-diagonal block (I, J) and
that have one diagonal and one off-diagonal value on each diagonal block (I, I).  Restricted to
it, F is a closed-form function of those few values in which k is a number (here: a symbol).

>>> V = FixedPointSpace(["1", "k-1"])
>>> V.dim, V.params
(5, (a, b, c, d, e))
>>> V.orbit_sizes
(1, k - 1, k - 1, k - 1, (k - 2)*(k - 1))
>>> FixedPointSpace([2, "k-2"]).params
(alpha, beta, gamma, delta, d, e)
>>> FixedPointSpace(["k"]).params
(p, q)
>>> FixedPointSpace([1, 1, "k-2"]).params
(d1, x12, x13, x21, d2, x23, x31, x32, d3, o3)
"""
from __future__ import annotations

from symcrit.core.errors import BadInput
import functools
import itertools
import math
import re
from typing import Any, Callable, Iterable, Mapping, Sequence

import mpmath
import numpy as np
import sympy

from symcrit.core.ad import jacobian_program
from symcrit.core.compile import compile_exprs
from symcrit.core.contexts import get_context
from symcrit.core.tex import tex
from symcrit.symmetry.blocks import K, K_SYMBOL, poly_at
from symcrit.model.kernel import kernel_from_profile, profile_root, profile_sums

__all__ = ["FixedPointSpace", "fixed_point_space", "parse_blocks", "BlocksError", "K", "K_SYMBOL", "isotropy", "Isotropy"]



class BlocksError(BadInput):
    """Block sizes that do not describe a diagonal isotropy type."""


_BLOCK_RE = re.compile(r"^[0-9k+\-*\s]+$")


def _parse_block(b):
    if isinstance(b, sympy.Basic):
        e = b
    elif isinstance(b, (int, np.integer)):
        e = sympy.Integer(int(b))
    elif isinstance(b, str):
        s = b.strip()
        if not s or not _BLOCK_RE.match(s):
            raise BlocksError(f"block size {b!r} is not an integer or an expression affine in k (like 'k-1')")
        try:
            e = sympy.sympify(s, locals={"k": K_SYMBOL})
        except (sympy.SympifyError, SyntaxError, TypeError) as exc:
            raise BlocksError(f"cannot parse block size {b!r}") from exc
    else:
        raise BlocksError(f"block size {b!r} must be an integer or a string like 'k-1'")
    e = sympy.expand(e)
    poly = sympy.Poly(e, K_SYMBOL)
    if poly.degree() > 1 or any(not c.is_integer for c in poly.all_coeffs()):
        raise BlocksError(f"block size {b!r} must be affine in k with integer coefficients")
    if poly.degree() == 1 and poly.LC() < 0:
        raise BlocksError(f"block size {b!r} decreases with k")
    if e.is_number and e < 1:
        raise BlocksError(f"block size {b!r} must be at least 1")
    return e


def parse_blocks(blocks: str | Sequence[Any]) -> tuple[tuple[Any, ...], int | None]:
    """Parse block sizes: a list of ints / strings affine in k, or one string ``"1,k-1"``.

    Returns ``(sizes, k_value)``: the sympy sizes and, when every size is a number, the
    integer k they define (otherwise None).  The sizes must add up to k.

    >>> parse_blocks("1,k-1")
    ((1, k - 1), None)
    >>> parse_blocks([2, 3])
    ((2, 3), 5)
    >>> parse_blocks("1,k-2")
    Traceback (most recent call last):
    ...
    symcrit.symmetry.fixedpoint.BlocksError: block sizes 1, k - 2 add up to k - 1, not to k
    """
    if isinstance(blocks, str):
        parts = [p for p in blocks.split(",")]
        if any(not p.strip() for p in parts):
            raise BlocksError(f"empty block size in {blocks!r}")
    else:
        parts = list(blocks)
    if not parts:
        raise BlocksError("no blocks given")
    sizes = tuple(_parse_block(p) for p in parts)
    total = sympy.expand(sum(sizes))
    if all(s.is_number for s in sizes):
        return sizes, int(total)
    if total != K_SYMBOL:
        raise BlocksError(f"block sizes {', '.join(map(str, sizes))} add up to {total}, not to k")
    return sizes, None


def _canonical_names(sizes):
    """SPEC §2 names for the named isotropy types, else None."""
    if len(sizes) == 1 and sizes[0] == K_SYMBOL:
        return ["p", "q"]
    if len(sizes) == 2 and sizes[0] == 1 and sizes[1] == K_SYMBOL - 1:
        return ["a", "b", "c", "d", "e"]
    if len(sizes) == 2 and sizes[0].is_number and sizes[0] >= 2 and sympy.expand(sizes[1] - K_SYMBOL + sizes[0]) == 0:
        return ["alpha", "beta", "gamma", "delta", "d", "e"]
    return None


class _Vec:
    """An abstract row of the fixed space: a student row (kind 'w') or a teacher row e_j (kind 'v')
    in block ``block``, whose own index is labelled ``tag``."""

    __slots__ = ("kind", "block", "tag")

    def __init__(self, kind, block, tag):
        self.kind, self.block, self.tag = kind, block, tag

    def value(self, P, C, tag):
        """Entry in a column of block C; ``tag`` is the column's label (None: a generic column)."""
        if self.kind == "u":  # the extra student row: constant on each column block
            return P.E[C]
        if self.kind == "v":
            return 1 if (C == self.block and tag == self.tag) else 0
        I = self.block
        if C != I:
            return P.X[I][C]
        return P.D[I] if tag == self.tag else P.O[I]


class _Params:
    def __init__(self, space, values):
        r = len(space.sizes)
        it = iter(values)
        self.D = [None] * r
        self.O = [None] * r
        self.X = [[None] * r for _ in range(r)]
        self.E = [None] * r
        for kind, I, J in space.slots:
            v = next(it)
            if kind == "e":
                self.E[J] = v
            elif kind == "d":
                self.D[I] = v
            elif kind == "o":
                self.O[I] = v
            else:
                self.X[I][J] = v


class FixedPointSpace:
    """The fixed-point space of Δ(S_{p_1} × … × S_{p_r}) in M(k, k) (n = k = d, teacher I).

    Parameters
    ----------
    blocks : block sizes, ints or strings affine in k (``["1", "k-1"]``, ``"2,k-2"``, ``[1, 5]``),
        adding up to k. With integer sizes only, k is their sum.
    extra : 0, or 1 for one extra student neuron (n = k + 1, d = k, teacher I_k): the extra row
        is fixed by the group (a singleton row with no partner column), so it is constant on each
        column block: parameters ``u1 … ur``.

    >>> V = FixedPointSpace(["1", "k-1"], extra=1)
    >>> V.params, V.orbit_sizes[-2:]
    ((a, b, c, d, e, u1, u2), (1, k - 1))
    >>> V.embed([-1, 0.1, 0.2, 1, 0.3, 0.5, 0.05], 3).shape
    (4, 3)

    Attributes
    ----------
    dim, params, sizes, orbit_sizes, k_min
    """

    def __init__(self, blocks: str | Sequence[Any], extra: int = 0) -> None:
        self.sizes, self.k_value = parse_blocks(blocks)
        if extra not in (0, 1):
            raise BlocksError(f"extra must be 0 or 1 (one extra student neuron), got {extra!r}")
        self.extra = int(extra)
        r = len(self.sizes)
        slots = []
        for I in range(r):
            for J in range(r):
                if I == J:
                    slots.append(("d", I, I))
                    if self.sizes[I] != 1:
                        slots.append(("o", I, I))
                else:
                    slots.append(("x", I, J))
        if self.extra:
            slots += [("e", r, J) for J in range(r)]
        self.slots = slots
        names = _canonical_names(self.sizes)
        if names is None:
            def nm(kind, I, J):
                sep = "" if r < 10 else "_"
                return {"d": f"d{I + 1}", "o": f"o{I + 1}", "x": f"x{I + 1}{sep}{J + 1}"}[kind]
            names = [nm(*s) for s in slots if s[0] != "e"]
        if self.extra:
            names = list(names) + [f"u{J + 1}" for J in range(r)]
        self.params = tuple(sympy.Symbol(nm, real=True) for nm in names)
        self.dim = len(self.params)
        p = self.sizes
        self.orbit_sizes = tuple(
            sympy.factor(p[I] if kd == "d" else p[I] * (p[I] - 1) if kd == "o" else p[J] if kd == "e" else p[I] * p[J])
            for kd, I, J in slots)
        # smallest integer k at which every block exists with all its parameters
        if self.k_value is not None:
            self.k_min = self.k_value
        else:
            kmin = 1
            for s in self.sizes:
                if not s.is_number:
                    need = 2
                    c = sympy.Poly(s, K_SYMBOL).all_coeffs()  # a*k + b with a >= 1
                    a, b = int(c[0]), int(c[1])
                    kmin = max(kmin, -(-(need - b) // a))
            self.k_min = max(kmin, sum(int(s) for s in self.sizes if s.is_number) + 1)

    # -- description ----------------------------------------------------------------------------
    @property
    def blocks(self):
        """Block sizes as strings, e.g. ``('1', 'k - 1')``."""
        return tuple(str(s) for s in self.sizes)

    def __repr__(self):
        return "FixedPointSpace([" + ", ".join(repr(b) for b in self.blocks) + "]" + (", extra=1)" if self.extra else ")")

    def __eq__(self, other):
        return isinstance(other, FixedPointSpace) and self.sizes == other.sizes and self.extra == other.extra

    def __hash__(self):
        return hash((self.sizes, self.extra))

    def sizes_at(self, k: Any) -> list[int]:
        """The integer block sizes at an integer k (checks that every block exists)."""
        if int(k) != k:
            raise BadInput(f"k must be an integer to embed, got {k}")
        k = int(k)
        if self.k_value is not None and k != self.k_value:
            raise BadInput(f"this space has k = {self.k_value}, not {k}")
        sz = [poly_at(s, k) for s in self.sizes]
        if min(sz) < 1 or k < self.k_min:
            raise BadInput(f"blocks {', '.join(self.blocks)} need k >= {self.k_min}, got k = {k}")
        return sz

    def group_order(self, k: Any) -> int:
        """Order of the isotropy group Δ(S_{p_1} × … × S_{p_r}) at integer k."""
        return math.prod(math.factorial(p) for p in self.sizes_at(k))

    def group_orbit_size(self, k: Any) -> int:
        """Number of points in the Γ = S_n × S_k orbit of a point with exactly this isotropy."""
        return math.factorial(int(k) + self.extra) * math.factorial(int(k)) // self.group_order(k)

    def subs_k(self, k: Any) -> FixedPointSpace:
        """The same space at a fixed integer k (block sizes become numbers)."""
        return FixedPointSpace(self.sizes_at(k), extra=self.extra)

    # -- embedding ------------------------------------------------------------------------------
    def _entry_slot(self, bounds, i, j):
        """(slot index) of the entry (i, j) for integer block bounds."""
        I = int(np.searchsorted(bounds, i, side="right")) - 1
        J = int(np.searchsorted(bounds, j, side="right")) - 1
        kind = ("d" if i == j else "o") if I == J else "x"
        return self._slot_index[(kind, I, J)]

    @functools.cached_property
    def _slot_index(self):
        return {s: n for n, s in enumerate(self.slots)}

    def slot_matrix(self, k: Any) -> np.ndarray:
        """Integer matrix S with S[i, j] = index of the parameter sitting at entry (i, j)."""
        sz = self.sizes_at(k)
        k = sum(sz)
        bounds = np.concatenate([[0], np.cumsum(sz)])
        S = np.empty((k + self.extra, k), dtype=int)
        if self.extra:
            for J in range(len(sz)):
                S[k, bounds[J]:bounds[J + 1]] = self._slot_index[("e", len(sz), J)]
        for I, J in itertools.product(range(len(sz)), repeat=2):
            rows, cols = slice(bounds[I], bounds[I + 1]), slice(bounds[J], bounds[J + 1])
            if I == J:
                S[rows, cols] = self._slot_index.get(("o", I, I), -1)
                for t in range(bounds[I], bounds[I + 1]):
                    S[t, t] = self._slot_index[("d", I, I)]
            else:
                S[rows, cols] = self._slot_index[("x", I, J)]
        return S

    def embed(self, values: Sequence[Any] | Mapping[str, Any], k: Any = None) -> np.ndarray:
        """The full k×k matrix ((k+1)×k with the extra row) of the point with these parameter values.

        Values may be floats (float64 array), mpmath numbers (object array) or a dict by name.

        >>> FixedPointSpace(["1", "k-1"]).embed([-1, 0.1, 0.2, 1, 0.3], 3)
        array([[-1. ,  0.1,  0.1],
               [ 0.2,  1. ,  0.3],
               [ 0.2,  0.3,  1. ]])
        """
        k = self.k_value if k is None else k
        if k is None:
            raise BadInput("embed needs an integer k")
        vals = self.param_values(values)
        S = self.slot_matrix(k)
        if any(isinstance(v, mpmath.mpf) for v in vals):
            arr = np.array([mpmath.mpf(v) for v in vals], dtype=object)
        else:
            arr = np.array([float(v) for v in vals])
        return arr[S]

    def project(self, W: Any) -> list[Any]:
        """Orthogonal projection of a k×k matrix onto the space: the parameter values (orbit means)."""
        W = np.asarray(W)
        k = W.shape[1]
        S = self.slot_matrix(k)
        out = []
        for n in range(self.dim):
            vals = W[S == n]
            out.append(sum(vals[1:], vals[0]) / len(vals))
        return out

    def param_values(self, values: Sequence[Any] | Mapping[str, Any]) -> list[Any]:
        if isinstance(values, dict):
            try:
                values = [values[str(p)] for p in self.params]
            except KeyError as exc:
                raise BadInput(f"missing parameter {exc.args[0]!r}; parameters are {self.params}") from None
        values = list(values)
        if len(values) != self.dim:
            raise BadInput(f"expected {self.dim} parameter values {self.params}, got {len(values)}")
        return values

    # -- the reduced loss, built through the profile kernel -----------------------------------------
    def _profile(self, P, A, B, sizes=None):
        prof = []
        for C, size in enumerate(self.sizes if sizes is None else sizes):
            tags = sorted({t.tag for t in (A, B) if t.block == C})
            for t in tags:
                prof.append((1, A.value(P, C, t), B.value(P, C, t)))
            rest = size - len(tags)
            if rest != 0:
                prof.append((rest, A.value(P, C, None), B.value(P, C, None)))
        return prof

    def _f(self, ctx, P, A, B, sizes=None):
        return kernel_from_profile(ctx, self._profile(P, A, B, sizes))

    def loss_in(self, ctx: Any, values: Sequence[Any], k: Any) -> Any:
        """The reduced loss evaluated in a number context (values and k in that context)."""
        P = _Params(self, values)
        p = [poly_at(s, k) for s in self.sizes]
        r = len(p)
        half = ctx.rational(1, 2)
        F = 0
        for I in range(r):
            wi, wi2 = _Vec("w", I, "a"), _Vec("w", I, "b")
            uu = profile_sums(ctx, self._profile(P, wi, wi, p))[0]
            F = F + p[I] * uu / 4
            if self.sizes[I] != 1:
                F = F + half * p[I] * (p[I] - 1) * self._f(ctx, P, wi, wi2, p)
            for I2 in range(I + 1, r):
                F = F + p[I] * p[I2] * self._f(ctx, P, wi, _Vec("w", I2, "b"), p)
            # teacher terms: e_i, e_j (j in I, j != i), e_j (j in J != I)
            T = self._f(ctx, P, wi, _Vec("v", I, "a"), p)
            if self.sizes[I] != 1:
                T = T + (p[I] - 1) * self._f(ctx, P, wi, _Vec("v", I, "b"), p)
            for J in range(r):
                if J != I:
                    T = T + p[J] * self._f(ctx, P, wi, _Vec("v", J, "b"), p)
            F = F - p[I] * T
        if self.extra:
            u = _Vec("u", r, None)
            F = F + profile_sums(ctx, self._profile(P, u, u, p))[0] / 4
            for I in range(r):
                F = F + p[I] * self._f(ctx, P, u, _Vec("w", I, "b"), p)
                F = F - p[I] * self._f(ctx, P, u, _Vec("v", I, "b"), p)
        kk = sum(p)
        F = F + kk / 4 + kk * (kk - 1) / (4 * ctx.pi())
        return F

    def _column_sum(self, P, p, K_block, i_block, col_block, col_tag):
        """sum over student rows i' in class K_block (excluding the representative row i, tag 'a')
        of W[i', c], for a column c of block col_block with tag col_tag ('a' = i's own index,
        'c' = another index)."""
        if K_block == i_block:
            n_rest = p[K_block] - 1
            if col_block == K_block:
                if col_tag == "a":
                    return n_rest * P.O[K_block] if self.sizes[K_block] != 1 else 0
                # c in I, c != i: the row i' = c holds the diagonal value
                rest = P.O[K_block] * (p[K_block] - 2) if self.sizes[K_block] != 1 else 0
                return P.D[K_block] + rest
            return n_rest * P.X[K_block][col_block]
        if col_block == K_block:
            rest = (p[K_block] - 1) * P.O[K_block] if self.sizes[K_block] != 1 else 0
            return P.D[K_block] + rest
        return p[K_block] * P.X[K_block][col_block]

    def entry_gradient_in(self, ctx: Any, values: Sequence[Any], k: Any,
                          only: Iterable[int] | None = None) -> list[Any]:
        """dF/dW_ij at one representative entry of each parameter's orbit (in parameter order).

        Every entry of an orbit has the same full-space gradient, so these values are the full
        gradient of the embedded point; the reduced gradient is them times the orbit sizes.
        With ``only`` (a set of slot indices), the other components are returned as 0.
        """
        P = _Params(self, values)
        p = [poly_at(s, k) for s in self.sizes]
        r = len(p)
        pi = ctx.pi()
        out = []
        for slot_no, (kind, I, J) in enumerate(self.slots):
            if only is not None and slot_no not in only:
                out.append(0)
                continue
            if kind == "e":
                out.append(self._extra_row_gradient(ctx, P, p, J))
                continue
            wi = _Vec("w", I, "a")
            col_block, col_tag = (I, "a") if kind == "d" else (I, "c") if kind == "o" else (J, "c")
            w_ic = wi.value(P, col_block, col_tag)
            uu = profile_sums(ctx, self._profile(P, wi, wi, p))[0]
            g = w_ic / 2
            acc = 0
            # student classes: I without i, and the other blocks
            for K2 in range(r):
                if K2 == I:
                    if self.sizes[I] == 1:
                        continue
                    n = p[I] - 1
                    other = _Vec("w", I, "b")
                else:
                    n = p[K2]
                    other = _Vec("w", K2, "b")
                prof = self._profile(P, wi, other, p)
                _, _, uv, S = profile_sums(ctx, prof)
                rS = profile_root(ctx, prof, S)
                th = ctx.atan2(rS, uv)
                acc = acc + n * rS / uu * w_ic + (pi - th) * self._column_sum(P, p, K2, I, col_block, col_tag)
            if self.extra:
                prof = self._profile(P, wi, _Vec("u", r, None), p)
                _, _, uv, S = profile_sums(ctx, prof)
                rS = profile_root(ctx, prof, S)
                acc = acc + rS / uu * w_ic + (pi - ctx.atan2(rS, uv)) * P.E[col_block]
            # teacher classes: e_i; e_j for j in I, j != i; e_j for j in J != I
            tclasses = [(1, _Vec("v", I, "a"), 1 if (col_block == I and col_tag == "a") else 0)]
            if self.sizes[I] != 1:
                tclasses.append((p[I] - 1, _Vec("v", I, "b"), 1 if (col_block == I and col_tag == "c") else 0))
            for J2 in range(r):
                if J2 != I:
                    tclasses.append((p[J2], _Vec("v", J2, "b"), 1 if col_block == J2 else 0))
            for n, tv, colsum in tclasses:
                prof = self._profile(P, wi, tv, p)
                _, _, uv, S = profile_sums(ctx, prof)
                rS = profile_root(ctx, prof, S)
                th = ctx.atan2(rS, uv)
                acc = acc - n * rS / uu * w_ic - ((pi - th) * colsum if colsum else 0)
            out.append(g + acc / (2 * pi))
        return out

    def _extra_row_gradient(self, ctx, P, p, J):
        """dF/dW at the extra row, in a column of block J:
        Σ_K p_K g(u, w_K) − Σ_K p_K g(u, v_K) + u/2, taken in that column."""
        r = len(p)
        pi = ctx.pi()
        u = _Vec("u", r, None)
        uu = profile_sums(ctx, self._profile(P, u, u, p))[0]
        w_c = P.E[J]
        acc = 0
        for K2 in range(r):
            for sign, other, colsum in ((1, _Vec("w", K2, "b"), self._column_sum(P, p, K2, r, J, "c")),
                                        (-1, _Vec("v", K2, "b"), 1 if K2 == J else 0)):
                prof = self._profile(P, u, other, p)
                _, _, uv, S = profile_sums(ctx, prof)
                rS = profile_root(ctx, prof, S)
                term = p[K2] * rS / uu * w_c
                if colsum is not None and not (isinstance(colsum, int) and colsum == 0):
                    term = term + (pi - ctx.atan2(rS, uv)) * colsum
                acc = acc + sign * term
        return w_c / 2 + acc / (2 * pi)

    def extra_column_block(self, ctx: Any, values: Sequence[Any], k: Any) -> tuple[list[Any], list[Any], list[list[Any]]]:
        """The Hessian on one extra input coordinate (d > k, teacher [I_k | 0], point [W | 0]).

        Returns (D, O, C): D[I] the diagonal entry for a row of block I, O[I] the entry between two
        rows of block I, C[I][J] the entry between rows of blocks I != J.  On each extra column the
        Hessian is H[i,i] = 1/2 + (Σ_{i'≠i} √S_{ii'} - Σ_l √S_{il}) / (2π|w_i|²) and
        H[i,i'] = (π - θ_{ii'}) / (2π) (the extra coordinate is orthogonal to every row), the same
        for each of the d - k extra columns.
        """
        if self.extra:
            raise NotImplementedError("d > k with an extra student neuron is not implemented")
        P = _Params(self, values)
        p = [poly_at(s, k) for s in self.sizes]
        r = len(p)
        pi = ctx.pi()
        D, O, C = [None] * r, [None] * r, [[None] * r for _ in range(r)]

        def root_and_angle(A, B):
            prof = self._profile(P, A, B, p)
            _, _, uv, S = profile_sums(ctx, prof)
            rS = profile_root(ctx, prof, S)
            return rS, ctx.atan2(rS, uv)

        for I in range(r):
            wi = _Vec("w", I, "a")
            uu = profile_sums(ctx, self._profile(P, wi, wi, p))[0]
            acc = 0
            for J in range(r):
                if J == I and self.sizes[I] == 1:
                    continue
                n = p[I] - 1 if J == I else p[J]
                rS, th = root_and_angle(wi, _Vec("w", J, "b"))
                acc = acc + n * rS
                if J == I:
                    O[I] = (pi - th) / (2 * pi)
                else:
                    C[I][J] = (pi - th) / (2 * pi)
            tclasses = [(1, _Vec("v", I, "a"))]
            if self.sizes[I] != 1:
                tclasses.append((p[I] - 1, _Vec("v", I, "b")))
            tclasses += [(p[J], _Vec("v", J, "b")) for J in range(r) if J != I]
            for n, tv in tclasses:
                rS, _ = root_and_angle(wi, tv)
                acc = acc - n * rS
            D[I] = ctx.rational(1, 2) + acc / (2 * pi * uu)
        return D, O, C

    # -- symbolic forms ---------------------------------------------------------------------------
    @functools.cached_property
    def _k_sym(self):
        return sympy.Integer(self.k_value) if self.k_value is not None else K_SYMBOL

    def reduced_loss(self) -> Any:
        """The loss restricted to the space: a sympy expression in ``params`` and the symbol k.

        >>> V = FixedPointSpace(["k"])
        >>> p, q = V.params
        >>> V.reduced_loss().subs({p: 1, q: 0}).simplify()
        0
        """
        return self._reduced_loss

    @functools.cached_property
    def _reduced_loss(self):
        return self.loss_in(get_context("sympy"), self.params, self._k_sym)

    def entry_gradient(self) -> list[Any]:
        """Full-space gradient dF/dW_ij at a representative entry of each parameter's orbit."""
        return list(self._entry_gradient)

    @functools.cached_property
    def _entry_gradient(self):
        return tuple(self.entry_gradient_in(get_context("sympy"), self.params, self._k_sym))

    def reduced_gradient(self) -> list[Any]:
        """Gradient of :meth:`reduced_loss` in the parameters (orbit size × entry gradient)."""
        return [n * g for n, g in zip(self.orbit_sizes, self._entry_gradient)]

    def entry_jacobian(self) -> Any:
        """Jacobian of :meth:`entry_gradient` in the parameters, as a sympy matrix (by symbolic
        differentiation: slow for large spaces, built on first use; the numeric callables use the
        forward-mode AD Jacobian of :attr:`compiled` instead)."""
        return self._entry_jacobian

    @functools.cached_property
    def _entry_jacobian(self):
        return sympy.Matrix([[sympy.diff(g, x) for x in self.params] for g in self._entry_gradient])

    # -- numeric callables ---------------------------------------------------------------------------
    #: how :attr:`compiled` builds the Jacobian: "ad" (forward-mode automatic differentiation of the
    #: compiled gradient, :func:`symcrit.core.ad.jacobian_program`) or "symbolic" (sympy.diff of the
    #: gradient, then compiled: the former method, kept as a reference and for benchmarks)
    jacobian_method = "ad"

    @functools.cached_property
    def compiled(self):
        """The compiled reduced system, ``fn(ctx, *params, k) -> list``, each built on first use:
        ``"loss"`` ([F]), ``"grad"`` (the entry gradient), ``"jac"`` (its Jacobian in the parameters,
        flat row-major) and ``"grad_jac"`` (``(gradient, Jacobian)`` from one evaluation)."""
        return _LazySystem(self)

    def _compile(self, what):
        args = list(self.params) + [K_SYMBOL]
        if what == "loss":
            return compile_exprs(args, [self._reduced_loss], "reduced_loss")
        if what == "grad":
            return compile_exprs(args, list(self._entry_gradient), "entry_gradient")
        if what == "jac" and self.jacobian_method == "symbolic":
            return compile_exprs(args, list(self._entry_jacobian), "entry_jacobian")
        if what in ("jac", "grad_jac"):
            return jacobian_program(self.compiled["grad"], self.dim + 1, self.dim, "entry_" + what,
                                    with_values=(what == "grad_jac"))
        raise KeyError(what)

    def _call(self, what, values, k, backend):
        ctx = get_context(backend)
        vals = [ctx.convert(v) for v in self.param_values(values)]
        kk = ctx.convert(self.k_value if self.k_value is not None else k)
        return self.compiled[what](ctx, *vals, kk)

    def loss_function(self, backend: str = "mpmath") -> Callable[..., Any]:
        """Callable ``F(values, k)`` of the reduced loss in a backend ('float', 'mpmath', 'arb')."""
        return lambda values, k=None: self._call("loss", values, k, backend)[0]

    def gradient_function(self, backend: str = "mpmath") -> Callable[..., list[Any]]:
        """Callable ``G(values, k)``: the entry gradient (list, parameter order)."""
        return lambda values, k=None: self._call("grad", values, k, backend)

    def jacobian_function(self, backend: str = "mpmath") -> Callable[..., list[Any]]:
        """Callable ``J(values, k)``: the Jacobian of the entry gradient (dim×dim, row-major list)."""
        return lambda values, k=None: self._call("jac", values, k, backend)

    def gradient_jacobian_function(self, backend: str = "mpmath") -> Callable[..., Any]:
        """Callable ``GJ(values, k) -> (G, J)``: the entry gradient and its Jacobian (row-major list)
        from one evaluation (cheaper than the two calls)."""
        return lambda values, k=None: self._call("grad_jac", values, k, backend)

    # -- display ----------------------------------------------------------------------------------
    def to_latex(self) -> str:
        """``F(params) = …``: the reduced loss in LaTeX."""
        args = ", ".join(sympy.latex(p) for p in self.params)
        return f"F({args}) = " + tex(self.reduced_loss())

    def _repr_latex_(self):
        return "$\\displaystyle " + self.to_latex() + "$"


class _LazySystem(dict):
    """The compiled callables of a space, each compiled when first looked up."""

    def __init__(self, space):
        super().__init__()
        self._space = space

    def __missing__(self, what):
        fn = self._space._compile(what)
        self[what] = fn
        return fn


@functools.lru_cache(maxsize=128)
def _space_cached(sizes, extra=0):
    return FixedPointSpace(list(sizes), extra=extra)


def fixed_point_space(blocks, extra=0):
    """A shared FixedPointSpace for these blocks: its reduced system is compiled once per process."""
    sizes, _ = parse_blocks(blocks)
    return _space_cached(sizes, extra)


# ---------------------------------------------------------------------------------------------
# identification of the isotropy of a numerical point


class Isotropy:
    """The diagonal isotropy type of a point, and the permutations that put it in canonical form.

    ``W[row_perm][:, col_perm]`` is in the fixed-point space of ``FixedPointSpace(sizes)`` with
    blocks in the order of ``sizes`` (ascending).
    """

    def __init__(self, sizes: Iterable[int], row_perm: Any, col_perm: Any) -> None:
        self.sizes = tuple(int(s) for s in sizes)
        self.row_perm = np.asarray(row_perm)
        self.col_perm = np.asarray(col_perm)

    @property
    def space(self):
        return FixedPointSpace(list(self.sizes))

    def canonical(self, W: Any) -> np.ndarray:
        return np.asarray(W)[self.row_perm][:, self.col_perm]

    def __repr__(self):
        return f"Isotropy(sizes={self.sizes})"


def _labels(values, tol):
    """Cluster real numbers: equal labels for values within tol (single linkage on the sorted list)."""
    flat = np.asarray(values, dtype=float).ravel()
    order = np.argsort(flat)
    lab = np.empty(len(flat), dtype=int)
    cur = 0
    for n, idx in enumerate(order):
        if n and flat[idx] - flat[order[n - 1]] > tol:
            cur += 1
        lab[idx] = cur
    return lab.reshape(np.shape(values))


def _refine(L):
    """Colour refinement of rows and columns of a labelled matrix; returns (row_colour, col_colour)."""
    n, m = L.shape
    rc = np.array([hash(tuple(sorted(L[i]))) for i in range(n)])
    cc = np.array([hash(tuple(sorted(L[:, j]))) for j in range(m)])
    for _ in range(n + m):
        nrc = np.array([hash((rc[i], tuple(sorted(zip(L[i], cc))))) for i in range(n)])
        ncc = np.array([hash((cc[j], tuple(sorted(zip(L[:, j], rc))))) for j in range(m)])
        same = (len(set(nrc)) == len(set(rc))) and (len(set(ncc)) == len(set(cc)))
        rc, cc = nrc, ncc
        if same:
            break
    _, rc = np.unique(rc, return_inverse=True)
    _, cc = np.unique(cc, return_inverse=True)
    return rc, cc


def isotropy(W: Any, tol: float = 1e-8) -> Isotropy:
    """Identify the diagonal isotropy type of a numerical point W ∈ M(k, k).

    Finds the coarsest partition into blocks, and row and column permutations, such that the
    permuted matrix lies (within ``tol``) in the fixed-point space of Δ(S_{p_1} × … × S_{p_r}).
    Blocks are ordered by size, then by their diagonal value.

    >>> sp = FixedPointSpace(["1", "k-1"])
    >>> W = sp.embed([-0.9, 0.05, 0.1, 1.0, -0.01], 6)
    >>> rng = np.random.default_rng(1)
    >>> r, c = rng.permutation(6), rng.permutation(6)
    >>> iso = isotropy(W[r][:, c])
    >>> iso.sizes
    (1, 5)
    >>> bool(np.allclose(iso.canonical(W[r][:, c]), W))
    True
    """
    W = np.asarray(W, dtype=float)
    k = W.shape[0]
    if W.shape != (k, k):
        raise BadInput("isotropy needs a square matrix (n = k = d)")
    L = _labels(W, tol)
    rc, cc = _refine(L)
    row_classes = [np.flatnonzero(rc == c) for c in range(rc.max() + 1)]
    col_classes = [np.flatnonzero(cc == c) for c in range(cc.max() + 1)]

    def pairing_cost(R, C):
        """None if the block W[R, C] cannot be a diagonal block, else a matching (row -> col)."""
        if len(R) != len(C):
            return None
        sub = L[np.ix_(R, C)]
        if len(R) == 1:
            return {R[0]: C[0]}
        vals, counts = np.unique(sub, return_counts=True)
        if len(vals) == 1:
            return {r: c for r, c in zip(R, C)}
        if len(vals) != 2:
            return None
        # the diagonal value appears once per row and once per column
        for v in vals:
            mask = sub == v
            if np.all(mask.sum(1) == 1) and np.all(mask.sum(0) == 1):
                return {R[a]: C[int(np.flatnonzero(mask[a])[0])] for a in range(len(R))}
        return None

    sizes_ok = {}

    def candidate(pairs):
        # blocks ordered by size, then diagonal value
        blocks = sorted(pairs, key=lambda pm: (len(pm[0]), float(W[pm[0][0], pm[1][pm[0][0]]])))
        row_perm = np.concatenate([pm[0] for pm in blocks])
        col_perm = np.array([pm[1][r] for pm in blocks for r in pm[0]])
        sizes = [len(pm[0]) for pm in blocks]
        Wc = W[row_perm][:, col_perm]
        key = tuple(sizes)
        if key not in sizes_ok:
            sizes_ok[key] = FixedPointSpace(sizes)
        sp = sizes_ok[key]
        if np.max(np.abs(sp.embed(sp.project(Wc), k) - Wc)) <= tol:
            return Isotropy(sizes, row_perm, col_perm)
        return None

    # pair row classes with column classes (backtracking over few classes); a genuine diagonal
    # block (two values, one of them on a permutation) is tried before a constant one
    def solve(ri, used, acc):
        if ri == len(row_classes):
            return candidate(acc)
        R = row_classes[ri]
        options = []
        for ci, C in enumerate(col_classes):
            if ci not in used:
                m = pairing_cost(R, C)
                if m is not None:
                    constant = len(np.unique(L[np.ix_(R, C)])) == 1 and len(R) > 1
                    options.append((constant, ci, m))
        for _, ci, m in sorted(options, key=lambda o: (o[0], o[1])):
            res = solve(ri + 1, used | {ci}, acc + [(R, m)])
            if res is not None:
                return res
        return None

    found = solve(0, frozenset(), [])
    if found is not None:
        return found
    return Isotropy([1] * k, np.arange(k), np.arange(k))
