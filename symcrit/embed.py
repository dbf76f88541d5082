"""Embedding critical points of a narrower student into wider ones (trainable second layer).

For F(W, alpha) with the second layer alpha trainable (Şimşek et al. 2021):

* **splitting** neuron i with t ∈ R: (w_i, α_i) ↦ (w_i, t α_i), (w_i, (1 - t) α_i).  The network
  computes the same function, and every gradient entry of the new point is a gradient entry of
  the old one (times t, 1 - t, or 1), so a critical point maps to a line of critical points.
* **zero neuron** along an existing direction: add (c·w_j, 0) with c > 0.  The W-gradient of the
  new row is multiplied by its zero output weight; dF/dα_new = c · dF/dα_j = 0 because the
  arc-cosine kernel is positively 1-homogeneous.

At points that are critical in W with α fixed (the families of symcrit), dF/dα vanishes too:
Euler's identity w_i · ∇_{w_i} F = α_i ∂F/∂α_i.

>>> import numpy as np
>>> W2, a2 = split_neuron(np.eye(3), np.ones(3), 0, 0.25)
>>> W2.shape, [float(v) for v in a2]
((4, 3), [0.25, 1.0, 1.0, 0.75])
"""
from __future__ import annotations

import numpy as np

__all__ = ["split_neuron", "add_zero_neuron"]


def _cat(a, row):
    return np.concatenate([np.asarray(a), np.asarray(row)[None] if np.ndim(row) else np.asarray([row])])


def split_neuron(W, alpha, i, t):
    """Split neuron i: the copy is appended as the last row, with output weight (1 - t)·α_i."""
    W = np.asarray(W)
    alpha = np.asarray(alpha).copy()
    a_i = alpha[i]
    alpha[i] = t * a_i
    return _cat(W, W[i]), _cat(alpha, (1 - t) * a_i)


def add_zero_neuron(W, alpha, j, c=1):
    """Append the neuron c·w_j with output weight 0 (c > 0)."""
    if not c > 0:
        raise ValueError("the zero neuron must point along w_j (c > 0)")
    W = np.asarray(W)
    return _cat(W, c * W[j]), _cat(np.asarray(alpha), 0 * np.asarray(alpha)[0])
