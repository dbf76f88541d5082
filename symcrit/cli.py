"""The ``symcrit`` command line.

Every command takes ``--json``.  Bad input gives a one-line message on stderr and exit code 2,
with no traceback and nothing half-written.  Commands live in a registry (:data:`COMMANDS`):
each registers its arguments and a runner.
"""
from __future__ import annotations

import argparse
import json
import sys

__all__ = ["main", "COMMANDS", "command", "UsageError"]


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
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


# ---------------------------------------------------------------------------------------------
def _loss_args(p):
    p.add_argument("--blocks", required=True,
                   help="block sizes of the isotropy type, comma-separated, affine in k (e.g. 1,k-1)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--latex", action="store_true", help="print LaTeX")
    g.add_argument("--json", action="store_true", help="print JSON")


@command("loss", "print the reduced loss of a fixed-point space (k symbolic)", _loss_args)
def _loss(args):
    from .fixedpoint import FixedPointSpace
    from .latex import latex, tex

    sp = FixedPointSpace(args.blocks)
    F = sp.reduced_loss()
    if args.json:
        emit({
            "blocks": list(sp.blocks),
            "params": [str(p) for p in sp.params],
            "dim": sp.dim,
            "orbit_sizes": [str(o) for o in sp.orbit_sizes],
            "k_min": sp.k_min,
            "loss": str(F),
            "latex": latex(sp),
            "entry_gradient_latex": [tex(g) for g in sp.entry_gradient()],
        })
    elif args.latex:
        print(latex(sp))
    else:
        print(f"isotropy  Δ(" + " × ".join(f"S_{{{b}}}" for b in sp.blocks) + ")")
        print(f"params    {', '.join(map(str, sp.params))}   (dim {sp.dim}, k >= {sp.k_min})")
        print(f"orbits    {', '.join(map(str, sp.orbit_sizes))}")
        print(f"F =       {F}")
    return 0


# ---------------------------------------------------------------------------------------------
def build_parser():
    from . import __version__

    parser = _Parser(prog="symcrit", description="Critical points of two-layer ReLU networks, by symmetry.")
    parser.add_argument("--version", action="version", version=f"symcrit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (help, add, _) in COMMANDS.items():
        sp = sub.add_parser(name, help=help, description=help)
        add(sp)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    from .errors import SymcritError
    from .fixedpoint import BlocksError

    try:
        return COMMANDS[args.command][2](args) or 0
    except (UsageError, SymcritError, BlocksError, ValueError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"symcrit: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symcrit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
