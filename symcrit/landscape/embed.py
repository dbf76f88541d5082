"""Embedding critical points of a narrower student into wider ones (trainable second layer).

For F(W, alpha) with the second layer alpha trainable (Şimşek et al. 2021):

* **splitting** neuron i with t ∈ R: (w_i, α_i) ↦ (w_i, t α_i), (w_i, (1 - t) α_i).  The network
  computes the same function, and every gradient entry of the new point is a gradient entry of
  the old one (times t, 1 - t, or 1), so a critical point maps to a line of critical points.
* **zero neuron** along an existing direction: add (c·w_j, 0) with c > 0.  The W-gradient of the
  new row is multiplied by its zero output weight; dF/dα_new = c · dF/dα_j = 0 because the
  arc-cosine kernel is positively 1-homogeneous.

At points that are critical in W with α fixed (the families of symcrit), dF/dα vanishes too:
Euler's identity w_i · ∇_{w_i} F = α_i ∂F/∂α_i.

>>> import numpy as np
>>> W2, a2 = split_neuron(np.eye(3), np.ones(3), 0, 0.25)
>>> W2.shape, [float(v) for v in a2]
((4, 3), [0.25, 1.0, 1.0, 0.75])
"""
from __future__ import annotations

import numpy as np

__all__ = ["split_neuron", "add_zero_neuron", "narrow_critical_point", "configuration", "full_hessian",
           "hessian_index", "hessian_signs"]


def _cat(a, row):
    return np.concatenate([np.asarray(a), np.asarray(row)[None] if np.ndim(row) else np.asarray([row])])


def split_neuron(W, alpha, i, t):
    """Split neuron i: the copy is appended as the last row, with output weight (1 - t)·α_i."""
    W = np.asarray(W)
    alpha = np.asarray(alpha).copy()
    a_i = alpha[i]
    alpha[i] = t * a_i
    return _cat(W, W[i]), _cat(alpha, (1 - t) * a_i)


def add_zero_neuron(W, alpha, j, c=1):
    """Append the neuron c·w_j with output weight 0 (c > 0)."""
    if not c > 0:
        raise ValueError("the zero neuron must point along w_j (c > 0)")
    W = np.asarray(W)
    return _cat(W, c * W[j]), _cat(np.asarray(alpha), 0 * np.asarray(alpha)[0])


# -- narrow critical points, configurations, and the full (W, alpha) Hessian -------------------
def narrow_critical_point(r, rstar, dps=40, seed=0, tries=20):
    """A critical point of a width-r student (second layer 1) learning the teacher I_{r*}
    (r < r*), found by gradient descent from a seeded random start and polished by Newton at
    ``dps`` digits with the analytic Hessian.  Returns the r × r* mpmath matrix."""
    import mpmath

    from symcrit.landscape.discover import optimise
    from symcrit.core.errors import NotConverged
    from symcrit.core.newton import newton_system
    from symcrit.model.network import StudentTeacher, mpmath_matrix

    V = np.eye(rstar)
    m = StudentTeacher(rstar, n=r)
    rng = np.random.default_rng([seed, r, rstar])
    for _ in range(tries):
        W0 = rng.normal(size=(1, r, rstar)) / np.sqrt(rstar)
        X, _, conv = optimise(W0, V, tol=1e-11)
        if not conv[0]:
            continue
        W = X[0]
        nrm = np.linalg.norm(W, axis=1)
        gaps = [np.linalg.norm(W[i] - W[j]) for i in range(r) for j in range(i)]
        if nrm.min() < 1e-3 or min(gaps, default=1.0) < 1e-3:
            continue
        with mpmath.workdps(dps + 10):
            def point(x):
                return np.array(list(x), dtype=object).reshape(r, rstar)

            try:
                x, _, _ = newton_system(lambda x: m.gradient(point(x)).reshape(-1).tolist(),
                                        lambda x: mpmath.matrix(m.hessian(point(x)).tolist()),
                                        mpmath_matrix(W).reshape(-1).tolist(), "mpmath",
                                        tol=mpmath.mpf(10) ** (-dps - 3), maxit=40, step_tol=0, stall=False)
            except NotConverged:
                continue
            return np.array([mpmath.mpf(v) for v in x], dtype=object).reshape(r, rstar)
    raise NotConverged(f"no critical point of width {r} for the teacher I_{rstar} in {tries} starts")


def configuration(W, alpha, lam, split, inactive=None):
    """The width-m point of a labelled configuration λ: [m] → {0..r} (see :mod:`symcrit.landscape.counting`).

    Neuron i with λ(i) = j > 0 gets the incoming vector w_j and the output weight
    ``split[i] * alpha_j`` (the fractions of each group must sum to 1); λ(i) = 0 gets the row
    ``inactive[i]`` (default: the zero row) and output weight 0.
    """
    r, d = np.shape(W)
    m = len(lam)
    Wm = np.empty((m, d), dtype=np.asarray(W).dtype)
    am = np.empty(m, dtype=np.asarray(alpha).dtype)
    for i, j in enumerate(lam):
        if j:
            Wm[i] = W[j - 1]
            am[i] = split[i] * alpha[j - 1]
        else:
            Wm[i] = 0 * np.asarray(W[0]) if inactive is None else inactive[i]
            am[i] = 0 * alpha[0]
    return Wm, am


def full_hessian(model, W, alpha, h=None):
    """The Hessian of F in (W, alpha) (W row-major, then alpha) by central differences of the
    analytic gradients at the working mpmath precision (step 10^(-dps/3): error O(h^2))."""
    import mpmath

    n, d = np.shape(W)
    h = mpmath.mpf(10) ** (-(mpmath.mp.dps // 3)) if h is None else h
    x0 = list(np.asarray(W).reshape(-1)) + list(alpha)
    N = len(x0)

    def grad(x):
        Wx = np.array(x[:n * d], dtype=object).reshape(n, d)
        ax = np.array(x[n * d:], dtype=object)
        return list(model.gradient(Wx, ax).reshape(-1)) + list(model.gradient_alpha(Wx, ax))

    H = mpmath.matrix(N, N)
    for c in range(N):
        xp, xm = list(x0), list(x0)
        xp[c] += h
        xm[c] -= h
        gp, gm = grad(xp), grad(xm)
        for r_ in range(N):
            H[r_, c] = (gp[r_] - gm[r_]) / (2 * h)
    return (H + H.T) / 2


def hessian_signs(H, bound, forced_zero=0):
    """Signs of the eigenvalues of the symmetric mpmath matrix H (estimates: mpmath eigenvalues of a
    Hessian known to ``bound``), counted by :func:`symcrit.core.signs.count_signs` with evidence
    'estimated'; ``forced_zero``: the zeros forced by the structure (one rescaling (c w_i, α_i / c)
    per neuron, one line per split).  Returns ``(SignCount, sorted eigenvalues)``."""
    import mpmath

    from symcrit.core.signs import count_signs

    ev = sorted(mpmath.eigsy(H, eigvals_only=True), key=lambda v: float(v))
    return count_signs(ev, bound=bound, evidence="estimated", forced_zero=forced_zero), ev


def hessian_index(H, tol):
    """(negative, within tol of 0, positive) counts of the eigenvalues of the symmetric mpmath
    matrix H (see :func:`hessian_signs`: the middle count is the eigenvalues whose sign the bound
    ``tol`` does not decide, which are zero where the structure forces them); returns the counts
    and the sorted eigenvalues."""
    sg, ev = hessian_signs(H, tol)
    return (sg.negative, sg.undecided + sg.zero, sg.positive), ev
