"""Families of critical points: a registry, branch tracking in k, and solving to any precision.

A *family* is an isotropy type (a :class:`~symcrit.symmetry.fixedpoint.FixedPointSpace`) plus a branch
selector: the limit W∞ of its parameters as k → ∞, or a starting point at some k.  The branch is
followed by continuation in s = k^(-1/2) (its natural variable: the critical points are power
series in s), so the point returned at k is always on the branch the family names, continuously
in k; where the branch ends (a fold of the reduced system, or the space itself ends) solving
raises a clear error instead of returning another critical point.

>>> [f.id for f in families()]
['global', 'sk1', 'sk1b', 'sk', 's2', 'sk1x']
>>> cp = family("sk1").solve(6, dps=30)
>>> cp.loss_str(13)
'0.02508058100246'
"""
from __future__ import annotations

import fractions
import functools
import math
import numbers
from typing import Any, Mapping, Sequence

import mpmath
import numpy as np

from symcrit.core.errors import BadInput, BranchEnded, NotConverged, OutOfRange, UnknownFamily
from symcrit.core.newton import format_k, newton
from symcrit.core.numbers import Exact, format_exact, is_integer, parse_k, parse_number, to_mpf
from symcrit.core.rings import upper_str
from symcrit.critical.continuation import natural, relative_jump
from symcrit.symmetry.fixedpoint import FixedPointSpace, fixed_point_space

__all__ = ["Family", "CriticalPoint", "ClosedFormFamily", "family", "families", "closed_form_families",
           "enclosure_families",
           "register_family", "register_closed_form", "register_rank_one", "unregister_family", "is_registered",
           "rank_one_t", "rank_one_values", "rank_one_loss"]

#: k at which a branch given by its limit W∞ is first solved; the track runs from there down
K_ANCHOR = 10_000
#: integer k up to which residuals and Hessians are computed in full k×k space
K_FULL = 40


# ---------------------------------------------------------------------------------------------


