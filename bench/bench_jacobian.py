"""Benchmark: the reduced Jacobian by forward-mode AD (compiled trace, symcrit.core.ad) against
sympy.diff + compile (the former method) and against dual numbers run through the compiled
gradient at call time (n passes of scalar duals; one pass of vector duals on numpy object arrays).

Run:  python bench/bench_jacobian.py [--blocks 1,6,k-7] [--dps 60] [--symbolic]
Prints the set-up time (space + first gradient and Jacobian at mpmath) and the per-call cost of
each Jacobian route, min of 5 repeats.
"""
import argparse
import time
import timeit

import mpmath
import numpy as np

from symcrit.core.compile import compile_exprs
from symcrit.core.contexts import get_context
from symcrit.core.dual import Dual, DualOver
from symcrit.symmetry.fixedpoint import K, FixedPointSpace


class VDual:
    """a + b·ε with a vector tangent b (numpy object array): one pass gives the whole Jacobian."""

    __slots__ = ("re", "du")

    def __init__(self, re, du):
        self.re, self.du = re, du

    def _l(self, o):
        return o if isinstance(o, VDual) else VDual(o, 0)

    def __add__(self, o):
        o = self._l(o)
        return VDual(self.re + o.re, self.du + o.du)

    __radd__ = __add__

    def __sub__(self, o):
        o = self._l(o)
        return VDual(self.re - o.re, self.du - o.du)

    def __rsub__(self, o):
        return self._l(o) - self

    def __neg__(self):
        return VDual(-self.re, -self.du)

    def __mul__(self, o):
        if not isinstance(o, VDual):
            return VDual(self.re * o, self.du * o)
        return VDual(self.re * o.re, self.du * o.re + o.du * self.re)

    __rmul__ = __mul__

    def __truediv__(self, o):
        if not isinstance(o, VDual):
            return VDual(self.re / o, self.du / o)
        q = self.re / o.re
        return VDual(q, (self.du - o.du * q) / o.re)

    def __rtruediv__(self, o):
        return self._l(o) / self


class VDualContext:
    name = "vdual"
    exact = False

    def __init__(self, base):
        self.b = base

    def sqrt(self, x):
        r = self.b.sqrt(x.re)
        return VDual(r, x.du / (2 * r))

    def atan2(self, y, x):
        y, x = VDual._l(None, y), VDual._l(None, x)
        return VDual(self.b.atan2(y.re, x.re), (y.du * x.re - x.du * y.re) / (x.re * x.re + y.re * y.re))

    def abs(self, x):
        s = self.b.sign(x.re)
        return VDual(abs(x.re), x.du * s)

    def sign(self, x):
        return self.b.sign(x.re)

    def pi(self):
        return self.b.pi()

    def rational(self, p, q):
        return self.b.rational(p, q)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--blocks", default="1,6,k-7")
    ap.add_argument("--dps", type=int, default=60)
    ap.add_argument("--symbolic", action="store_true", help="also build the sympy.diff Jacobian (slow)")
    args = ap.parse_args()
    blocks = args.blocks.split(",")
    t0 = time.perf_counter()
    sp = FixedPointSpace(blocks)
    x = [mpmath.mpf(1) / (i + 3) * (-1) ** i for i in range(sp.dim)]
    with mpmath.workdps(args.dps):
        sp.gradient_function("mpmath")(x, 20)
        sp.jacobian_function("mpmath")(x, 20)
    t_setup = time.perf_counter() - t0
    print(f"blocks {blocks}: {sp.dim} parameters; set-up (space + first gradient and AD Jacobian) {t_setup:.2f} s")
    n = sp.dim
    mctx = get_context("mpmath")
    G = sp.compiled["grad"]
    routes = {"gradient alone": lambda: G(mctx, *x, k),
              "AD, compiled trace": lambda: sp.compiled["jac"](mctx, *x, k),
              "AD, gradient+Jacobian in one call": lambda: sp.compiled["grad_jac"](mctx, *x, k)}
    dctx = DualOver(mctx)

    def scalar_duals():
        cols = [G(dctx, *[Dual(v, 1 if i == j else 0) for i, v in enumerate(x)], k) for j in range(n)]
        return [c[i].du if isinstance(c[i], Dual) else 0 for i in range(n) for c in cols]

    vctx = VDualContext(mctx)
    eye = [np.array([1 if i == j else 0 for i in range(n)], dtype=object) for j in range(n)]

    def vector_duals():
        out = G(vctx, *[VDual(v, e) for v, e in zip(x, eye)], k)
        return [v for o in out for v in (o.du if isinstance(o, VDual) else [0] * n)]

    routes["scalar duals at call time (n passes)"] = scalar_duals
    routes["vector duals at call time (numpy object arrays)"] = vector_duals
    if args.symbolic:
        t0 = time.perf_counter()
        Js = compile_exprs(list(sp.params) + [K], list(sp.entry_jacobian()), "entry_jacobian")
        print(f"  sympy.diff + compile of the Jacobian: {time.perf_counter() - t0:.2f} s")
        routes["sympy.diff, compiled"] = lambda: Js(mctx, *x, k)
    with mpmath.workdps(args.dps):
        x = [mpmath.mpf(v) for v in x]
        k = mpmath.mpf(20)
        ref = sp.compiled["jac"](mctx, *x, k)
        for name, fn in routes.items():
            t = min(timeit.repeat(fn, number=3, repeat=5)) / 3
            out = fn()
            if name.startswith(("scalar", "vector", "sympy")):
                err = max(abs(a - b) for a, b in zip(out, ref))
                note = f"   (max |difference from AD| {mpmath.nstr(err, 3)})"
            else:
                note = ""
            print(f"  {name:<50} {1000 * t:8.2f} ms per call at {args.dps} digits{note}")


if __name__ == "__main__":
    main()
