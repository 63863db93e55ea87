"""Composite award scores (Penilaian): schemes as data, normalisation, aggregation, missing data,
and per region the score, its rank and where every part of it came from. Pure: no Streamlit.

A scheme (data/penilaian/<name>.toml) names its criteria — a catalogue indicator or a criterion
the committee scores itself (data/penilaian/komite.toml) — with a 0–10 importance each (weight =
importance / sum, as the OECD Better Life Index does), and picks a normalisation, an aggregation
and a missing-data policy. Methods follow the JRC/OECD Handbook (2008) and COINr; the numeric core
works on arrays (regions × criteria, and draws × criteria for weights) so analytics.robustness can
run thousands of configurations without a Python loop per draw.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import metrics, paths, ranking
from analytics import regions as region_ref

SCHEME_DIR = paths.DATA_DIR / "penilaian"
COMMITTEE_FILE = SCHEME_DIR / "komite.toml"
DEFAULT_SCHEME = "paritrana_contoh"
NORMALISATIONS = ("minmax", "zscore", "peringkat", "target")
AGGREGATIONS = ("aritmetik", "geometrik", "copeland")
MISSING = ("kecualikan", "bobot_ulang", "imputasi")
DIRECTIONS = ("naik", "turun", "target")
MAX_WEIGHT = 10
GEOMETRIC_FLOOR = 1.0  # the geometric mean reads normalised values on a 1–100 scale: one 0 must not zero a score


class SchemeError(ValueError):
    """A scheme or a weighting that cannot be used (unknown criterion, negative or all-zero weights)."""


@dataclass(frozen=True)
class Criterion:
    id: str
    aspect: str
    weight: float  # importance 0–10
    indicator: str | None = None  # a catalogue indicator …
    committee: str | None = None  # … or a committee-scored criterion (komite.toml)
    direction: str = "naik"  # naik: higher is better | turun | target: closer to `target`
    target: float | None = None  # distance-to-target normalisation (Rp16.800, 100 %)
    goalposts: tuple[float, float] | None = None

    def title(self, lang: str = "id") -> str:
        if self.indicator:
            return metrics.catalogue()[self.indicator].title(lang)
        return committee_criteria()[self.committee][lang]

    @property
    def decimals(self) -> int:
        return metrics.catalogue()[self.indicator].desimal if self.indicator else 0


@dataclass(frozen=True)
class Scheme:
    name: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    example: bool
    normalisation: str
    aggregation: str
    missing: str
    criteria: tuple[Criterion, ...]
    min_coverage: float = 0.0  # % of the weight a region needs data for (bobot_ulang)

    def title(self, lang: str = "id") -> str:
        return self.titles[lang]

    def description(self, lang: str = "id") -> str:
        return self.descriptions[lang]

    @property
    def weights(self) -> np.ndarray:
        return np.array([c.weight for c in self.criteria], dtype=float)

    @property
    def key(self) -> tuple:
        """Everything that changes a scoring, hashable (titles are fixed by the name)."""
        return self.name, self.normalisation, self.aggregation, self.missing, self.min_coverage, self.criteria

    def with_choices(
        self,
        weights: dict[str, float] | None = None,
        normalisation: str | None = None,
        aggregation: str | None = None,
        missing: str | None = None,
    ) -> Scheme:
        """The scheme with the user's weights and method choices (validated: SchemeError)."""
        criteria = self.criteria
        if weights:
            known = {c.id for c in criteria}
            unknown = sorted(set(weights) - known)
            if unknown:
                raise SchemeError(f"kriteria tidak dikenal: {', '.join(unknown)}; pilihan: {', '.join(sorted(known))}")
            criteria = tuple(replace(c, weight=float(weights.get(c.id, c.weight))) for c in criteria)
        scheme = replace(
            self,
            criteria=criteria,
            normalisation=normalisation or self.normalisation,
            aggregation=aggregation or self.aggregation,
            missing=missing or self.missing,
        )
        _check(scheme)
        return scheme


