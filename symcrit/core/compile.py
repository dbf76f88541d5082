"""Compile sympy expressions into plain Python functions of a number context.

:func:`compile_exprs` performs common-subexpression elimination and emits Python source in
which every transcendental operation and every non-integer constant goes through the context
object (see :mod:`symcrit.core.contexts`).  Constants are therefore created at call time, at the
precision in force, so one compiled function serves float, mpmath and arb alike.

>>> import sympy
>>> x, y = sympy.symbols("x y")
>>> f = compile_exprs([x, y], [sympy.atan2(y, x) / sympy.pi + sympy.Rational(1, 3)])
>>> from symcrit.core.contexts import get_context
>>> float(f(get_context("float"), 1.0, 1.0)[0])   # 1/4 + 1/3
0.5833333333333333
"""
from __future__ import annotations

import sympy

__all__ = ["compile_exprs", "ipow", "UnsupportedExpression"]


class UnsupportedExpression(TypeError):
    """An expression uses an operation that has no context counterpart."""


_FUNCS = {
    sympy.atan2: "atan2",
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.acos: "acos",
    sympy.Abs: "abs",
    sympy.sign: "sign",
}


class _Printer:
    def __init__(self, names):
        self.names = names  # Symbol -> python identifier
        self.uses_pi = False

    def __call__(self, e):
        if e in self.names:
            return self.names[e]
        if e.is_Integer:
            return f"({int(e)})"
        if e.is_Rational:
            return f"_ctx.rational({int(e.p)}, {int(e.q)})"
        if e is sympy.pi:
            self.uses_pi = True
            return "_pi"
        if e.is_Float:
            raise UnsupportedExpression(f"floating-point constant {e} in an exact expression")
        if e.is_Add:
            return "(" + " + ".join(self(a) for a in e.args) + ")"
        if e.is_Mul:
            num, den = [], []
            for a in e.args:
                if a.is_Pow and a.exp.is_Integer and a.exp < 0:
                    den.append(self(a.base) if a.exp == -1 else f"_ipow({self(a.base)}, {int(-a.exp)})")
                elif a.is_Rational and not a.is_Integer and a.p in (1, -1):
                    den.append(f"({int(a.q)})")
                    if a.p == -1:
                        num.append("(-1)")
                else:
                    num.append(self(a))
            s = "*".join(num) if num else "1"
            if den:
                s = f"({s})/(" + "*".join(den) + ")"
            return "(" + s + ")"
        if e.is_Pow:
            b, x = e.base, e.exp
            if x.is_Integer:
                xi = int(x)
                if xi >= 0:
                    return f"_ipow({self(b)}, {xi})"
                return f"(1/_ipow({self(b)}, {-xi}))"
            if x == sympy.Rational(1, 2):
                return f"_ctx.sqrt({self(b)})"
            if x == -sympy.Rational(1, 2):
                return f"(1/_ctx.sqrt({self(b)}))"
            if x.is_Rational and x.q == 2:
                if x.p > 0:
                    return f"_ipow(_ctx.sqrt({self(b)}), {int(x.p)})"
                return f"(1/_ipow(_ctx.sqrt({self(b)}), {int(-x.p)}))"
            raise UnsupportedExpression(f"power {e}")
        for fn, name in _FUNCS.items():
            if isinstance(e, fn):
                return f"_ctx.{name}(" + ", ".join(self(a) for a in e.args) + ")"
        raise UnsupportedExpression(f"cannot compile {type(e).__name__}: {e}")


def _dedupe(pairs, outs):
    """Drop assignments whose right-hand side repeats an earlier one (after renaming the dropped
    names): sympy's cse leaves some, e.g. the same square root reached through two rewritings.
    Every context function is pure, so this changes no value, only the work (in exact series
    arithmetic a square root or an arctangent is among the dearest operations)."""
    import re

    pat = re.compile(r"\b_x\d+\b")
    seen: dict = {}
    ren: dict = {}
    out = []
    for sym, code in pairs:
        code = pat.sub(lambda m: ren.get(m.group(0), m.group(0)), code)
        if code in seen:
            ren[sym] = seen[code]
            continue
        seen[code] = sym
        out.append((sym, code))
    return out, [pat.sub(lambda m: ren.get(m.group(0), m.group(0)), o) for o in outs]


def ipow(base, n):
    """``base**n`` for an integer ``n >= 0`` by repeated multiplication (binary powering).

    Compiled expressions never use ``**`` for integer powers: in python-flint 0.9.0 the power of
    an ``arb`` ball that contains 0 is NaN (``arb(0, 1e-25)**2``), and the power of any wide ball
    is much wider than the product (``arb(1, 0.5)**2`` is ``[+/- 2.26]``, while ``x*x`` is an
    enclosure of [0.25, 2.25]).  Multiplication encloses correctly in every number context
    (float, mpmath, arb, truncated series, dual numbers, sympy).

    >>> from flint import arb
    >>> ipow(arb(0, 1e-25), 2).is_finite(), ipow(arb(3), 0), ipow(2, 10)
    (True, 1, 1024)
    """
    if n < 0:
        raise ValueError("ipow takes n >= 0")
    result = None
    b = base
    while n:
        if n & 1:
            result = b if result is None else result * b
        n >>= 1
        if n:
            b = b * b
    return 1 if result is None else result


def compile_exprs(args, exprs, name="compiled"):
    """Compile ``exprs`` (a list of sympy expressions in the symbols ``args``).

    Returns ``fn(ctx, *values) -> list`` evaluating every expression in the number context
    ``ctx``.  The generated source is kept in ``fn.source`` for inspection.
    """
    args = list(args)
    exprs = [sympy.sympify(e) for e in exprs]
    reps, reduced = sympy.cse(exprs, symbols=sympy.numbered_symbols("_x"), optimizations=None)
    names = {a: f"_a{i}" for i, a in enumerate(args)}
    pr = _Printer(names)
    pairs = []
    for sym, sub in reps:
        names[sym] = str(sym)
        pairs.append((str(sym), pr(sub)))
    pairs, outs = _dedupe(pairs, [pr(e) for e in reduced])
    body = [f"    {sym} = {code}" for sym, code in pairs]
    head = [f"def {name}(_ctx, " + ", ".join(names[a] for a in args) + "):"]
    if pr.uses_pi:
        head.append("    _pi = _ctx.pi()")
    src = "\n".join(head + body + ["    return [" + ", ".join(outs) + "]"]) + "\n"
    ns = {"_ipow": ipow}
    exec(compile(src, f"<symcrit:{name}>", "exec"), ns)
    fn = ns[name]
    fn.source = src
    return fn
