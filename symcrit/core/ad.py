"""Forward-mode automatic differentiation of compiled straight-line code, compiled in turn.

:func:`jacobian_program` evaluates a function compiled by :func:`symcrit.core.compile.compile_exprs`
once on *traced dual numbers*: each number records the operation that made it (a tape) and
carries its tangent, a sparse vector of traced numbers (one entry per differentiation variable it
depends on), propagated by the forward-mode rules

* (a ± b)' = a' ± b',  (ab)' = a'b + ab',  (a/b)' = (a' − (a/b) b') / b,
* sqrt(a)' = a' / (2 sqrt a),  atan2(y, x)' = (x y' − y x') / (x² + y²),
* |a|' = sign(a) a',  sign(a)' = 0,  (a^n)' = n a^(n−1) a',  sin, cos, acos.

The tape of the values and tangents that the Jacobian needs is then printed as Python source
(every operation goes through the number context, exactly as in the compiled function) and
compiled: a function ``jac(ctx, *args) -> flat row-major list`` that runs in every context the
original runs in (float, mpmath, arb balls, truncated Laurent series, ...).  It is vector-mode
forward AD with the dual-number arithmetic done once, at trace time; evaluating it costs about
as much as the symbolically differentiated Jacobian, and building it needs no symbolic
differentiation at all.

In ball arithmetic every operation of the program encloses its exact result, so the program
returns an enclosure of the Jacobian over the input balls (the interval extension of an exact
formula for it) -- what a Krawczyk test needs.  At a zero of an ``abs`` argument the rule gives
``sign(a) a'``: 0 at an exact zero (the symbolic derivative's convention), a ball containing
[−1, 1]·a' in arb, so the enclosure covers both one-sided derivatives.

>>> import sympy
>>> from symcrit.core.compile import compile_exprs
>>> from symcrit.core.contexts import get_context
>>> x, y, k = sympy.symbols("x y k")
>>> f = compile_exprs([x, y, k], [x * y / k, sympy.sqrt(x) + sympy.atan2(y, x)])
>>> J = jacobian_program(f, 3, 2)
>>> [round(float(v), 12) for v in J(get_context("float"), 4.0, 3.0, 2.0)]
[1.5, 2.0, 0.13, 0.16]
"""
from __future__ import annotations

import types
from typing import Callable

from symcrit.core.compile import ipow

__all__ = ["jacobian_program", "TraceError"]


class TraceError(TypeError):
    """The function does something a trace cannot record (a branch on a traced value)."""


class _Tape:
    def __init__(self):
        self.ops = []  # (name, op, args)
        self.memo = {}
        self.active = True  # False while tangents are built: tangents carry no tangents

    def node(self, op, args, tangent_rule=None):
        key = (op, tuple(a.name if isinstance(a, _T) else ("c", type(a).__name__, a) for a in args))
        t = self.memo.get(key)
        if t is None:
            t = _T(self, f"_t{len(self.ops)}")
            self.ops.append((t.name, op, args))
            self.memo[key] = t
            t.tan = None
        if t.tan is None and self.active:
            if tangent_rule is None:
                t.tan = {}
            else:
                self.active = False
                try:
                    t.tan = tangent_rule(t)
                finally:
                    self.active = True
        return t


def _is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# sparse tangent arithmetic: dicts {variable index: _T or python number}, zeros omitted
def _tadd(a, b, sign=1):
    out = dict(a)
    for j, v in b.items():
        if j in out:
            out[j] = out[j] + v if sign > 0 else out[j] - v
        else:
            out[j] = v if sign > 0 else -v
    return out


def _tscale(d, c):
    """c * d (c a traced number or a python number)."""
    if _is_num(c):
        if c == 0:
            return {}
        if c == 1:
            return dict(d)
    return {j: _mul(c, v) for j, v in d.items()}


def _tdiv(d, c, tape):
    if _is_num(c) and c == 1:
        return dict(d)
    return {j: _div(v, c, tape) for j, v in d.items()}


def _div(a, b, tape):
    if _is_num(a) and _is_num(b):  # an exact constant: through the context, never a float
        if not (isinstance(a, int) and isinstance(b, int)):
            raise TraceError(f"floating-point constant {a}/{b} in a tangent")
        return tape.node("rational", (a, b))
    return a / b