# ---------------------------------------------------------------- schemes as data


@lru_cache(maxsize=1)
def committee_criteria() -> dict[str, dict[str, str]]:
    with COMMITTEE_FILE.open("rb") as handle:
        return tomllib.load(handle)


def scheme_names() -> list[str]:
    """The shipped schemes, the default first."""
    names = sorted(p.stem for p in SCHEME_DIR.glob("*.toml") if p.stem != COMMITTEE_FILE.stem)
    return sorted(names, key=lambda n: n != DEFAULT_SCHEME)


def load_scheme(name_or_path: str | Path) -> Scheme:
    """A shipped scheme by name, or a scheme file (SchemeError naming what is wrong)."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = SCHEME_DIR / f"{name_or_path}.toml"
        if str(name_or_path) not in scheme_names():
            raise SchemeError(f"skema tidak dikenal: {name_or_path!r}; pilihan: {', '.join(scheme_names())}")
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SchemeError(f"{path}: skema tidak bisa dibaca ({error})") from None
    return _scheme(path.stem, raw)


def _scheme(name: str, raw: dict) -> Scheme:
    try:
        criteria = tuple(_criterion(entry) for entry in raw["kriteria"])
        scheme = Scheme(
            name=name,
            titles={"id": raw["judul_id"], "en": raw["judul_en"]},
            descriptions={"id": raw["keterangan_id"], "en": raw["keterangan_en"]},
            example=bool(raw.get("contoh", False)),
            normalisation=raw["normalisasi"],
            aggregation=raw["agregasi"],
            missing=raw["data_hilang"],
            criteria=criteria,
            min_coverage=float(raw.get("cakupan_minimum", 0)),
        )
    except KeyError as missing:
        raise SchemeError(f"skema {name}: kolom {missing} wajib ada") from None
    _check(scheme)
    return scheme


def _criterion(entry: dict) -> Criterion:
    indicator, committee = entry.get("indikator"), entry.get("komite")
    reference = metrics.catalogue().get(indicator) if indicator else None
    direction = entry.get("arah")
    if direction is None:  # from the catalogue: distance to its reference, else its ranking direction
        direction = (
            "target"
            if (reference and reference.nilai_acuan is not None)
            else "naik"
            if (reference is None or reference.lebih_tinggi_lebih_baik)
            else "turun"
        )
    target = entry.get("target", reference.nilai_acuan if reference and direction == "target" else None)
    goalposts = tuple(float(v) for v in entry["batas"]) if "batas" in entry else None
    return Criterion(
        id=entry["id"],
        aspect=entry.get("aspek", ""),
        weight=float(entry["bobot"]),
        indicator=indicator,
        committee=committee,
        direction=direction,
        target=None if target is None else float(target),
        goalposts=goalposts,
    )


def _check(scheme: Scheme) -> None:
    for label, value, allowed in (
        ("normalisasi", scheme.normalisation, NORMALISATIONS),
        ("agregasi", scheme.aggregation, AGGREGATIONS),
        ("data_hilang", scheme.missing, MISSING),
    ):
        if value not in allowed:
            raise SchemeError(f"skema {scheme.name}: {label} {value!r} tidak dikenal; pilihan: {', '.join(allowed)}")
    ids = [c.id for c in scheme.criteria]
    if not ids or len(set(ids)) != len(ids):
        raise SchemeError(f"skema {scheme.name}: kriteria harus ada dan id-nya unik")
    for c in scheme.criteria:
        if (c.indicator is None) == (c.committee is None):
            raise SchemeError(f"kriteria {c.id}: isi tepat satu dari 'indikator' atau 'komite'")
        if c.indicator is not None and c.indicator not in metrics.catalogue():
            raise SchemeError(f"kriteria {c.id}: indikator tidak dikenal {c.indicator!r}")
        if c.committee is not None and c.committee not in committee_criteria():
            raise SchemeError(f"kriteria {c.id}: kriteria komite tidak dikenal {c.committee!r}")
        if c.direction not in DIRECTIONS or (c.direction == "target" and c.target is None):
            raise SchemeError(f"kriteria {c.id}: arah {c.direction!r} (arah 'target' perlu nilai target)")
        if not np.isfinite(c.weight) or c.weight < 0 or c.weight > MAX_WEIGHT:
            raise SchemeError(f"kriteria {c.id}: bobot {c.weight:g} di luar 0–{MAX_WEIGHT}")
    if scheme.weights.sum() <= 0:
        raise SchemeError("semua bobot nol: beri paling sedikit satu kriteria bobot di atas 0")


# ---------------------------------------------------------------- the numeric core (arrays)


def oriented(raw: np.ndarray, criteria: tuple[Criterion, ...]) -> np.ndarray:
    """Raw values turned so that higher is better: 'turun' negated, 'target' as minus the distance."""
    out = raw.astype(float).copy()
    for j, c in enumerate(criteria):
        if c.direction == "turun":
            out[:, j] = -out[:, j]
        elif c.direction == "target":
            out[:, j] = -np.abs(out[:, j] - c.target)
    return out


def normalise(raw: np.ndarray, criteria: tuple[Criterion, ...], method: str) -> tuple[np.ndarray, list[str]]:
    """Regions × criteria raw values -> normalised (higher is better; NaN stays NaN), and the ids of
    criteria that had to fall back to min-max (method 'target' without a target or goalposts).

    minmax: 0–100 over the regions with a value (all equal: 100). zscore: mean 0, sd 1 (sd 0: 0).
    peringkat: percentile rank 0–100 (share of the others below; ties count half). target: 0–100
    against goalposts (clipped) or closeness to a target (100 at it, 0 at a distance of the target
    itself); for 'naik' with a target, the share of it reached (capped at 100)."""
    turned = oriented(raw, criteria)
    out = np.full(raw.shape, np.nan)
    fallback = []
    for j, c in enumerate(criteria):
        col, ok = turned[:, j], ~np.isnan(turned[:, j])
        if not ok.any():
            continue
        if method == "target" and (c.goalposts or c.target is not None):
            out[ok, j] = _against_target(raw[ok, j].astype(float), c)
            continue
        if method == "target":
            fallback.append(c.id)
        out[ok, j] = _scaled(col[ok], "minmax" if method == "target" else method)
    return out, fallback


def _scaled(x: np.ndarray, method: str) -> np.ndarray:
    if method == "minmax":
        span = x.max() - x.min()
        return np.full(x.shape, 100.0) if span == 0 else (x - x.min()) / span * 100
    if method == "zscore":
        sd = x.std()
        return np.zeros(x.shape) if sd == 0 else (x - x.mean()) / sd
    if method == "peringkat":
        if len(x) == 1:
            return np.array([100.0])
        below = (x[:, None] > x[None, :]).sum(axis=1)
        ties = (x[:, None] == x[None, :]).sum(axis=1) - 1
        return (below + 0.5 * ties) / (len(x) - 1) * 100
    raise SchemeError(f"normalisasi {method!r} tidak dikenal")


def _against_target(x: np.ndarray, c: Criterion) -> np.ndarray:
    if c.goalposts:
        low, high = c.goalposts
        share = np.clip((x - low) / (high - low), 0, 1)
        return (1 - share if c.direction == "turun" else share) * 100
    if c.direction == "target":
        return np.clip(1 - np.abs(x - c.target) / abs(c.target), 0, 1) * 100
    if c.direction == "turun":  # at or below the target is 100; 0 (the best possible) too
        return np.clip(np.divide(c.target, x, out=np.full(x.shape, np.inf), where=x != 0), 0, 1) * 100
    return np.clip(x / c.target, 0, 1) * 100


def positive_scale(norm: np.ndarray) -> np.ndarray:
    """Normalised values on 1–100 per criterion, for the geometric mean: min-max over the regions,
    then 0 -> 1, so one weakest criterion weakens a score without zeroing it (BPS's IPM keeps
    goalposts for the same reason)."""
    out = np.full(norm.shape, np.nan)
    for j in range(norm.shape[1]):
        col, ok = norm[:, j], ~np.isnan(norm[:, j])
        if ok.any():
            out[ok, j] = GEOMETRIC_FLOOR + _scaled(col[ok], "minmax") * (100 - GEOMETRIC_FLOOR) / 100
    return out


def aggregate(norm: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Scores of regions from normalised values (R × K, NaN = not available) and weights (K, or
    D × K for D weightings at once): (R,) or (D, R). Weights are renormalised per region over the
    criteria it has (NaN where it has none).

    aritmetik: Σ w·x / Σ w. geometrik: exp(Σ w·ln v / Σ w) with v on 1–100 (positive_scale).
    copeland: for every other region, a weighted majority over the criteria both have decides a win
    (+1), a loss (−1) or a draw (0); the score is the sum (non-compensatory: a large lead on one
    criterion cannot buy a loss on others)."""
    w = np.atleast_2d(np.asarray(weights, dtype=float))  # D × K
    have = ~np.isnan(norm)  # R × K
    if method == "copeland":
        scores = _copeland(norm, w)
    else:
        values = positive_scale(norm) if method == "geometrik" else norm
        if method == "geometrik":
            values = np.log(values)
        elif method != "aritmetik":
            raise SchemeError(f"agregasi {method!r} tidak dikenal")
        filled = np.where(have, values, 0.0)
        total = w @ have.T.astype(float)  # D × R
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = (w @ filled.T) / np.where(total > 0, total, np.nan)
        if method == "geometrik":
            scores = np.exp(scores)
    return scores[0] if np.ndim(weights) == 1 else scores


