"""Claims as facts, checks and a verdict computed from them.

A :class:`Fact` is one computed value with the strength of the evidence behind it:

* ``proven`` — interval/ball arithmetic or exact arithmetic: the statement holds;
* ``checked`` — an independent second route agreed, to the stated tolerance;
* ``estimated`` — a fit, a heuristic, a sample.

A :class:`Check` is a named predicate on facts: ``passed`` is True, False, or None when it cannot
be decided (an undecided sign, a confidence interval that straddles the threshold, an estimate
that may not decide alone).  Its evidence is the weakest evidence of the facts it reads.

A :class:`Claim` holds the seed's statement, the facts, the checks and the verdict.  The verdict —
``confirmed``, ``refuted``, ``refined`` or ``inconclusive`` — is returned by a pure function of the
facts (one per claim, in :mod:`symcrit.report.reproduce`), written as a decision on named checks;
every sentence of the report is rendered from the facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional

__all__ = ["EVIDENCE", "VERDICTS", "Fact", "Check", "Claim", "weakest", "check", "settle", "facts_dict"]

EVIDENCE = ("proven", "checked", "estimated")
VERDICTS = ("confirmed", "refuted", "refined", "inconclusive")


@dataclass
class Fact:
    """A computed value and how it is known.  ``tolerance``: the agreement of the second route
    (checked) or the uncertainty of the estimate; ``method``: how it was obtained."""
    name: str
    value: Any
    evidence: str
    tolerance: Optional[float] = None
    method: Optional[str] = None

    def __post_init__(self) -> None:
        if self.evidence not in EVIDENCE:
            raise ValueError(f"fact {self.name!r}: evidence must be one of {EVIDENCE}, not {self.evidence!r}")

    def to_dict(self) -> dict:
        d = {"value": _jsonable(self.value), "evidence": self.evidence}
        if self.tolerance is not None:
            d["tolerance"] = self.tolerance
        if self.method:
            d["method"] = self.method
        return d


@dataclass
class Check:
    """A named predicate on facts.  ``passed`` is None when the facts cannot decide it."""
    name: str
    passed: Optional[bool]
    evidence: str
    detail: str = ""

    def __post_init__(self) -> None:
        if self.evidence not in EVIDENCE:
            raise ValueError(f"check {self.name!r}: evidence must be one of {EVIDENCE}, not {self.evidence!r}")
        if self.passed is not None:
            self.passed = bool(self.passed)

    def to_dict(self) -> dict:
        return {"name": self.name, "passed": self.passed, "evidence": self.evidence, "detail": self.detail}


@dataclass
class Claim:
    """One seed claim: its statement, the facts computed, the checks on them, the verdict, and the
    report text rendered from the facts (``text``), with tables and plots."""
    id: str
    seed: str
    title: str
    statement: str
    facts: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)
    verdict: str = "inconclusive"
    text: str = ""
    tables: list = field(default_factory=list)
    plots: list = field(default_factory=list)
    seconds: Optional[float] = None

    def to_dict(self) -> dict:
        return {"id": self.id, "seed": self.seed, "title": self.title, "claim": self.statement,
                "verdict": self.verdict, "facts": {n: f.to_dict() for n, f in self.facts.items()},
                "checks": [c.to_dict() for c in self.checks], "evidence": self.text, "tables": self.tables,
                "plots": self.plots, "seconds": self.seconds}


def weakest(*items: Any) -> str:
    """The weakest evidence among facts, checks or evidence strings."""
    levels = [x if isinstance(x, str) else x.evidence for x in items if x is not None]
    if not levels:
        raise ValueError("no evidence given")
    return max(levels, key=EVIDENCE.index)


def check(name: str, passed: Optional[bool], *sources: Any, detail: str = "") -> Check:
    """A :class:`Check` whose evidence is the weakest of its sources (facts, checks or strings)."""
    return Check(name, passed, weakest(*sources), detail)


def settle(verdict: str, decisive: Iterable[Check]) -> str:
    """``verdict`` unless a decisive check is undecided (passed is None): then 'inconclusive'."""
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    return "inconclusive" if any(c.passed is None for c in decisive) else verdict


def facts_dict(facts: Iterable[Fact]) -> dict:
    """{name: Fact}; a repeated name is an error."""
    out: dict = {}
    for f in facts:
        if f.name in out:
            raise ValueError(f"fact {f.name!r} given twice")
        out[f.name] = f
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)):
        seq = sorted(v) if isinstance(v, (set, frozenset)) else v
        return [_jsonable(x) for x in seq]
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    try:
        import numpy as np
        if isinstance(v, np.generic):
            return v.item()
    except ImportError:  # pragma: no cover
        pass
    return str(v)

