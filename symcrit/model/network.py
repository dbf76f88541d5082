"""The student-teacher model: loss, gradient and Hessian of the expected squared loss.

    F(W) = 1/2 E[(sum_i alpha_i relu(w_i.x) - sum_j beta_j relu(v_j.x))^2],   x ~ N(0, I_d)

in closed form through the arc-cosine kernel (:mod:`symcrit.model.kernel`).

>>> import numpy as np
>>> m = StudentTeacher(4)
>>> float(m.loss(np.eye(4)))
0.0
>>> float(abs(m.gradient(np.eye(4))).max())
0.0

Arrays of mpmath numbers are computed elementwise at the precision in force.  Flipping one
neuron costs exactly 1/2 (relu(-t) - relu(t) = -t, and E[t^2]/2 = 1/2):

>>> import mpmath
>>> with mpmath.workdps(30):
...     W = mpmath_matrix(np.diag([-1.0, 1, 1]))
...     print(mpmath.nstr(StudentTeacher(3).loss(W), 25))
0.5
"""
from __future__ import annotations

from symcrit.core.errors import BadInput
import math
from typing import Any

import mpmath
import numpy as np

from symcrit.model import kernel as _k
from symcrit.core.contexts import get_context

__all__ = ["StudentTeacher", "mpmath_matrix"]

_TWO_PI = 2 * math.pi


def mpmath_matrix(A: Any) -> np.ndarray:
    """Convert an array-like to a numpy object array of ``mpmath.mpf`` (exact conversion of floats)."""
    A = np.asarray(A)
    out = np.empty(A.shape, dtype=object)
    for idx in np.ndindex(A.shape):
        x = A[idx]
        out[idx] = x if isinstance(x, mpmath.mpf) else mpmath.mpf(x if isinstance(x, str) else float(x))
    return out


def _is_mp(A):
    return A.dtype == object


