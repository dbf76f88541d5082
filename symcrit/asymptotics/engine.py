r"""The series engine: critical points and critical values as power series in s = k^(-1/2).

Method (the family's parameters x_i and its limit W∞ as k → ∞):

1. **Leading powers.** Solve the family at k = 10^40 and 10^60 (k is just a real parameter) and
   read off each m_i with x_i - x∞_i = Θ(s^{m_i}) from the two values.  A parameter with
   x_i = x∞_i to working precision at both is fixed.
2. **Rescaling.** Write x_i = x∞_i + s^{m_i} y_i(s) with unknown power series y_i, and k = s^{-2}.
3. **Newton's method on truncated Laurent series.** The entry gradient G and its Jacobian J are
   the same compiled expressions that solve the family numerically (:mod:`symcrit.symmetry.fixedpoint`);
   here they are evaluated in a number context whose numbers are Laurent series with ball
   coefficients (:mod:`symcrit.core.laurent`).  There, every square root first strips the leading
   power of its argument (S = s^{2v}·S̃ with S̃(0) > 0) and every atan2 picks its branch from the
   leading terms, so the half-integer powers of the naive ansatz (π - acos(-1 + δ) ≈ √(2δ)) come
   out as the odd powers of s without special cases.  The linear systems J D Δy = G (D = diag
   s^{m_i}) are solved over Laurent series by Gaussian elimination with pivots of least
   valuation.  Starting from y(0) estimated at k = 10^60, each iteration doubles the number of
   correct coefficients.
4. **Critical value.** The reduced loss is evaluated on the series solution, in the same context.

Every coefficient is an ``arb`` ball: its radius bounds the rounding error of the whole
computation; the iteration stops when the Newton correction is zero to the working precision.

>>> from symcrit.critical.families import family
>>> S = compute_series(family("sk1"), order=4, dps=30)
>>> S.leading_powers
{'a': 2, 'b': 2, 'c': 2, 'd': 4, 'e': 4}
>>> S.value("a", 3)[:12]
'-1.699431681'
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
from flint import arb, arb_series

from symcrit.core.errors import NotConverged, PrecisionError
from symcrit.core.linalg import lsolve
from symcrit.core.tex import tex
from symcrit.core.laurent import LSeries, SeriesContext, ball_mid, ball_str, current_ring, make_series, ring_number, series_precision

__all__ = ["Series", "leading_powers", "compute_series", "newton_series", "NeedMore"]


# ---------------------------------------------------------------------------------------------
def leading_powers(fam, dps=60, exps=(40, 60)):
    """Leading power m_i of s in x_i - x∞_i for each parameter (None: identically x∞_i), and the
    numerical solution at the largest k (for the starting values)."""
    if fam.limit is None:
        raise NotConverged(f"family {fam.id} has no limit W∞: the series engine needs one")
    k1, k2 = 10 ** exps[0], 10 ** exps[1]
    cp1 = fam.solve(k1, dps=dps, verify=False)
    cp2 = fam.solve(k2, dps=dps, verify=False)
    x1, x2 = cp1.values, cp2.values
    ms = []
    with mpmath.workdps(cp2.work_dps):
        s1, s2 = mpmath.mpf(k1) ** -0.5, mpmath.mpf(k2) ** -0.5
        # "fixed" means equal to the limit at the full working precision of both solves (which
        # carry 3 log10(k) guard digits), not merely below 10^-dps: a parameter can approach its
        # limit like s^4 = 10^-120 at k = 10^60
        zero = mpmath.mpf(10) ** (-min(cp1.work_dps, cp2.work_dps) + 10)
        for i, lim in enumerate(fam.limit):
            d1, d2 = abs(x1[i] - lim), abs(x2[i] - lim)
            if d1 < zero and d2 < zero:
                ms.append(None)
                continue
            m = mpmath.log(d1 / d2) / mpmath.log(s1 / s2)
            if abs(m - round(float(m))) > 0.05:
                raise NotConverged(f"family {fam.id}: parameter {fam.space.params[i]} does not approach "
                                   f"its limit like an integer power of s (slope {float(m):.3f})")
            ms.append(int(round(float(m))))
    return ms, x2, k2


def _poly(coeffs, length, v=0):
    """An exact polynomial s^v Σ c_n s^n as an LSeries known to relative precision ``length``
    (balls taken as their exact midpoints; the missing coefficients are zeros)."""
    return LSeries(v, arb_series([arb(c.mid()) if isinstance(c, arb) else c for c in coeffs],
                                 prec=length), length)


class Series:
    """Power series in s = k^(-1/2) of a family's parameters and critical value (see :func:`series`).

    ``coefficients[name]`` and ``loss_coefficients`` are lists of ``arb`` balls for s^0 … s^order;
    ``exact[name]`` / ``loss_exact`` hold sympy closed forms where known (else None).
    """

    def __init__(self, fam, order, dps, prec, m, coeffs, loss, iterations, corrections):
        self.family = fam
        self.order = order
        self.dps = dps
        self.prec = prec
        self.leading_powers = {str(p): mi for p, mi in zip(fam.space.params, m)}
        self.names = [str(p) for p in fam.space.params]
        self.coefficients = coeffs
        self.loss_coefficients = loss
        self.iterations = iterations
        self.corrections = corrections
        self.exact = {n: [None] * (order + 1) for n in self.names}
        self.loss_exact = [None] * (order + 1)
        self.exact_info = None

    # -- access -------------------------------------------------------------------------------
    def coefficient(self, name, n):
        """The ball coefficient of s^n in parameter ``name`` (or ``"F"`` for the loss)."""
        return (self.loss_coefficients if name == "F" else self.coefficients[name])[n]

    def value(self, name, n, digits=None):
        """Decimal string of the coefficient (the digits the ball guarantees, at most ``digits``)."""
        return ball_str(self.coefficient(name, n), digits or self.dps)

    def error(self, name, n):
        """Error bound of the coefficient: the radius of its ball."""
        return float(ball_mid(arb(self.coefficient(name, n).rad())))

    def evaluate(self, k, order=None, name=None):
        """The truncated series (through s^order) at k, as mpmath numbers (dict, or one value),
        computed at the series' own precision (dps + 10 digits)."""
        order = self.order if order is None else order
        out = {}
        with mpmath.workdps(self.dps + 10):
            s = mpmath.mpf(k) ** -0.5
            for nm in self.names + ["F"]:
                cs = self.loss_coefficients if nm == "F" else self.coefficients[nm]
                out[nm] = sum((ball_mid(c) * s**n for n, c in enumerate(cs[:order + 1])), mpmath.mpf(0))
        return out if name is None else out[name]

    # -- checks ---------------------------------------------------------------------------------
    def verify(self):
        """Substitute the truncated series into the reduced gradient and take one Newton step.

        The coefficients are balls; their midpoints are exact numbers within about 10^-dps of the
        true coefficients, so the Newton correction of the truncated series has terms of that size
        at every order, plus the genuine omitted terms from s^(order+1) on.  Returned:
        ``correction_valuation`` (per parameter: the lowest power of s whose correction exceeds
        ``tolerance`` = 10^-dps), ``max_correction_below`` (largest correction at powers <= order),
        ``residual_valuation`` (the same test on the entry gradient itself), and ``ok`` (every
        correction valuation > order).
        """
        fam = self.family
        sp = fam.space
        n = sp.dim
        m = [self.leading_powers[nm] for nm in self.names]
        length = self.order + 30
        tol = arb(10) ** (-self.dps)
        with series_precision(self.prec, length):
            ctx = SeriesContext()
            s = LSeries.var()
            k = s ** -2
            x = [_poly(self.coefficients[nm], length) for nm in self.names]
            G = sp.compiled["grad"](ctx, *x, k)
            J = sp.compiled["jac"](ctx, *x, k)
            free = [i for i in range(n) if m[i] is not None]
            M = [[J[i * n + j] for j in free] for i in free]
            d = lsolve(M, [G[i] for i in free])  # Δx directly

            def first_big(series, upto):
                for p in range(series.v, min(series.prec, upto)):
                    if abs(series.coeff(p)) > tol:
                        return p
                return min(series.prec, upto)

            corr, below = {}, {}
            for t, j in enumerate(free):
                corr[self.names[j]] = first_big(d[t], self.order + 20)
                below[self.names[j]] = max((float(ball_mid(abs(d[t].coeff(p)))) for p in range(max(d[t].v, 0), self.order + 1)
                                            if p < d[t].prec), default=0.0)
            res = [first_big(g, self.order + 20) for g in G]
        ok = all(v > self.order for v in corr.values())
        return {"residual_valuation": res, "correction_valuation": corr, "max_correction_below": below,
                "tolerance": float(ball_mid(tol)), "ok": ok}

    def radius_estimate(self, name=None):
        """Radius of convergence in s, estimated from the growth of the coefficients
        (least-squares fit of log|c_n| ≈ A - n log ρ over the upper half of the orders, on the
        larger of |c_n|, |c_(n+1)| so that zeros and sign patterns do not bias it)."""
        names = self.names if name is None else [name]
        est = {}
        for nm in names:
            cs = [abs(float(ball_mid(c))) for c in self.coefficients[nm]]
            ns = list(range(max(2, self.order // 2), self.order))
            pts = [(j, math.log(max(cs[j], cs[j + 1]))) for j in ns if max(cs[j], cs[j + 1]) > 0]
            if len(pts) < 3:
                est[nm] = math.inf
                continue
            a = np.polyfit([p[0] for p in pts], [p[1] for p in pts], 1)
            est[nm] = math.exp(-a[0])
        return est if name is None else est[name]

    # -- output ---------------------------------------------------------------------------------
    def to_dict(self):
        def terms(cs, ex):
            return [{"power": n, "exact": None if ex[n] is None else str(ex[n]),
                     "value": ball_str(c, self.dps), "error": float(ball_mid(arb(c.rad())))}
                    for n, c in enumerate(cs)]
        return {
            "family": self.family.id, "variable": "s", "definition": "k^(-1/2)", "order": self.order,
            "leading_powers": self.leading_powers,
            "params": {nm: terms(self.coefficients[nm], self.exact[nm]) for nm in self.names},
            "loss": terms(self.loss_coefficients, self.loss_exact),
        }

    def to_latex(self, digits=10, terms=None):
        """The series in LaTeX (an ``aligned`` block), exact forms where known."""
        import sympy

        lines = []
        for nm, cs, ex in [(n, self.coefficients[n], self.exact[n]) for n in self.names] + \
                [("F", self.loss_coefficients, self.loss_exact)]:
            parts = []
            for n, c in enumerate(cs[:(terms or len(cs))]):
                if ex[n] is not None:
                    if ex[n] == 0:
                        continue
                    coef = tex(ex[n])
                    if ex[n].is_Add:
                        coef = r"\left(" + coef + r"\right)"
                else:
                    if c.contains(0) and c.rad() < arb(10) ** (-self.dps // 2):
                        continue
                    coef = ball_str(c, digits) + r"\ldots"
                mon = "" if n == 0 else (" s" if n == 1 else f" s^{{{n}}}")
                parts.append(coef + mon)
            rhs = " + ".join(parts).replace("+ -", "- ") if parts else "0"
            lhs = tex(sympy.Symbol(nm)) if nm != "F" else "F"
            lines.append(f"{lhs} &= {rhs} + O(s^{{{self.order + 1}}})")
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def _repr_latex_(self):
        return "$$" + self.to_latex(digits=8, terms=min(self.order + 1, 8)) + "$$"

    def __repr__(self):
        return f"<Series {self.family.id} to O(s^{self.order + 1}), {self.dps} digits>"



# ---------------------------------------------------------------------------------------------
def compute_series(fam, order, dps):
    if order < 0:
        raise ValueError("order must be >= 0")
    sp = fam.space
    n = sp.dim
    m, x_big, k_big = leading_powers(fam, dps=max(60, dps // 2))
    free = [i for i in range(n) if m[i] is not None]
    # working precision: zero tests use half of it (lseries), the balls lose digits in the
    # cancellations of large Laurent terms, and the coefficients grow about 3x a term
    # (the elimination over Laurent series amplifies rounding noise by many orders of magnitude
    # when the rescaled Jacobian is singular at s = 0, as for sk1b and s2: the noise floor must
    # stay below the zero test at 2^(-prec/2))
    prec = int(3.33 * (3 * dps + 2 * order + 40)) + 64
    margin = 12
    last = None
    for attempt in range(4):
        length = order + margin
        try:
            return newton_series(fam, order, dps, prec, m, free, x_big, k_big, length)
        except NeedMore as exc:
            margin *= 2
            last = exc
        except (NotConverged, PrecisionError) as exc:
            prec = int(prec * 1.5)
            last = exc
    raise PrecisionError(f"series of {fam.id}: could not reach order {order} ({last})")


class NeedMore(Exception):
    """The truncated series came out shorter than the order asked for: retry with a longer one."""


def newton_series(fam, order, dps, prec, m, free, x_big, k_big, length, pi=None, y_start=None, ring="arb"):
    sp = fam.space
    n = sp.dim
    Gc, Jc, Lc = sp.compiled["grad"], sp.compiled["jac"], sp.compiled["loss"]
    with series_precision(prec, length + 8, pi=pi, ring=ring):
        ctx = SeriesContext()
        s = LSeries.var()
        k = s ** -2
        lim = [LSeries.const(ring_number(int(v)) if v == int(v) else ring_number(v)) for v in fam.limit]
        if y_start is not None:
            y = {i: LSeries(0, make_series([ring_number(y_start[i])], length), None) for i in free}
        else:
            with mpmath.workdps(60 + 3 * int(math.log10(k_big))):
                s_big = mpmath.mpf(k_big) ** -0.5
                y = {i: LSeries(0, arb_series([arb(mpmath.nstr((x_big[i] - fam.limit[i]) / s_big ** m[i], 50))],
                                              prec=length), None) for i in free}

        def xs():
            return [lim[i] + (s ** m[i]) * y[i] if m[i] is not None else lim[i] for i in range(n)]

        corrections = []
        last_corr = {}
        its = 0
        if free:
            for its in range(1, 40 if ring == "arb" else 14):
                x = xs()
                G = Gc(ctx, *x, k)
                J = Jc(ctx, *x, k)
                M = [[J[i * n + j] * (s ** m[j]) for j in free] for i in free]
                d = lsolve(M, [G[i] for i in free])
                vals = []
                for t, i in enumerate(free):
                    new = y[i] - d[t]
                    if new.v < 0:
                        raise NotConverged(f"series of {fam.id}: Newton's correction has a pole; the "
                                           "starting values are off the branch")
                    # y is treated as an exact polynomial: coefficients beyond the correction's
                    # precision are taken as 0 and corrected by the next iteration, and balls
                    # are recentred on their midpoints (Newton corrects its own rounding; the
                    # final correction bounds the error)
                    A, r = new.shift_to(0)
                    cs = _coeffs_exact(A, length)
                    y[i] = LSeries(0, make_series(cs, length), None)
                    last_corr[i] = d[t]
                    dn = d[t].normalized()
                    vals.append((dn.v, dn.r == 0))
                corrections.append([v for v, _ in vals])
                # converged: every correction is zero to its precision, which covers the order
                if all(z and v > order for v, z in vals):
                    break
            else:
                if ring == "fmpq":
                    from symcrit.core.laurent import NotExact
                    raise NotExact(f"series of {fam.id}: Newton over Q did not terminate (the leading "
                                   "system is not linear in the first coefficients)")
                raise NotConverged(f"series of {fam.id}: Newton on series did not converge")
        x = xs()
        for i in range(n):
            if x[i].prec <= order:
                raise NeedMore()
        coeffs = {}
        for i in range(n):
            cs = [x[i].coeff(j) for j in range(order + 1)]
            if ring == "arb" and i in last_corr:
                # error bound: the last Newton correction (zero to precision: a ball around 0)
                dc = last_corr[i] * (s ** m[i])
                cs = [c + _ball_of(dc, j) for j, c in enumerate(cs)]
            coeffs[str(sp.params[i])] = cs
        F = Lc(ctx, *x, k)[0]
        if F.prec <= order:
            raise NeedMore()
        loss = [F.coeff(j) for j in range(order + 1)]
    return Series(fam, order, dps, prec, m, coeffs, loss, its, corrections)


# ---------------------------------------------------------------------------------------------
def _coeffs_exact(A, length):
    """Coefficients recentred on their midpoints, keeping a radius 2^(-3p/4) (far below the
    zero-test threshold 2^(-p/2)) so that rounding noise is still recognised as zero."""
    c = list(A.coeffs())[:length]
    if current_ring() == "arb":
        from flint import ctx as flint_ctx
        eps = arb(2) ** (-(3 * flint_ctx.prec) // 4)
        c = [arb(x.mid(), eps) for x in c]
    return c + [ring_number(0)] * (length - len(c))


def _ball_of(dc, j):
    """The coefficient of s^j of a correction, as a ball around 0 of its magnitude."""
    if j >= dc.prec:
        return arb(0)
    c = dc.coeff(j)
    return arb(0, abs(c).upper()) if not c.is_zero() else arb(0)