class CriticalPoint:
    """A critical point of a family at one k, to a stated precision.

    Attributes: ``family``, ``k``, ``dps``, ``params`` (dict name -> mpf), ``loss``,
    ``gradient_residual`` (max |dF/dW_ij| over all entries, at the working precision),
    ``residual_method`` ('full' on the embedded k×k matrix, or 'orbits': one entry per orbit,
    which is every entry by symmetry), ``min_eigenvalue``, ``negative_count`` (of the dense
    float64 Hessian, counted by :func:`symcrit.core.signs.count_signs`: evidence 'estimated',
    see ``dense_signs``; None where not computed or undecided; the proven count is
    :func:`symcrit.prove_inertia`), ``certified``/``radius`` after :meth:`certify`.
    """

    def __init__(self, family: Family, k: Exact, dps: int, values: list[Any], work_dps: int) -> None:
        self.family = family
        self.space = family.space
        self.k = k  # exact: int, Fraction (or an mpf if one was given)
        with mpmath.workdps(work_dps):
            self.k_mpf = to_mpf(k)  # k at the working precision (exact for int and dyadic k)
        self.dps = dps
        self.work_dps = work_dps
        self.values = values  # mpf list at work_dps, parameter order
        self.params = {str(p): v for p, v in zip(self.space.params, values)}
        self.loss: Any = None  # mpf once evaluated
        self.gradient_residual: Any = None
        self.residual_method: str | None = None
        self.min_eigenvalue: Any = None
        self.negative_count: int | None = None
        self.dense_signs: Any = None  # SignCount of the dense float64 Hessian (evidence 'estimated')
        self.certified: bool | None = None
        self.radius: Any = None  # max over coordinates of the Krawczyk box's half-widths
        self.radii: Any = None  # the half-width of each coordinate (see certify_point)
        #: after a successful certify(): bounds of |x*_i - y_i| for the proven zero x* (much tighter
        #: than the box, which is large for the uniqueness statement); the digits printed come from them
        self.enclosure_radii: Any = None
        self.certificate: Any = None

    # -- properties ----------------------------------------------------------------------------
    @property
    def is_integer_k(self):
        return is_integer(self.k)  # exact: float(10**40) != 10**40

    @functools.cached_property
    def W(self):
        """The embedded k×k matrix (mpmath object array); integer k only."""
        if not self.is_integer_k:
            raise BadInput(f"k = {format_exact(self.k)} is not an integer: the point lives on the reduced equations only")
        with mpmath.workdps(self.work_dps):
            return self.space.embed(self.values, int(self.k))

    def _evaluate(self, full=True):
        sp = self.space
        dense = full and self.is_integer_k and int(self.k) <= K_FULL
        with mpmath.workdps(self.work_dps):
            self.loss = sp.loss_function("mpmath")(self.values, self.k_mpf)
            g = sp.gradient_function("mpmath")(self.values, self.k_mpf)
            self.gradient_residual = max(abs(v) for v in g)
            self.residual_method = "orbits"
            if dense:
                from symcrit.model.network import StudentTeacher
                m = StudentTeacher(int(self.k), n=int(self.k) + sp.extra)
                grad = m.gradient(self.W)
                self.gradient_residual = max(abs(v) for v in grad.ravel())
                self.residual_method = "full"
        if dense:
            from symcrit.core.signs import count_signs, float_eigenvalue_bound
            ev = np.linalg.eigvalsh(m.hessian(np.array(self.W, dtype=float)))
            self.min_eigenvalue = float(ev[0])
            # float64 eigenvalues of the dense Hessian: an estimate with a heuristic error bound
            self.dense_signs = count_signs(ev, bound=float_eigenvalue_bound(ev, len(ev)), evidence="estimated")
            self.negative_count = self.dense_signs.index
        return self

    # -- certification ------------------------------------------------------------------------
    def certify(self, radius: Any = None, scale: str | None = None) -> CriticalPoint:
        """Prove with ball arithmetic that exactly one zero of the reduced gradient lies in a box
        around this point (see :func:`symcrit.critical.certify.certify_point`: ``radius`` one ρ,
        ``scale`` 'relative' or 'absolute' half-widths).  Sets ``certified``, ``radius`` (the
        largest half-width), ``radii`` and ``certificate`` (the reason when it fails) and returns
        ``self``."""
        if isinstance(self.family, ClosedFormFamily):
            return self.family.certify_closed_form(self)
        from symcrit.critical.certify import certify_point
        return certify_point(self, radius, scale)

    # -- output ---------------------------------------------------------------------------------
    def _balls(self):
        """(parameter balls, loss ball, prec) over the proven enclosure of the zero, or None when the
        point is not certified."""
        if not self.certified or self.enclosure_radii is None:
            return None
        cached = self.__dict__.get("_balls_cache")
        if cached is not None and cached[0] is self.certificate:
            return cached[1]
        if isinstance(self.family, ClosedFormFamily):
            out = self.family.closed_form_balls(self)
            self.__dict__["_balls_cache"] = (self.certificate, out)
            return out
        from flint import arb, ctx as flint_ctx

        from symcrit.core.contexts import get_context
        from symcrit.critical.certify import k_ball
        conv = get_context("arb").convert
        prec = self.certificate.prec
        with flint_ctx.workprec(prec):
            X = [conv(v) + conv(r) * arb(0, 1) for v, r in zip(self.values, self.enclosure_radii)]
            try:
                F = self.space.loss_function("arb")(X, k_ball(self.k))
            except (ZeroDivisionError, ValueError):
                F = None
        out = (X, F if F is not None and F.is_finite() else None, prec)
        self.__dict__["_balls_cache"] = (self.certificate, out)
        return out

    def loss_str(self, digits: int | None = None) -> str:
        """F at the computed point to ``digits`` digits (an mpmath evaluation: its digits are checked
        by the residual, not proven; :meth:`loss_text` prints only proven digits when certified)."""
        return mpmath.nstr(self.loss, digits or self.dps)

    def param_strs(self, digits: int | None = None) -> dict[str, str]:
        """The computed point's parameters to ``digits`` digits (see :meth:`param_texts`)."""
        digits = digits or self.dps
        return {name: mpmath.nstr(v, digits) for name, v in self.params.items()}

    def loss_text(self, digits: int | None = None) -> str:
        """F to at most ``digits`` digits; for a certified point only the digits its ball over the
        proven enclosure of the zero guarantees (``±r`` if that ball holds 0), else
        :meth:`loss_str`."""
        digits = digits or self.dps
        balls = self._balls()
        if balls is not None and balls[1] is not None:
            from flint import ctx as flint_ctx

            from symcrit.core.rings import arb_str
            with flint_ctx.workprec(balls[2]):
                return arb_str(balls[1], digits)
        return self.loss_str(digits)

    def param_texts(self, digits: int | None = None) -> dict[str, str]:
        """The parameters to at most ``digits`` digits; for a certified point only the digits the
        proven enclosure of the zero guarantees (``±r`` for a coordinate whose ball holds 0), else
        :meth:`param_strs`."""
        digits = digits or self.dps
        balls = self._balls()
        if balls is not None:
            from flint import ctx as flint_ctx

            from symcrit.core.rings import arb_str
            with flint_ctx.workprec(balls[2]):
                return {name: arb_str(b, digits) for name, b in zip(self.params, balls[0])}
        return self.param_strs(digits)

    def to_dict(self) -> dict[str, Any]:
        k = int(self.k) if self.is_integer_k else format_exact(self.k, self.dps)
        return {
            "family": self.family.id,
            "k": k,
            "dps": self.dps,
            "params": self.param_texts(),
            "loss": self.loss_text(),
            "gradient_residual": mpmath.nstr(self.gradient_residual, 5),
            "residual_method": self.residual_method,
            "min_eigenvalue": self.min_eigenvalue,
            "negative_count": self.negative_count,
            "negative_count_evidence": None if self.dense_signs is None else self.dense_signs.evidence,
            "certified": self.certified,
            # the box of the uniqueness statement (rounded up), and the proven bound of the distance
            # from the printed point to the zero (rounded up): params and loss print only its digits
            "radius": None if self.radius is None else upper_str(self.radius, 5),
            "enclosure_radius": None if self.enclosure_radii is None else upper_str(max(self.enclosure_radii), 3),
        }

    def __repr__(self):
        ps = ", ".join(f"{n}={mpmath.nstr(v, 8)}" for n, v in self.params.items())
        return f"<CriticalPoint {self.family.id} k={format_k(self.k)} F={mpmath.nstr(self.loss, 12)} {ps}>"

    def to_latex(self, digits: int | None = None) -> str:
        """The point in LaTeX: family, k (exact), F and the parameters to ``digits`` digits (default
        the point's own precision, at most 30), the residual, and the certificate when there is one."""
        import sympy

        from symcrit.core.tex import tex_number
        dig = digits or min(self.dps, 30)
        if self.certified and self.radius is not None and self.radius > 0:
            # a proven point: only the digits its ball guarantees
            r = max(self.enclosure_radii) if self.enclosure_radii is not None else self.radius
            dig = max(1, min(dig, int(-mpmath.log10(r)))) if r > 0 else dig
        head = (f"\\text{{{self.family.id}}}\\ \\text{{at}}\\ k = {tex_number(self.k)}"
                f"\\quad F = {tex_number(self.loss, dig)}")
        rows = [f"{sympy.latex(p)} &= {tex_number(v, dig)}" for p, v in zip(self.space.params, self.values)]
        note = f"\\text{{residual }} {tex_number(self.gradient_residual, 3)}\\ (\\text{{{self.residual_method}}})"
        if self.certified is not None:
            note += (f",\\ \\text{{certified: radius }} {tex_number(self.radius, 3)}" if self.certified
                     else ",\\ \\text{not certified}")
        return head + "\\\\ \\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}\\\\ " + note

    def _repr_latex_(self):
        return "$$" + self.to_latex() + "$$"

    def _repr_html_(self):
        rows = "".join(f"<tr><td>{n}</td><td><code>{v}</code></td></tr>" for n, v in self.param_texts(20).items())
        info = (f"F = <code>{self.loss_text(20)}</code>, residual {mpmath.nstr(self.gradient_residual, 3)}"
                f" ({self.residual_method})")
        if self.negative_count is not None:
            info += f", min eigenvalue {self.min_eigenvalue:.6g}, {self.negative_count} negative"
        if self.certified is not None:
            info += f", certified: {self.certified}"
        return (f"<b>{self.family.id}</b> at k = {format_k(self.k)} ({self.dps} digits)<br>{info}"
                f"<table>{rows}</table>")


# ---------------------------------------------------------------------------------------------


