"""Newton's method on a system given by its gradient and Jacobian callables, in any backend.

``newton(space, x, k)`` needs only ``space.gradient_function(backend)`` and
``space.jacobian_function(backend)``: it knows nothing of families.
"""
from __future__ import annotations

import mpmath
import numpy as np

from symcrit.core.errors import BranchEnded, NotConverged

__all__ = ["newton", "solve_linear", "format_k"]


def format_k(k):
    """k for messages: 6 significant digits (3 beyond 10^6).  Messages only, never a result."""
    k = float(k)
    return f"{k:.6g}" if k < 1e6 else f"{k:.3e}"


def solve_linear(Jflat, g, n, backend):
    """Solve J x = g for a row-major flat J (n×n), in float64 or mpmath."""
    if backend == "float":
        J = np.array(Jflat, dtype=float).reshape(n, n)
        if not np.all(np.isfinite(J)):
            raise NotConverged("the Jacobian is not finite here (an aligned pair: the loss is only C^2)")
        return np.linalg.solve(J, np.array(g, dtype=float))
    J = mpmath.matrix([Jflat[i * n:(i + 1) * n] for i in range(n)])
    return list(mpmath.lu_solve(J, mpmath.matrix(g)))


def newton(space, x, k, backend="mpmath", tol=None, maxit=60):
    """Newton's method for the entry gradient of ``space`` at (real) k from ``x``.

    Converged when the residual max|g| is below ``tol`` (default: 10^(-dps+5) in mpmath, 1e-13
    in float), or when the Newton step has fallen to the rounding level of the working precision
    (10^(-dps+8) relative to the size of x) -- with quadratic convergence the previous iterate was
    then already accurate to about twice as many digits as the step shows.  Raises
    :class:`NotConverged` otherwise.  Returns ``(x, residual, iterations)``.
    """
    G = space.gradient_function(backend)
    J = space.jacobian_function(backend)
    n = space.dim
    if backend == "float":
        tol = 1e-13 if tol is None else tol
        step_floor = 1e-13
    else:
        tol = mpmath.mpf(10) ** (-mpmath.mp.dps + 5) if tol is None else tol
        step_floor = mpmath.mpf(10) ** (-mpmath.mp.dps + 8)
    # rounding regime: steps this small that stop shrinking quadratically mean the iterate sits
    # at the floor set by the conditioning (which grows with k); the guard digits of the caller
    # keep that floor below the requested precision
    small = 1e-8 if backend == "float" else mpmath.mpf(10) ** (-mpmath.mp.dps // 2)
    x = list(x)
    r = None
    best = None
    prev_step = None
    with np.errstate(invalid="ignore", divide="ignore"):
        for it in range(maxit):
            g = G(x, k)
            r = max(abs(v) for v in g)
            if not (r == r):  # nan
                raise NotConverged(f"the gradient is not finite at the Newton iterate (k = {format_k(k)})")
            if best is None or r < best[1]:
                best = (x, r, it)
            if r <= tol:
                return x, r, it
            try:
                dx = solve_linear(J(x, k), g, n, backend)
            except (ZeroDivisionError, np.linalg.LinAlgError):
                raise BranchEnded(f"the reduced Jacobian is singular at k = {format_k(k)}") from None
            step = max(abs(v) for v in dx)
            if prev_step is not None and prev_step < small and step > prev_step / 4:
                return best
            x = [a - b for a, b in zip(x, dx)]
            if step <= step_floor * (1 + max(abs(v) for v in x)):
                g = G(x, k)
                return x, max(abs(v) for v in g), it + 1
            prev_step = step
    raise NotConverged(f"Newton did not converge at k = {format_k(k)} (residual {float(r):.2e} after {maxit} steps)")