def _mul(a, b):
    if _is_num(a) and a == 1:
        return b
    if _is_num(b) and b == 1:
        return a
    if _is_num(a) and a == -1:
        return -b
    if _is_num(b) and b == -1:
        return -a
    return a * b


class _T:
    """A traced number: a name on the tape and a sparse tangent."""

    __slots__ = ("tape", "name", "tan")

    def __init__(self, tape, name):
        self.tape = tape
        self.name = name
        self.tan = {}

    # -- arithmetic: record the value, propagate the tangent -----------------------------------
    def __add__(self, o):
        if _is_num(o) and o == 0:
            return self
        return self.tape.node("add", (self, o), lambda t: _tadd(self.tan, _tan(o)))

    def __radd__(self, o):
        if _is_num(o) and o == 0:
            return self
        return self.tape.node("add", (o, self), lambda t: _tadd(_tan(o), self.tan))

    def __sub__(self, o):
        return self.tape.node("sub", (self, o), lambda t: _tadd(self.tan, _tan(o), -1))

    def __rsub__(self, o):
        return self.tape.node("sub", (o, self), lambda t: _tadd(_tan(o), self.tan, -1))

    def __neg__(self):
        return self.tape.node("neg", (self,), lambda t: {j: -v for j, v in self.tan.items()})

    def __mul__(self, o):
        return self.tape.node("mul", (self, o), lambda t: _tadd(_tscale(self.tan, o), _tscale(_tan(o), self)))

    def __rmul__(self, o):
        return self.tape.node("mul", (o, self), lambda t: _tadd(_tscale(_tan(o), self), _tscale(self.tan, o)))

    def __truediv__(self, o):
        # (a/b)' = (a' - q b') / b
        return self.tape.node("div", (self, o), lambda t: _tdiv(_tadd(self.tan, _tscale(_tan(o), t), -1), o, t.tape))

    def __rtruediv__(self, o):
        return self.tape.node("div", (o, self), lambda t: _tdiv(_tadd(_tan(o), _tscale(self.tan, t), -1), self, t.tape))

    def __pow__(self, n):
        if not isinstance(n, int) or n < 0:
            raise TraceError(f"power {n!r}: compiled code takes integer powers n >= 0 only")
        return _trace_ipow(self, n)

    def __bool__(self, *_):
        raise TraceError("the compiled function branches on a traced value")

    __lt__ = __le__ = __gt__ = __ge__ = __bool__

    def __abs__(self):
        return _TraceContext.abs(self)


def _tan(x):
    return x.tan if isinstance(x, _T) else {}


def _trace_ipow(b, n):
    if not isinstance(b, _T):
        return ipow(b, n)
    if n == 0:
        return 1
    if n == 1:
        return b

    def rule(t):
        c = n * _trace_ipow(b, n - 1) if n > 2 else 2 * b
        return _tscale(b.tan, c)

    return b.tape.node("ipow", (b, n), rule)


class _TraceContext:
    """The number context of a trace: every operation is recorded on the tape."""

    name = "trace"
    exact = False

    def __init__(self, tape):
        self.tape = tape

    def _unary(self, op, a, rule):
        if not isinstance(a, _T):
            a = self.tape.node("const", (a,))
        return self.tape.node(op, (a,), rule)

    def sqrt(self, a):
        def rule(t):
            if not a.tan:
                return {}
            two_r = 2 * t
            return _tdiv(a.tan, two_r, t.tape)
        a = a if isinstance(a, _T) else self.tape.node("const", (a,))
        return self.tape.node("sqrt", (a,), rule)

    def atan2(self, y, x):
        def rule(t):
            dy, dx = _tan(y), _tan(x)
            if not dy and not dx:
                return {}
            den = x * x + y * y
            return _tdiv(_tadd(_tscale(dy, x), _tscale(dx, y), -1), den, t.tape)
        return self.tape.node("atan2", (y, x), rule)

    @staticmethod
    def abs(a):
        if not isinstance(a, _T):
            return abs(a)

        def rule(t):
            if not a.tan:
                return {}
            return _tscale(a.tan, a.tape.node("sign", (a,)))
        return a.tape.node("abs", (a,), rule)

    def sign(self, a):
        if not isinstance(a, _T):
            a = self.tape.node("const", (a,))
        return self.tape.node("sign", (a,))

    def sin(self, a):
        return self._unary("sin", a, lambda t: _tscale(_tan(a), self.cos(a)))

    def cos(self, a):
        return self._unary("cos", a, lambda t: _tscale(_tan(a), -self.sin(a)))

    def acos(self, a):
        return self._unary("acos", a, lambda t: _tdiv(_tscale(_tan(a), -1), self.sqrt(1 - a * a), t.tape) if _tan(a) else {})

    def pi(self):
        return self.tape.node("pi", ())

    def rational(self, p, q):
        return self.tape.node("rational", (int(p), int(q)))

    def convert(self, x):
        return x


