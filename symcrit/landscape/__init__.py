"""Layer 6 — landscape.

Owns discovery campaigns from random starts and identification of their end points, counting
of critical subspaces of wider networks (Şimşek et al.), and embeddings of critical points into
wider networks.  Imports only lower layers.
"""
