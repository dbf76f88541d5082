r"""One continuation engine: follow a branch of solutions of G(x, k) = 0 (the reduced gradient of a
fixed-point space) in float64 or in mpmath at the working precision.

Three modes, one loop each:

* **natural** (:func:`natural`): the parameter is ``p = s = k^(-1/2)`` (``variable="s"``) or ``p = k``
  (``variable="k"``); each step predicts x at the next p (``predictor``: ``"constant"``, ``"secant"``
  through the last two points, or ``"lagrange"``: the polynomial through given anchor points, such
  as W∞ at s = 0, and the last two points), corrects by Newton's method at fixed k
  (:func:`symcrit.core.newton.newton`), and accepts the step unless the *jump test* fails (the
  correction moved x further than the predictor's error allows: another branch) or, with
  ``det_stop``, det J changed sign (a fold was crossed).  The steps are adaptive (halved on
  failure, grown by ``grow`` up to ``step_max``, given up below ``step_min``), geometric (p → p /
  ``factor``) or an explicit ``schedule`` of parameter values; only adaptive steps retry.
* **arclength** (:func:`arclength`): pseudo-arclength continuation in (x, k) in float64, with the
  tangent from the SVD of [G_x | G_k]: it passes folds (where the natural mode stops) and brackets
  each turning point of k.
* **along** (:func:`along`): a polygonal path in a real or complex parameter (s in the complex
  plane for the singularities of a branch) with the caller's corrector, which carries a state along
  the path (the branches of the kernel's square roots and arctangents); secant predictor, jump
  test, adaptive steps.

All return a :class:`Continuation`: the points in order, why it ended, and the fold brackets.
:func:`follow` dispatches on ``mode``.  Every number here is a float64 or mpmath Newton solution:
a predictor for the callers' polishing and proofs (evidence 'estimated' until they check it).

Toy system with a fold at k = 1 (x₀² + k − 1 = 0, x₁ = x₀):

>>> class Toy:
...     dim = 2
...     def gradient_function(self, backend):
...         return lambda x, k: [x[0] * x[0] + k - 1, x[1] - x[0]]
...     def jacobian_function(self, backend):
...         return lambda x, k: [2 * x[0], 0, -1, 1]
>>> r = natural(Toy(), [(0.0, [1.0, 1.0])], 2.0, variable="k", step=0.1, step_max=0.1)
>>> r.end, round(r.brackets[0][0], 4)
('fold', 1.0)
>>> a = arclength(Toy(), [0.5, 0.5], 0.75, k_lo=0.0, k_hi=2.0, h=0.05)
>>> [round(k, 3) for k, _ in a.brackets], a.ends, bool(a.points[-1][1][0] < 0)
([1.0], ['range', 'range'], True)
"""
from __future__ import annotations

import cmath
import math
from typing import Any, Callable, Protocol, Sequence

import mpmath
import numpy as np

from symcrit.core.errors import BadInput, BranchEnded, NotConverged
from symcrit.core.newton import newton, newton_system

__all__ = ["System", "Continuation", "follow", "natural", "arclength", "along", "relative_jump", "lagrange"]

#: what a failed corrector step may raise (float probes may leave the domain: NaN, a singular matrix)
_STEP_ERRORS = (NotConverged, BranchEnded, np.linalg.LinAlgError, ValueError, ZeroDivisionError)


class System(Protocol):
    """What the engine needs of a system G(x, k) = 0 (a
    :class:`~symcrit.symmetry.fixedpoint.FixedPointSpace` is one): ``dim`` and, per backend
    ('float' or 'mpmath'), compiled ``G(x, k)`` (a list of ``dim`` values) and ``J(x, k)`` (row-major
    flat list of ``dim²`` values)."""

    dim: int

    def gradient_function(self, backend: str) -> Callable[..., Any]: ...

    def jacobian_function(self, backend: str) -> Callable[..., Any]: ...


