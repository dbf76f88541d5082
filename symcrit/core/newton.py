"""One Newton driver for every plain vector Newton iteration in symcrit, in any backend.

:func:`newton_system` iterates x <- x - J(x)^(-1) F(x) for a residual callable F and a Jacobian
callable J (float64 or mpmath), with the stopping rules below; :func:`newton` applies it to the
entry gradient of a fixed-point space at a given k (it needs only ``space.gradient_function``
and ``space.jacobian_function`` and knows nothing of families).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import mpmath
import numpy as np

from symcrit.core.errors import BranchEnded, NotConverged

__all__ = ["newton", "newton_system", "solve_linear", "format_k"]


def format_k(k):
    """k for messages: 6 significant digits (3 beyond 10^6).  Messages only, never a result."""
    k = float(k)
    return f"{k:.6g}" if k < 1e6 else f"{k:.3e}"


def _rows(J, n):
    """J as a list of n rows: a flat row-major list, nested lists, a numpy array or an mpmath matrix."""
    if isinstance(J, mpmath.matrix):
        return [[J[i, j] for j in range(J.cols)] for i in range(J.rows)]
    if isinstance(J, np.ndarray) and J.ndim == 2:
        return [list(r) for r in J]
    J = list(J)
    if len(J) == n * n and not (J and isinstance(J[0], (list, tuple, np.ndarray))):
        return [J[i * n:(i + 1) * n] for i in range(n)]
    return [list(r) for r in J]


def solve_linear(J, g, n, backend):
    """Solve J x = g in float64 or mpmath; J is a flat row-major n×n list, nested rows, a numpy
    array or an mpmath matrix."""
    if backend == "float":
        A = np.array(_rows(J, n), dtype=float)
        if not np.all(np.isfinite(A)):
            raise NotConverged("the Jacobian is not finite here (an aligned pair: the loss is only C^2)")
        return np.linalg.solve(A, np.array(list(g), dtype=float))
    A = J if isinstance(J, mpmath.matrix) else mpmath.matrix(_rows(J, n))
    return list(mpmath.lu_solve(A, mpmath.matrix(list(g))))


def newton_system(residual: Callable, jacobian: Callable, x: Sequence, backend: str = "mpmath", tol=None,
                  maxit: int = 60, step_tol=None, relative_step: bool = True, stall: bool = True,
                  final_residual: bool = True, where: str = "", name: str = "residual") -> tuple:
    """Newton's method for ``residual(x) = 0`` with Jacobian ``jacobian(x)`` (called after
    ``residual`` at the same x), from ``x``, in ``backend`` ("float" or "mpmath" at the precision
    in force).

    Stops, returning ``(x, residual, iterations)``, when

    * the residual max|F| is at most ``tol`` (default: 10^(-dps+5) in mpmath, 1e-13 in float;
      0 turns this test off but for an exact zero);
    * the Newton step max|dx| is at most ``step_tol`` (default 10^(-dps+8) in mpmath, 1e-13 in
      float; times (1 + max|x|) with ``relative_step``; 0 turns it off): with quadratic
      convergence the previous iterate was then already accurate to about twice as many digits as
      the step shows.  The residual at the new x is evaluated if ``final_residual`` (else None);
    * with ``stall``: the steps fell below the rounding regime (10^(-dps/2), 1e-8 in float) and
      stopped shrinking quadratically -- the iterate sits at the floor set by the conditioning;
      the iterate of least residual is returned.

    Raises :class:`NotConverged` after ``maxit`` steps or on a non-finite residual, and
    :class:`BranchEnded` when the Jacobian is singular.  ``where`` (e.g. "at k = 7") completes
    the messages, ``name`` names the residual in them.
    """
    at = f" {where}" if where else ""
    if backend == "float":
        tol = 1e-13 if tol is None else tol
        step_floor = 1e-13 if step_tol is None else step_tol
    else:
        tol = mpmath.mpf(10) ** (-mpmath.mp.dps + 5) if tol is None else tol
        step_floor = mpmath.mpf(10) ** (-mpmath.mp.dps + 8) if step_tol is None else step_tol
    small = 1e-8 if backend == "float" else mpmath.mpf(10) ** (-mpmath.mp.dps // 2)
    x = list(x)
    n = len(x)
    r: Any = None
    best = None
    prev_step = None
    with np.errstate(invalid="ignore", divide="ignore"):
        for it in range(maxit):
            g = list(residual(x))
            r = max(abs(v) for v in g)
            if not (r == r):  # nan
                raise NotConverged(f"the {name} is not finite at the Newton iterate{at}")
            if best is None or r < best[1]:
                best = (x, r, it)
            if r <= tol:
                return x, r, it
            try:
                dx = solve_linear(jacobian(x), g, n, backend)
            except (ZeroDivisionError, np.linalg.LinAlgError):
                raise BranchEnded(f"the Jacobian is singular{at}") from None
            step = max(abs(v) for v in dx)
            if stall and prev_step is not None and prev_step < small and step > prev_step / 4:
                return best
            x = [a - b for a, b in zip(x, dx)]
            if step <= step_floor * ((1 + max(abs(v) for v in x)) if relative_step else 1):
                if not final_residual:
                    return x, None, it + 1
                return x, max(abs(v) for v in residual(x)), it + 1
            prev_step = step
    raise NotConverged(f"Newton did not converge{at} (residual {float(r):.2e} after {maxit} steps)")


def newton(space, x, k, backend="mpmath", tol=None, maxit=60):
    """Newton's method for the entry gradient of ``space`` at (real) k from ``x``
    (:func:`newton_system` with its default stopping rules).  Returns ``(x, residual, iterations)``.
    """
    grad = space.gradient_function(backend)
    J = space.jacobian_function(backend)
    try:
        return newton_system(lambda y: grad(y, k), lambda y: J(y, k), x, backend, tol=tol, maxit=maxit,
                             where=f"at k = {format_k(k)}", name="gradient")
    except BranchEnded:
        raise BranchEnded(f"the reduced Jacobian is singular at k = {format_k(k)}") from None
