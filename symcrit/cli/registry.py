"""The command registry and what every command shares: argument parsing helpers, output, errors.

Commands register themselves with :func:`command`; :mod:`symcrit.cli.main` builds the parser from
:data:`COMMANDS`.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from fractions import Fraction

from symcrit.core.errors import BadFile, BadInput, TooExpensive
from symcrit.core.numbers import format_exact, parse_number
from symcrit.core.numbers import parse_k as parse_k_value


__all__ = ["COMMANDS", "command", "emit", "table", "parse_k", "parse_value", "mpmath_str", "UsageError", "Parser",
           "check_output_file", "check_output_dir", "check_cost", "add_force", "progress_enabled", "MAX_K_VALUES",
           "check_dps", "log10_size", "add_family", "add_k", "add_dps", "add_range", "add_plot", "add_campaign", "add_output"]


class UsageError(BadInput):
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


def _json_default(x):
    import mpmath
    if isinstance(x, Fraction):
        return format_exact(x)
    if isinstance(x, mpmath.mpf):
        return mpmath.nstr(x, mpmath.mp.dps)
    raise TypeError(f"{type(x).__name__} is not JSON serialisable")


def emit(obj):
    print(json.dumps(obj, indent=2, ensure_ascii=False, default=_json_default))


def table(head, rows):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    print("  ".join(str(h).ljust(w[i]) for i, h in enumerate(head)))
    for r in rows:
        print("  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)))


def mpmath_str(x, d):
    import mpmath
    return mpmath.nstr(x, d)


#: the most values a --k list or range may expand to
MAX_K_VALUES = 10_000


def parse_value(text, option):
    """One exact number for ``option`` (e.g. ``--from``): see :func:`symcrit.core.numbers.parse_number`."""
    try:
        return parse_number(text, name=option)
    except BadInput as exc:
        raise UsageError(str(exc)) from None


def parse_k(text):
    """``--k`` values, exact: a number (``7``, ``7.5``, ``15/2``, ``1e30``, ``10**30``), a list
    ``6,8,10`` or an inclusive range ``6:20`` or ``6:20:2`` (``6:8:1/2`` with exact steps).
    Integers stay int, other numbers are Fractions: nothing goes through a float.

    >>> parse_k("6:9"), parse_k("6,8.5"), parse_k("1e30") == [10**30]
    ([6, 7, 8, 9], [6, Fraction(17, 2)], True)
    """
    def num(t):
        try:
            return parse_k_value(t)
        except BadInput as exc:
            raise UsageError(f"--k: {exc}") from None

    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) not in (2, 3):
            raise UsageError(f"--k: range {text!r} must be START:STOP or START:STOP:STEP")
        a, b = num(parts[0]), num(parts[1])
        step = num(parts[2]) if len(parts) == 3 else 1
        if b < a:
            raise UsageError(f"--k: empty range {text!r} (STOP below START)")
        count = int((Fraction(b) - Fraction(a)) / Fraction(step)) + 1
        if count > MAX_K_VALUES:
            raise UsageError(f"--k: range {text!r} has {count} values; at most {MAX_K_VALUES}")
        out = [a + i * step for i in range(count)]
        return [int(v) if isinstance(v, Fraction) and v.denominator == 1 else v for v in out]
    vals = [num(t) for t in text.split(",")]
    if len(vals) > MAX_K_VALUES:
        raise UsageError(f"--k: {len(vals)} values; at most {MAX_K_VALUES}")
    return vals


def progress_enabled(args) -> bool:
    """Progress bars go to stderr, only on a terminal and never with --json."""
    return not getattr(args, "json", False) and sys.stderr.isatty()


def check_output_file(path, option):
    """Fail fast (before any computation) if ``path`` cannot be written as a file."""
    if path is None:
        return
    path = os.path.abspath(os.path.expanduser(path))
    parent = os.path.dirname(path) or "."
    if os.path.isdir(path):
        raise BadFile(f"{option} {path}: is a folder; give a file name")
    if not os.path.isdir(parent):
        raise BadFile(f"{option} {path}: the folder {parent} does not exist; create it or choose another path")
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise BadFile(f"{option} {path}: the file is not writable")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise BadFile(f"{option} {path}: the folder {parent} is not writable")


def check_output_dir(path, option):
    """Fail fast if ``path`` cannot be used as an output folder; create it if it does not exist."""
    path = os.path.abspath(os.path.expanduser(path))
    if os.path.exists(path):
        if not os.path.isdir(path):
            raise BadFile(f"{option} {path}: exists and is not a folder")
        if not os.access(path, os.W_OK | os.X_OK):
            raise BadFile(f"{option} {path}: the folder is not writable")
        return
    try:  # create it now: the only sure test, and the work would create it anyway
        os.makedirs(path)
    except OSError as exc:
        raise BadFile(f"{option} {path}: cannot create the folder ({exc.strerror})") from None


def log10_size(x) -> float:
    """log10 of a positive exact number (int, Fraction, mpf) for the cost models, without a float
    conversion that overflows (10**400 is a valid k: the error belongs to the library, not here)."""
    import mpmath
    from symcrit.core.numbers import to_mpf
    with mpmath.workdps(15):
        return float(mpmath.log10(to_mpf(x)))


# -- the options that recur across commands, spelled once --------------------------------------------
def check_dps(args, least: int = 15):
    """``--dps`` below ``least`` is a user error."""
    if args.dps < least:
        raise UsageError(f"--dps must be at least {least}, got {args.dps}")


def add_force(p):
    p.add_argument("--force", action="store_true",
                   help="run even when symcrit's own cost estimate is above about 10 minutes")


def add_family(p, help="family id", optional=False):
    """The positional family id (``optional``: may be left out for another way to name a branch)."""
    p.add_argument("family", nargs="?" if optional else None, help=help)


def add_k(p, help, default=None, dest="k"):
    """``--k`` (parsed by :func:`parse_k` in the command); required unless it has a default or a dest
    of its own."""
    p.add_argument("--k", dest=dest, required=default is None and dest == "k", default=default, help=help)


def add_dps(p, default, help=None):
    p.add_argument("--dps", type=int, default=default, help=help or f"digits (default {default})")


def add_range(p, lo, hi, lo_help, hi_help):
    """``--from`` / ``--to`` (into ``k_lo`` / ``k_hi``, parsed by :func:`parse_value` in the command)."""
    p.add_argument("--from", dest="k_lo", default=lo, help=lo_help)
    p.add_argument("--to", dest="k_hi", default=hi, help=hi_help)


#: the measured cost of the Taylor-model disc proof per unknown of the reduced system (seconds, this
#: 2-core machine under load: sk 179 s for 2 unknowns, sk1 823 s for 5 with the test suite running)
DISC_SECONDS = 100.0


def add_prove_disc(p):
    """``--prove-disc`` (prove the branch analytic on an annulus by Taylor-model discs, minutes, and on
    the inner disc, glued),
    ``--eps-r`` and ``--r0`` (its outer and inner radius; parsed by :func:`disc_options`)."""
    p.add_argument("--prove-disc", action="store_true",
                   help="also prove the branch analytic on the annulus r0 <= abs(s) <= R(1 - eps_R) by Taylor-model "
                        "Krawczyk discs (minutes) and on the inner disc abs(s) <= r0 (valuation-form Taylor models in "
                        "the series coordinates, seconds), glued: then R >= R(1 - eps_R) and the tail bounds are proven")
    p.add_argument("--eps-r", default="1/50", help="with --prove-disc: the outer radius is R(1 - EPS_R) (default 1/50)")
    p.add_argument("--r0", default=None, help="with --prove-disc: the radius of the inner disc, where the annulus "
                                              "starts (default: the first of min(0.2, r/2), r/4, r/8, ... where the "
                                              "inner disc is proven; a given R0 is halved, at most 4 times, until it is)")


def disc_options(args) -> dict:
    """The keyword arguments of prove_disc from ``--eps-r`` and ``--r0`` (exact numbers; the disc
    layout rounds them down to multiples of 2^-40)."""
    eps = parse_value(args.eps_r, "--eps-r")
    if not 0 < eps < 1:
        raise UsageError(f"--eps-r must lie in (0, 1), got {args.eps_r}")
    out = {"eps_R": float(eps)}
    if args.r0 is not None:
        r0 = parse_value(args.r0, "--r0")
        if not r0 > 0:
            raise UsageError(f"--r0 must be positive, got {args.r0}")
        out["r0"] = float(r0)
    return out


def add_plot(p, help):
    p.add_argument("--plot", metavar="FILE", help=help)


def add_campaign(p, what):
    """``--seed``, ``--jobs`` and ``--scheduler`` of the random-start campaigns (``what``: the unit
    sent to the cluster)."""
    p.add_argument("--seed", type=int, default=0, help="campaign seed (run i starts from default_rng([seed, i]))")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS", help=f"run the {what} on a dask.distributed cluster")


def add_output(p, json="print JSON", force=True, latex=None):
    """The last options of a command: ``--force`` (with a cost estimate), then ``--json`` (with
    ``latex``: ``--latex`` and ``--json``, mutually exclusive)."""
    if force:
        add_force(p)
    g = p.add_mutually_exclusive_group() if latex else p
    if latex:
        g.add_argument("--latex", action="store_true", help=latex)
    g.add_argument("--json", action="store_true", help=json)


def check_cost(args, seconds: float, what: str, limit: float = 600.0):
    """Refuse a request that symcrit estimates at more than ``limit`` seconds unless --force."""
    if seconds > limit and not getattr(args, "force", False):
        raise TooExpensive(f"{what} would take about {_duration(seconds)} by symcrit's estimate "
                           f"(over {_duration(limit)}); pass --force to run it anyway")
    if seconds > 60 and progress_enabled(args):
        print(f"symcrit: {what}: estimated {_duration(seconds)}", file=sys.stderr)


def _duration(s):
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 2 * 86400:
        return f"{s / 3600:.1f} h"
    if s < 2 * 365 * 86400:
        return f"{s / 86400:.0f} days"
    return f"{s / (365 * 86400):.2g} years"
