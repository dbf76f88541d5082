"""Layer 3 — critical points.

Owns families of critical points and their registry, Newton's method and continuation in k (one
engine, :mod:`symcrit.critical.continuation`: natural-parameter and pseudo-arclength modes),
certification in ball arithmetic (Krawczyk), folds (branch turning points), and enclosures of all
critical points in a box (interval branch-and-bound, :mod:`symcrit.critical.enclosure`).  Imports only
lower layers: core, model, symmetry.
"""
