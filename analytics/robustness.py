"""How robust a Penilaian ranking is: uncertainty analysis (Monte Carlo), sensitivity analysis
(Sobol first-order and total-effect indices; the generic estimators are in analytics.sobol) and
"remove one criterion", all on one Model of the scheme and its data; the "selisih aman" (the
smallest change of one importance that swaps two adjacent regions) runs on the same Model in
analytics.safe_margin. Pure numpy/pandas, no Streamlit. Methods follow the JRC/OECD Handbook
(2008), Saisana, Saltelli & Tarantola (2005) and COINr's get_sensitivity / remove_elements; see
../shared/COMPOSITE.md.

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
rule about data, not part of the weighting uncertainty); drop_one and safe_margin.safe_margins,
which set a weight to any value in 0–10, do re-apply the policy with the changed weights, as
scoring.score would.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analytics import regions as region_ref
from analytics import scoring
from analytics.sobol import BOOTSTRAP, SEED, sobol

DRAWS = 10_000
PERTURBATION = 0.25
SOBOL_N = 1000  # base sample of the Saltelli design: N (d + 2) model runs
TOP = 3
OUTPUTS = ("perubahan_rata_rata", "peringkat")  # sensitivity output: mean |rank change| | one region's rank


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """The committee's uncertainty settings. Empty alternatives mean the scheme's own choice."""

    draws: int = DRAWS
    seed: int = SEED
    perturbation: float = PERTURBATION  # ± share of each importance (0.25 = ±25 %)
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

        return replace(
            self,
            draws=int(self.draws),
            seed=int(self.seed),
            perturbation=float(self.perturbation),
            normalisations=pick(self.normalisations, scheme.normalisation, scoring.NORMALISATIONS, "normalisasi"),
            aggregations=pick(self.aggregations, scheme.aggregation, scoring.AGGREGATIONS, "agregasi"),
            policies=pick(self.policies, scheme.missing, scoring.MISSING, "data_hilang"),
        )

    def as_dict(self) -> dict:
        """For a page, a PDF and an XLSX sheet: every setting of the run, by name."""
        return {
            "undian": self.draws,
            "seed": self.seed,
            "gangguan_bobot_persen": self.perturbation * 100,
            "normalisasi": list(self.normalisations),
            "agregasi": list(self.aggregations),
            "data_hilang": list(self.policies),
        }


# ---------------------------------------------------------------- the model: scheme + data, prepared once


def inputs(
    tables: dict[str, pd.DataFrame], scheme: scoring.Scheme, year: int, as_of
) -> tuple[np.ndarray, pd.DataFrame]:
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
            frame = pd.DataFrame(
                {
                    "kode": [f"R{i + 1}" for i in range(len(jenis))],
                    "nama": [f"Daerah {i + 1}" for i in range(len(jenis))],
                    "jenis": jenis,
                }
            )
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
            self._prepared[policy] = scoring.apply_missing(
                self.raw, self.weights, self.jenis, policy, self.scheme.min_coverage
            )
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

    def ranks(
        self,
        weights: np.ndarray,
        normalisations: tuple[str, ...],
        aggregations: tuple[str, ...],
        policies: tuple[str, ...],
        ni: np.ndarray,
        ai: np.ndarray,
        pi: np.ndarray,
    ) -> np.ndarray:
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
    codes: tuple[str, ...]  # region codes of the ranks' columns
    criteria: tuple[str, ...]  # criterion ids of the multipliers' columns

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
        return frame.assign(
            normalisasi=np.asarray(s.normalisations)[self.normalisation],
            agregasi=np.asarray(s.aggregations)[self.aggregation],
            data_hilang=np.asarray(s.policies)[self.policy],
        )


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


def uncertainty(
    scheme: scoring.Scheme, raw: np.ndarray, regions=None, settings: Settings = Settings()
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of the scheme's ranking (COINr get_sensitivity, SA_type
    'UA'): `settings.draws` configurations, each with its own importance multipliers and methods;
    per region the nominal rank and the distribution of its rank. `regions`: the regions frame
    (kode, nama, jenis) or the jenis array, in the raw matrix's row order (default regions.csv)."""
    model = Model(scheme, raw, regions)
    settings = settings.resolved(scheme)
    multipliers, ni, ai, pi = draw_configurations(settings, len(scheme.criteria))
    ranks = model.ranks(
        model.weights * multipliers, settings.normalisations, settings.aggregations, settings.policies, ni, ai, pi
    )
    scores, nominal = model.nominal()
    stats = rank_statistics(ranks)
    frame = model.regions.assign(
        skor=np.round(scores, scoring.score_decimals(scheme.aggregation)),
        peringkat=pd.array(nominal, dtype="Int64"),
        **stats,
    )
    frame = frame.sort_values(["peringkat", "kode"], na_position="last").reset_index(drop=True)
    return UncertaintyResult(
        scheme.name,
        settings,
        frame,
        ranks,
        multipliers,
        ni,
        ai,
        pi,
        tuple(model.regions["kode"]),
        tuple(c.id for c in scheme.criteria),
    )


