"""The ``symcrit`` command line.

Every command takes ``--json``.  Bad input (anything a user can get wrong: values, names, files,
folders, a scheduler address, a request beyond the cost limit without ``--force``) gives a one-line
message on stderr and exit code 2, with no traceback and nothing half-written; an internal error
keeps its traceback, says it is a bug in symcrit and how to report it, and exits with code 1.  Commands live in a registry
(:data:`symcrit.cli.registry.COMMANDS`), one module per command group:
:mod:`~symcrit.cli.symmetry`, :mod:`~symcrit.cli.critical`, :mod:`~symcrit.cli.enclose`, :mod:`~symcrit.cli.asymptotics`,
:mod:`~symcrit.cli.spectra`, :mod:`~symcrit.cli.landscape`, :mod:`~symcrit.cli.report`.
"""
from __future__ import annotations

import sys

# the command groups register themselves on import, in the order of the layers (the help lists them so)
from symcrit.cli import symmetry  # noqa: F401  isort: skip
from symcrit.cli import critical  # noqa: F401  isort: skip
from symcrit.cli import enclose  # noqa: F401  isort: skip
from symcrit.cli import spectra  # noqa: F401  isort: skip
from symcrit.cli import asymptotics  # noqa: F401  isort: skip
from symcrit.cli import landscape  # noqa: F401  isort: skip
from symcrit.cli import report  # noqa: F401  isort: skip
from symcrit.cli.registry import COMMANDS, Parser

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


#: where bugs are reported
BUG_REPORT = ("this is a bug in symcrit, not a mistake in your input: please report it (an issue in the "
              "symcrit repository) with the command line, the output of `symcrit --version` and the "
              "traceback above")


def main(argv=None):
    # Exit codes: 0 success; 2 a user error (bad value, unknown name, bad or unwritable file,
    # unreachable scheduler, a request over the cost limit without --force): one line on stderr,
    # no traceback; 1 an internal error (a bug): the traceback, and how to report it; 130 interrupted.
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    from symcrit.core.errors import SymcritError

    try:
        return COMMANDS[args.command][2](args) or 0
    except SymcritError as exc:  # UsageError, BadInput, BadFile, UnknownFamily, OutOfRange, …
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
    except Exception:  # noqa: BLE001  anything else is a bug: keep the traceback
        import traceback

        from symcrit.core.version import __version__
        traceback.print_exc()
        cmd = " ".join(["symcrit"] + list(sys.argv[1:] if argv is None else argv))
        print(f"symcrit {__version__}: internal error in `{cmd}`\nsymcrit: {BUG_REPORT}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