class Continuation:
    """The result of a continuation.

    ``mode`` ('natural' / 'arclength'); ``variable`` ('s', 'k'; 'k' for arclength): the first
    coordinate of each point; ``points``: ``[(p, x)]`` in the order followed (natural: from the
    start, given points included; arclength: along the branch through both ends);
    ``ends``: why each direction stopped — natural (one entry): 'target' (reached), 'fold' (the
    step fell below ``step_min`` where J is nearly singular: σ_min < ``fold_ratio`` σ_max), 'stuck'
    (the same elsewhere), 'jump' / 'newton' (a step without retries failed the jump test / the
    corrector); arclength (lower-k direction first): 'range', 'stuck', 'steps';
    ``brackets``: fold candidates ``[(k, x)]`` (arclength: points where k turned; natural: the last
    point when it ended at a fold); ``dets``: det J at the points (natural with ``det_stop``);
    ``failure``: the last failed step's exception and ``failed_at`` its parameter (natural)."""

    def __init__(self, mode: str, variable: str, points: list[tuple[Any, list[Any]]], ends: list[str],
                 brackets: list[tuple[Any, list[Any]]], dets: list[Any] | None = None,
                 failure: Exception | None = None, failed_at: Any = None) -> None:
        self.mode, self.variable, self.points, self.ends = mode, variable, points, ends
        self.brackets, self.dets, self.failure, self.failed_at = brackets, dets or [], failure, failed_at
        self.state: Any = None  # along: the corrector's state at the last point
        self.info: list[tuple[Any, Any]] = []  # along: (p, what the corrector reported) per accepted point

    @property
    def end(self) -> str:
        """Why it ended (natural mode; for arclength the upper-k direction's reason)."""
        return self.ends[-1]

    @property
    def x(self) -> list[Any]:
        """The last point's x."""
        return self.points[-1][1]

    def __repr__(self) -> str:
        return (f"<Continuation {self.mode} in {self.variable}: {len(self.points)} points, ends {self.ends}, "
                f"{len(self.brackets)} fold bracket(s)>")


# ---------------------------------------------------------------------------------------------
# predictors and jump tests


def lagrange(nodes: Sequence[Any], values: Sequence[Any], p: Any) -> Any:
    """The interpolating polynomial through (nodes[i], values[i]) at p (Lagrange form)."""
    total = None
    for i, (pi, yi) in enumerate(zip(nodes, values)):
        num, den = yi, None
        for j, pj in enumerate(nodes):
            if j != i:
                num = num * (p - pj)
                den = (pi - pj) if den is None else den * (pi - pj)
        term = num / den if den is not None else num
        total = term if total is None else total + term
    return total


def relative_jump(factor: Any, floor: Any, first: Any = 0.05) -> Callable[[list[tuple[Any, list[Any]]]], Any]:
    """A jump limit that scales with the branch: ``factor`` × (the last change of x between two
    points) + ``floor`` (a callable is evaluated at each step: e.g. a limit set by the precision);
    ``first`` while there is only one point."""
    def limit(points):
        if len(points) < 2:
            return first
        (_, x1), (_, x2) = points[-2], points[-1]
        fl = floor() if callable(floor) else floor
        return factor * max(abs(a - b) for a, b in zip(x2, x1)) + fl
    return limit


def _predict(predictor, points, anchors, p_new):
    if predictor == "constant" or len(points) < 2:
        return list(points[-1][1])
    (p1, x1), (p2, x2) = points[-2], points[-1]
    if predictor == "secant":
        return [b + (b - a) * (p_new - p2) / (p2 - p1) for a, b in zip(x1, x2)]
    # "lagrange": through the anchors and the last two points
    nodes = [a[0] for a in anchors] + [p1, p2]
    cols = zip(*([a[1] for a in anchors] + [x1, x2]))
    return [lagrange(nodes, col, p_new) for col in cols]


def _k_of(variable, backend):
    if variable == "k":
        return lambda p: p
    if backend == "float":
        return lambda p: p ** -2.0
    return lambda p: 1 / p**2


def _det(system, backend, x, k):
    n = system.dim
    if backend == "float":
        # float probes may leave the domain (NaN): such a step is rejected by the caller
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.linalg.det(np.array(system.jacobian_function(backend)(x, k), dtype=float).reshape(n, n))
    J = system.jacobian_function(backend)(x, k)
    return mpmath.det(mpmath.matrix([list(J[i * n:(i + 1) * n]) for i in range(n)]))


def _near_fold(system, x, k, ratio):
    """σ_min(J) < ratio σ_max(J) at (x, k), in float64."""
    n = system.dim
    J = np.array([float(v) for v in system.jacobian_function("float")([float(v) for v in x], float(k))],
                 dtype=float).reshape(n, n)
    sv = np.linalg.svd(J, compute_uv=False)
    return bool(sv[-1] < ratio * sv[0])


