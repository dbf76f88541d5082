"""Layer 7 — report.

Owns the main job (every seed claim with facts, checks and a verdict), plots and LaTeX export.
Imports only lower layers.
"""