class Family:
    """A branch of critical points with a given isotropy type.

    Parameters
    ----------
    id : name in the registry.
    blocks : the isotropy type (block sizes, see :class:`FixedPointSpace`).
    limit : the parameter values of W∞ (k → ∞), in parameter order or by name; or
    start : ``(k0, values)``: a point near the branch at k0.
    description : one line.
    origin : how the branch was found: '' (the catalogue, or a user's family) or 'enclosure'.

    ``origin='enclosure'`` marks a critical point that the interval branch-and-bound proved and the
    catalogue lacked; such families are listed by :func:`enclosure_families`, not by :func:`families`.
    """

    def __init__(self, id: str, blocks: str | Sequence[Any], limit: Sequence[Any] | Mapping[str, Any] | None = None,
                 start: tuple[Any, Sequence[Any] | Mapping[str, Any]] | None = None, description: str = "",
                 origin: str = "") -> None:
        if (limit is None) == (start is None):
            raise BadInput("give exactly one branch selector: limit=W∞ or start=(k0, values)")
        if origin not in ("", "enclosure"):
            raise BadInput(f"origin must be '' or 'enclosure', got {origin!r}")
        self.id = id
        self.space = blocks if isinstance(blocks, FixedPointSpace) else fixed_point_space(blocks)
        self.description = description
        self.origin = origin
        # user values stay exact (int, Fraction, mpf; a float as its exact binary value): float64
        # copies only feed the float64 track predictor
        def exact(vals, what):
            return [parse_number(v, name=f"{what} {p}", allow_float=True)
                    for p, v in zip(self.space.params, self.space.param_values(vals))]
        self.limit = None if limit is None else exact(limit, "limit")
        self.start = None if start is None else (parse_k(start[0], allow_float=True), exact(start[1], "start"))

    def __repr__(self):
        return f"Family({self.id!r}, blocks={list(self.space.blocks)})"

    # -- the branch ------------------------------------------------------------------------------
    def _anchor(self):
        """(s0, x0): the first point on the branch, in float64."""
        sp = self.space
        if self.start is not None:
            k0, x = float(self.start[0]), [float(v) for v in self.start[1]]
            try:
                x, _, _ = newton(sp, x, k0, backend="float")
            except (NotConverged, BranchEnded) as exc:
                raise NotConverged(f"family {self.id}: Newton from the starting point at k = {k0:g} failed: {exc}") from None
            return k0 ** -0.5, x
        x = [float(v) for v in self.limit]
        grad = sp.gradient_function("float")
        with np.errstate(divide="ignore", invalid="ignore"):  # a zero row of W∞: 0/0, not critical there
            g0 = [float(v) for v in grad(x, float(K_ANCHOR))]
        if all(math.isfinite(v) for v in g0) and max(abs(v) for v in g0) < 1e-13:
            return K_ANCHOR ** -0.5, x  # W∞ is critical at every k (e.g. the global minimum)
        # W∞ itself has exactly aligned pairs, where the loss is only C^2: start a little off it
        x = [v + 1e-3 * (i + 1) for i, v in enumerate(x)]
        try:
            x, _, _ = newton(sp, x, float(K_ANCHOR), backend="float")
        except (NotConverged, BranchEnded) as exc:
            raise NotConverged(f"family {self.id}: Newton from W∞ at k = {K_ANCHOR} failed: {exc}") from None
        return K_ANCHOR ** -0.5, x

    @functools.cached_property
    def track(self):
        """The branch in float64 at a sequence of s = k^(-1/2), from the anchor down to where it ends.

        A dict with ``s`` (increasing), ``x`` (array, one row per s), ``k_low`` (lowest k reached),
        ``end`` ('space': the isotropy type ends; 'fold': the branch turns back, the reduced
        Jacobian becomes singular; 'newton': Newton failed without a detected fold).
        """
        sp = self.space
        s0, x0 = self._anchor()
        # natural continuation in s (increasing: k decreasing) from the anchor to the space's end
        res = natural(sp, [(s0, list(x0))], sp.k_min ** -0.5, variable="s", backend="float",
                      predictor="secant", jump=0.05, det_stop=True, step=0.01, step_max=0.02, step_min=1e-7,
                      grow=1.5, target_tol=1e-15, maxit=15)
        end = {"target": "space", "fold": "fold", "stuck": "newton"}[res.end]
        ss = np.array([p[0] for p in res.points])
        return {"s": ss, "x": np.array([p[1] for p in res.points]), "k_low": float(ss[-1]) ** -2, "end": end}

    @property
    def k_low(self):
        """The lowest (real) k the branch reaches."""
        return self.track["k_low"]

    @property
    def k_min(self):
        """The smallest integer k at which the family exists."""
        t = self.track
        return max(self.space.k_min, math.ceil(t["k_low"] - 1e-9))

    def _start_at(self, s):
        """A float64 starting point on the branch at s (interpolated along the track)."""
        t = self.track
        ss, xx = t["s"], t["x"]
        if s >= ss[0]:
            j = int(np.searchsorted(ss, s))
            j = min(max(j, 1), len(ss) - 1)
            # quadratic interpolation through three neighbouring track points
            i0 = max(0, min(j - 1, len(ss) - 3))
            idx = slice(i0, i0 + 3)
            return [float(np.polyval(np.polyfit(ss[idx], xx[idx, c], min(2, len(ss[idx]) - 1)), s))
                    for c in range(xx.shape[1])]
        return None

    def _start_near_track(self, s):
        """A float64 point on the branch at s: the track's interpolation, and where that is not
        accurate (few track points near a fold, where x(s) has a square-root behaviour) a
        natural continuation in small steps from the nearest track point above s."""
        x0 = self._start_at(s)
        if x0 is None:
            return None
        kf = s ** -2.0
        try:
            x1, _, _ = newton(self.space, x0, kf, backend="float", maxit=30)
            if max(abs(a - b) for a, b in zip(x1, x0)) < 1e-4:
                return x0
        except (NotConverged, BranchEnded, np.linalg.LinAlgError):
            pass
        t = self.track
        j = max(int(np.searchsorted(t["s"], s)) - 1, 0)  # track point with s_j <= s (k_j >= k)
        sj, x = float(t["s"][j]), list(t["x"][j])
        n_steps = 200
        res = natural(self.space, [(sj, x)], variable="s", backend="float", predictor="constant", jump=math.inf,
                      schedule=[sj + (s - sj) * i / n_steps for i in range(1, n_steps + 1)], maxit=30)
        if res.end != "target":
            raise res.failure
        return res.x

    def solve(self, k: Exact | str, dps: int = 50, verify: bool = True) -> CriticalPoint:
        """The critical point of this family at k (integer or real) to ``dps`` digits.

        With ``verify`` (default) and integer k <= K_FULL, the gradient residual is recomputed on
        the embedded k×k matrix with the full model (an independent route) and the Hessian's
        eigenvalues are computed; otherwise the residual is taken over one entry per orbit.
        """
        try:
            k = parse_k(k)  # exact: int, Fraction, or an mpf as given (never through a float)
        except BadInput as exc:
            raise exc if isinstance(exc, OutOfRange) else OutOfRange(str(exc)) from None
        if isinstance(dps, bool) or not isinstance(dps, numbers.Integral) or dps < 15:
            raise OutOfRange(f"dps must be an integer >= 15, got {dps!r}")
        try:
            kf = float(k)  # only for the float64 track and the branch's range (a predictor)
        except OverflowError:  # an int or Fraction beyond the float range (10**400)
            kf = math.inf
        if not math.isfinite(kf):
            with mpmath.workdps(15):
                big = mpmath.nstr(to_mpf(k), 6)
            raise OutOfRange(f"k = {big} is beyond the float64 range of the branch tracker (k < 1.8e308)")
        t = self.track
        if kf < t["k_low"] - 1e-12:
            why = {"space": f"the isotropy type {list(self.space.blocks)} needs k >= {self.space.k_min}",
                   "fold": "the branch ends at a fold there (the reduced Jacobian becomes singular)",
                   "newton": "continuation could not follow the branch below"}[t["end"]]
            raise OutOfRange(f"family {self.id} exists for k >= {t['k_low']:.6g} only: {why}; "
                             f"k = {format_exact(k, 12)} is below")
        if is_integer(k) and k < self.space.k_min:
            raise OutOfRange(f"family {self.id} needs integer k >= {self.space.k_min}, got {format_exact(k)}")
        # the loss is a difference of O(k^2) terms and the Jacobian's condition grows with k
        guard = 15 + 3 * int(max(0.0, math.log10(kf)))
        wdps = dps + guard
        with mpmath.workdps(wdps):
            k_mp = to_mpf(k)
            s = kf ** -0.5
            x0 = self._start_near_track(s)
            if x0 is None:
                x = self._continue_up(k_mp)
            else:
                x = [mpmath.mpf(v) for v in x0]
            x, r, _ = newton(self.space, x, k_mp, backend="mpmath")
            # the same branch: the polished point must stay near the track's prediction
            if x0 is not None and max(abs(a - b) for a, b in zip(x, x0)) > 1e-3:
                raise BranchEnded(f"family {self.id}: Newton at k = {format_k(kf)} left the branch")
        cp = CriticalPoint(self, int(k) if is_integer(k) and not isinstance(k, mpmath.mpf) else k, dps, x, wdps)
        return cp._evaluate(full=verify)

    def _continue_up(self, k_target):
        """For k beyond the anchor: continue in s towards 0 in mpmath (steps s -> s/100).

        The predictor interpolates through W∞ at s = 0 when the family has it (the branch is a
        power series in s, so this is interpolation, not extrapolation), else extrapolates
        linearly with smaller steps.  A Newton correction that moves further than the predictor's
        own error allows is a jump to another branch and raises :class:`BranchEnded`.
        """
        t = self.track
        s_target = 1 / mpmath.sqrt(k_target)
        pts = [(mpmath.mpf(float(t["s"][i])), [mpmath.mpf(float(v)) for v in t["x"][i]]) for i in (1, 0)]
        pts = [(s, newton(self.space, x, 1 / s**2)[0]) for s, x in pts]
        x_inf = None if self.limit is None else [to_mpf(v) for v in self.limit]
        if x_inf is None:
            return self._continue_up_small_steps(pts, s_target)
        # steps s -> s/100; the predictor is the quadratic through (0, W∞) and the last two points;
        # the predictor's error is at most of the size of the last change along the branch
        res = natural(self.space, pts, s_target, variable="s", backend="mpmath", predictor="lagrange",
                      anchors=[(0, x_inf)], factor=100,
                      jump=relative_jump(10, lambda: mpmath.mpf(10) ** (-mpmath.mp.dps // 2)))
        if res.end == "jump":
            raise BranchEnded(f"family {self.id}: continuation to k = {format_k(1 / res.failed_at**2)} "
                              "jumped off the branch")
        if res.end != "target":
            raise res.failure
        return res.x

    def _continue_up_small_steps(self, pts, s_target):
        """Continuation towards smaller s for a family without a limit: a secant predictor, steps
        of at most 0.01 in s (halved on failure) and the track's jump test (a Newton correction
        larger than 0.02 is another branch) down to s = 0.05 (k = 400); from there geometric steps
        s -> s/2 with a jump test relative to the branch's own last change.  Steps of s/1.25 with a
        lenient jump test went from k = 11 to k = 15 in one step and landed on another critical
        point of the same isotropy type (found by the atlas: Δ(S_5 × S_{k-5})); steps of 0.01 in s
        with the absolute test 0.02 below s = 0.05, where coordinates of size s are smaller than
        both, landed on the mirror point of sk1x (a -> -a, k·F 0.267195 against 0.267255) at
        k = 10^8 and returned it."""
        s_mid = max(s_target, mpmath.mpf("0.05"))
        res = natural(self.space, pts, s_mid, variable="s", backend="mpmath", predictor="secant",
                      jump=mpmath.mpf("0.02"), step=mpmath.mpf("0.005"), step_max=mpmath.mpf("0.01"),
                      step_min=mpmath.mpf(10) ** -7, grow=1.5, maxit=25)
        if res.end == "target" and s_target < s_mid:
            # two points a proper step apart (the last adaptive step may be clipped to a sliver);
            # a good step's correction is O(Δs²), a jump to a nearby branch (the mirror of a
            # coordinate ~ c·s) is about twice the step's change: at most half of the last change
            last = res.points[-1]
            prev = next((q for q in reversed(res.points[:-1]) if abs(q[0] - last[0]) >= mpmath.mpf("0.004")),
                        res.points[0])
            res = natural(self.space, [prev, last], s_target, variable="s", backend="mpmath", predictor="secant",
                          factor=mpmath.mpf("1.25"), jump=relative_jump(mpmath.mpf("0.5"), lambda: mpmath.mpf(10) ** (-mpmath.mp.dps // 2)),
                          maxit=25)
        if res.end != "target":
            exc = BranchEnded(f"family {self.id}: continuation to k = {format_k(1 / s_target**2)} could "
                              f"not follow the branch beyond k = {format_k(1 / res.points[-1][0]**2)}")
            exc.k_reached = 1 / res.points[-1][0] ** 2  # the last k the continuation reached (an estimate of the end)
            raise exc
        return res.x


# ---------------------------------------------------------------------------------------------
# families given by a closed form in k


def rank_one_angle(ctx: Any, k: Any) -> Any:
    """α = atan2(√(k − 1), 1) = arccos(1/√k): the angle between the row 1ᵀ and a teacher row e_j."""
    return ctx.atan2(ctx.sqrt(k - 1), ctx.convert(1))


def rank_one_t(ctx: Any, k: Any, sign: int) -> Any:
    r"""t± of the two critical points W = t±·11ᵀ (all rows equal), in the number context ``ctx``:

    .. math:: t_+ = \frac{\sqrt{k-1} + \pi - \alpha}{\pi k}, \qquad
              t_- = -\frac{\sqrt{k-1} - \alpha}{\pi k}, \qquad \alpha = \arctan\sqrt{k-1},

    i.e. t± = ±2φ(±1/√k)/√k with φ(c) = (√(1 − c²) + c(π − arccos c))/(2π); t₊ + t₋ = 1/k.

    *Derivation* (exact).  On the line W = t·11ᵀ, the fixed-point set of S_k × S_k (rows and
    columns permuted independently, which leaves F invariant), the loss is
    F(t) = k³t²/4 − k^{5/2}|t| φ(sign(t)/√k) + C with C = k/4 + k(k − 1)/(4π)
    (:func:`rank_one_loss`; the reduced loss of ΔS_k restricted to p = q = t is this function,
    checked symbolically in the tests).  On each half-line it is a convex quadratic in t with one
    critical point, t = 2 sign(t) φ(sign(t)/√k)/√k; by symmetric criticality it is a critical point
    of the full loss.  W = 0 is not (F is not differentiable there), so these are all.

    >>> import mpmath
    >>> from symcrit.core.contexts import get_context
    >>> mp = get_context("mpmath")
    >>> mpmath.nstr(rank_one_t(mp, mpmath.mpf(6), 1), 12), mpmath.nstr(rank_one_t(mp, mpmath.mpf(6), -1), 12)
    ('0.224270463303', '-0.0576037966363')
    """
    pi, a, r = ctx.pi(), rank_one_angle(ctx, k), ctx.sqrt(k - 1)
    if sign > 0:
        return (r + pi - a) / (pi * k)
    return -(r - a) / (pi * k)


def _row_block_of_slot(space):
    if space.extra:
        raise BadInput("rank-one families are defined for n = k (no extra row)")
    return [I for _, I, _ in space.slots]


def rank_one_values(space: FixedPointSpace, ctx: Any, k: Any, signs: Sequence[int]) -> list[Any]:
    """The parameters of W = u·1ᵀ in ``space`` whose row block I has the sign ``signs[I]`` (±1):
    the rows of one sign share the sum k·t± equally (:func:`rank_one_t`), so Σ_{u_i>0} u_i = k·t₊
    and Σ_{u_i<0} u_i = k·t₋.  Such a W is critical (the student function depends on those two
    sums only, the kernel between rows of opposite signs vanishes: see :func:`rank_one_loss`)."""
    from symcrit.symmetry.blocks import poly_at
    if len(signs) != len(space.sizes) or any(s not in (1, -1) for s in signs):
        raise BadInput(f"give one sign (+1 or -1) per block of {list(space.blocks)}, got {list(signs)}")
    sizes = [poly_at(p, k) for p in space.sizes]
    count = {sg: sum((n for n, s in zip(sizes, signs) if s == sg), ctx.convert(0)) for sg in set(signs)}
    u = [k * rank_one_t(ctx, k, s) / count[s] for s in signs]
    return [u[I] for I in _row_block_of_slot(space)]


def rank_one_loss(ctx: Any, k: Any, signs: Sequence[int]) -> Any:
    r"""F at a critical point W = u·1ᵀ whose rows take the signs in ``signs`` (a set: ``{1}``,
    ``{-1}`` or ``{1, -1}``):

    .. math:: F = \frac{k}{4} + \frac{k(k-1)}{4\pi} - k^2 \sum_{\sigma} \varphi(\sigma/\sqrt k)^2,
              \qquad k\,\varphi(\pm 1/\sqrt k)^2 = \frac{(\sqrt{k-1} \pm (\pi - \alpha_\pm))^2}{4\pi^2}

    (α₊ = α, π − α₋ = α).  *Derivation*: with P = Σ_{u_i>0} u_i, N = Σ_{u_i<0} |u_i|, the kernel of
    two rows of opposite signs is f(1, −1) = 0 (angle π), so
    F = kP²/4 − k^{3/2} φ₊ P + kN²/4 − k^{3/2} φ₋ N + C: two convex quadratics, minimal at
    P = 2√k φ₊ = k t₊ and N = 2√k φ₋ = −k t₋, each contributing −k²φ±²."""
    pi, a, r = ctx.pi(), rank_one_angle(ctx, k), ctx.sqrt(k - 1)
    F = k / 4 + k * (k - 1) / (4 * pi)
    for sg in sorted(set(signs)):
        num = r + pi - a if sg > 0 else r - a
        F = F - k * num * num / (4 * pi * pi)
    return F


class ClosedFormFamily(Family):
    """A family whose critical point at k is given by a closed form (exact, derived: not fitted).

    ``values(ctx, k)`` returns the parameters in the space's order, written against a number
    context (``float``, ``mpmath``, ``arb``, ``sympy``: the same formula gives floats, digits,
    proven balls and the exact expression); ``loss(ctx, k)`` (optional) the loss in closed form;
    ``derivation`` says why the point is critical.  :meth:`solve` evaluates the formula (no Newton,
    no continuation: the formula is valid for every real k >= the space's smallest k), and
    :meth:`CriticalPoint.certify` encloses the closed form in balls (*proven*, by the derivation),
    which is what these points need: their rows are aligned (all rows ±1ᵀ), where the reduced
    Jacobian is not enclosable and the Krawczyk test of :mod:`symcrit.critical.certify` cannot run.
    They are kept apart from :func:`families` (see :func:`closed_form_families`)."""

    def __init__(self, id: str, blocks: str | Sequence[Any], values: Any, loss: Any = None, description: str = "",
                 derivation: str = "") -> None:
        self.id = id
        self.space = blocks if isinstance(blocks, FixedPointSpace) else fixed_point_space(blocks)
        self.description = description
        self.derivation = derivation
        self.origin = ""
        self.values_formula = values
        self.loss_formula = loss
        self.limit = None
        self.start = None

    def __repr__(self):
        return f"ClosedFormFamily({self.id!r}, blocks={list(self.space.blocks)})"

    @property
    def track(self):
        """No track: the closed form holds for every real k >= the space's smallest k."""
        return {"s": None, "x": None, "k_low": float(self.space.k_min), "end": "space"}

    def values_at(self, k: Any, backend: str = "mpmath") -> list[Any]:
        """The closed form at k in the context ``backend`` (k given in that context's numbers)."""
        from symcrit.core.contexts import get_context
        ctx = get_context(backend)
        return list(self.values_formula(ctx, ctx.convert(k)))

    def exact_values(self) -> list[Any]:
        """The parameters as sympy expressions in the symbol k."""
        from symcrit.symmetry.fixedpoint import K_SYMBOL
        from symcrit.core.contexts import get_context
        return list(self.values_formula(get_context("sympy"), K_SYMBOL))

    def solve(self, k: Exact | str, dps: int = 50, verify: bool = True) -> CriticalPoint:
        """The critical point at k (integer or real, >= the space's smallest k) to ``dps`` digits, from
        the closed form; with ``verify`` and integer k <= K_FULL the gradient residual is taken on
        the embedded k×k matrix (an independent route), as for :meth:`Family.solve`."""
        try:
            k = parse_k(k)
        except BadInput as exc:
            raise exc if isinstance(exc, OutOfRange) else OutOfRange(str(exc)) from None
        if isinstance(dps, bool) or not isinstance(dps, numbers.Integral) or dps < 15:
            raise OutOfRange(f"dps must be an integer >= 15, got {dps!r}")
        if k < self.space.k_min:
            raise OutOfRange(f"family {self.id} needs k >= {self.space.k_min} (the isotropy type "
                             f"{list(self.space.blocks)}), got {format_exact(k)}")
        with mpmath.workdps(30):
            lg = int(max(mpmath.mpf(0), mpmath.log10(to_mpf(k))))
        wdps = dps + 15 + 3 * lg  # the loss is a difference of O(k^2) terms
        with mpmath.workdps(wdps):
            x = self.values_at(to_mpf(k), "mpmath")
        cp = CriticalPoint(self, int(k) if is_integer(k) and not isinstance(k, mpmath.mpf) else k, dps, x, wdps)
        return cp._evaluate(full=verify)

    def _balls_at(self, k, prec):
        from flint import ctx as flint_ctx

        from symcrit.critical.certify import k_ball
        with flint_ctx.workprec(prec):
            kb = k_ball(k)
            X = self.values_at(kb, "arb")
            F = None if self.loss_formula is None else self.loss_formula(_arb_ctx(), kb)
        return X, F

    def certify_closed_form(self, cp: CriticalPoint) -> CriticalPoint:
        """Enclose the closed form in balls at the point's working precision: the exact critical
        point lies in them (*proven*, by the derivation); ``radius``/``enclosure_radii`` bound the
        distance from the printed point to it.  No uniqueness box: the Krawczyk test cannot run at
        aligned rows (and in a space where the point is not isolated there is none)."""
        from symcrit.core.contexts import get_context
        from symcrit.critical.certify import Certificate
        prec = int(cp.work_dps * 3.33) + 32
        X, _ = self._balls_at(cp.k, prec)
        conv = get_context("arb").convert
        from flint import ctx as flint_ctx

        from symcrit.core.laurent import ball_mid
        with flint_ctx.workprec(prec):
            # upper bounds of |x* - y_i| (exact binary numbers): x* lies in the ball b_i
            radii = [ball_mid((b - conv(v)).abs_upper()) for v, b in zip(cp.values, X)]
        cert = Certificate(True, max(radii), "closed form: " + (self.derivation or "see the family's definition"),
                           prec=prec, radii=radii, scale="absolute")
        cert.enclosure_radii = radii
        cp.certificate = cert
        cp.certified = True
        cp.radius, cp.radii, cp.enclosure_radii = cert.radius, radii, radii
        return cp

    def closed_form_balls(self, cp: CriticalPoint):
        """(parameter balls, loss ball, prec) of the closed form at the point's k (see
        :meth:`CriticalPoint._balls`)."""
        prec = cp.certificate.prec
        X, F = self._balls_at(cp.k, prec)
        if F is None:
            from flint import ctx as flint_ctx

            from symcrit.critical.certify import k_ball
            with flint_ctx.workprec(prec):
                try:
                    F = self.space.loss_function("arb")(X, k_ball(cp.k))
                except (ZeroDivisionError, ValueError):
                    F = None
        return X, F if F is not None and F.is_finite() else None, prec

    def expansion(self, order: int = 6) -> dict[str, Any]:
        """Each parameter and the loss ``F`` as a series in s = k^(-1/2) up to O(s^order), exactly
        (sympy's series of the closed form; coefficients in Q(π)).  Negative powers appear where a
        quantity grows with k (F ~ k² here).  The series engine (:mod:`symcrit.asymptotics`) does
        not apply to these families: it needs a finite limit W∞ with nonzero rows, and along these
        branches the rows are exactly aligned, so √S ≡ 0 has no leading term (see the README).

        >>> family("rank1p").expansion(4)["p"]
        s/pi + s**2/2 + s**3/(2*pi) + O(s**4)
        """
        import sympy

        from symcrit.core.contexts import get_context
        from symcrit.symmetry.fixedpoint import K_SYMBOL
        s = sympy.Symbol("s", positive=True)

        def at_s(e):
            e = sympy.sympify(e).subs(K_SYMBOL, s ** -2)

            def atan(a):  # atan2(y, x) = atan(y/x) for x > 0 (here x = 1)
                y, x = a.args
                if not x.is_positive:
                    raise NotImplementedError(f"atan2 with a second argument of unknown sign: {a}")
                return sympy.atan(y / x)
            e = e.replace(lambda a: isinstance(a, sympy.atan2), atan)
            return sympy.series(e, s, 0, order)
        out = {str(p): at_s(v) for p, v in zip(self.space.params, self.exact_values())}
        if self.loss_formula is not None:
            out["F"] = at_s(self.loss_formula(get_context("sympy"), K_SYMBOL))
        return out

    def loss_at(self, k: Any, backend: str = "mpmath") -> Any:
        """The closed-form loss at k in the context ``backend`` (None if the family has none)."""
        from symcrit.core.contexts import get_context
        if self.loss_formula is None:
            return None
        ctx = get_context(backend)
        return self.loss_formula(ctx, ctx.convert(k))


def _arb_ctx():
    from symcrit.core.contexts import get_context
    return get_context("arb")


def _exact_integer_str(k, kf):
    """The decimal string of k when k is an integer (read exactly: '1e100' is 10^100, not the
    double nearest to it), else None."""
    if kf != int(kf):
        return None
    if isinstance(k, str):
        try:
            q = fractions.Fraction(k.strip())
        except ValueError:
            return None
        return str(q.numerator) if q.denominator == 1 else None
    if isinstance(k, mpmath.mpf):
        return str(int(k)) if k == int(k) else None
    if isinstance(k, fractions.Fraction):
        return str(k.numerator) if k.denominator == 1 else None
    if isinstance(k, float):
        return str(int(k))  # the user gave a double: its exact integer value
    return None


# ---------------------------------------------------------------------------------------------
_REGISTRY: dict = {}


def register_family(id: str, blocks: str | Sequence[Any], limit: Sequence[Any] | Mapping[str, Any] | None = None,
                    start: tuple[Any, Sequence[Any] | Mapping[str, Any]] | None = None, description: str = "",
                    replace: bool = False, origin: str = "") -> Family:
    """Register a family under ``id``: an isotropy type plus a branch selector (``origin``: see
    :class:`Family`; 'enclosure' lists it in :func:`enclosure_families` instead of :func:`families`).

    >>> f = register_family("demo", ["1", "k-1"], start=(6, [-0.6, 0.22, 0.31, 0.99, -0.05]),
    ...                     description="sk1 again, selected by a point at k = 6", replace=True)
    >>> f.solve(6, dps=20).loss_str(12)
    '0.0250805810025'
    >>> unregister_family("demo")
    """
    if id in _REGISTRY and not replace:
        raise BadInput(f"family {id!r} is already registered (pass replace=True to replace it)")
    fam = Family(id, blocks, limit=limit, start=start, description=description, origin=origin)
    _REGISTRY[id] = fam
    return fam


def unregister_family(id: str) -> None:
    _REGISTRY.pop(id, None)


def register_closed_form(id: str, blocks: str | Sequence[Any], values: Any, loss: Any = None, description: str = "",
                         derivation: str = "", replace: bool = False) -> ClosedFormFamily:
    """Register a family given by a closed form (:class:`ClosedFormFamily`): ``values(ctx, k)`` the
    parameters in the space's order, ``loss(ctx, k)`` the loss (optional), both written against a
    number context.  It is found by :func:`family` and listed by :func:`closed_form_families`, not by
    :func:`families`."""
    if id in _REGISTRY and not replace:
        raise BadInput(f"family {id!r} is already registered (pass replace=True to replace it)")
    fam = ClosedFormFamily(id, blocks, values, loss=loss, description=description, derivation=derivation)
    _REGISTRY[id] = fam
    return fam


def family(id: str) -> Family:
    """The registered family ``id``."""
    try:
        return _REGISTRY[id]
    except KeyError:
        raise UnknownFamily(f"unknown family {id!r}; known: {', '.join(_REGISTRY)}") from None


def is_registered(fam):
    """True if ``fam`` is the family registered under its id (so results may be cached by id)."""
    return _REGISTRY.get(fam.id) is fam


def families() -> list[Family]:
    """All registered families followed as branches (a limit W∞ or a starting point): the
    catalogue that solving, series, spectra, the atlas and the report iterate over.  Families in
    closed form are listed by :func:`closed_form_families`, the branches found by the enclosures by
    :func:`enclosure_families`."""
    return [f for f in _REGISTRY.values() if not isinstance(f, ClosedFormFamily) and f.origin != "enclosure"]


def enclosure_families() -> list[Family]:
    """The branches of critical points that the interval branch-and-bound
    (:func:`symcrit.critical.enclosure.all_critical_points`) proved and the catalogue lacked: each
    is a :class:`Family` with a starting point at k = 6 (the enclosure's point), followed in real k
    like any other (``family(id).solve(k)``, ``certify``, ``prove_inertia``, ``folds``).

    Kept out of :func:`families`: they are saddles that no descent reaches, and the modules that
    iterate over the catalogue (the report, the series and spectra claims, discovery's
    identification) are about the catalogued branches; the atlas includes them with
    ``found_by`` 'enclosure' and :func:`symcrit.critical.enclosure.compare_with_catalogue` names them.

    >>> [f.id for f in enclosure_families()]
    ['sk1g-m', 'sk1g-p', 'sksk1b-p', 'sksk1b-m']
    """
    return [f for f in _REGISTRY.values() if not isinstance(f, ClosedFormFamily) and f.origin == "enclosure"]


def closed_form_families() -> list[ClosedFormFamily]:
    """The registered families given by a closed form in k (:class:`ClosedFormFamily`).

    Kept out of :func:`families`: their points have aligned rows (all rows ±1ᵀ), where the reduced
    Jacobian is not defined, so Newton, continuation, the Krawczyk test, the series engine and the
    Hessian-by-symmetry machinery that iterate over :func:`families` do not apply to them; and they
    are saddles of index about k² (never met by descent).  They are what the enclosures find beyond
    the branches (:func:`symcrit.critical.enclosure.compare_with_catalogue` names them).

    >>> [f.id for f in closed_form_families()]
    ['rank1p', 'rank1m', 'rank1mp', 'rank1pm']
    """
    return [f for f in _REGISTRY.values() if isinstance(f, ClosedFormFamily)]


# The catalogued families (SPEC §3); the selectors are the k → ∞ limits W∞ in canonical form.
register_family("global", ["k"], limit={"p": 1, "q": 0},
                description="the global minimum W = I, F = 0")
register_family("sk1", ["1", "k-1"], limit={"a": -1, "b": 0, "c": 0, "d": 1, "e": 0},
                description="Safran–Shamir spurious minima: W → diag(-1, 1, …, 1)")
register_family("sk1b", ["1", "k-1"], limit={"a": 1, "b": 0, "c": 0, "d": -1, "e": 0},
                description="all but one neuron flipped: d → -1, a → 1")
register_family("sk", ["k"], limit={"p": -1, "q": 0},
                description="every neuron flipped: p ≈ -1 + 2/k, q ≈ 2/k")
register_family("s2", ["2", "k-2"], limit={"alpha": -1, "beta": 0, "gamma": 0, "delta": 0, "d": 1, "e": 0},
                description="two neurons flipped the way sk1 flips one")
# n = k + 1 (one extra student neuron, the extra row u fixed by ΔS_{k-1}): found by Newton from
# random starts in that fixed-point space at k = 10 (a start selector: its k → ∞ limit has the row
# a, b → 0 like s, where F is not differentiable, so W∞ cannot select it)
register_family("sk1x", fixed_point_space(["1", "k-1"], extra=1),
                start=(10, [-0.19031, 0.09664, 0.18464, 0.99203, -0.01831, -0.53076, 0.05735]),
                description="n = k+1: the extra neuron takes sk1's flipped role (u → -e_1), row 1 shrinks like -1.37 s")

# Found by the interval branch-and-bound (symcrit.critical.enclosure): Δ(S_1 × S_{k-1}), proven complete
# at every k = 6..20 (rho = 0; bench/results/enclose_S1xSk-1.jsonl), holds four isolated critical points with distinct rows that the catalogue
# lacked.  Each is selected by its point at k = 6 (Newton at 40 digits, full 6×6 gradient < 1e-55) and
# followed in real k; continuation from k = 6 lands on the k = 7 points of the proven list.  Listed by
# enclosure_families(), not families().  Their unstable direction inside the fixed-point space (the
# negative eigenvector of the reduced Jacobian, followed by the gradient flow both ways) descends to
# sk1 and global (sk1g-*) or to sk and sk1b (sksk1b-*).
register_family("sk1g-m", ["1", "k-1"], origin="enclosure",
                start=(6, ["-0.035931759780167267051", "-0.032040425539122724802", "0.1982423899877328488",
                           "1.1446820168751609633", "-0.026590874486334776711"]),
                description="saddle of index 1 between sk1 and global: row 1 short with a, b < 0 "
                            "(|w_1| ~ k^(-3/2)), rows 2..k near the teacher (c ~ 1/k); F → 1/8 − 1/(4π)")
register_family("sk1g-p", ["1", "k-1"], origin="enclosure",
                start=(6, ["0.09327461780848744447", "0.11618129452678729174", "0.17536992680593936564",
                           "1.1027620337703528647", "-0.050907288902921792639"]),
                description="saddle of index 1 between sk1 and global, the mirror of sk1g-m: row 1 short "
                            "with a, b > 0, rows 2..k near the teacher; F → 1/8 − 1/(4π)")
register_family("sksk1b-p", ["1", "k-1"], origin="enclosure",
                start=(6, ["0.35189851702183986694", "0.34047986825600673844", "0.12502659276437441362",
                           "-0.73509223110524406003", "0.34163983712793409814"]),
                description="saddle between sk and sk1b (index k − 1): row 1 short with a, b > 0 (~2/k), "
                            "rows 2..k flipped (d → −1)")
register_family("sksk1b-m", ["1", "k-1"], origin="enclosure",
                start=(6, ["-0.036414617265342717143", "-0.036597061489046893144", "0.20561630850149761688",
                           "-0.72394464675795143085", "0.43750789933145481489"]),
                description="saddle between sk and sk1b: row 1 short with a, b < 0, rows 2..k flipped; the "
                            "branch ends where row 1 reaches 0 (k ≈ 15.19)")


# Critical points in closed form (kept apart from families(): see closed_form_families).
def register_rank_one(id: str, blocks: str | Sequence[Any], signs: Sequence[int], description: str = "",
                      replace: bool = False) -> ClosedFormFamily:
    """Register the critical point W = u·1ᵀ of ``blocks`` whose row block I has the sign
    ``signs[I]`` (:func:`rank_one_values`), with its closed-form loss (:func:`rank_one_loss`).

    >>> f = register_rank_one("demo1", ["2", "k-2"], [-1, 1], replace=True)
    >>> cp = f.solve(6, dps=20)
    >>> cp.loss_str(12), cp.residual_method, float(cp.gradient_residual) < 1e-25
    ('0.992090489138', 'full', True)
    >>> unregister_family("demo1")
    """
    from symcrit.core.contexts import get_context
    sp = blocks if isinstance(blocks, FixedPointSpace) else fixed_point_space(blocks)
    sg = tuple(int(s) for s in signs)
    rank_one_values(sp, get_context("float"), 10.0, sg)  # validates the signs and the space
    return register_closed_form(
        id, sp, lambda ctx, k: rank_one_values(sp, ctx, k, sg), loss=lambda ctx, k: rank_one_loss(ctx, k, sg),
        description=description or f"W = u·1ᵀ, row blocks of signs {list(sg)}: Σ_(u>0) u = k·t₊, Σ_(u<0) u = k·t₋",
        derivation=("W = u·1ᵀ lies in the fixed-point space of the row isotropy × S_k (columns), where "
                    "F = kP²/4 − k^(3/2)φ₊P + kN²/4 − k^(3/2)φ₋N + C (P, N: the sums of the positive and negative "
                    "u_i) is a convex quadratic in each block's value with its critical point at P = k·t₊, "
                    "N = −k·t₋; symmetric criticality"),
        replace=replace)


register_rank_one("rank1p", ["k"], [1],
                  description="all rows equal, W = t₊·11ᵀ, t₊ = (√(k−1) + π − atan√(k−1))/(πk) ~ s/π: "
                              "a saddle, isotropy S_k × S_k")
register_rank_one("rank1m", ["k"], [-1],
                  description="all rows equal, W = t₋·11ᵀ, t₋ = −(√(k−1) − atan√(k−1))/(πk) ~ −s/π: "
                              "a saddle, isotropy S_k × S_k")
register_rank_one("rank1mp", ["1", "k-1"], [-1, 1],
                  description="W = u·1ᵀ, u = (k·t₋, k·t₊/(k−1), …): row 1 negative, the others share k·t₊; a saddle")
register_rank_one("rank1pm", ["1", "k-1"], [1, -1],
                  description="W = u·1ᵀ, u = (k·t₊, k·t₋/(k−1), …): row 1 positive, the others share k·t₋; a saddle")