class StudentTeacher:
    """Two-layer ReLU student (n neurons) learning a ReLU teacher (k neurons) on N(0, I_d) inputs.

    Parameters
    ----------
    k : teacher width.
    d : input dimension (default k).
    n : student width (default k).
    teacher : the teacher's weights V in M(k, d) (default [I_k | 0]).
    alpha, beta : second-layer weights of student and teacher (default all ones).

    ``loss``, ``gradient`` and ``hessian`` take the student weights W in M(n, d), as a float
    array (vectorised float64) or an object array of mpmath numbers (computed at the precision
    in force). The Hessian is with respect to the row-major flattening of W.
    """

    def __init__(self, k: int, d: int | None = None, n: int | None = None, teacher: Any = None,
                 alpha: Any = None, beta: Any = None) -> None:
        if int(k) != k or k < 1:
            raise BadInput(f"k must be a positive integer, got {k!r}")
        self.k = int(k)
        self.d = self.k if d is None else int(d)
        self.n = self.k if n is None else int(n)
        if teacher is None:
            if self.d < self.k:
                raise BadInput(f"the default teacher [I_k | 0] needs d >= k (got d={self.d}, k={self.k})")
            teacher = np.hstack([np.eye(self.k), np.zeros((self.k, self.d - self.k))])
        self.teacher = np.asarray(teacher)
        if self.teacher.shape != (self.k, self.d):
            raise BadInput(f"teacher must have shape ({self.k}, {self.d}), got {self.teacher.shape}")
        self.alpha = np.ones(self.n) if alpha is None else np.asarray(alpha)
        self.beta = np.ones(self.k) if beta is None else np.asarray(beta)
        if self.alpha.shape != (self.n,) or self.beta.shape != (self.k,):
            raise BadInput("alpha must have length n and beta length k")

    def __repr__(self) -> str:
        return f"StudentTeacher(k={self.k}, d={self.d}, n={self.n})"

    # -- helpers ------------------------------------------------------------------------------
    def _check(self, W):
        W = np.asarray(W)
        if W.shape != (self.n, self.d):
            raise BadInput(f"W must have shape ({self.n}, {self.d}), got {W.shape}")
        return W

    def _as_mp(self, A):
        return A if _is_mp(A) else mpmath_matrix(A)

    def _alpha(self, alpha, mp):
        a = self.alpha if alpha is None else np.asarray(alpha)
        return mpmath_matrix(a) if mp else a.astype(float)

    # -- loss -----------------------------------------------------------------------------------
    def _kernel_float(self, U, V):
        nu, nv = np.linalg.norm(U, axis=1), np.linalg.norm(V, axis=1)
        th = _k.pair_angles(U, V, nu, nv)
        return np.outer(nu, nv) * (np.sin(th) + (np.pi - th) * np.cos(th)) / _TWO_PI

    def _kernel_mp(self, U, V):
        ctx = get_context("mpmath")
        kern = np.empty((U.shape[0], V.shape[0]), dtype=object)
        for i in range(U.shape[0]):
            for j in range(V.shape[0]):
                kern[i, j] = _k.kernel(ctx, list(U[i]), list(V[j]))
        return kern

    def loss(self, W: Any, alpha: Any = None) -> Any:
        """The expected loss F(W) (and of the second-layer weights ``alpha`` if given)."""
        W = self._check(W)
        mp = _is_mp(W)
        a = self._alpha(alpha, mp)
        if mp:
            V, b = self._as_mp(self.teacher), mpmath_matrix(self.beta)
            Kww, Kwv, Kvv = self._kernel_mp(W, W), self._kernel_mp(W, V), self._kernel_mp(V, V)
        else:
            V, b = self.teacher.astype(float), self.beta.astype(float)
            Kww, Kwv, Kvv = self._kernel_float(W, W), self._kernel_float(W, V), self._kernel_float(V, V)
        return a @ Kww @ a / 2 - a @ Kwv @ b + b @ Kvv @ b / 2

    # -- gradient -------------------------------------------------------------------------------
    def gradient(self, W: Any, alpha: Any = None) -> np.ndarray:
        """dF/dW, an array of the shape of W."""
        W = self._check(W)
        if _is_mp(W):
            return self._gradient_mp(W, self._alpha(alpha, True))
        return self._gradient_float(W.astype(float), self._alpha(alpha, False))

    def _gradient_float(self, W, a):
        V, b = self.teacher.astype(float), self.beta.astype(float)
        nw, nv = np.linalg.norm(W, axis=1), np.linalg.norm(V, axis=1)
        if np.any(nw == 0):
            raise BadInput("F is not differentiable where a student row is zero")
        thw = _k.pair_angles(W, W, nw, nw)
        thv = _k.pair_angles(W, V, nw, nv)
        Aw = (nw[None, :] * np.sin(thw)) * a[None, :] / _TWO_PI
        Av = (nv[None, :] * np.sin(thv)) * b[None, :] / _TWO_PI
        Bw = (np.pi - thw) * a[None, :] / _TWO_PI
        Bv = (np.pi - thv) * b[None, :] / _TWO_PI
        coef = (Aw.sum(1) - Av.sum(1)) / nw
        return a[:, None] * (coef[:, None] * W + Bw @ W - Bv @ V)

    def _angles_mp(self, U, V):
        """Norms and pairwise angles (mpmath): acos where |cos θ| <= 0.9 (well conditioned there),
        the robust 2 atan2(|û - v̂|, |û + v̂|) near alignment and anti-alignment."""
        ctx = get_context("mpmath")
        nu = np.array([_k.norm(ctx, list(u)) for u in U], dtype=object)
        nv = np.array([_k.norm(ctx, list(v)) for v in V], dtype=object)
        Uh, Vh = U / nu[:, None], V / nv[:, None]
        C = Uh @ Vh.T
        th = np.empty(C.shape, dtype=object)
        for i in range(C.shape[0]):
            for j in range(C.shape[1]):
                c = C[i, j]
                if abs(c) <= 0.9:
                    th[i, j] = mpmath.acos(c)
                else:
                    th[i, j] = _k.angle(ctx, list(Uh[i]), list(Vh[j]), 1, 1)
        return nu, nv, th

    def _gradient_mp(self, W, a):
        V, b = self._as_mp(self.teacher), mpmath_matrix(self.beta)
        nw, _, thw = self._angles_mp(W, W)
        _, nv, thv = self._angles_mp(W, V)
        if any(x == 0 for x in nw):
            raise BadInput("F is not differentiable where a student row is zero")
        two_pi = 2 * mpmath.pi
        sin = np.vectorize(mpmath.sin, otypes=[object])
        Aw = nw[None, :] * sin(thw) * a[None, :] / two_pi
        Av = nv[None, :] * sin(thv) * b[None, :] / two_pi
        Bw = (mpmath.pi - thw) * a[None, :] / two_pi
        Bv = (mpmath.pi - thv) * b[None, :] / two_pi
        coef = (Aw.sum(1) - Av.sum(1)) / nw
        return a[:, None] * (coef[:, None] * W + Bw @ W - Bv @ V)

    def gradient_alpha(self, W: Any, alpha: Any = None) -> np.ndarray:
        """dF/dalpha (the trainable second layer): sum_i' alpha_i' f(w_i, w_i') - sum_j beta_j f(w_i, v_j)."""
        W = self._check(W)
        mp = _is_mp(W)
        a = self._alpha(alpha, mp)
        if mp:
            V, b = self._as_mp(self.teacher), mpmath_matrix(self.beta)
            return self._kernel_mp(W, W) @ a - self._kernel_mp(W, V) @ b
        V, b = self.teacher.astype(float), self.beta.astype(float)
        return self._kernel_float(W, W) @ a - self._kernel_float(W, V) @ b

    # -- Hessian --------------------------------------------------------------------------------
    def hessian(self, W: Any, alpha: Any = None) -> np.ndarray:
        """d^2 F / dW^2 for the row-major flattening of W: shape (n*d, n*d)."""
        W = self._check(W)
        mp = _is_mp(W)
        a = self._alpha(alpha, mp)
        if not mp:
            return self._hessian_float(W.astype(float), a)
        ctx = get_context("mpmath")
        V = self._as_mp(self.teacher)
        b = mpmath_matrix(self.beta)
        n, d = self.n, self.d
        H = np.empty((n * d, n * d), dtype=object)
        half = mpmath.mpf(1) / 2
        for i in range(n):
            wi = list(W[i])
            D = np.diag([a[i] * half] * d).astype(object)
            for i2 in range(n):
                if i2 != i:
                    D = D + a[i2] * _k.h1(ctx, wi, list(W[i2]))
                    H[i * d:(i + 1) * d, i2 * d:(i2 + 1) * d] = a[i] * a[i2] * _k.h2(ctx, wi, list(W[i2]))
            for j in range(self.k):
                D = D - b[j] * _k.h1(ctx, wi, list(V[j]))
            H[i * d:(i + 1) * d, i * d:(i + 1) * d] = a[i] * D
        return H

    def _hessian_float(self, W, a):
        V, b = self.teacher.astype(float), self.beta.astype(float)
        n, d = self.n, self.d
        nw, nv = np.linalg.norm(W, axis=1), np.linalg.norm(V, axis=1)
        thw = _k.pair_angles(W, W, nw, nw)
        thv = _k.pair_angles(W, V, nw, nv)
        Wh, Vh = W / nw[:, None], V / nv[:, None]
        eye = np.eye(d)

        def frames(wh, Uh, th):
            """n_j = unit(û_j - cos θ_j ŵ), m_j = unit(ŵ - cos θ_j û_j) for all rows u_j of Uh."""
            s, c = np.sin(th), np.cos(th)
            safe = s > 0
            inv = np.where(safe, 1 / np.where(safe, s, 1), 0.0)
            N = (Uh - c[:, None] * wh[None, :]) * inv[:, None]
            M = (wh[None, :] - c[:, None] * Uh) * inv[:, None]
            return s, N, M

        H = np.zeros((n * d, n * d))
        for i in range(n):
            wh = Wh[i]
            P = eye - np.outer(wh, wh)
            # h1 terms: |v| sin θ / (2π|w|) (I - ŵŵᵀ + n nᵀ), summed with weights
            sw, Nw, Mw = frames(wh, Wh, thw[i])
            sv, Nv, _ = frames(wh, Vh, thv[i])
            cw = a * nw * sw / (_TWO_PI * nw[i])
            cw[i] = 0.0
            cv = b * nv * sv / (_TWO_PI * nw[i])
            D = a[i] * 0.5 * eye + (cw.sum() - cv.sum()) * P + (Nw.T * cw) @ Nw - (Nv.T * cv) @ Nv
            H[i * d:(i + 1) * d, i * d:(i + 1) * d] = a[i] * D
            for i2 in range(n):
                if i2 != i:
                    blk = ((np.pi - thw[i, i2]) * eye
                           + sw[i2] * (np.outer(wh, Wh[i2]) + np.outer(Nw[i2], Mw[i2]))) / _TWO_PI
                    H[i * d:(i + 1) * d, i2 * d:(i2 + 1) * d] = a[i] * a[i2] * blk
        return H
