"""Layer 0 — numbers.

Owns the number contexts (float, mpmath, arb, sympy) every formula is written against, the
compiler from sympy expressions to functions of a context, forward-mode dual numbers, truncated
Laurent series with ball or exact coefficients, and the error types.  Imports nothing from
symcrit: every other layer may import it.
"""