def _copeland(norm: np.ndarray, w: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Copeland scores (D, R) for weights (D, K) as matrix products: for the P = R(R−1)/2 pairs
    a < b, the signed comparisons S (P × K, ±1/0 over the criteria both have), the supports w @ Sᵀ
    (D × P), and each region's wins minus losses, sign(support) @ E with E the P × R incidence
    (+1 for a, −1 for b). Draws in chunks so the D × P block stays small (2,048 × 703 ≈ 11 MB)."""
    regions = norm.shape[0]
    have = ~np.isnan(norm)
    a, b = np.triu_indices(regions, 1)
    both = have[a] & have[b]
    with np.errstate(invalid="ignore"):
        signs = np.sign(np.where(both, norm[a] - norm[b], 0.0))  # P × K
    incidence = np.zeros((len(a), regions))
    incidence[np.arange(len(a)), a] = 1.0
    incidence[np.arange(len(a)), b] = -1.0
    out = np.empty((w.shape[0], regions))
    for start in range(0, w.shape[0], chunk):
        out[start : start + chunk] = np.sign(w[start : start + chunk] @ signs.T) @ incidence
    out[:, ~have.any(axis=1)] = np.nan
    return out


def contributions(norm: np.ndarray, weights: np.ndarray, method: str, scores: np.ndarray) -> np.ndarray:
    """Each criterion's part of each region's score (R × K) so that a row sums to the score:
    aritmetik w·x / Σw; geometrik the score split by each w·ln v; copeland has no additive parts (NaN)."""
    have = ~np.isnan(norm)
    w = np.where(have, weights[None, :], 0.0)
    total = w.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "aritmetik":
            return np.where(have, w * norm / total, np.nan)
        if method == "geometrik":
            logs = w * np.log(np.where(have, positive_scale(norm), 1.0))
            share = logs / logs.sum(axis=1, keepdims=True)
            share = np.where(np.isfinite(share), share, w / total)  # all values at the floor: split by weight
            return np.where(have, share * scores[:, None], np.nan)
    return np.full(norm.shape, np.nan)


def score_decimals(method: str) -> int:
    return 0 if method == "copeland" else 1


def competition_ranks(scores: np.ndarray, method: str) -> np.ndarray:
    """Ranks 1, 2, 2, 4 … on the score as displayed (rounded); NaN unranked. Works on (R,) or (D, R)."""
    shown = np.round(scores, score_decimals(method))
    key = np.where(np.isnan(shown), -np.inf, shown)
    ranks = 1 + (key[..., None, :] > key[..., :, None]).sum(axis=-1)
    return np.where(np.isnan(shown), np.nan, ranks.astype(float))


# ---------------------------------------------------------------- missing data


@dataclass(frozen=True)
class Prepared:
    """Raw values after the missing-data policy, and which regions are scored."""

    raw: np.ndarray  # R × K, NaN = not available (after imputation)
    imputed: np.ndarray  # R × K bool
    scored: np.ndarray  # R bool
    coverage: np.ndarray  # R: % of the weight the region has data for (before imputation)
    reasons: list[str | None]  # why a region is not scored (codes + criteria, see reason_text)


def apply_missing(
    raw: np.ndarray, weights: np.ndarray, jenis: np.ndarray, policy: str, min_coverage: float = 0.0
) -> Prepared:
    """kecualikan: a region lacking any weighted criterion is not scored (never ranked last).
    bobot_ulang: scored over the criteria it has, if they carry at least `min_coverage` % of the
    weight (and more than none). imputasi: a missing value takes the median of the regions of the
    same jenis (kabupaten or kota) that have it, or of all regions when none of its jenis has."""
    weighted = weights > 0
    have = ~np.isnan(raw)
    with np.errstate(invalid="ignore"):
        coverage = (have * weights).sum(axis=1) / weights.sum() * 100
    filled, imputed = raw.astype(float).copy(), np.zeros(raw.shape, dtype=bool)
    if policy == "imputasi":
        for j in np.flatnonzero(weighted):
            for kind in np.unique(jenis):
                rows = jenis == kind
                pool = raw[rows & have[:, j], j]
                pool = pool if len(pool) else raw[have[:, j], j]
                hole = rows & ~have[:, j]
                if len(pool) and hole.any():
                    filled[hole, j] = np.median(pool)
                    imputed[hole, j] = True
    have_after = ~np.isnan(filled)
    lacking = weighted & ~have_after
    if policy == "bobot_ulang":
        scored = (coverage >= min_coverage) & (coverage > 0)
    else:
        scored = ~lacking.any(axis=1)
    reasons = []
    for r in range(raw.shape[0]):
        if scored[r]:
            reasons.append(None)
        elif policy == "bobot_ulang":
            reasons.append(f"cakupan:{coverage[r]:.0f}")
        else:
            reasons.append("tanpa:" + ",".join(str(j) for j in np.flatnonzero(lacking[r])))
    return Prepared(filled, imputed, scored, coverage, reasons)


# ---------------------------------------------------------------- values from the datasets

CELL_COLUMNS = [
    "kode",
    "kriteria",
    "nilai",
    "kualifikasi",
    "tanggal_data",
    "catatan",
    "sumber",
    "url",
    "obs_id",
    "penilai",
]


def criterion_values(tables: dict[str, pd.DataFrame], scheme: Scheme, year: int, as_of) -> pd.DataFrame:
    """Every region's raw value of every criterion (long), with where it came from: a catalogue
    indicator as its ranking computes it (same observations, same citations), a committee criterion
    as the mean of the assessors' scores of that year known by the as-of date."""
    frames = []
    with metrics.shared_inputs():  # criteria built on the same enrolment or budgets compute them once
        for c in scheme.criteria:
            if c.indicator:
                table = ranking.with_sources(ranking.ranking(tables, c.indicator, year, as_of), tables["sumber"])
                frames.append(table.assign(kriteria=c.id, penilai=None)[CELL_COLUMNS])
            else:
                frames.append(_committee_values(tables, c, year, as_of))
    return pd.concat(frames, ignore_index=True)


def _committee_values(tables: dict[str, pd.DataFrame], c: Criterion, year: int, as_of) -> pd.DataFrame:
    scores = tables.get("penilaian")
    base = region_ref.regions_frame()[["kode"]].assign(kriteria=c.id)
    if scores is None or scores.empty:
        return base.assign(**{col: None for col in CELL_COLUMNS[2:]}).assign(nilai=np.nan)[CELL_COLUMNS]
    dates = pd.to_datetime(scores["tanggal_data"])
    rows = scores.loc[(scores["kriteria"] == c.committee) & (scores["tahun"] == year) & (dates <= pd.Timestamp(as_of))]
    grouped = rows.groupby("kode").agg(
        nilai=("skor", "mean"),
        tanggal_data=("tanggal_data", "max"),
        penilai=("penilai", lambda s: "; ".join(sorted({str(p) for p in s if p}))),
        n=("skor", "size"),
        obs_id=("penilaian_id", lambda s: ";".join(s)),
        sumber_id=("sumber_id", lambda s: ";".join(sorted(set(map(str, s))))),
    )
    grouped = grouped.reset_index()
    cited = ranking.with_sources(grouped, tables["sumber"]) if len(grouped) else grouped.assign(sumber=[], url=[])
    cited = cited.assign(catatan=[f"rata-rata {n} penilai" if n > 1 else None for n in cited["n"]], kualifikasi=None)
    out = base.merge(cited, on="kode", how="left")
    out["nilai"] = out["nilai"].astype(float)
    return out[CELL_COLUMNS]


def raw_matrix(values: pd.DataFrame, scheme: Scheme) -> np.ndarray:
    """Regions (in regions.csv order) × criteria (scheme order) of raw values."""
    wide = values.pivot(index="kode", columns="kriteria", values="nilai")
    order = list(region_ref.regions_frame()["kode"])
    return wide.reindex(index=order, columns=[c.id for c in scheme.criteria]).to_numpy(dtype=float)


# ---------------------------------------------------------------- one scoring, explained


@dataclass(frozen=True)
class ScoreResult:
    scheme: Scheme
    year: int
    as_of: dt.date
    regions: pd.DataFrame  # one row per region: skor, peringkat, status, alasan, cakupan_bobot …
    cells: pd.DataFrame  # one row per region × criterion: raw, normalised, contribution, source
    criteria: pd.DataFrame  # one row per criterion: weight, effective weight, regions with a value
    notes: tuple[str, ...] = field(default_factory=tuple)  # note codes (see reason_text)
    raw: np.ndarray | None = None  # regions × criteria before the missing-data policy (analytics.robustness)


def values_key(scheme: Scheme) -> tuple:
    """What criterion_values depends on in a scheme: the criteria and where their values come from,
    not weights or methods (so a cache keyed on it survives every slider move)."""
    return tuple((c.id, c.indicator, c.committee) for c in scheme.criteria)


def score(
    tables: dict[str, pd.DataFrame], scheme: Scheme, year: int, as_of, values: pd.DataFrame | None = None
) -> ScoreResult:
    """Score every region on `scheme` for the budget year at the as-of date. `values`: the
    criterion_values of the same tables, year, date and values_key, when the caller has them."""
    as_of = as_of if isinstance(as_of, dt.date) else pd.Timestamp(as_of).date()
    frame = region_ref.regions_frame()
    values = criterion_values(tables, scheme, year, as_of) if values is None else values
    raw, weights = raw_matrix(values, scheme), scheme.weights
    prepared = apply_missing(raw, weights, frame["jenis"].to_numpy(), scheme.missing, scheme.min_coverage)
    masked = np.where(prepared.scored[:, None], prepared.raw, np.nan)  # normalised among the scored only
    norm, fallback = normalise(masked, scheme.criteria, scheme.normalisation)
    scores = aggregate(norm, weights, scheme.aggregation)
    ranks = competition_ranks(scores, scheme.aggregation)
    parts = contributions(norm, weights, scheme.aggregation, scores)
    regions = frame.assign(
        skor=np.round(scores, score_decimals(scheme.aggregation)),
        peringkat=pd.array(ranks, dtype="Int64"),
        status=np.where(prepared.scored, "dinilai", "tidak_dinilai"),
        alasan=prepared.reasons,
        cakupan_bobot=np.round(prepared.coverage, 1),
        jumlah_imputasi=prepared.imputed.sum(axis=1),
    )
    regions = regions.sort_values(["peringkat", "kode"], na_position="last").reset_index(drop=True)
    cells = _cells(values, scheme, raw, prepared, norm, parts)
    criteria = _criteria_frame(scheme, raw, fallback)
    notes = (
        tuple(f"fallback:{cid}" for cid in fallback)
        + (("geometrik",) if scheme.aggregation == "geometrik" else ())
        + (("copeland",) if scheme.aggregation == "copeland" else ())
        + tuple(f"kosong:{c.id}" for j, c in enumerate(scheme.criteria) if c.weight > 0 and np.isnan(raw[:, j]).all())
    )
    return ScoreResult(scheme, int(year), as_of, regions, cells, criteria, notes, raw)


def _cells(values, scheme, raw, prepared, norm, parts) -> pd.DataFrame:
    order = list(region_ref.regions_frame()["kode"])
    ids = [c.id for c in scheme.criteria]
    grid = pd.DataFrame({"kode": np.repeat(order, len(ids)), "kriteria": np.tile(ids, len(order))})
    grid["nilai_mentah"] = prepared.raw.ravel()
    grid["diimputasi"] = prepared.imputed.ravel()
    grid["tersedia"] = ~np.isnan(raw).ravel()
    grid["ternormalisasi"] = norm.ravel()
    grid["kontribusi"] = parts.ravel()
    details = values.drop(columns=["nilai"])
    return grid.merge(details, on=["kode", "kriteria"], how="left")


def effective_weights(weights: np.ndarray) -> np.ndarray:
    """Importance 0–10 -> share of the total, in % (OECD Better Life Index)."""
    return weights / weights.sum() * 100


def _criteria_frame(scheme: Scheme, raw: np.ndarray, fallback: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kriteria": [c.id for c in scheme.criteria],
            "aspek": [c.aspect for c in scheme.criteria],
            "indikator": [c.indicator for c in scheme.criteria],
            "komite": [c.committee for c in scheme.criteria],
            "bobot": scheme.weights,
            "bobot_efektif": np.round(effective_weights(scheme.weights), 1),
            "arah": [c.direction for c in scheme.criteria],
            "target": [c.target for c in scheme.criteria],
            "batas": [c.goalposts for c in scheme.criteria],
            "normalisasi": ["minmax" if c.id in fallback else scheme.normalisation for c in scheme.criteria],
            "jumlah_daerah": (~np.isnan(raw)).sum(axis=0),
        }
    )


def reason_text(code: str | None, scheme: Scheme, lang: str = "id") -> str:
    """Words for a reason code: 'tanpa:0,3' (criteria lacking), 'cakupan:34' (weight covered)."""
    from analytics import fmt

    if not isinstance(code, str) or not code:
        return ""
    kind, _, rest = code.partition(":")
    if kind == "tanpa":
        names = [scheme.criteria[int(j)].title(lang) for j in rest.split(",") if j]
        return fmt.t("score_reason_missing", lang, criteria="; ".join(names))
    if kind == "cakupan":
        return fmt.t(
            "score_reason_coverage",
            lang,
            coverage=fmt.number(float(rest), 0, lang),
            minimum=fmt.number(scheme.min_coverage, 0, lang),
        )
    return code
