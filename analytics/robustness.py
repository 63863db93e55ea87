"""How robust a Penilaian ranking is: uncertainty analysis (Monte Carlo), sensitivity analysis
(Sobol first-order and total-effect indices), "remove one criterion", and the "selisih aman" (the
smallest change of one importance that swaps two adjacent regions). Pure numpy/pandas, no
Streamlit. Methods follow the JRC/OECD Handbook (2008), Saisana, Saltelli & Tarantola (2005) and
COINr's get_sensitivity / remove_elements; see ../shared/COMPOSITE.md.

Everything works on the arrays analytics.scoring works on — the raw matrix (regions × criteria,
`scoring.raw_matrix(scoring.criterion_values(...), scheme)`) and the regions' jenis — and runs the
same pipeline as `scoring.score`: missing-data policy (`apply_missing`), normalisation among the
regions scored under that policy, aggregation, competition ranks on the score as displayed. So the
nominal rank here is scoring.score's rank.

The committee's uncertainty (`Settings`): each importance multiplied by an independent uniform
factor in [1 − p, 1 + p] (default p = 0.25; the aggregation renormalises the weights, as COINr's
a_amean does), the normalisation, aggregation and missing-data policy drawn uniformly from the
alternatives it ticks (default: the scheme's own only), D draws (default 10,000), a seed (default
SEED, always reported). Same settings and seed, same numbers.

The regions scored under a policy are those the *nominal* importances qualify (a ±25 % change of
the importances does not move a region across the scheme's coverage minimum: that minimum is a
rule about data, not part of the weighting uncertainty); drop_one and safe_margins, which set a
weight to any value in 0–10, do re-apply the policy with the changed weights, as scoring.score
would.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analytics import regions as region_ref
from analytics import scoring

SEED = 20250710
DRAWS = 10_000
PERTURBATION = 0.25
SOBOL_N = 1000          # base sample of the Saltelli design: N (d + 2) model runs
BOOTSTRAP = 1000        # bootstrap replicates for the 5–95 % intervals of the Sobol indices
TOP = 3
OUTPUTS = ("perubahan_rata_rata", "peringkat")   # sensitivity output: mean |rank change| | one region's rank


# ---------------------------------------------------------------- settings

@dataclass(frozen=True)
class Settings:
    """The committee's uncertainty settings. Empty alternatives mean the scheme's own choice."""
    draws: int = DRAWS
    seed: int = SEED
    perturbation: float = PERTURBATION                # ± share of each importance (0.25 = ±25 %)
    normalisations: tuple[str, ...] = ()
    aggregations: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()

    def resolved(self, scheme: scoring.Scheme) -> Settings:
        """Alternatives filled in with the scheme's own choice, deduplicated in the catalogue's
        order (the scheme's own included whenever alternatives are ticked), values checked."""
        if not (isinstance(self.draws, (int, np.integer)) and self.draws >= 1):
            raise scoring.SchemeError(f"jumlah undian harus bilangan bulat ≥ 1, bukan {self.draws!r}")
        if not (0 <= self.perturbation <= 1):
            raise scoring.SchemeError(f"gangguan bobot harus 0–100 %, bukan {self.perturbation * 100:g} %")

        def pick(given, own, allowed, label):
            unknown = sorted(set(given) - set(allowed))
            if unknown:
                raise scoring.SchemeError(f"{label} tidak dikenal: {', '.join(unknown)}; pilihan: {', '.join(allowed)}")
            chosen = set(given) | {own}
            return tuple(a for a in allowed if a in chosen)

        return replace(self, draws=int(self.draws), seed=int(self.seed), perturbation=float(self.perturbation),
                       normalisations=pick(self.normalisations, scheme.normalisation, scoring.NORMALISATIONS, "normalisasi"),
                       aggregations=pick(self.aggregations, scheme.aggregation, scoring.AGGREGATIONS, "agregasi"),
                       policies=pick(self.policies, scheme.missing, scoring.MISSING, "data_hilang"))

    def as_dict(self) -> dict:
        """For a page, a PDF and an XLSX sheet: every setting of the run, by name."""
        return {"undian": self.draws, "seed": self.seed, "gangguan_bobot_persen": self.perturbation * 100,
                "normalisasi": list(self.normalisations), "agregasi": list(self.aggregations),
                "data_hilang": list(self.policies)}


# ---------------------------------------------------------------- the model: scheme + data, prepared once

def inputs(tables: dict[str, pd.DataFrame], scheme: scoring.Scheme, year: int, as_of) -> tuple[np.ndarray, pd.DataFrame]:
    """The raw matrix and the regions frame (regions.csv order) the functions here take."""
    return scoring.raw_matrix(scoring.criterion_values(tables, scheme, year, as_of), scheme), region_ref.regions_frame()


def _regions_frame(regions, n: int) -> pd.DataFrame:
    """kode, nama, jenis for the raw matrix's rows: a frame, a jenis array, or None (regions.csv)."""
    if regions is None:
        regions = region_ref.regions_frame()
    if isinstance(regions, pd.DataFrame):
        frame = regions.reset_index(drop=True)
    else:
        jenis = np.asarray(regions, dtype=object)
        full = region_ref.regions_frame()
        if len(full) == len(jenis) and (full["jenis"].to_numpy() == jenis).all():
            frame = full
        else:
            frame = pd.DataFrame({"kode": [f"R{i + 1}" for i in range(len(jenis))],
                                  "nama": [f"Daerah {i + 1}" for i in range(len(jenis))], "jenis": jenis})
    if len(frame) != n:
        raise ValueError(f"{len(frame)} daerah tetapi matriks mentah punya {n} baris")
    return frame[[c for c in ("kode", "nama", "nama_pendek", "jenis") if c in frame]]


class Model:
    """A scheme and its raw data, with the normalised matrix of every (policy, normalisation) pair
    computed once and reused by every draw."""

    def __init__(self, scheme: scoring.Scheme, raw: np.ndarray, regions=None):
        self.scheme = scheme
        self.raw = np.asarray(raw, dtype=float)
        if self.raw.ndim != 2 or self.raw.shape[1] != len(scheme.criteria):
            raise ValueError(f"matriks mentah {self.raw.shape} tidak cocok dengan {len(scheme.criteria)} kriteria")
        self.regions = _regions_frame(regions, self.raw.shape[0])
        self.jenis = self.regions["jenis"].to_numpy()
        self.weights = scheme.weights
        self._prepared: dict[str, scoring.Prepared] = {}
        self._norm: dict[tuple[str, str], np.ndarray] = {}

    def prepared(self, policy: str) -> scoring.Prepared:
        if policy not in self._prepared:
            self._prepared[policy] = scoring.apply_missing(self.raw, self.weights, self.jenis, policy,
                                                           self.scheme.min_coverage)
        return self._prepared[policy]

    def norm(self, policy: str, normalisation: str) -> np.ndarray:
        key = (policy, normalisation)
        if key not in self._norm:
            prepared = self.prepared(policy)
            masked = np.where(prepared.scored[:, None], prepared.raw, np.nan)  # as scoring.score does
            self._norm[key] = scoring.normalise(masked, self.scheme.criteria, normalisation)[0]
        return self._norm[key]

    def nominal(self) -> tuple[np.ndarray, np.ndarray]:
        """Scores and ranks (R,) under the scheme's own settings: scoring.score's."""
        s = self.scheme
        scores = scoring.aggregate(self.norm(s.missing, s.normalisation), self.weights, s.aggregation)
        return scores, scoring.competition_ranks(scores, s.aggregation)

    def ranks(self, weights: np.ndarray, normalisations: tuple[str, ...], aggregations: tuple[str, ...],
              policies: tuple[str, ...], ni: np.ndarray, ai: np.ndarray, pi: np.ndarray) -> np.ndarray:
        """Ranks (D, R; NaN = not scored) of D configurations: weights (D, K) and, per draw, an index
        into each list of alternatives. One aggregate + rank call per (policy, normalisation,
        aggregation) group, all its draws at once."""
        out = np.full((weights.shape[0], self.raw.shape[0]), np.nan)
        for p, policy in enumerate(policies):
            for n, normalisation in enumerate(normalisations):
                for a, aggregation in enumerate(aggregations):
                    rows = np.flatnonzero((pi == p) & (ni == n) & (ai == a))
                    if len(rows):
                        scores = scoring.aggregate(self.norm(policy, normalisation), weights[rows], aggregation)
                        out[rows] = scoring.competition_ranks(scores, aggregation)
        return out

    def rescored(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The whole pipeline (policy re-applied) for one weighting (K,): scores, ranks, scored."""
        s = self.scheme
        prepared = scoring.apply_missing(self.raw, weights, self.jenis, s.missing, s.min_coverage)
        masked = np.where(prepared.scored[:, None], prepared.raw, np.nan)
        norm = scoring.normalise(masked, s.criteria, s.normalisation)[0]
        scores = scoring.aggregate(norm, weights, s.aggregation)
        return scores, scoring.competition_ranks(scores, s.aggregation), prepared.scored


# ---------------------------------------------------------------- 1. uncertainty analysis

@dataclass(frozen=True)
class UncertaintyResult:
    """A Monte Carlo uncertainty analysis. `regions`: one row per region (nominal order, regions
    not scored nominally last): kode, nama, jenis, skor and peringkat (nominal, = scoring.score),
    peringkat_median, peringkat_p5, peringkat_p95, peringkat_rata_rata (over the draws in which the
    region was scored), p_peringkat_1, p_3_besar (over all draws: a draw in which it is not scored
    counts as neither), porsi_dinilai (share of draws in which it was scored).
    `ranks` (D, R in raw-matrix row order; NaN = not scored) and the draws' configurations
    (`multipliers` (D, K), `normalisation`, `aggregation`, `policy` (D,) indices into the settings'
    lists) are kept, so every run can be audited."""
    scheme: str
    settings: Settings
    regions: pd.DataFrame
    ranks: np.ndarray
    multipliers: np.ndarray
    normalisation: np.ndarray
    aggregation: np.ndarray
    policy: np.ndarray
    codes: tuple[str, ...]             # region codes of the ranks' columns
    criteria: tuple[str, ...]          # criterion ids of the multipliers' columns

    def p_ahead(self, kode_a: str, kode_b: str) -> float:
        """Share of the draws in which both are scored and a ranks better than or equal to b."""
        a, b = self.codes.index(kode_a), self.codes.index(kode_b)
        ra, rb = self.ranks[:, a], self.ranks[:, b]
        both = ~np.isnan(ra) & ~np.isnan(rb)
        return float((ra[both] <= rb[both]).mean()) if both.any() else float("nan")

    def configurations(self) -> pd.DataFrame:
        """One row per draw: its weight multipliers and the methods it used."""
        s = self.settings
        frame = pd.DataFrame(self.multipliers, columns=[f"pengali_{c}" for c in self.criteria])
        return frame.assign(normalisasi=np.asarray(s.normalisations)[self.normalisation],
                            agregasi=np.asarray(s.aggregations)[self.aggregation],
                            data_hilang=np.asarray(s.policies)[self.policy])


def draw_configurations(settings: Settings, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The D draws of a resolved Settings: multipliers (D, K) uniform on [1 − p, 1 + p], then the
    normalisation, aggregation and policy indices, uniform over the ticked alternatives (always
    drawn, in this order, so ticking an alternative never changes the weight draws)."""
    rng = np.random.default_rng(settings.seed)
    d, p = settings.draws, settings.perturbation
    multipliers = rng.uniform(1 - p, 1 + p, size=(d, k))
    ni = rng.integers(0, len(settings.normalisations), size=d)
    ai = rng.integers(0, len(settings.aggregations), size=d)
    pi = rng.integers(0, len(settings.policies), size=d)
    return multipliers, ni, ai, pi


def uncertainty(scheme: scoring.Scheme, raw: np.ndarray, regions=None, settings: Settings = Settings()) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of the scheme's ranking (COINr get_sensitivity, SA_type
    'UA'): `settings.draws` configurations, each with its own importance multipliers and methods;
    per region the nominal rank and the distribution of its rank. `regions`: the regions frame
    (kode, nama, jenis) or the jenis array, in the raw matrix's row order (default regions.csv)."""
    model = Model(scheme, raw, regions)
    settings = settings.resolved(scheme)
    multipliers, ni, ai, pi = draw_configurations(settings, len(scheme.criteria))
    ranks = model.ranks(model.weights * multipliers, settings.normalisations, settings.aggregations,
                        settings.policies, ni, ai, pi)
    scores, nominal = model.nominal()
    stats = rank_statistics(ranks)
    frame = model.regions.assign(skor=np.round(scores, scoring.score_decimals(scheme.aggregation)),
                                 peringkat=pd.array(nominal, dtype="Int64"), **stats)
    frame = frame.sort_values(["peringkat", "kode"], na_position="last").reset_index(drop=True)
    return UncertaintyResult(scheme.name, settings, frame, ranks, multipliers, ni, ai, pi,
                             tuple(model.regions["kode"]), tuple(c.id for c in scheme.criteria))


def rank_statistics(ranks: np.ndarray, top: int = TOP) -> dict[str, np.ndarray]:
    """Per region (columns of ranks (D, R), NaN = not scored in that draw): median, 5th and 95th
    percentile (numpy's linear interpolation, over the draws in which it was scored), mean, P(rank
    1) and P(rank ≤ top) over all draws, and the share of draws in which it was scored."""
    d = ranks.shape[0]
    scored = ~np.isnan(ranks)
    count = scored.sum(axis=0)
    ordered = np.sort(ranks, axis=0)                     # NaN last
    with np.errstate(invalid="ignore", divide="ignore"):
        def quantile(q):
            pos = q * (count - 1)
            lo = np.floor(pos).astype(int).clip(0, d - 1)
            hi = np.ceil(pos).astype(int).clip(0, d - 1)
            cols = np.arange(ranks.shape[1])
            value = ordered[lo, cols] + (ordered[hi, cols] - ordered[lo, cols]) * (pos - lo)
            return np.where(count > 0, value, np.nan)
        mean = np.where(count > 0, np.where(scored, ranks, 0).sum(axis=0) / count, np.nan)
    return {"peringkat_median": quantile(0.5), "peringkat_p5": quantile(0.05), "peringkat_p95": quantile(0.95),
            "peringkat_rata_rata": mean, "p_peringkat_1": (ranks == 1).sum(axis=0) / d,
            "p_3_besar": (ranks <= top).sum(axis=0) / d, "porsi_dinilai": count / d}


# ---------------------------------------------------------------- 2. sensitivity analysis (generic Sobol)

@dataclass(frozen=True)
class SobolIndices:
    """First-order (Saltelli 2010) and total-effect (Jansen 1999) indices, with bootstrap intervals."""
    names: tuple[str, ...]
    first: np.ndarray          # (d,)
    total: np.ndarray          # (d,)
    first_ci: np.ndarray       # (d, 2): 5th and 95th percentile over the bootstrap replicates
    total_ci: np.ndarray       # (d, 2)
    n: int                     # base sample
    runs: int                  # model evaluations, n (d + 2)
    variance: float            # Var(y) over A and B
    mean: float

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"masukan": list(self.names), "S1": self.first, "S1_p5": self.first_ci[:, 0],
                             "S1_p95": self.first_ci[:, 1], "ST": self.total, "ST_p5": self.total_ci[:, 0],
                             "ST_p95": self.total_ci[:, 1]})