# ---------------------------------------------------------------------------------------------
# natural-parameter continuation


def natural(system: System, points: Sequence[tuple[Any, Sequence[Any]]], target: Any = None, *,
            variable: str = "s", backend: str = "float", predictor: str = "secant",
            anchors: Sequence[tuple[Any, Sequence[Any]]] = (), jump: Any = 0.05, det_stop: bool = False,
            step: Any = 0.01, step_max: Any = 0.02, step_min: Any = 1e-7, grow: Any = 1.5,
            factor: Any = None, schedule: Sequence[Any] | None = None, target_tol: Any = 0,
            maxit: int = 60, fold_ratio: float = 1e-3) -> Continuation:
    """Natural-parameter continuation from the last of ``points`` ([(p, x)], earlier ones feed the
    predictor) towards ``target`` (a value of p; either direction).

    Steps: with ``schedule`` (a sequence of p values) exactly those, else with ``factor`` the
    geometric steps p → p / factor (clipped at ``target``), else adaptive steps starting at
    ``step`` (halved on a failed step, given up below ``step_min``; after a success multiplied by
    ``grow`` up to ``step_max``), until p is within ``target_tol`` of ``target``.  Only adaptive
    steps are retried; otherwise the first failure ends the continuation ('jump' or 'newton').

    ``jump``: the largest correction max|x − prediction| accepted (a number, or a callable of the
    points so far such as :func:`relative_jump`); a non-finite correction always fails.
    ``det_stop``: a step across which det J changes sign fails (a fold between the two points).
    ``predictor``: 'constant', 'secant', or 'lagrange' (through ``anchors`` [(p, x)] and the last
    two points).  ``maxit``: Newton iterations per step.  In ``backend="mpmath"`` everything runs
    at the precision in force (pass mpf points, target and steps)."""
    if variable not in ("s", "k"):
        raise BadInput(f"variable must be 's' or 'k', got {variable!r}")
    if backend not in ("float", "mpmath"):
        raise BadInput(f"backend must be 'float' or 'mpmath', got {backend!r}")
    if predictor not in ("constant", "secant", "lagrange"):
        raise BadInput(f"predictor must be 'constant', 'secant' or 'lagrange', got {predictor!r}")
    if schedule is None and target is None:
        raise BadInput("give a target or a schedule")
    pts = [(p, list(x)) for p, x in points]
    if not pts:
        raise BadInput("natural continuation needs a starting point")
    k_of = _k_of(variable, backend)
    finite = math.isfinite if backend == "float" else mpmath.isfinite
    dets = [_det(system, backend, pts[-1][1], k_of(pts[-1][0]))] if det_stop else []
    p = pts[-1][0]

    def attempt(p_new):
        """One predictor-corrector step to p_new: (x, det) or raises."""
        pred = _predict(predictor, pts, anchors, p_new)
        x, _, _ = newton(system, pred, k_of(p_new), backend=backend, maxit=maxit)
        with np.errstate(invalid="ignore", over="ignore"):
            moved = max(abs(a - b) for a, b in zip(x, pred))
        limit = jump(pts) if callable(jump) else jump
        if not all(finite(v) for v in x) or not moved <= limit:
            raise _Jump("jump")
        dn = None
        if det_stop:
            dn = _det(system, backend, x, k_of(p_new))
            if dn * dets[-1] < 0:
                raise BranchEnded("det sign change")
        return x, dn

    def accept(p_new, x, dn):
        pts.append((p_new, x))
        if det_stop:
            dets.append(dn)

    if schedule is not None or factor is not None:
        # fixed steps: the first failure ends the continuation
        todo = iter(schedule) if schedule is not None else None
        while True:
            if todo is not None:
                p_new = next(todo, None)
                if p_new is None:
                    break
            else:
                if not _before(p, target, target_tol):
                    break
                p_new = max(p / factor, target) if target < p else min(p / factor, target)
            try:
                x, dn = attempt(p_new)
            except _STEP_ERRORS as exc:
                why = "jump" if isinstance(exc, _Jump) else "newton"
                return Continuation("natural", variable, pts, [why], [], dets, exc, p_new)
            accept(p_new, x, dn)
            p = p_new
        return Continuation("natural", variable, pts, ["target"], [], dets)

    ds = step
    up = target > p
    failure = None
    while _before(p, target, target_tol):
        p_new = min(p + ds, target) if up else max(p - ds, target)
        try:
            x, dn = attempt(p_new)
        except _STEP_ERRORS as exc:
            failure = exc
            ds /= 2
            if ds < step_min:
                x_end = pts[-1][1]
                if _near_fold(system, x_end, k_of(p), fold_ratio):
                    return Continuation("natural", variable, pts, ["fold"], [(k_of(p), x_end)], dets, failure, p_new)
                return Continuation("natural", variable, pts, ["stuck"], [], dets, failure, p_new)
            continue
        accept(p_new, x, dn)
        p = p_new
        ds = min(ds * grow, step_max)
    return Continuation("natural", variable, pts, ["target"], [], dets, failure)