def _arg(a):
    if isinstance(a, _T):
        return a.name
    if isinstance(a, bool) or not isinstance(a, (int, float)):
        raise TraceError(f"cannot print the constant {a!r}")
    return f"({a!r})"


_INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def _line(name, op, args):
    if op in _INFIX:
        return f"{name} = {_arg(args[0])} {_INFIX[op]} {_arg(args[1])}"
    if op == "neg":
        return f"{name} = -{_arg(args[0])}"
    if op == "ipow":
        return f"{name} = _ipow({_arg(args[0])}, {int(args[1])})"
    if op == "rational":
        return f"{name} = _ctx.rational({int(args[0])}, {int(args[1])})"
    if op == "pi":
        return f"{name} = _ctx.pi()"
    if op == "input":
        return None
    if op == "const":
        return f"{name} = {_arg(args[0])}"
    return f"{name} = _ctx.{op}(" + ", ".join(_arg(a) for a in args) + ")"


def jacobian_program(fn: Callable, n_args: int, n_vars: int, name: str = "jacobian",
                     with_values: bool = False) -> Callable:
    """The Jacobian of ``fn(ctx, *args) -> list`` in its first ``n_vars`` arguments, by forward-mode
    AD of one trace, compiled.

    ``fn`` must be straight-line code over a number context (as made by
    :func:`~symcrit.core.compile.compile_exprs`): no branch on its inputs.  Returns
    ``jac(ctx, *args)``: the m×n_vars Jacobian as a flat row-major list (``(values, jacobian)`` with
    ``with_values``).  The generated source is kept in ``jac.source``.
    """
    tape = _Tape()
    ctx = _TraceContext(tape)
    args = []
    for i in range(n_args):
        t = _T(tape, f"_a{i}")
        tape.ops.append((t.name, "input", ()))
        t.tan = {i: 1} if i < n_vars else {}
        args.append(t)
    traced = types.FunctionType(fn.__code__, dict(fn.__globals__, _ipow=_trace_ipow), fn.__name__)
    outs = traced(ctx, *args)
    jac = [row.tan.get(j, 0) if isinstance(row, _T) else 0 for row in outs for j in range(n_vars)]
    results = (list(outs) + jac) if with_values else jac
    # keep only what the results need
    index = {nm: i for i, (nm, _, _) in enumerate(tape.ops)}
    need = set()
    stack = [r.name for r in results if isinstance(r, _T)]
    while stack:
        nm = stack.pop()
        if nm in need:
            continue
        need.add(nm)
        stack += [a.name for a in tape.ops[index[nm]][2] if isinstance(a, _T)]
    body = []
    for nm, op, a in tape.ops:
        if nm in need:
            line = _line(nm, op, a)
            if line is not None:
                body.append("    " + line)
    rendered = [_arg(r) for r in results]
    if with_values:
        m = len(outs)
        ret = "    return [" + ", ".join(rendered[:m]) + "], [" + ", ".join(rendered[m:]) + "]"
    else:
        ret = "    return [" + ", ".join(rendered) + "]"
    src = "\n".join([f"def {name}(_ctx, " + ", ".join(f"_a{i}" for i in range(n_args)) + "):"] + body + [ret]) + "\n"
    ns: dict = {"_ipow": ipow}
    exec(compile(src, f"<symcrit:{name}>", "exec"), ns)
    out = ns[name]
    out.source = src
    return out
