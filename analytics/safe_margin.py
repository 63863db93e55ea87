"""The "selisih aman" of a Penilaian ranking: for each pair of adjacent regions, the smallest
change of one criterion's importance (within 0–10) that swaps them, and which criterion. Exact, no
grid: between the points where the missing-data policy's outcome can change, the order of a pair
changes only at the roots of a quadratic in that importance. Runs on analytics.robustness's Model
(the same pipeline as scoring.score), with the policy re-applied at every changed weight.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analytics import scoring
from analytics.robustness import Model

MARGIN_COLUMNS = [
    "peringkat_atas",
    "kode_atas",
    "nama_atas",
    "skor_atas",
    "peringkat_bawah",
    "kode_bawah",
    "nama_bawah",
    "skor_bawah",
    "status",
    "kriteria",
    "bobot_awal",
    "bobot_baru",
    "perubahan_bobot",
    "bobot_efektif_awal",
    "bobot_efektif_baru",
    "perubahan_bobot_efektif",
]


def safe_margins(scheme: scoring.Scheme, raw: np.ndarray, regions=None, per_criterion: bool = False) -> pd.DataFrame:
    """ "Selisih aman": for each pair of adjacent regions in the nominal order (ranks r and r+1 among
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
    order = [
        i
        for i in np.lexsort((model.regions["kode"].to_numpy(), np.where(np.isnan(nominal), np.inf, nominal)))
        if not np.isnan(nominal[i])
    ]
    pairs = [(order[i], order[i + 1]) for i in range(len(order) - 1)]
    w = model.weights
    total = w.sum()
    rows = []
    found = {j: _swap_points(model, j, pairs) for j in range(len(w))}
    for pi, (a, b) in enumerate(pairs):
        tied = bool(nominal[a] == nominal[b])
        base = {
            "peringkat_atas": int(nominal[a]),
            "kode_atas": model.regions["kode"][a],
            "nama_atas": model.regions["nama"][a],
            "skor_atas": scores[a],
            "peringkat_bawah": int(nominal[b]),
            "kode_bawah": model.regions["kode"][b],
            "nama_bawah": model.regions["nama"][b],
            "skor_bawah": scores[b],
        }
        options = []
        for j, c in enumerate(scheme.criteria):
            v = w[j] if tied else found[j][pi]
            if v is None or np.isnan(v):
                options.append({"kriteria": c.id, "bobot_awal": w[j], "bobot_baru": np.nan, "status": "tidak_tertukar"})
                continue
            new_total = total - w[j] + v
            options.append(
                {
                    "kriteria": c.id,
                    "bobot_awal": w[j],
                    "bobot_baru": v,
                    "status": "seri" if tied else "tertukar",
                    "bobot_efektif_baru": v / new_total * 100 if new_total > 0 else np.nan,
                }
            )
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
            rows.append(
                {**base, "status": "seri", "kriteria": None, "perubahan_bobot": 0.0, "perubahan_bobot_efektif": 0.0}
            )
        elif swapping:
            best = min(swapping, key=lambda o: (abs(o["perubahan_bobot"]), abs(o["perubahan_bobot_efektif"])))
            rows.append({**base, **best})
        else:
            rows.append({**base, "status": "tidak_tertukar", "kriteria": None})
    frame = pd.DataFrame(rows, columns=MARGIN_COLUMNS)
    decimals = scoring.score_decimals(scheme.aggregation)
    return frame.assign(
        skor_atas=frame["skor_atas"].astype(float).round(decimals),
        skor_bawah=frame["skor_bawah"].astype(float).round(decimals),
    )


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
            ahead = scores[:, b] > scores[:, a]  # NaN (not scored) is never ahead
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
        norm = scoring.normalise(np.where(prepared.scored[:, None], prepared.raw, np.nan), s.criteria, s.normalisation)[
            0
        ]
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