def along(start: tuple[Any, Sequence[Any], Any], targets: Sequence[Any],
          corrector: Callable[[Any, list[Any], Any], tuple[list[Any], Any, Any]], *,
          step: float = 0.01, step_min: float = 1e-7, grow: float = 1.5,
          jump: Any = 0.05, errors: tuple[type[BaseException], ...] = ()) -> Continuation:
    """Continuation along a path: the polygon through ``targets`` in a real or complex parameter p
    (for example s in the complex plane), from ``start = (p, x, state)``.

    ``corrector(p_new, prediction, state) -> (x, state, info)`` corrects a prediction at p_new and
    carries the caller's state along the path (e.g. the branches of square roots and arctangents);
    it raises on failure (the exception types listed in ``errors``, besides the engine's own).
    Secant predictor through the last two points.  Steps: at each target the step starts at
    ``step``; a failed step is halved (given up below ``step_min``: the result ends 'stuck'), a
    successful one grows by ``grow`` up to ``step``.  ``jump``: the largest accepted
    max|x − prediction| — a number, or a callable of (points so far, this step's length).
    The result's ``state`` is the corrector's state at the last point and ``info`` the list of
    (p, info) of the accepted points."""
    p, x0, state = start
    pts: list[tuple[Any, list[Any]]] = [(p, list(x0))]
    info: list[tuple[Any, Any]] = []
    caught = _STEP_ERRORS + tuple(errors)

    def done(ends, failure=None, failed_at=None):
        res = Continuation("along", "p", pts, ends, [], None, failure, failed_at)
        res.state, res.info = state, info
        return res

    for target in targets:
        h = step
        while abs(target - p) > 1e-15:
            dist = abs(target - p)
            st = min(h, dist)
            p_new = p + (target - p) * (st / dist)
            pred = _predict("secant", pts, (), p_new)
            try:
                x, new_state, what = corrector(p_new, pred, state)
                moved = max(abs(a - b) for a, b in zip(x, pred))
                limit = jump(pts, st) if callable(jump) else jump
                if not all(cmath.isfinite(complex(v)) for v in x) or moved > limit:
                    raise _Jump("jump")
            except caught as exc:
                h = st / 2
                if h < step_min:
                    return done(["stuck"], exc, p_new)
                continue
            pts.append((p_new, list(x)))
            p, state = p_new, new_state
            info.append((p, what))
            h = min(st * grow, step)
    return done(["target"])


class _Jump(NotConverged):
    """A corrector step that moved further than the jump test allows."""


def _before(p, target, tol):
    """p has not yet reached target (within tol), whichever the direction."""
    return p > target + tol if p > target else p < target - tol


# ---------------------------------------------------------------------------------------------
# pseudo-arclength continuation in float64


def _float_system(system):
    grad = system.gradient_function("float")
    J = system.jacobian_function("float")
    n = system.dim

    def F(y):
        return np.array(grad(list(y[:n]), float(y[n])), dtype=float)

    def DF(y):
        Jx = np.array(J(list(y[:n]), float(y[n])), dtype=float).reshape(n, n)
        eps = 1e-6 * max(1.0, abs(y[n]))
        dk = (F(np.r_[y[:n], y[n] + eps]) - F(np.r_[y[:n], y[n] - eps])) / (2 * eps)
        return np.c_[Jx, dk]

    return F, DF


