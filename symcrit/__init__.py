"""symcrit: critical points of two-layer ReLU networks, by symmetry.

The flat public API:

* :class:`StudentTeacher` -- the model: loss, gradient, Hessian (float64 or mpmath).
* :class:`FixedPointSpace`, :func:`isotropy` -- symmetry: fixed-point spaces of diagonal
  isotropy groups, their reduced losses (k symbolic), and identification of a point's isotropy.
* :func:`family`, :func:`families`, :func:`register_family` -- families of critical points;
  ``family(id).solve(k, dps)`` gives a :class:`CriticalPoint`, ``.certify()`` proves it.
* :func:`latex` -- LaTeX export.
* :data:`K` -- the width k as a sympy symbol.
"""
from .contexts import BACKENDS, get_context
from .fixedpoint import K, BlocksError, FixedPointSpace, Isotropy, isotropy, parse_blocks
from .errors import BranchEnded, NotConverged, OutOfRange, PrecisionError, SymcritError, UnknownFamily
from .families import CriticalPoint, Family, families, family, register_family, unregister_family
from .latex import latex
from .discover import discover, identify
from .series import Series, series, validate
from .spectrum import Spectrum, crossings, spectrum
from .folds import Fold, folds
from .model import StudentTeacher, mpmath_matrix

__version__ = "0.1.0"

__all__ = [
    "BACKENDS", "get_context", "K", "BlocksError", "FixedPointSpace", "Isotropy", "isotropy",
    "parse_blocks", "latex", "StudentTeacher", "mpmath_matrix",
    "CriticalPoint", "Family", "families", "family", "register_family", "unregister_family",
    "discover", "identify", "Series", "series", "validate", "Spectrum", "spectrum", "crossings",
    "Fold", "folds",
    "SymcritError", "UnknownFamily", "OutOfRange", "NotConverged", "BranchEnded", "PrecisionError",
]
