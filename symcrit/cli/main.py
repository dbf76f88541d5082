"""The ``symcrit`` command line.

Every command takes ``--json``.  Bad input gives a one-line message on stderr and exit code 2,
with no traceback and nothing half-written.  Commands live in a registry
(:data:`symcrit.cli.registry.COMMANDS`), one module per command group:
:mod:`~symcrit.cli.symmetry`, :mod:`~symcrit.cli.critical`, :mod:`~symcrit.cli.asymptotics`,
:mod:`~symcrit.cli.spectra`, :mod:`~symcrit.cli.landscape`, :mod:`~symcrit.cli.report`.
"""
from __future__ import annotations

import sys

# the command groups register themselves on import, in the order of the layers (the help lists them so)
from symcrit.cli import symmetry  # noqa: F401  isort: skip
from symcrit.cli import critical  # noqa: F401  isort: skip
from symcrit.cli import spectra  # noqa: F401  isort: skip
from symcrit.cli import asymptotics  # noqa: F401  isort: skip
from symcrit.cli import landscape  # noqa: F401  isort: skip
from symcrit.cli import report  # noqa: F401  isort: skip
from symcrit.cli.registry import COMMANDS, Parser, UsageError

__all__ = ["main", "build_parser"]


def build_parser():
    from symcrit.core.version import __version__

    parser = Parser(prog="symcrit", description="Critical points of two-layer ReLU networks, by symmetry.")
    parser.add_argument("--version", action="version", version=f"symcrit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
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
    from symcrit.core.errors import SymcritError
    from symcrit.symmetry.fixedpoint import BlocksError

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
