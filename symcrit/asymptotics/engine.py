r"""The series engine: critical points and critical values as power series in s = k^(-1/2).

Method (the family's parameters x_i and its limit W∞ as k → ∞):

1. **Leading powers** (checked, not proven).  Solve the family at k = 10^40 and 10^60 and read off
   each m_i with x_i - x∞_i = Θ(s^{m_i}) from the two values (cached per family).  A parameter
   equal to x∞_i at the full working precision at both is taken as fixed (x_i = x∞_i).
2. **Rescaling.** x_i = x∞_i + s^{m_i} y_i(s) with unknown power series y_i, and k = s^{-2}.
3. **Approximate series.**  Newton's method on truncated Laurent series
   (:func:`symcrit.core.series_newton.newton_on_series`) over *numerical* balls (the tolerance
   ring of :mod:`symcrit.core.rings`), the number of coefficients doubling per step.  The entry
   gradient G and its Jacobian J are the compiled expressions of the family's fixed-point space,
   evaluated in the series number context (:mod:`symcrit.core.laurent`): square roots take out
   the leading power, atan2 picks its branch from the leading terms.  The result ỹ is only an
   approximation (midpoints).
4. **Row transform, exactly** (:mod:`symcrit.asymptotics.structure`).  G is evaluated once more
   on Laurent series over Q(π, y) -- π ↦ P, the y_i *symbolic* constants, every branch decision
   taken on a box Y around the approximate y(0) (:mod:`symcrit.core.mratfun`; √2 is adjoined
   where a square root needs it, s2).  From the exact y-derivatives: T(s) (rows scaled by
   s^(-valuation), then combined by left null vectors of the s^0 part, computed exactly over
   Q(P, y) and required to be constant in y, and divided by a power of s while that part is
   singular -- needed for sk1, sk1b and s2, not for sk) such that M̂(s) = T(s)·J·diag(s^{m_j}) is
   a power series with M̂(0) invertible (the "rescaled Jacobian at s = 0").  If the exact route
   fails, the transform of the approximate stage (numerical valuations and null vectors) is used.
5. **Certificate** (:func:`symcrit.core.series_newton.krawczyk_series`).  With
   F(c) = coefficients 0 … N of T·G(x(y_c)), y_c = Σ_{j≤N} c_j s^j, a Krawczyk test on the
   coefficient vector in ball arithmetic (the radius of every ball carried through every
   operation, a coefficient zero only when exactly zero, an undecidable valuation or branch an
   error) proves that F has exactly one zero ĉ in the box K ⊂ Y, and that M̂(0) is invertible
   there.  The coefficients reported are these balls; the critical value's coefficients are the
   reduced loss evaluated on the box (F is stationary at the branch, so the truncation of y
   beyond s^N enters it only at order ≥ 2N).

What is proven, exactly.  Let H be the *structural hypothesis*: the coefficients of
T·G(x∞ + s^m y, s^-2) at negative powers of s vanish identically in y near the branch.  For sk,
sk1, sk1b and s2 H is **proven** by step 4: every such coefficient is the zero element of
Q(P, y) (resp. Q(P, √2, y)), computed with every decision valid on the box Y, and the
certificate checks that the certified enclosure of y(0) lies in Y (``S.certificate
["structure_proof"]``, ``conditional_on_structure`` False).  Then T·G is analytic in (s, y) on a
neighbourhood of {0} × Y, with invertible M̂(0) at ĉ_0 (Krawczyk), so by the implicit function
theorem an analytic branch y(s) with y(0) = ĉ_0 exists, and its Taylor coefficients through s^N
are the unique zero ĉ of F in the box (F is lower triangular with diagonal block M̂(0)): the balls
enclose the true Taylor coefficients of that branch.  When the exact route fails (reason in
``structure_proof``), H is only checked (``structure_defect``: the largest coefficient below s^0
of T·J on the box, not exactly zero) and ``conditional_on_structure`` is True.  That this branch
is the family's (the one solved numerically at finite k) and the leading powers m_i are checked
(numerical solutions at k = 10^40, 10^60, and :meth:`Series.verify`), not proven.
``S.certificate`` records the transform, the contraction, the dropped residual coefficients and
the structure proof.

>>> from symcrit.critical.families import family
>>> S = compute_series(family("sk1"), order=4, dps=30)
>>> S.leading_powers
{'a': 2, 'b': 2, 'c': 2, 'd': 4, 'e': 4}
>>> S.value("a", 3)[:12]
'-1.699431681'
"""
from __future__ import annotations

import contextlib
import contextvars
import math
from typing import TYPE_CHECKING, Any, Sequence, overload

