"""Layer 2 — symmetry.

Owns fixed-point spaces of diagonal isotropy groups Δ(S_p1 × … × S_pr) (parsing block sizes,
parameter names, orbit sizes, embedding, the reduced loss and gradient with k symbolic, the
compiled callables), isotropy detection of a point, and S_n-equivariant maps.  Imports only
:mod:`symcrit.core` and :mod:`symcrit.model`.
"""