def saltelli_design(sampler: Callable[[np.random.Generator, int], np.ndarray], n: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A, B (n × d, independent samples of the inputs) and AB (d × n × d): AB[i] is A with column i
    taken from B. Together n (d + 2) input rows."""
    a, b = sampler(rng, n), sampler(rng, n)
    d = a.shape[1]
    ab = np.repeat(a[None], d, axis=0)
    idx = np.arange(d)
    ab[idx, :, idx] = b[:, idx].T
    return a, b, ab


def sobol_estimates(ya: np.ndarray, yb: np.ndarray, yab: np.ndarray,
                    counts: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
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
    ya, yb, yab = ya - shift, yb - shift, yab - shift      # pre-centred: no cancellation below
    delta = yab - ya                                        # d × n
    terms = np.vstack([yb * delta, delta, delta ** 2, (ya + yb) / 2, (ya ** 2 + yb ** 2) / 2]).T  # n × (3d + 2)
    means = terms.mean(axis=0)[None, :] if counts is None else counts @ terms / n              # B × (3d + 2)
    yb_delta, mean_delta, square = means[:, :d], means[:, d:2 * d], means[:, 2 * d:3 * d]
    mu, second = means[:, 3 * d:3 * d + 1], means[:, 3 * d + 1:]
    var = second - mu ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        first = (yb_delta - mu * mean_delta) / var
        total = square / (2 * var)
    first, total = np.where(var > 0, first, np.nan).T, np.where(var > 0, total, np.nan).T
    return (first[:, 0], total[:, 0]) if counts is None else (first, total)


def sobol(model: Callable[[np.ndarray], np.ndarray], sampler: Callable[[np.random.Generator, int], np.ndarray],
          n: int, seed: int = SEED, names: tuple[str, ...] | None = None, bootstrap: int = BOOTSTRAP,
          level: tuple[float, float] = (5, 95)) -> SobolIndices:
    """Sobol indices of a vectorised model f(X (m × d)) -> y (m,) whose inputs `sampler(rng, m)`
    draws (m × d, independent columns). Saltelli design (n (d + 2) runs in one call of f); the
    bootstrap resamples the n rows of A, B and every AB_i together (`bootstrap` replicates) and
    gives the `level` percentiles. Deterministic given the seed."""
    rng = np.random.default_rng(seed)
    a, b, ab = saltelli_design(sampler, n, rng)
    d = a.shape[1]
    y = np.asarray(model(np.concatenate([a, b, ab.reshape(d * n, d)])), dtype=float)
    ya, yb, yab = y[:n], y[n:2 * n], y[2 * n:].reshape(d, n)
    first, total = sobol_estimates(ya, yb, yab)
    firsts, totals = [], []
    chunk = max(1, 4_000_000 // n)                          # counts blocks of ≤ 4 M cells (32 MB)
    for start in range(0, bootstrap, chunk):
        rows = min(chunk, bootstrap - start)
        drawn = rng.integers(0, n, size=(rows, n))          # each resample: n rows with replacement
        counts = np.bincount((np.arange(rows)[:, None] * n + drawn).ravel(), minlength=rows * n)
        counts = counts.reshape(rows, n).astype(float)
        f, t = sobol_estimates(ya, yb, yab, counts)
        firsts.append(f)
        totals.append(t)
    if bootstrap and both_vary(ya, yb):
        first_ci = np.nanpercentile(np.concatenate(firsts, axis=1), level, axis=1).T
        total_ci = np.nanpercentile(np.concatenate(totals, axis=1), level, axis=1).T
    else:                       # no replicates, or y never varied (every index undefined)
        first_ci = total_ci = np.full((d, 2), np.nan)
    both = np.concatenate([ya, yb])
    return SobolIndices(tuple(names) if names else tuple(f"x{i + 1}" for i in range(d)), first, total,
                        first_ci, total_ci, n, n * (d + 2), float(both.var()), float(both.mean()))


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
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def ishigami_sampler(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.uniform(-math.pi, math.pi, size=(n, 3))


# ---------------------------------------------------------------- 2b. sensitivity of the scheme

@dataclass(frozen=True)
class SensitivityResult:
    """Sobol indices of the scheme's ranking. `indices`: one row per uncertain input — masukan (the
    criterion id for a weight multiplier, else 'normalisasi' | 'agregasi' | 'data_hilang'), jenis
    ('bobot' | 'metode'), S1, S1_p5, S1_p95, ST, ST_p5, ST_p95. `output`: what y is
    ('perubahan_rata_rata': mean |rank − nominal rank| over the regions ranked in both;
    'peringkat': the rank of `region`). n, runs (= n (d + 2)), seed and the resolved settings are
    kept for the page and the PDF. `note`: 'tanpa_ragam' when y never varied (indices undefined)."""
    scheme: str
    settings: Settings
    indices: pd.DataFrame
    output: str
    region: str | None
    n: int
    runs: int
    bootstrap: int
    variance: float
    mean: float
    note: str | None = None


def sensitivity(scheme: scoring.Scheme, raw: np.ndarray, regions=None, settings: Settings = Settings(),
                n: int = SOBOL_N, output: str = "perubahan_rata_rata", region: str | None = None,
                bootstrap: int = BOOTSTRAP) -> SensitivityResult:
    """Which uncertain input moves the ranking most (COINr get_sensitivity, SA_type 'SA').

    Inputs: one importance multiplier per weighted criterion (uniform on [1 − p, 1 + p]; criteria
    of importance 0 cannot matter and are left out), plus the normalisation, the aggregation and
    the missing-data policy, each one input when more than one alternative is ticked — a discrete
    input is sampled as u ~ U[0, 1) and used as the alternative floor(u·L), so the Saltelli design
    treats it like any other column (as COINr does).
    Output y of a run, as in COINr: the mean absolute rank change against the nominal ranks over
    the regions ranked both nominally and in the run (output='perubahan_rata_rata'); or, with
    output='peringkat', the rank of one region (`region`, a kode; default the nominal leader; a run
    in which it is not scored counts it one below the last scored region).
    Design: Saltelli, n (d + 2) runs, seeded by settings.seed; estimators and bootstrap: `sobol`."""
    model = Model(scheme, raw, regions)
    settings = settings.resolved(scheme)
    if output not in OUTPUTS:
        raise ValueError(f"keluaran {output!r} tidak dikenal; pilihan: {', '.join(OUTPUTS)}")
    _, nominal = model.nominal()
    codes = list(model.regions["kode"])
    if output == "peringkat":
        if region is None:
            leaders = [codes[i] for i in np.flatnonzero(nominal == 1)]
            region = min(leaders) if leaders else None
        if region not in codes:
            raise ValueError(f"daerah {region!r} tidak ada")
    weighted = np.flatnonzero(model.weights > 0)
    discrete = [(label, alts) for label, alts in (("normalisasi", settings.normalisations),
                                                  ("agregasi", settings.aggregations),
                                                  ("data_hilang", settings.policies)) if len(alts) > 1]
    names = tuple(scheme.criteria[j].id for j in weighted) + tuple(label for label, _ in discrete)
    p = settings.perturbation
    k = len(weighted)

    def sampler(rng, m):
        u = rng.random((m, len(names)))
        u[:, :k] = 1 - p + 2 * p * u[:, :k]
        return u

    def index(x, alts):
        return np.minimum((x * len(alts)).astype(int), len(alts) - 1)

    def f(x):
        m = x.shape[0]
        multipliers = np.ones((m, len(scheme.criteria)))
        multipliers[:, weighted] = x[:, :k]
        chosen = {label: index(x[:, k + i], alts) for i, (label, alts) in enumerate(discrete)}
        zeros = np.zeros(m, dtype=int)
        ranks = model.ranks(model.weights * multipliers, settings.normalisations, settings.aggregations,
                            settings.policies, chosen.get("normalisasi", zeros), chosen.get("agregasi", zeros),
                            chosen.get("data_hilang", zeros))
        if output == "peringkat":
            r = ranks[:, codes.index(region)]
            return np.where(np.isnan(r), (~np.isnan(ranks)).sum(axis=1) + 1, r)
        change = np.abs(ranks - nominal[None, :])
        count = (~np.isnan(change)).sum(axis=1)
        return np.where(count > 0, np.nansum(change, axis=1) / np.maximum(count, 1), 0.0)

    result = sobol(f, sampler, n, settings.seed, names, bootstrap)
    frame = result.frame()
    frame.insert(1, "jenis", ["bobot"] * k + ["metode"] * len(discrete))
    note = "tanpa_ragam" if result.variance == 0 else None
    return SensitivityResult(scheme.name, settings, frame, output, region, n, result.runs, bootstrap,
                             result.variance, result.mean, note)


# ---------------------------------------------------------------- 3. remove one criterion

def drop_one(scheme: scoring.Scheme, raw: np.ndarray, regions=None) -> pd.DataFrame:
    """COINr's remove_elements: the scheme rescored with each weighted criterion's importance set to
    0 (the others renormalised; the missing-data policy re-applied, exactly as scoring.score with
    that weight at 0). Long form, one row per (criterion dropped, region), regions in nominal
    order: kriteria, kode, nama, jenis, peringkat_nominal, peringkat_tanpa (rank without it),
    perubahan (peringkat_tanpa − peringkat_nominal; positive = falls), perubahan_rata_rata (per
    criterion, mean |perubahan| over the regions ranked both ways; repeated on its rows).
    A criterion that is the only weighted one is not dropped. See drop_one_table / drop_one_summary."""
    model = Model(scheme, raw, regions)
    _, nominal = model.nominal()
    frames = []
    for j in np.flatnonzero(model.weights > 0):
        weights = model.weights.copy()
        weights[j] = 0.0
        if weights.sum() <= 0:
            continue
        _, ranks, _ = model.rescored(weights)
        change = ranks - nominal
        ok = ~np.isnan(change)
        frames.append(model.regions[["kode", "nama", "jenis"]].assign(
            kriteria=scheme.criteria[j].id, peringkat_nominal=pd.array(nominal, dtype="Int64"),
            peringkat_tanpa=pd.array(ranks, dtype="Int64"), perubahan=pd.array(change, dtype="Int64"),
            perubahan_rata_rata=float(np.abs(change[ok]).mean()) if ok.any() else np.nan))
    columns = ["kriteria", "kode", "nama", "jenis", "peringkat_nominal", "peringkat_tanpa", "perubahan",
               "perubahan_rata_rata"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    order = {cid: i for i, cid in enumerate(c.id for c in scheme.criteria)}
    return out.assign(_k=out["kriteria"].map(order)).sort_values(
        ["_k", "peringkat_nominal", "kode"], na_position="last").drop(columns="_k").reset_index(drop=True)


def drop_one_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Wide: one row per region (kode, nama, peringkat nominal), one rank column per dropped criterion."""
    if frame.empty:
        return pd.DataFrame(columns=["kode", "nama", "peringkat"])
    order = list(dict.fromkeys(frame["kriteria"]))
    wide = frame.pivot(index="kode", columns="kriteria", values="peringkat_tanpa")[order]
    base = frame.drop_duplicates("kode")[["kode", "nama", "peringkat_nominal"]].rename(
        columns={"peringkat_nominal": "peringkat"})
    return base.merge(wide.reset_index(), on="kode").reset_index(drop=True)