import mpmath
import numpy as np
import sympy
from flint import arb, arb_series

from flint import fmpq

from symcrit.core.errors import BadInput, NotConverged, PrecisionError
from symcrit.core.linalg import lsolve
from symcrit.core.numbers import Exact, parse_k, to_mpf
from symcrit.core.tex import tex
from symcrit.symmetry.fixedpoint import K_SYMBOL
from symcrit.core.laurent import LSeries, SeriesContext, ball_mid, ball_str, current_ring, make_series, ring_number, series_precision
from symcrit.core.rings import arb_mid, decimal_enclosure
from symcrit.core.series_newton import krawczyk_series, newton_on_series

if TYPE_CHECKING:
    from symcrit.critical.families import Family

__all__ = ["Series", "leading_powers", "cached_leading_powers", "compute_series", "newton_series", "working_precision", "NeedMore",
           "series_progress", "progress_on", "progress_bar",
           "recertify", "require_limit"]


# ---------------------------------------------------------------------------------------------
def require_limit(fam, what: str = "the series engine") -> None:
    """Raise :class:`NotConverged` (a one-line reason) unless the family has a limit W∞ and rows
    that are not exactly aligned, which the series engine and its singularity analysis need."""
    if fam.limit is not None:
        return
    from symcrit.critical.families import ClosedFormFamily
    if isinstance(fam, ClosedFormFamily):
        raise NotConverged(f"family {fam.id} is given in closed form, with rows exactly aligned along the "
                           "branch (√S ≡ 0 has no leading term, the reduced Jacobian is not defined there): "
                           f"{what} does not apply; family({fam.id!r}).expansion(order) gives its exact "
                           "expansion in s")
    raise NotConverged(f"family {fam.id} has no limit W∞: {what} needs one")


