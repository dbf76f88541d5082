"""Layer 4 — spectra.

Owns the Hessian spectrum by symmetry (isotypic components, multiplicities as polynomials in
k), crossings (the fractional k where an eigenvalue changes sign) and the normal form at a
crossing (bifurcation).  Imports only lower layers: core, model, symmetry, critical.
"""
