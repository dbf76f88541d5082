"""Layer 5 — asymptotics.

Owns expansions in s = k^(-1/2): series of critical points and values (ball coefficients),
exact closed forms in Q(π), eigenvalue series, and validation of truncated series against the
exact points.  Imports only lower layers: core, model, symmetry, critical, spectra.
"""
