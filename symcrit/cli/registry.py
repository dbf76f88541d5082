"""The command registry and what every command shares: argument parsing helpers, output, errors.

Commands register themselves with :func:`command`; :mod:`symcrit.cli.main` builds the parser from
:data:`COMMANDS`.
"""
from __future__ import annotations

import argparse
import fractions
import json


__all__ = ["COMMANDS", "command", "emit", "table", "parse_k", "mpmath_str", "UsageError", "Parser"]


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"symcrit: error: {message}\n")


#: name -> (help, add_arguments(parser), run(args) -> int)
COMMANDS: dict = {}


def command(name, help, arguments):
    """Register a CLI command: decorate ``run(args)``; ``arguments(parser)`` adds its options."""
    def deco(fn):
        COMMANDS[name] = (help, arguments, fn)
        return fn
    return deco


def emit(obj):
    print(json.dumps(obj, indent=2, ensure_ascii=False))


def table(head, rows):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    print("  ".join(str(h).ljust(w[i]) for i, h in enumerate(head)))
    for r in rows:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)))


def mpmath_str(x, d):
    import mpmath
    return mpmath.nstr(x, d)


def parse_k(text):
    """``--k`` values: a number ``7`` or ``7.5``, a list ``6,8,10``, a range ``6:20`` or ``6:20:2``
    (inclusive).  Integers stay int; other numbers are kept as decimal strings (exact for mpmath).

    >>> parse_k("6:9"), parse_k("6,8.5"), parse_k("1e6")
    ([6, 7, 8, 9], [6, '8.5'], [1000000])
    """
    def num(t):
        t = t.strip()
        try:
            v = float(t)
        except ValueError:
            raise UsageError(f"--k: {t!r} is not a number") from None
        if not (v > 0) or v == float("inf"):
            raise UsageError(f"--k: {t!r} must be a positive number")
        try:
            q = fractions.Fraction(t)  # exact: '1e100' is 10^100
        except ValueError:
            q = None
        return int(q) if q is not None and q.denominator == 1 else t

    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) not in (2, 3):
            raise UsageError(f"--k: range {text!r} must be START:STOP or START:STOP:STEP")
        a, b = num(parts[0]), num(parts[1])
        step = num(parts[2]) if len(parts) == 3 else 1
        if not all(isinstance(v, int) for v in (a, b, step)):
            raise UsageError(f"--k: range {text!r} needs integers")
        if b < a:
            raise UsageError(f"--k: empty range {text!r}")
        return list(range(a, b + 1, step))
    return [num(t) for t in text.split(",")]
