"""Sobol sensitivity indices of any vectorised model: the Saltelli design, first-order (Saltelli
2010) and total-effect (Jansen 1999) estimators, bootstrap intervals, and the Ishigami test function
with its analytic indices (the estimators are checked against it). Generic: nothing here knows of
schemes or regions; analytics.robustness.sensitivity builds the Penilaian's model on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

SEED = 20250710  # the seed when none is given: analytics.robustness.Settings' default too
BOOTSTRAP = 1000  # bootstrap replicates for the 5–95 % intervals of the Sobol indices


@dataclass(frozen=True)
class SobolIndices:
    """First-order (Saltelli 2010) and total-effect (Jansen 1999) indices, with bootstrap intervals."""

    names: tuple[str, ...]
    first: np.ndarray  # (d,)
    total: np.ndarray  # (d,)
    first_ci: np.ndarray  # (d, 2): 5th and 95th percentile over the bootstrap replicates
    total_ci: np.ndarray  # (d, 2)
    n: int  # base sample
    runs: int  # model evaluations, n (d + 2)
    variance: float  # Var(y) over A and B
    mean: float

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "masukan": list(self.names),
                "S1": self.first,
                "S1_p5": self.first_ci[:, 0],
                "S1_p95": self.first_ci[:, 1],
                "ST": self.total,
                "ST_p5": self.total_ci[:, 0],
                "ST_p95": self.total_ci[:, 1],
            }
        )


def saltelli_design(
    sampler: Callable[[np.random.Generator, int], np.ndarray], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A, B (n × d, independent samples of the inputs) and AB (d × n × d): AB[i] is A with column i
    taken from B. Together n (d + 2) input rows."""
    a, b = sampler(rng, n), sampler(rng, n)
    d = a.shape[1]
    ab = np.repeat(a[None], d, axis=0)
    idx = np.arange(d)
    ab[idx, :, idx] = b[:, idx].T
    return a, b, ab


def sobol_estimates(
    ya: np.ndarray, yb: np.ndarray, yab: np.ndarray, counts: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total indices (d,) from model outputs ya, yb (n,) and yab (d, n):
    S_i = mean(yB (yAB_i − yA)) / V (Saltelli et al. 2010), ST_i = mean((yA − yAB_i)²) / (2V)
    (Jansen 1999), V = Var(yA ∪ yB). The outputs are centred on the mean of yA ∪ yB first: the
    estimand is unchanged (E[yAB_i − yA] = 0) but the first-order estimate's noise no longer grows
    with the output's mean (a mean rank change of ~3 with a spread of ~1 otherwise swamps it).

    With `counts` (B × n, how often each row is drawn in each of B bootstrap resamples) the same
    estimates for every resample at once, (d, B): every term is a mean over rows, so a resample's
    means are counts @ per-row terms / n — one matrix product instead of B copies of the outputs."""
    n, d = len(ya), yab.shape[0]
    shift = np.concatenate([ya, yb]).mean()
    ya, yb, yab = ya - shift, yb - shift, yab - shift  # pre-centred: no cancellation below
    delta = yab - ya  # d × n
    terms = np.vstack([yb * delta, delta, delta**2, (ya + yb) / 2, (ya**2 + yb**2) / 2]).T  # n × (3d + 2)
    means = terms.mean(axis=0)[None, :] if counts is None else counts @ terms / n  # B × (3d + 2)
    yb_delta, mean_delta, square = means[:, :d], means[:, d : 2 * d], means[:, 2 * d : 3 * d]
    mu, second = means[:, 3 * d : 3 * d + 1], means[:, 3 * d + 1 :]
    var = second - mu**2
    with np.errstate(invalid="ignore", divide="ignore"):
        first = (yb_delta - mu * mean_delta) / var
        total = square / (2 * var)
    first, total = np.where(var > 0, first, np.nan).T, np.where(var > 0, total, np.nan).T
    return (first[:, 0], total[:, 0]) if counts is None else (first, total)


def sobol(
    model: Callable[[np.ndarray], np.ndarray],
    sampler: Callable[[np.random.Generator, int], np.ndarray],
    n: int,
    seed: int = SEED,
    names: tuple[str, ...] | None = None,
    bootstrap: int = BOOTSTRAP,
    level: tuple[float, float] = (5, 95),
) -> SobolIndices:
    """Sobol indices of a vectorised model f(X (m × d)) -> y (m,) whose inputs `sampler(rng, m)`
    draws (m × d, independent columns). Saltelli design (n (d + 2) runs in one call of f); the
    bootstrap resamples the n rows of A, B and every AB_i together (`bootstrap` replicates) and
    gives the `level` percentiles. Deterministic given the seed."""
    rng = np.random.default_rng(seed)
    a, b, ab = saltelli_design(sampler, n, rng)
    d = a.shape[1]
    y = np.asarray(model(np.concatenate([a, b, ab.reshape(d * n, d)])), dtype=float)
    ya, yb, yab = y[:n], y[n : 2 * n], y[2 * n :].reshape(d, n)
    first, total = sobol_estimates(ya, yb, yab)
    firsts, totals = [], []
    chunk = max(1, 4_000_000 // n)  # counts blocks of ≤ 4 M cells (32 MB)
    for start in range(0, bootstrap, chunk):
        rows = min(chunk, bootstrap - start)
        drawn = rng.integers(0, n, size=(rows, n))  # each resample: n rows with replacement
        counts = np.bincount((np.arange(rows)[:, None] * n + drawn).ravel(), minlength=rows * n)
        counts = counts.reshape(rows, n).astype(float)
        f, t = sobol_estimates(ya, yb, yab, counts)
        firsts.append(f)
        totals.append(t)
    if bootstrap and both_vary(ya, yb):
        first_ci = np.nanpercentile(np.concatenate(firsts, axis=1), level, axis=1).T
        total_ci = np.nanpercentile(np.concatenate(totals, axis=1), level, axis=1).T
    else:  # no replicates, or y never varied (every index undefined)
        first_ci = total_ci = np.full((d, 2), np.nan)
    both = np.concatenate([ya, yb])
    return SobolIndices(
        tuple(names) if names else tuple(f"x{i + 1}" for i in range(d)),
        first,
        total,
        first_ci,
        total_ci,
        n,
        n * (d + 2),
        float(both.var()),
        float(both.mean()),
    )


def both_vary(ya: np.ndarray, yb: np.ndarray) -> bool:
    both = np.concatenate([ya, yb])
    return bool(both.size) and bool((both != both[0]).any())


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami test function f = sin x1 + a sin² x2 + b x3⁴ sin x1, inputs uniform on [−π, π]."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Its analytic first-order and total indices (a = 7, b = 0.1: S ≈ 0.3139, 0.4424, 0;
    ST ≈ 0.5576, 0.4424, 0.2437)."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def ishigami_sampler(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.uniform(-math.pi, math.pi, size=(n, 3))