def drop_one_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per dropped criterion: perubahan_rata_rata and how many regions changed rank."""
    moved = frame.assign(_moved=frame["perubahan"].fillna(0).ne(0))
    return moved.groupby("kriteria", sort=False).agg(perubahan_rata_rata=("perubahan_rata_rata", "first"),
                                                     daerah_berubah=("_moved", "sum")).reset_index()


# ---------------------------------------------------------------- 4. selisih aman

MARGIN_COLUMNS = ["peringkat_atas", "kode_atas", "nama_atas", "skor_atas", "peringkat_bawah", "kode_bawah",
                  "nama_bawah", "skor_bawah", "status", "kriteria", "bobot_awal", "bobot_baru", "perubahan_bobot",
                  "bobot_efektif_awal", "bobot_efektif_baru", "perubahan_bobot_efektif"]


def safe_margins(scheme: scoring.Scheme, raw: np.ndarray, regions=None, per_criterion: bool = False) -> pd.DataFrame:
    """"Selisih aman": for each pair of adjacent regions in the nominal order (ranks r and r+1 among
    the scored, ties kept in kode order), the smallest change of ONE criterion's importance (to a
    new value within 0–10, the others unchanged) that puts the lower region strictly ahead of the
    upper one (exact scores; at the threshold itself they are level), and which criterion.

    Rows: peringkat/kode/nama/skor of the upper (_atas) and the lower (_bawah) region; status
    'tertukar' (a change within 0–10 swaps them), 'tidak_tertukar' (none does), 'seri' (already
    tied in rank: margin 0); kriteria, bobot_awal, bobot_baru, perubahan_bobot (signed importance
    points), bobot_efektif_awal/_baru and perubahan_bobot_efektif (signed percentage points of the
    criterion's effective weight, importance / sum). With per_criterion=True: one row per pair and
    criterion (each criterion's own smallest swapping change), else the smallest per pair.

    Exact, no grid: with the importance of criterion k at v, a region's arithmetic score is
    (P + v·p) / (Q + v·q) (P, Q the other criteria's weighted sum and weight over the criteria it
    has; p = x_k, q = 1 if it has k, else 0 — this covers regions reweighted over different
    criteria), the geometric mean the same in logs, so score_b − score_a changes sign only at the
    roots of a quadratic in v; a Copeland score changes only where a pairwise support, linear in v,
    crosses 0. The missing-data policy is re-applied with the changed weights (the regions scored
    and so the normalised values can change where the weight reaches 0 or a coverage crosses the
    scheme's minimum); between those points and the roots the order is constant, and scoring's
    aggregate (not the formula) decides, at every root and between them, which region is ahead."""
    model = Model(scheme, raw, regions)
    scores, nominal = model.nominal()
    order = [i for i in np.lexsort((model.regions["kode"].to_numpy(), np.where(np.isnan(nominal), np.inf, nominal)))
             if not np.isnan(nominal[i])]
    pairs = [(order[i], order[i + 1]) for i in range(len(order) - 1)]
    w = model.weights
    total = w.sum()
    rows = []
    found = {j: _swap_points(model, j, pairs) for j in range(len(w))}
    for pi, (a, b) in enumerate(pairs):
        tied = bool(nominal[a] == nominal[b])
        base = {"peringkat_atas": int(nominal[a]), "kode_atas": model.regions["kode"][a],
                "nama_atas": model.regions["nama"][a], "skor_atas": scores[a],
                "peringkat_bawah": int(nominal[b]), "kode_bawah": model.regions["kode"][b],
                "nama_bawah": model.regions["nama"][b], "skor_bawah": scores[b]}
        options = []
        for j, c in enumerate(scheme.criteria):
            v = w[j] if tied else found[j][pi]
            if v is None or np.isnan(v):
                options.append({"kriteria": c.id, "bobot_awal": w[j], "bobot_baru": np.nan, "status": "tidak_tertukar"})
                continue
            new_total = total - w[j] + v
            options.append({"kriteria": c.id, "bobot_awal": w[j], "bobot_baru": v,
                            "status": "seri" if tied else "tertukar",
                            "bobot_efektif_baru": v / new_total * 100 if new_total > 0 else np.nan})
        for option in options:
            option["perubahan_bobot"] = option["bobot_baru"] - option["bobot_awal"]
            option["bobot_efektif_awal"] = option["bobot_awal"] / total * 100
            option.setdefault("bobot_efektif_baru", np.nan)
            option["perubahan_bobot_efektif"] = option["bobot_efektif_baru"] - option["bobot_efektif_awal"]
        if per_criterion:
            rows.extend({**base, **option} for option in options)
            continue
        swapping = [o for o in options if o["status"] == "tertukar"]
        if tied:
            rows.append({**base, "status": "seri", "kriteria": None, "perubahan_bobot": 0.0,
                         "perubahan_bobot_efektif": 0.0})
        elif swapping:
            best = min(swapping, key=lambda o: (abs(o["perubahan_bobot"]), abs(o["perubahan_bobot_efektif"])))
            rows.append({**base, **best})
        else:
            rows.append({**base, "status": "tidak_tertukar", "kriteria": None})
    frame = pd.DataFrame(rows, columns=MARGIN_COLUMNS)
    decimals = scoring.score_decimals(scheme.aggregation)
    return frame.assign(skor_atas=frame["skor_atas"].astype(float).round(decimals),
                        skor_bawah=frame["skor_bawah"].astype(float).round(decimals))


def _swap_points(model: Model, k: int, pairs: list[tuple[int, int]]) -> list[float]:
    """For each pair (a above b), the new importance v of criterion k within 0–10 closest to its
    current one at (or beyond, by an infinitesimal) which b scores strictly above a; NaN if none."""
    s, w = model.scheme, model.weights
    current = w[k]
    cuts = {0.0, float(scoring.MAX_WEIGHT)} | set(_state_cuts(model, k))
    cuts = sorted(c for c in cuts if 0 <= c <= scoring.MAX_WEIGHT)
    best = [np.nan] * len(pairs)
    best_distance = [np.inf] * len(pairs)

    def consider(lo_hi, scores):
        # scores (n, R) at n evaluated v, each standing for a cell (lo, hi) (a point: lo == hi) on
        # which the order is constant; the cell's closest v to the current importance
        lo, hi = np.asarray(lo_hi, dtype=float).T
        inside = (lo < current) & (current < hi)
        v = np.where(inside, current, np.where(np.abs(lo - current) <= np.abs(hi - current), lo, hi))
        distance = np.abs(v - current)
        for pi, (a, b) in enumerate(pairs):
            ahead = scores[:, b] > scores[:, a]          # NaN (not scored) is never ahead
            if ahead.any():
                i = np.flatnonzero(ahead)[np.argmin(distance[ahead])]
                if distance[i] < best_distance[pi]:
                    best_distance[pi], best[pi] = distance[i], v[i]

    def weights_at(values):
        out = np.repeat(w[None, :], len(values), axis=0)
        out[:, k] = values
        return out

    # each cut point on its own (the policy applied with the weight exactly there)
    for v in cuts:
        weights = weights_at([v])[0]
        if weights.sum() <= 0:
            continue
        sc, _, _ = model.rescored(weights)
        consider([(v, v)], sc[None, :])
    # each open interval between cuts: one prepared state, the order constant between roots
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        if hi <= lo:
            continue
        mid = (lo + hi) / 2
        weights = weights_at([mid])[0]
        prepared = scoring.apply_missing(model.raw, weights, model.jenis, s.missing, s.min_coverage)
        norm = scoring.normalise(np.where(prepared.scored[:, None], prepared.raw, np.nan), s.criteria,
                                 s.normalisation)[0]
        roots = sorted(r for r in _roots(norm, w, k, pairs, s.aggregation) if lo < r < hi)
        edges = [lo, *roots, hi]
        points, cells = [], []
        for left, right in zip(edges[:-1], edges[1:]):
            points.append((left + right) / 2)
            cells.append((left, right))
        for r in roots:
            points.append(r)
            cells.append((r, r))
        sc = scoring.aggregate(norm, weights_at(np.array(points)), s.aggregation)
        consider(cells, sc)
    return best


def _state_cuts(model: Model, k: int) -> list[float]:
    """Importances of criterion k at which the missing-data policy's outcome can change: 0 (the
    criterion stops being weighted) and, for bobot_ulang, where a region's coverage meets the
    minimum: 100 (C + v h) = m (W' + v)."""
    s = model.scheme
    if s.missing != "bobot_ulang":
        return [0.0]
    others = np.delete(model.weights, k)
    have = ~np.isnan(np.delete(model.raw, k, axis=1))
    c = (have * others).sum(axis=1)
    h = (~np.isnan(model.raw[:, k])).astype(float)
    m, rest = s.min_coverage, others.sum()
    denominator = 100 * h - m
    with np.errstate(invalid="ignore", divide="ignore"):
        v = (m * rest - 100 * c) / denominator
    return [0.0, *np.unique(v[np.isfinite(v)])]


def _roots(norm: np.ndarray, w: np.ndarray, k: int, pairs, method: str) -> list[float]:
    """Importances of k at which the order of a pair can change, for a fixed normalised matrix."""
    have = ~np.isnan(norm)
    if method == "copeland":
        r = norm.shape[0]
        a, b = np.triu_indices(r, 1)
        both = have[a] & have[b]
        with np.errstate(invalid="ignore"):
            signs = np.sign(np.where(both, norm[a] - norm[b], 0.0))
        others = np.delete(signs, k, axis=1) @ np.delete(w, k)
        lead = signs[:, k]
        ok = lead != 0
        return list(np.unique(-others[ok] / lead[ok]))
    values = np.log(scoring.positive_scale(norm)) if method == "geometrik" else norm
    values = np.where(have, values, 0.0)
    others = np.delete(np.arange(len(w)), k)
    big_p = values[:, others] @ w[others]
    big_q = have[:, others].astype(float) @ w[others]
    small_p, small_q = values[:, k], have[:, k].astype(float)
    out = []
    for a, b in pairs:
        c2 = small_p[b] * small_q[a] - small_p[a] * small_q[b]
        c1 = big_p[b] * small_q[a] + small_p[b] * big_q[a] - big_p[a] * small_q[b] - small_p[a] * big_q[b]
        c0 = big_p[b] * big_q[a] - big_p[a] * big_q[b]
        out.extend(_quadratic(c2, c1, c0))
    return out


def _quadratic(c2: float, c1: float, c0: float) -> list[float]:
    scale = max(abs(c2), abs(c1), abs(c0))
    if scale == 0:
        return []
    c2, c1, c0 = c2 / scale, c1 / scale, c0 / scale
    if abs(c2) < 1e-12:
        return [] if abs(c1) < 1e-12 else [-c0 / c1]
    disc = c1 * c1 - 4 * c2 * c0
    if disc < 0:
        return []
    root = math.sqrt(disc)
    return [(-c1 - root) / (2 * c2), (-c1 + root) / (2 * c2)]
