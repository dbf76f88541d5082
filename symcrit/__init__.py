"""symcrit: critical points of two-layer ReLU networks, by symmetry.

The flat public API:

* :class:`StudentTeacher` -- the model: loss, gradient, Hessian (float64 or mpmath).
* :class:`FixedPointSpace`, :func:`isotropy` -- symmetry: fixed-point spaces of diagonal
  isotropy groups, their reduced losses (k symbolic), and identification of a point's isotropy.
* :func:`family`, :func:`families`, :func:`register_family` -- families of critical points;
  ``family(id).solve(k, dps)`` gives a :class:`CriticalPoint`, ``.certify()`` proves it;
  :func:`closed_form_families`, :func:`register_closed_form` -- critical points given by a closed
  form in k (the rank-one points W = u·1ᵀ), kept apart from the branches;
  :func:`enclosure_families` -- the branches the interval branch-and-bound found beyond the catalogue.
* :func:`prove_inertia` -- the Hessian's inertia (index, minimum) proven in ball arithmetic over the
  Krawczyk box, by symmetry; :func:`evidence_record` -- the ``evidence`` of a ``solve --certify``
  record; :func:`count_signs` -- the one definition of a negative count, with an evidence label.
* :func:`all_critical_points` -- every critical point in a fixed-point space at one k, proven
  complete by interval branch-and-bound (an :class:`Enclosure`).
* :func:`latex` -- LaTeX export.
* :data:`K` -- the width k as a sympy symbol.
"""
from symcrit.core.contexts import BACKENDS, get_context
from symcrit.symmetry.fixedpoint import K, K_SYMBOL, BlocksError, FixedPointSpace, Isotropy, isotropy, parse_blocks
from symcrit.core.errors import BranchEnded, NotConverged, OutOfRange, PrecisionError, SymcritError, UnknownFamily
from symcrit.critical.families import (CriticalPoint, Family, closed_form_families, enclosure_families, families, family,
                                       register_closed_form, register_family, unregister_family)
from symcrit.report.latex import latex
from symcrit.landscape.discover import discover, identify
from symcrit.asymptotics.series import Series, series, validate
from symcrit.spectra.hessian import MultiplicityError, Spectrum, spectrum
from symcrit.spectra.crossings import crossings
from symcrit.spectra.inertia import Inertia, evidence_record, prove_inertia
from symcrit.core.signs import SignCount, count_signs
from symcrit.critical.folds import Fold, folds
from symcrit.critical.enclosure import Enclosure, ProvenZero, all_critical_points
from symcrit.model.network import StudentTeacher, mpmath_matrix

from symcrit.core.version import __version__

__all__ = [
    "BACKENDS", "get_context", "K", "K_SYMBOL", "BlocksError", "FixedPointSpace", "Isotropy", "isotropy",
    "parse_blocks", "latex", "StudentTeacher", "mpmath_matrix",
    "CriticalPoint", "Family", "families", "family", "register_family", "unregister_family",
    "closed_form_families", "register_closed_form", "enclosure_families",
    "discover", "identify", "Series", "series", "validate", "Spectrum", "spectrum", "crossings",
    "Fold", "folds", "Enclosure", "ProvenZero", "all_critical_points", "MultiplicityError", "Inertia", "prove_inertia", "evidence_record", "SignCount", "count_signs",
    "SymcritError", "UnknownFamily", "OutOfRange", "NotConverged", "BranchEnded", "PrecisionError",
]