def arclength(system: System, x0: Sequence[Any], k0: Any, k_lo: float = 2.0, k_hi: float = 20.0,
              h: float = 0.02, max_steps: int = 20000, backend: str = "float") -> Continuation:
    """Pseudo-arclength continuation through (x0, k0) (polished first by Newton) in both
    directions, in float64.

    Predictor y + h t along the unit tangent t (the null vector of [G_x | G_k], G_k by central
    differences); corrector Newton on (G(z), (z − y_pred)·t) = 0; a step whose tangent turned by
    more than acos 0.95 or whose correction exceeds a quarter of the step is halved (it may have
    jumped to a nearby arm), given up below 1e-8 ('stuck'); the step grows by 1.3 up to
    h · max(1, k/10).  A direction stops when k leaves [k_lo, k_hi] (widened to contain k0):
    'range'.  Brackets: the points in [k_lo, k_hi] where k turned (of each pair, the one with the
    smaller |dk/ds|).  Points are ``(k, x)`` with x a float64 array."""
    if backend != "float":
        raise BadInput("arclength continuation runs in float64 only (polish its points in mpmath)")
    n = system.dim
    F, DF = _float_system(system)
    with np.errstate(all="ignore"):
        xp, _, _ = newton(system, [float(v) for v in x0], float(k0), backend="float")
        xa = np.array(xp, dtype=float)
        y0 = np.r_[xa, float(k0)]
        t0 = np.linalg.svd(DF(y0))[2][-1]
        halves, ends = [], []
        for direction in (-1, 1):
            y, t, step = y0, t0 * np.sign(t0[n]) * direction, h
            pts, brackets, why = [], [], "steps"
            for _ in range(max_steps):
                yp = y + step * t
                # corrector: Newton on (F(z), (z - yp)·t) = 0, converged when the step is below 1e-12
                try:
                    z, _, _ = newton_system(lambda z: np.r_[F(np.asarray(z)), (np.asarray(z) - yp) @ t],
                                            lambda z: np.r_[DF(np.asarray(z)), t[None, :]], yp.copy(), "float", tol=0,
                                            maxit=20, step_tol=1e-12, relative_step=False, stall=False,
                                            final_residual=False)
                    z, ok = np.array(z, dtype=float), True
                except (NotConverged, BranchEnded):
                    ok = False
                if not ok:
                    step /= 2
                    if step < 1e-8:
                        why = "stuck"
                        break
                    continue
                tn = np.linalg.svd(DF(z))[2][-1]
                tn = tn if tn @ t >= 0 else -tn
                if tn @ t < 0.95 or np.max(np.abs(z - yp)) > step / 4:
                    # the tangent turned too far, or the corrector went far from the predictor:
                    # the step may have jumped to a nearby arm; take a smaller one
                    step /= 2
                    if step < 1e-8:
                        why = "stuck"
                        break
                    continue
                if tn[n] * t[n] < 0:
                    # k turned: keep the point of the pair with the smaller |dk/ds|
                    brackets.append((float(z[n]), z[:n].copy()) if abs(tn[n]) < abs(t[n]) else (float(y[n]), y[:n].copy()))
                y, t = z, tn
                pts.append((float(y[n]), y[:n].copy()))
                step = min(step * 1.3, h * max(1.0, y[n] / 10))
                if not (min(k_lo, k0) <= y[n] <= max(k_hi, k0)):
                    why = "range"
                    break
            halves.append((pts, brackets))
            ends.append(why)
    (p0, b0), (p1, b1) = halves
    brackets = [b for b in b0[::-1] + b1 if k_lo <= b[0] <= k_hi]
    return Continuation("arclength", "k", p0[::-1] + [(float(k0), xa)] + p1, ends, brackets)


def follow(system: System, start: Any, mode: str = "natural", **options: Any) -> Continuation:
    """Follow a branch of G(x, k) = 0: ``mode="natural"`` (:func:`natural`; ``start`` is the list of
    points [(p, x)], ``options`` include ``target``) or ``mode="arclength"`` (:func:`arclength`;
    ``start`` is one point (k, x))."""
    if mode == "natural":
        return natural(system, start, **options)
    if mode == "arclength":
        k0, x0 = start
        return arclength(system, x0, k0, **options)
    raise BadInput(f"mode must be 'natural' or 'arclength', got {mode!r}")
