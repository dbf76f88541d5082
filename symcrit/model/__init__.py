"""Layer 1 — the model.

Owns the arc-cosine kernel (robust angles, profiles, gradient and Hessian blocks) and the
student-teacher network (loss, gradient, Hessian in float64 or mpmath).  Imports only
:mod:`symcrit.core`.
"""