def rank_statistics(ranks: np.ndarray, top: int = TOP) -> dict[str, np.ndarray]:
    """Per region (columns of ranks (D, R), NaN = not scored in that draw): median, 5th and 95th
    percentile (numpy's linear interpolation, over the draws in which it was scored), mean, P(rank
    1) and P(rank ≤ top) over all draws, and the share of draws in which it was scored."""
    d = ranks.shape[0]
    scored = ~np.isnan(ranks)
    count = scored.sum(axis=0)
    ordered = np.sort(ranks, axis=0)  # NaN last
    with np.errstate(invalid="ignore", divide="ignore"):

        def quantile(q):
            pos = q * (count - 1)
            lo = np.floor(pos).astype(int).clip(0, d - 1)
            hi = np.ceil(pos).astype(int).clip(0, d - 1)
            cols = np.arange(ranks.shape[1])
            value = ordered[lo, cols] + (ordered[hi, cols] - ordered[lo, cols]) * (pos - lo)
            return np.where(count > 0, value, np.nan)

        mean = np.where(count > 0, np.where(scored, ranks, 0).sum(axis=0) / count, np.nan)
    return {
        "peringkat_median": quantile(0.5),
        "peringkat_p5": quantile(0.05),
        "peringkat_p95": quantile(0.95),
        "peringkat_rata_rata": mean,
        "p_peringkat_1": (ranks == 1).sum(axis=0) / d,
        "p_3_besar": (ranks <= top).sum(axis=0) / d,
        "porsi_dinilai": count / d,
    }


# ---------------------------------------------------------------- 2. sensitivity analysis (Sobol indices: analytics.sobol)


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


def sensitivity(
    scheme: scoring.Scheme,
    raw: np.ndarray,
    regions=None,
    settings: Settings = Settings(),
    n: int = SOBOL_N,
    output: str = "perubahan_rata_rata",
    region: str | None = None,
    bootstrap: int = BOOTSTRAP,
) -> SensitivityResult:
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
    discrete = [
        (label, alts)
        for label, alts in (
            ("normalisasi", settings.normalisations),
            ("agregasi", settings.aggregations),
            ("data_hilang", settings.policies),
        )
        if len(alts) > 1
    ]
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
        ranks = model.ranks(
            model.weights * multipliers,
            settings.normalisations,
            settings.aggregations,
            settings.policies,
            chosen.get("normalisasi", zeros),
            chosen.get("agregasi", zeros),
            chosen.get("data_hilang", zeros),
        )
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
    return SensitivityResult(
        scheme.name, settings, frame, output, region, n, result.runs, bootstrap, result.variance, result.mean, note
    )


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
        frames.append(
            model.regions[["kode", "nama", "jenis"]].assign(
                kriteria=scheme.criteria[j].id,
                peringkat_nominal=pd.array(nominal, dtype="Int64"),
                peringkat_tanpa=pd.array(ranks, dtype="Int64"),
                perubahan=pd.array(change, dtype="Int64"),
                perubahan_rata_rata=float(np.abs(change[ok]).mean()) if ok.any() else np.nan,
            )
        )
    columns = [
        "kriteria",
        "kode",
        "nama",
        "jenis",
        "peringkat_nominal",
        "peringkat_tanpa",
        "perubahan",
        "perubahan_rata_rata",
    ]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    order = {cid: i for i, cid in enumerate(c.id for c in scheme.criteria)}
    return (
        out.assign(_k=out["kriteria"].map(order))
        .sort_values(["_k", "peringkat_nominal", "kode"], na_position="last")
        .drop(columns="_k")
        .reset_index(drop=True)
    )


def drop_one_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Wide: one row per region (kode, nama, peringkat nominal), one rank column per dropped criterion."""
    if frame.empty:
        return pd.DataFrame(columns=["kode", "nama", "peringkat"])
    order = list(dict.fromkeys(frame["kriteria"]))
    wide = frame.pivot(index="kode", columns="kriteria", values="peringkat_tanpa")[order]
    base = frame.drop_duplicates("kode")[["kode", "nama", "peringkat_nominal"]].rename(
        columns={"peringkat_nominal": "peringkat"}
    )
    return base.merge(wide.reset_index(), on="kode").reset_index(drop=True)


def drop_one_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per dropped criterion: perubahan_rata_rata and how many regions changed rank."""
    moved = frame.assign(_moved=frame["perubahan"].fillna(0).ne(0))
    return (
        moved.groupby("kriteria", sort=False)
        .agg(perubahan_rata_rata=("perubahan_rata_rata", "first"), daerah_berubah=("_moved", "sum"))
        .reset_index()
    )
