"""One definition of the Hessian index: counting eigenvalue signs with an explicit evidence label.

Every place in symcrit that says how many eigenvalues are negative (the dense Hessian of a
family's point, the spectrum by symmetry, crossings, fold arms, bifurcation branches, the
(W, α) Hessian of embedded points, the proven inertia) counts through :func:`count_signs`.
An eigenvalue is *negative* or *positive* only when its sign is decided: a ball (python-flint
``arb``) that excludes 0, or an estimate whose stated error bound is smaller than its modulus.
Otherwise it is *undecided* -- unless the caller declares a number of zeros forced by the
structure (``forced_zero``; e.g. the rescaling symmetry of a trainable output weight), and
exactly that many eigenvalues (with multiplicity) are undecided.

``evidence`` is one of ``proven`` (balls that enclose the eigenvalues, or pivots of a matrix
congruent to the Hessian, of a point proven critical), ``checked`` (two independent routes
agreed to the stated bound) or ``estimated`` (floating-point eigenvalues with a heuristic error
bound).

>>> c = count_signs([-0.5, 1e-20, 2.0], bound=1e-12, multiplicities=[3, 1, 2])
>>> c.negative, c.undecided, c.positive, c.index, c.evidence
(3, 1, 2, None, 'estimated')
>>> count_signs([-0.5, 1e-20, 2.0], bound=1e-12, forced_zero=1).index
1
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence

__all__ = ["EVIDENCE", "SignCount", "count_signs", "float_eigenvalue_bound"]

#: the evidence labels, strongest first
EVIDENCE = ("proven", "checked", "estimated")


class SignCount:
    """Signs of a list of eigenvalues, with multiplicities.

    ``negative``, ``zero`` (forced zeros), ``positive``, ``undecided``: counts with multiplicity
    (ints at integer k; floats at a real k, where multiplicities are not integers).  ``index`` is
    ``negative`` when every sign is decided, else None.  ``evidence`` and ``reason`` (why some
    sign is undecided, or None)."""

    def __init__(self, negative: int | float, zero: int | float, positive: int | float, undecided: int | float,
                 evidence: str, reason: str | None = None) -> None:
        self.negative, self.zero, self.positive, self.undecided = negative, zero, positive, undecided
        self.evidence, self.reason = evidence, reason

    @property
    def decided(self) -> bool:
        return self.undecided == 0

    @property
    def index(self):
        return self.negative if self.decided else None

    def to_dict(self) -> dict:
        return {"negative": self.negative, "zero": self.zero, "positive": self.positive,
                "undecided": self.undecided, "index": self.index, "evidence": self.evidence,
                "reason": self.reason}

    def __repr__(self):
        return (f"SignCount(negative={self.negative}, zero={self.zero}, positive={self.positive}, "
                f"undecided={self.undecided}, evidence={self.evidence!r})")


def _sign(v: Any, bound: Any) -> int:
    """-1, +1, or 0 (undecided) for an estimate with an error bound, or a ball (bound ignored)."""
    if hasattr(v, "rad") and hasattr(v, "mid") and hasattr(v, "is_finite"):  # an arb ball
        if not v.is_finite():
            return 0
        if v < 0:
            return -1
        if v > 0:
            return 1
        return 0
    if v < -bound:
        return -1
    if v > bound:
        return 1
    return 0


def count_signs(values: Iterable[Any], bound: Any = 0, multiplicities: Optional[Sequence[Any]] = None,
                evidence: str = "estimated", forced_zero: Any = 0, what: str = "eigenvalue") -> SignCount:
    """Count negative / positive / undecided eigenvalues (see the module doc).

    ``values``: estimates (float, mpf) or arb balls; ``bound``: the error bound of an estimate
    (a number, or one per value); balls carry their own.  ``multiplicities``: one per value
    (default 1).  ``forced_zero``: the number of zero eigenvalues forced by the structure; they
    are reported as ``zero`` when exactly that many are undecided, else every undecided one stays
    undecided and ``reason`` says so."""
    if evidence not in EVIDENCE:
        raise ValueError(f"evidence must be one of {EVIDENCE}, got {evidence!r}")
    values = list(values)
    mults = [1] * len(values) if multiplicities is None else list(multiplicities)
    bounds = list(bound) if isinstance(bound, (list, tuple)) else [bound] * len(values)
    if len(mults) != len(values) or len(bounds) != len(values):
        raise ValueError("values, multiplicities and bounds must have the same length")
    neg = pos = und = 0
    for v, m, b in zip(values, mults, bounds):
        s = _sign(v, b)
        if s < 0:
            neg += m
        elif s > 0:
            pos += m
        else:
            und += m
    zero, reason = 0, None
    if forced_zero and und == forced_zero:
        zero, und = und, 0
    elif und:
        reason = (f"{und} {what}(s) within the error bound of 0 (a ball containing 0, or |estimate| <= bound)"
                  + (f"; {forced_zero} zero(s) are forced by the structure" if forced_zero else "")
                  + ": raise the precision or shrink the box")
    return SignCount(neg, zero, pos, und, evidence, reason)


def float_eigenvalue_bound(eigenvalues: Sequence[float], n: int, eps: float = 2.0 ** -52) -> float:
    """A heuristic error bound for eigenvalues of a symmetric n×n matrix computed by a backward
    stable method in floating point: 10·n·eps·max|λ| (Weyl: the backward error is
    O(n eps ||H||₂)).  An estimate, not a proof."""
    top = max((abs(float(v)) for v in eigenvalues), default=0.0)
    return 10.0 * n * eps * max(top, 1e-300)