def leading_powers(fam, dps=60, exps=(40, 60)):
    """Leading power m_i of s in x_i - x∞_i for each parameter (None: identically x∞_i), and the
    numerical solution at the largest k (for the starting values)."""
    require_limit(fam)
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

    ``coefficients[name]`` and ``loss_coefficients`` are lists of ``arb`` balls for s^0 … s^order,
    enclosures of the true Taylor coefficients when ``certificate["proven"]`` (under the structural
    hypothesis when ``certificate["conditional_on_structure"]``; see the module docstring);
    ``exact[name]`` / ``loss_exact`` hold sympy closed forms where known (else None).
    """

    def __init__(self, fam: Family, order: int, dps: int, prec: int, m: Sequence[int | None],
                 coeffs: dict[str, list[Any]], loss: list[Any], iterations: Any, corrections: Any) -> None:
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
        self.exact: dict[str, list[Any]] = {n: [None] * (order + 1) for n in self.names}
        self.loss_exact: list[Any] = [None] * (order + 1)
        self.exact_info: dict[str, Any] | None = None
        self.certificate: dict[str, Any] = {"method": "none (approximate series)", "proven": False}
        #: what the certificate proved, for the proof of exact forms (symcrit.asymptotics.exact):
        #: the certified boxes of the rescaled free parameters y_i (s^0 … s^Ny, a list per free
        #: parameter, in order), the exact row transform T and Ny; None without a certificate
        self.proof_data: dict[str, Any] | None = None

    # -- access -------------------------------------------------------------------------------
    def coefficient(self, name: str, n: int) -> Any:
        """The ball coefficient of s^n in parameter ``name`` (or ``"F"`` for the loss)."""
        return (self.loss_coefficients if name == "F" else self.coefficients[name])[n]

    def exact_form(self, name: str, n: int, partial: bool = False) -> Any:
        """The closed form of the coefficient of s^n in parameter ``name`` (``"F"``: the loss) as a
        sympy expression in π -- a polynomial in π over a factored denominator -- or None if not
        derived (see ``exact_info``).  ``partial=True``: partial fractions in π (sympy.apart)."""
        import sympy

        e = (self.loss_exact if name == "F" else self.exact[name])[n]
        if e is None or not partial:
            return e
        P = sympy.Symbol("P")
        return sympy.apart(e.subs(sympy.pi, P), P).subs(P, sympy.pi)

    def value(self, name: str, n: int, digits: int | None = None) -> str:
        """Decimal string of the coefficient (the digits the ball guarantees, at most ``digits``)."""
        return ball_str(self.coefficient(name, n), digits or self.dps)

    def error(self, name: str, n: int, digits: int | None = None) -> float:
        """A bound of |true coefficient − value(name, n, digits)| (the ball's radius plus the rounding
        of its midpoint to the printed digits), rounded up to a float: [value ± error] encloses it."""
        return decimal_enclosure(self.coefficient(name, n), digits or self.dps)[1]

    def evaluate(self, k: Exact | str | float, order: int | None = None, name: str | None = None) -> Any:
        """The truncated series (through s^order) at k, as mpmath numbers (dict, or one value),
        computed at the series' own precision (dps + 10 digits).  k enters exactly (a float only
        when it is exactly the number it prints as, such as 7.5)."""
        order = self.order if order is None else order
        out = {}
        with mpmath.workdps(self.dps + 10):
            s = to_mpf(parse_k(k)) ** -0.5
            for nm in self.names + ["F"]:
                cs = self.loss_coefficients if nm == "F" else self.coefficients[nm]
                out[nm] = sum((ball_mid(c) * s**n for n, c in enumerate(cs[:order + 1])), mpmath.mpf(0))
        return out if name is None else out[name]

    # -- checks ---------------------------------------------------------------------------------
    def verify(self) -> dict[str, Any]:
        """Substitute the truncated series (midpoints) into every equation -- the entry gradient of
        every parameter, including those fixed at their limit -- and take one Newton step on all
        parameters (numerical balls).

        The midpoints are within the certified radii of the true coefficients, so the Newton
        correction has terms of about that size at every order, plus the genuine omitted terms
        from s^(order+1) on.  Returned: ``correction_valuation`` (per parameter: the lowest power
        of s whose correction exceeds ``tolerance`` = 10^-dps), ``max_correction_below`` (largest
        correction at powers <= order), ``residual_valuation`` (the same test on each gradient
        component), ``fixed`` (the parameters at their limit) and ``ok`` (every correction
        valuation > order).  This is a check (numerical), not the proof: the proof is the
        certificate of :func:`compute_series` (``S.certificate``).
        """
        fam = self.family
        sp = fam.space
        n = sp.dim
        length = self.order + 30
        tol = arb(10) ** (-self.dps)
        fixed = [nm for nm in self.names if self.leading_powers[nm] is None]
        with series_precision(self.prec, length, ring="numeric"):
            ctx = SeriesContext()
            s = LSeries.var()
            k = s ** -2
            x = [LSeries.polynomial([arb(c.mid()) for c in self.coefficients[nm]]) for nm in self.names]
            try:
                grad = sp.compiled["grad"](ctx, *x, k)
                J = sp.compiled["jac"](ctx, *x, k)
            except PrecisionError as exc:
                # a truncation through s^order below a leading power leaves a kernel argument that is
                # zero to its precision (sk1 at order 1: the small parameters are all 0 through s^1)
                low = [nm for nm in self.names if (self.leading_powers[nm] or 0) > self.order]
                return {"ok": None, "fixed": fixed, "tolerance": float(ball_mid(tol)),
                        "reason": (f"not possible at order {self.order}: the series truncated there make the "
                                   f"reduced gradient singular ({exc}"
                                   + (f"; {', '.join(low)} start above s^{self.order}" if low else "") + ")")}
            M = [[J[i * n + j] for j in range(n)] for i in range(n)]
            d = lsolve(M, list(grad))  # Δx for every parameter

            def first_big(series, upto):
                for p in range(series.v, min(series.prec, upto)):
                    if abs(series.coeff(p)) > tol:
                        return p
                return min(series.prec, upto)

            corr, below = {}, {}
            for j in range(n):
                corr[self.names[j]] = first_big(d[j], self.order + 20)
                below[self.names[j]] = max((float(ball_mid(abs(d[j].coeff(p)))) for p in range(max(d[j].v, 0), self.order + 1)
                                            if p < d[j].prec), default=0.0)
            res = [first_big(g, self.order + 20) for g in grad]
        ok = all(v > self.order for v in corr.values())
        return {"residual_valuation": res, "correction_valuation": corr, "max_correction_below": below,
                "fixed": fixed, "tolerance": float(ball_mid(tol)), "ok": ok}

    @overload
    def radius_estimate(self, name: None = None) -> dict[str, float]: ...

    @overload
    def radius_estimate(self, name: str) -> float: ...

    def radius_estimate(self, name: str | None = None) -> dict[str, float] | float:
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
    def to_dict(self) -> dict[str, Any]:
        status = (self.exact_info or {}).get("status")

        def term(n, c, e):
            # value: the digits the ball guarantees (at most dps); error: a bound of |true − value|
            # (the ball's radius plus the rounding of its midpoint to value), so [value ± error]
            # encloses the coefficient; ball_radius: the ball's own radius.
            # exact_status: "proven" (exact verification, symcrit.asymptotics.exact.prove_forms) or
            # "checked" (reason in exact_info["proof"]); None without a closed form
            txt, err = decimal_enclosure(c, self.dps)
            return {"power": n, "exact": None if e is None else str(e),
                    "exact_status": None if e is None else status,
                    "value": txt, "error": err, "ball_radius": _float_up(c)}

        def terms(cs, ex):
            return [term(n, c, ex[n]) for n, c in enumerate(cs)]
        return {
            "family": self.family.id, "variable": "s", "definition": "k^(-1/2)", "order": self.order,
            "certified": bool(self.certificate.get("proven", False)),
            "certificate": {key: val for key, val in self.certificate.items()},
            "leading_powers": self.leading_powers,
            "params": {nm: terms(self.coefficients[nm], self.exact[nm]) for nm in self.names},
            "loss": terms(self.loss_coefficients, self.loss_exact),
            "exact_info": None if self.exact_info is None else
            {k: v for k, v in self.exact_info.items() if k not in ("forms", "forms_beyond", "runs")},
        }

    def to_latex(self, digits: int = 10, terms: int | None = None) -> str:
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
                    if c.is_exact() and c == 0:
                        continue
                    txt = ball_str(c, digits)
                    coef = (r"[\pm " + txt[1:] + "]") if txt.startswith("±") else (txt + r"\ldots")
                mon = "" if n == 0 else (" s" if n == 1 else f" s^{{{n}}}")
                parts.append(coef + mon)
            rhs = " + ".join(parts).replace("+ -", "- ") if parts else "0"
            lhs = tex(sympy.Symbol(nm)) if nm != "F" else "F"
            shown = min(len(cs), terms or len(cs))
            lines.append(f"{lhs} &= {rhs} + O(s^{{{shown}}})")
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def _repr_latex_(self):
        # every term through s^order, then O(s^(order+1)); each ball with the digits it guarantees
        return "$$" + self.to_latex(digits=self.dps) + "$$"

    def evidence(self) -> str:
        """What is known of the coefficients, rendered from the certificate and the exact forms."""
        cert = self.certificate or {}
        if cert.get("proven"):
            balls = ("balls proven (Krawczyk" + (", conditional on the structure hypothesis)"
                                                 if cert.get("conditional_on_structure") else ")"))
        else:
            balls = "balls NOT proven (approximate series: " + str(cert.get("method", "no certificate")) + ")"
        if self.exact_info is None:
            return balls
        forms = [e for cs in list(self.exact.values()) + [self.loss_exact] for e in cs]
        have = sum(e is not None for e in forms)
        status = self.exact_info.get("status") or "not derived"
        return f"{balls}; exact forms: {have}/{len(forms)} in {self.exact_info.get('field', '?')}, {status}"

    def __repr__(self):
        return f"<Series {self.family.id} to O(s^{self.order + 1}), {self.dps} digits; {self.evidence()}>"



# ---------------------------------------------------------------------------------------------
_POWERS_CACHE: dict = {}


def cached_leading_powers(fam, dps: int = 60) -> tuple:
    """:func:`leading_powers`, cached per family (id, blocks and limit): it does not depend on the order."""
    key = (fam.id, tuple(fam.space.sizes), getattr(fam.space, "extra", 0), tuple(fam.limit or ()))
    if key not in _POWERS_CACHE:
        _POWERS_CACHE[key] = leading_powers(fam, dps=dps)
    return _POWERS_CACHE[key]


def working_precision(order: int, dps: int) -> int:
    """Working precision in bits: dps digits of the largest coefficient (they grow about 3x a term),
    the numerical zero test of the approximate stage at half of it, and guard bits."""
    return int(3.33 * (2 * dps + order)) + 96


def compute_series(fam, order: int, dps: int) -> "Series":
    """Approximate series (Newton on series over numerical balls), then the Krawczyk certificate in
    ball arithmetic (:func:`symcrit.core.series_newton.krawczyk_series`)."""
    if order < 0:
        raise BadInput("order must be >= 0")
    m, x_big, k_big = cached_leading_powers(fam, dps=max(60, dps // 2))
    n = fam.space.dim
    free = [i for i in range(n) if m[i] is not None]
    prec = working_precision(order, dps)
    last = None
    for attempt in range(3):
        try:
            return _certified_series(fam, order, dps, prec, m, free, x_big, k_big)
        except (NotConverged, PrecisionError) as exc:
            prec = int(prec * 1.6)
            last = exc
    # no certificate: the approximate series, labelled as such (its radii are not enclosures)
    S = newton_series(fam, order, dps, prec, m, free, x_big, k_big, order + 16)
    S.certificate = {"method": f"none: the Krawczyk certificate failed ({last})", "proven": False}
    return S


class NeedMore(Exception):
    """The truncated series came out shorter than the order asked for: retry with a longer one."""


def _system(fam, m, free, lim_exact):
    """Residual, Jacobian (columns scaled by s^{m_j}) and the point x(y), in the ring in force."""
    sp = fam.space
    n = sp.dim
    Gc, Jc = sp.compiled["grad"], sp.compiled["jac"]

    def point(y):
        s = LSeries.var()
        lim = [LSeries.const(ring_number(v)) for v in lim_exact]
        out = []
        t = 0
        for i in range(n):
            if m[i] is None:
                out.append(lim[i])
            else:
                out.append(lim[i] + (s ** m[i]) * y[t])
                t += 1
        return out

    def residual(y):
        k = LSeries.var() ** -2
        grad = Gc(SeriesContext(), *point(y), k)
        return [grad[i] for i in free]

    def jacobian(y):
        s = LSeries.var()
        k = s ** -2
        J = Jc(SeriesContext(), *point(y), k)
        return [[J[i * n + j] * (s ** m[j]) for j in free] for i in free]

    return point, residual, jacobian


#: whether series computations show a progress bar (set by :func:`series_progress`)
_SHOW_PROGRESS: contextvars.ContextVar[bool] = contextvars.ContextVar("symcrit_series_progress", default=False)


@contextlib.contextmanager
def series_progress(on: bool = True):
    """Show progress bars (tqdm on stderr) for the series computations inside this block."""
    token = _SHOW_PROGRESS.set(bool(on))
    try:
        yield
    finally:
        _SHOW_PROGRESS.reset(token)


def progress_on() -> bool:
    """True inside :func:`series_progress` (on)."""
    return _SHOW_PROGRESS.get()


def progress_bar(total: int, desc: str, unit: str):
    """A tqdm bar on stderr, shown only inside :func:`series_progress` (disabled bars cost nothing)."""
    import sys

    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, file=sys.stderr, disable=not progress_on())


def exact_limit(fam: Any) -> list[Any]:
    """The limit W∞ as exact numbers (integers, or the rationals of their float values)."""
    from fractions import Fraction

    out: list[Any] = []
    for v in fam.limit:
        if v == int(v):
            out.append(int(v))
        else:
            f = Fraction(v)
            out.append(fmpq(f.numerator, f.denominator))
    return out


def _start(fam, m, free, x_big, k_big, length):
    with mpmath.workdps(60 + 3 * int(math.log10(k_big))):
        s_big = mpmath.mpf(k_big) ** -0.5
        return [LSeries(0, make_series([ring_number(arb(mpmath.nstr((x_big[i] - fam.limit[i]) / s_big ** m[i], 50)))],
                                       length), None) for i in free]


def _approximate(fam, order, prec, m, free, x_big, k_big, lim, y_start=None, ring="numeric", pi=None):
    """Newton on series in the ring ``ring`` (numeric balls or exact rationals): returns the list of
    y_i (LSeries) known through s^(order), and the row valuations of the scaled Jacobian."""
    N1 = order + 1
    length = N1 + 16
    point, residual, jacobian = _system(fam, m, free, lim)
    with series_precision(prec, length + 8, pi=pi, ring=ring):
        if y_start is None:
            y0 = _start(fam, m, free, x_big, k_big, 12)
        else:
            y0 = [LSeries(0, make_series([ring_number(y_start[i])], 12), None) for i in free]
        # the number of correct coefficients doubles per step once the leading ones are right
        # (1, 2, 4, … then the full length twice more)
        sched = {}

        def lengths(it):
            L = min(length, 2 ** it + 12)
            sched[it] = L
            return L

        bar = progress_bar(N1, f"series {fam.id}", "coeff")

        def stop(it, y, d):
            # the coefficients settled so far: the correction's valuation (progress only)
            try:
                v = min((dt.normalized().v if dt.normalized().r else dt.prec) for dt in d)
                bar.n = max(bar.n, min(N1, max(0, v)))
            except PrecisionError:
                pass
            bar.set_postfix_str(f"Newton step {it}, length {sched[it]}")
            bar.refresh()
            if sched[it] < length:
                return False
            return all(_zero_below(dt, order + 1) for dt in d)

        try:
            y, d, its = newton_on_series(residual, jacobian, y0, stop, lengths,
                                         max_iter=60 if not current_ring().exact else 40,
                                         on_pole=f"series of {fam.id}: Newton's correction has a pole; the starting "
                                                 "values are off the branch")
            bar.n = N1
            bar.set_postfix_str("row transform, certificate")
            bar.refresh()
        finally:
            bar.close()
        try:
            T = _row_transform(jacobian(y))
        except PrecisionError as exc:
            T = exc
        ys = [[yi.coeff(j) if j < yi.prec else ring_number(0) for j in range(N1)] for yi in y]
    return ys, T, its


def _apply(T, rows):
    """T·rows for a row transform T (rows: list of LSeries, or of lists of LSeries), over the ring in force."""
    from symcrit.asymptotics.structure import apply_transform
    return apply_transform(T, rows, ring_number)


def _row_transform(M, max_steps=12):
    """A row transform T (row i of T·M = Σ_j c_ij s^(p_ij) M_j, exact rational c) that makes
    T·M a power series with T·M(0) invertible: rows scaled by s^(-valuation), then, while T·M(0)
    is singular, a rational left null vector v of it combines the rows and the combination is
    divided by its valuation (a shearing).  Computed on the approximate solution (numerical
    valuations); the certificate re-checks exactly that the discarded coefficients vanish on
    the box.  Raises PrecisionError if a null vector is not rational with small denominators."""
    from fractions import Fraction

    n = len(M)
    T = []
    for i, row in enumerate(M):
        vs = [e.normalized().v for e in row if e.normalized().r]
        T.append({i: (fmpq(1), -(min(vs) if vs else 0))})
    from flint import ctx as flint_ctx

    for _ in range(max_steps):
        TM = _apply(T, M)
        with mpmath.workprec(flint_ctx.prec):
            A = mpmath.matrix([[arb_mid(TM[i][j].coeff(0)) for j in range(n)] for i in range(n)])
            U, S, V = mpmath.svd_r(A)
            smin = S[n - 1]
            if smin > mpmath.mpf(10) ** -25 * max(1, S[0]):
                return T
            v = [U[i, n - 1] for i in range(n)]
            big = max(range(n), key=lambda i: abs(v[i]))
            v = [x / v[big] for x in v]
            vr = []
            for x in v:
                f = Fraction(mpmath.nstr(x, 30)).limit_denominator(1000)
                if abs(mpmath.mpf(f.numerator) / f.denominator - x) <= mpmath.mpf(10) ** -20:
                    vr.append(fmpq(f.numerator, f.denominator))
                else:  # an irrational combination: its dyadic rounding (an exact number)
                    vr.append(arb(mpmath.nstr(x, int(flint_ctx.prec / 3.33))).mid())
        comb = {}
        for j in range(n):
            if vr[j] != 0:
                for col, (c, p) in T[j].items():
                    key = col
                    old = comb.get(key)
                    if old is not None and old[1] != p:
                        raise PrecisionError("row transform with mixed powers is not supported")
                    comb[key] = ((old[0] if old else 0) + (vr[j] * c if isinstance(vr[j], fmpq) else arb(vr[j]) * arb(c)), p)
        comb = {k: v for k, v in comb.items() if v[0] != 0}
        w = _apply([comb], M)[0]
        # the valuation of the combination: its first power with a coefficient above the accuracy
        # of the approximate solution (2^(-prec/4) relative; the s^0 part cancels only to that)
        scale = max(abs(arb_mid(e.coeff(0))) for row in TM for e in row) or 1
        small = scale * mpmath.mpf(2) ** (-(flint_ctx.prec // 4))
        t = None
        for p_ in range(min(e.v for e in w), min(e.prec for e in w)):
            if any(abs(arb_mid(e.coeff(p_))) > small for e in w):
                t = p_
                break
        if t is None or t < 1:
            raise PrecisionError("a row combination does not cancel at s^0 (to the accuracy of the approximate solution)")
        T[big] = {k: (c, p - t) for k, (c, p) in comb.items()}
    raise PrecisionError("the rescaled Jacobian stays singular at s = 0")


def _float_up(c):
    """The radius of a ball as a float not below it."""
    r = float(ball_mid(arb(c.rad()))) if not isinstance(c, fmpq) else 0.0
    return math.nextafter(r, math.inf) if r > 0 else r


def _zero_below(d, p):
    """The correction is zero (to the ring's test) at every power below p it knows."""
    try:
        n = d.normalized()
    except PrecisionError:
        return False
    return n.r == 0 or n.v >= p


def _certified_series(fam, order, dps, prec, m, free, x_big, k_big):
    sp = fam.space
    n = sp.dim
    lim = exact_limit(fam)
    point, residual, jacobian = _system(fam, m, free, lim)
    N1 = order + 1
    # the loss is stationary on the branch: dF/dy_l = s^(l + m) Σ_i orbit_i(k) G_i, with orbit sizes
    # of degree <= d in k = s^-2 and G of valuation >= 0 on the box (checked below), so coefficient j
    # of F depends on y's coefficients l <= j + 2d - min m only: certify that many
    d = max(int(sympy.degree(sympy.sympify(o), K_SYMBOL)) for o in sp.orbit_sizes)
    mmin = min((mi for mi in m if mi is not None), default=0)
    Ny = order + max(0, 2 * d - mmin)
    if free:
        ys, T, its = _approximate(fam, Ny, prec, m, free, x_big, k_big, lim)
    else:
        ys, T, its = [], [], 0
    # the exact row transform and the proof of the structural hypothesis (symcrit.asymptotics.structure);
    # the numerical transform T of the approximate stage is the fallback when that proof fails
    structure = _exact_structure(fam, m, free, lim, ys, prec) if free else None
    if structure is not None and structure.proven:
        T = [{j: (c.at_pi(prec), p) for j, (c, p) in row.items()} for row in structure.transform]
    if isinstance(T, Exception):
        raise PrecisionError(str(T))
    shifts = [0] * len(free)
    with series_precision(prec, N1 + 24, ring="arb"):
        if free:
            cert = krawczyk_series(lambda y: _apply(T, residual(y)), lambda y: _apply(T, jacobian(y)), ys, Ny, shifts,
                                   strict=False)
            boxes = cert.boxes
        else:
            cert, boxes = None, []
        y = [LSeries.polynomial(list(b)) for b in boxes]
        x = point(y)
        s = LSeries.var()
        k = s ** -2
        coeffs = {}
        for i in range(n):
            coeffs[str(sp.params[i])] = [x[i].coeff(j) for j in range(N1)]
        F = sp.compiled["loss"](SeriesContext(), *x, k)[0]
        if F.prec <= order:
            raise PrecisionError(f"the critical value is known to O(s^{F.prec}) only")
        loss = [F.coeff(j) for j in range(N1)]
        Gall = sp.compiled["grad"](SeriesContext(), *x, k)
        if any(g.stripped().v < 0 for g in Gall):
            raise PrecisionError("the gradient has a pole on the box: the loss coefficients are not proven")
        fixed_res = {str(sp.params[i]): [Gall[i].coeff(j) for j in range(max(Gall[i].v, 0), min(Gall[i].prec, N1))]
                     for i in range(n) if m[i] is None}
    S = Series(fam, order, dps, prec, m, coeffs, loss, its, [])
    proven_structure = _structure_holds(structure, boxes)
    S.proof_data = {"boxes": [list(b) for b in boxes],
                    "row_transform": ([dict(row) for row in structure.transform] if proven_structure else
                                      [dict(row) for row in T] if free else []),
                    "Ny": Ny, "free": list(free)}
    S.certificate = {
        "method": "Krawczyk test on the coefficient vector (ball arithmetic)" if free else "no free parameter",
        "proven": True,
        "conditional_on_structure": bool(cert and not proven_structure and (cert.structure_defect != 0 or any(
            not (c.is_exact() and c == 0) for row in cert.dropped for c in row))),
        "structure_proof": _structure_record(structure, boxes, proven_structure),
        "row_transform": ([{str(sp.params[free[j]]): f"{str(c).replace('P', 'π')} s^{p}" for j, (c, p) in row.items()}
                           for row in structure.transform] if proven_structure else
                          [{str(sp.params[free[j]]): f"{ball_str(arb(c), 12) if isinstance(c, arb) else c} s^{p}"
                            for j, (c, p) in row.items()} for row in T]),
        "dropped_residual": {str(sp.params[i]): [mpmath.nstr(arb_mid(arb((abs(c) + c.rad()).upper())), 3) for c in row]
                             for i, row in zip(free, cert.dropped)} if cert else {},
        "attempts": cert.attempts if cert else 0,
        "structure_defect": mpmath.nstr(arb_mid(cert.structure_defect), 3) if cert else "0",
        "contraction": cert.contraction if cert else 0.0,
        "fixed_residual_contains_zero": {nm: all(c.contains(0) for c in row) for nm, row in fixed_res.items()},
    }
    return S


# -- the exact row transform and the structural hypothesis (symcrit.asymptotics.structure) ------------
def _structure_box(ys):
    """The box Y around the approximate y(0) on which the exact structure proof takes its branch
    decisions (the certified y(0) must lie inside it: :func:`_structure_holds`)."""
    out = []
    for row in ys:
        c = arb(row[0].mid()) if isinstance(row[0], arb) else arb(row[0])
        out.append(arb(c.mid(), (abs(c) + 1) * arb(2) ** -30))
    return out


def _exact_structure(fam, m, free, lim, ys, prec):
    """:func:`symcrit.asymptotics.structure.prove_structure` on the box around the approximate
    y(0); a StructureProof (``proven`` False with the reason when the exact route fails)."""
    from symcrit.asymptotics.structure import prove_structure

    return prove_structure(fam.space, m, free, lim, _structure_box(ys), prec=max(prec, 128))


def _structure_holds(structure, boxes) -> bool:
    """The structural hypothesis is proven for the certified series: the exact proof succeeded on a
    box Y and the certified enclosure of y(0) lies inside Y."""
    if structure is None or not structure.proven:
        return False
    return all(Y.contains(b[0]) for Y, b in zip(structure.box, boxes))


def _structure_record(structure, boxes, holds):
    """What the certificate records about the structural hypothesis."""
    if structure is None:
        return {"proven": True, "method": "no free parameter"}
    rec = structure.to_dict()
    rec["proven"] = bool(holds)
    rec["box_contains_certified_y0"] = bool(structure.proven and holds)
    rec["method"] = (f"exact: T·G over {structure.field or 'Q(π, y)'}[[s]] with y symbolic "
                     "(symcrit.asymptotics.structure); every coefficient below s^0 is the zero rational function")
    if structure.proven and not holds:
        rec["reason"] = "the certified y(0) is not inside the box of the exact proof"
    return rec


def newton_series(fam, order: int, dps: int, prec: int, m: list, free: list, x_big, k_big, length: int, pi=None,
                  y_start=None, ring: str = "arb") -> "Series":
    """Approximate series (no certificate) in the ring ``ring``: ``"arb"`` here means numerical
    balls (the tolerance ring), ``"fmpq"`` exact rationals with π = ``pi``.  For the exact route
    (:mod:`symcrit.asymptotics.exact`); ``x_big``/``k_big`` or ``y_start`` give the starting values."""
    sp = fam.space
    n = sp.dim
    lim = exact_limit(fam)
    rname = "numeric" if ring == "arb" else ring
    if free:
        ys, _, its = _approximate(fam, order, prec, m, free, x_big, k_big, lim, y_start=y_start, ring=rname, pi=pi)
    else:
        ys, its = [], 0
    point, _, _ = _system(fam, m, free, lim)
    N1 = order + 1
    with series_precision(prec, N1 + 24, pi=pi, ring=rname):
        y = [LSeries.polynomial(list(b)) for b in ys]
        x = point(y)
        k = LSeries.var() ** -2
        coeffs = {str(sp.params[i]): [x[i].coeff(j) for j in range(N1)] for i in range(n)}
        F = sp.compiled["loss"](SeriesContext(), *x, k)[0]
        if F.prec <= order:
            raise NeedMore()
        loss = [F.coeff(j) for j in range(N1)]
    return Series(fam, order, dps, prec, m, coeffs, loss, its, [])


def recertify(S: "Series", T: list[dict], y_mid: list[list]) -> dict[str, Any]:
    """The Krawczyk certificate of ``S``'s truncated system again, with the row transform ``T``
    (``{column: (c, p)}`` per row, c a rational or a ball enclosing an exact number: the test is
    then valid for every transform in the balls, so for the exact one) and the midpoints ``y_mid``
    (per free parameter, the coefficients s^0 … s^Ny).  For the proof of exact forms whose row
    transform is exact but not rational (:func:`symcrit.asymptotics.exact.prove_forms`).

    Returns ``{"boxes", "structure_defect" (arb), "dropped", "contraction", "attempts"}``; raises
    PrecisionError when the test does not contract."""
    pd = S.proof_data
    if pd is None:
        raise PrecisionError("the series has no certificate to redo")
    fam = S.family
    m = [S.leading_powers[nm] for nm in S.names]
    free, Ny = pd["free"], pd["Ny"]
    _, residual, jacobian = _system(fam, m, free, exact_limit(fam))
    # exact entries of a field (RatFun: the engine's own exact transform) as balls at π
    T = [{j: (c.at_pi(S.prec + 64) if hasattr(c, "at_pi") else c, p) for j, (c, p) in row.items()} for row in T]
    with series_precision(S.prec, S.order + 1 + 24, ring="arb"):
        cert = krawczyk_series(lambda y: _apply(T, residual(y)), lambda y: _apply(T, jacobian(y)), y_mid, Ny,
                               [0] * len(free), strict=False)
    return {"boxes": [list(b) for b in cert.boxes], "structure_defect": cert.structure_defect,
            "dropped": cert.dropped, "contraction": cert.contraction, "attempts": cert.attempts}
