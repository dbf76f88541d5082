"""Layer 8 — the command line.

The ``symcrit`` command: a registry of subcommands.  Imports any lower layer; nothing imports it.
"""
from symcrit.cli.main import main

__all__ = ["main"]
