"""Robustness of a Penilaian ranking (analytics/robustness.py): Monte Carlo uncertainty, Sobol
sensitivity (analytics/sobol.py, validated on the Ishigami function), remove-one-criterion and the
"selisih aman" (analytics/safe_margin.py), on small examples worked out by hand, plus one run on
the contoh dataset."""

import functools

import numpy as np
import pandas as pd
import pytest

from analytics import robustness as rb
from analytics import safe_margin, scoring, sobol
from tests.factories import obs, tables


def scheme(
    weights, normalisation="minmax", aggregation="aritmetik", missing="kecualikan", min_coverage=0.0, directions=None
):
    """A hand-built scheme over len(weights) criteria (the indicator only names a catalogue entry:
    the array-level functions read the raw matrix they are given)."""
    directions = directions or ["naik"] * len(weights)
    criteria = tuple(
        scoring.Criterion(f"c{j + 1}", "kinerja", float(w), indicator="peserta_dbhcht", direction=d)
        for j, (w, d) in enumerate(zip(weights, directions))
    )
    return scoring.Scheme(
        "uji",
        {"id": "Uji", "en": "Test"},
        {"id": "", "en": ""},
        True,
        normalisation,
        aggregation,
        missing,
        criteria,
        min_coverage,
    )


def frame(n):
    return pd.DataFrame(
        {
            "kode": [f"R{i}" for i in range(n)],
            "nama": [f"Daerah {chr(65 + i)}" for i in range(n)],
            "jenis": ["kabupaten"] * (n - 1) + ["kota"],
        }
    )


# Ten regions, four criteria (c3 lower is better), one gap: a mixed, realistic small case.
RNG = np.random.default_rng(7)
RAW10 = RNG.uniform(0, 100, size=(10, 4)).round(1)
RAW10[4, 2] = np.nan
W10 = [6, 3, 4, 2]


# ---------------------------------------------------------------- nominal = scoring.score


@functools.cache
def enrolment_tables():
    """Four regions with 2025 participants; three with 2024 too (growth), Pacitan without."""
    rows = [
        obs("3509", 40300, "2025-07-10"),
        obs("3502", 29250, "2025-07-21"),
        obs("3513", 18000, "2025-07-10"),
        obs("3501", 25000, "2025-07-10"),
        obs("3509", 38000, "2024-07-10", tahun=2024),
        obs("3502", 20000, "2024-07-21", tahun=2024),
        obs("3513", 9000, "2024-07-10", tahun=2024),
    ]
    return tables(kepesertaan=rows)


@functools.cache
def enrolment_inputs(criteria):
    sch = scoring.Scheme(
        "uji", {"id": "", "en": ""}, {"id": "", "en": ""}, True, "minmax", "aritmetik", "kecualikan", criteria
    )
    return rb.inputs(enrolment_tables(), sch, 2025, "2025-07-31")  # raw values do not depend on the methods


@pytest.mark.parametrize("aggregation", scoring.AGGREGATIONS)
@pytest.mark.parametrize("missing", scoring.MISSING)
def test_nominal_rank_is_the_rank_scoring_gives(aggregation, missing):
    """Participants (weight 6) and growth (weight 4) on hand-built tables: the nominal rank of the
    uncertainty analysis, drop-one and safe margins is scoring.score's, region by region."""
    criteria = (
        scoring.Criterion("peserta", "kinerja", 6, indicator="peserta_dbhcht"),
        scoring.Criterion("tumbuh", "kinerja", 4, indicator="pertumbuhan_peserta"),
    )
    sch = scoring.Scheme(
        "uji", {"id": "Uji", "en": "Test"}, {"id": "", "en": ""}, True, "minmax", aggregation, missing, criteria, 50
    )
    data = enrolment_tables()
    expected = scoring.score(data, sch, 2025, "2025-07-31").regions.set_index("kode")["peringkat"]
    raw, regions = enrolment_inputs(criteria)
    result = rb.uncertainty(sch, raw, regions, rb.Settings(draws=50))
    got = result.regions.set_index("kode")["peringkat"]
    pd.testing.assert_series_equal(got.reindex(expected.index), expected, check_names=False)
    assert expected.notna().sum() >= 3
    drop = rb.drop_one(sch, raw, regions)
    assert (
        drop.set_index(["kriteria", "kode"])
        .loc["peserta"]["peringkat_nominal"]
        .reindex(expected.index)
        .equals(expected)
    )
    margins = safe_margin.safe_margins(sch, raw, regions)
    assert margins["kode_atas"].tolist() == got.dropna().index[:-1].tolist()


# ---------------------------------------------------------------- uncertainty analysis


def test_zero_perturbation_collapses_every_interval_to_the_nominal_rank():
    sch = scheme(W10, directions=["naik", "naik", "turun", "naik"], missing="bobot_ulang")
    result = rb.uncertainty(sch, RAW10, frame(10), rb.Settings(draws=300, perturbation=0.0))
    r = result.regions
    for column in ("peringkat_p5", "peringkat_median", "peringkat_p95", "peringkat_rata_rata"):
        np.testing.assert_array_equal(r[column].to_numpy(), r["peringkat"].to_numpy(dtype=float))
    assert (r["porsi_dinilai"] == 1).all()
    assert r.loc[r["peringkat"] == 1, "p_peringkat_1"].eq(1).all() and r["p_peringkat_1"].sum() == 1
    assert r.loc[r["peringkat"] <= 3, "p_3_besar"].eq(1).all() and r.loc[r["peringkat"] > 3, "p_3_besar"].eq(0).all()


def test_same_seed_same_numbers_and_the_seed_is_reported():
    sch = scheme(W10, directions=["naik", "naik", "turun", "naik"])
    settings = rb.Settings(
        draws=2000,
        normalisations=scoring.NORMALISATIONS,
        aggregations=scoring.AGGREGATIONS,
        policies=("kecualikan", "imputasi"),
    )
    one, two = rb.uncertainty(sch, RAW10, frame(10), settings), rb.uncertainty(sch, RAW10, frame(10), settings)
    np.testing.assert_array_equal(one.ranks, two.ranks)
    pd.testing.assert_frame_equal(one.regions, two.regions)
    other = rb.uncertainty(
        sch, RAW10, frame(10), rb.Settings(draws=2000, seed=1, normalisations=scoring.NORMALISATIONS)
    )
    assert not np.array_equal(one.multipliers, other.multipliers)
    assert one.settings.seed == rb.SEED == 20250710 and one.settings.as_dict()["undian"] == 2000
    assert one.settings.normalisations == scoring.NORMALISATIONS and one.settings.policies == ("kecualikan", "imputasi")
    # every draw used one of the ticked alternatives, each about equally often
    counts = np.bincount(one.normalisation, minlength=4)
    assert counts.min() > 400 and len(one.configurations()) == 2000
    # ticking methods does not change the weight draws
    np.testing.assert_array_equal(
        one.multipliers, rb.uncertainty(sch, RAW10, frame(10), rb.Settings(draws=2000)).multipliers
    )


def test_the_default_is_the_schemes_own_methods_and_unknown_ones_are_refused():
    sch = scheme(W10)
    settings = rb.Settings().resolved(sch)
    assert (settings.normalisations, settings.aggregations, settings.policies) == (
        ("minmax",),
        ("aritmetik",),
        ("kecualikan",),
    )
    assert (settings.draws, settings.perturbation) == (10_000, 0.25)
    with pytest.raises(scoring.SchemeError, match="median"):
        rb.Settings(aggregations=("median",)).resolved(sch)
    with pytest.raises(scoring.SchemeError):
        rb.Settings(perturbation=1.5).resolved(sch)


@pytest.mark.parametrize("normalisation", scoring.NORMALISATIONS)
def test_a_region_as_good_everywhere_never_ranks_below_under_the_arithmetic_mean(normalisation):
    """Region 0 is made at least as good as region 1 on every criterion (higher on 'naik', lower
    on 'turun'); whatever the weights, its weighted mean of monotone normalised values is ≥."""
    raw = RAW10.copy()
    raw[4, 2] = 50.0
    raw[0, [0, 1, 3]] = np.maximum(raw[0, [0, 1, 3]], raw[1, [0, 1, 3]])
    raw[0, 2] = min(raw[0, 2], raw[1, 2])
    sch = scheme(W10, normalisation=normalisation, directions=["naik", "naik", "turun", "naik"])
    result = rb.uncertainty(sch, raw, frame(10), rb.Settings(draws=3000, perturbation=0.9))
    assert (result.ranks[:, 0] <= result.ranks[:, 1]).all()
    assert result.p_ahead("R0", "R1") == 1.0
    assert result.p_ahead("R1", "R0") < 1.0 or (result.ranks[:, 0] == result.ranks[:, 1]).all()


def test_regions_not_scored_under_a_drawn_policy_get_no_rank_in_that_draw():
    """R4 lacks c3: excluded under kecualikan, reweighted under bobot_ulang — about half the draws."""
    sch = scheme(W10, missing="kecualikan")
    result = rb.uncertainty(sch, RAW10, frame(10), rb.Settings(draws=4000, policies=("bobot_ulang",)))
    r = result.regions.set_index("kode")
    assert pd.isna(r.at["R4", "peringkat"]) and result.regions["kode"].iloc[-1] == "R4"  # never ranked last
    assert 0.45 < r.at["R4", "porsi_dinilai"] < 0.55
    excluded = result.policy == result.settings.policies.index("kecualikan")
    assert np.isnan(result.ranks[excluded, 4]).all() and not np.isnan(result.ranks[~excluded, 4]).any()
    assert (r.drop("R4")["porsi_dinilai"] == 1).all()
    assert r.at["R4", "p_3_besar"] <= r.at["R4", "porsi_dinilai"]


def test_copeland_as_matrix_products_equals_the_pairwise_definition():
    """scoring's Copeland (matrix products, in chunks) against the definition written out per pair."""
    rng = np.random.default_rng(3)
    norm = rng.integers(0, 5, size=(12, 5)).astype(float)  # many equal values: draws in pairs
    norm[rng.random(norm.shape) < 0.15] = np.nan
    norm[7] = np.nan  # a region with nothing
    weights = np.vstack([rng.uniform(0, 10, size=(40, 5)), rng.integers(0, 4, size=(40, 5))])  # ties in supports
    expected = np.zeros((len(weights), len(norm)))
    for d, w in enumerate(weights):
        for a in range(len(norm)):
            for b in range(len(norm)):
                both = ~np.isnan(norm[a]) & ~np.isnan(norm[b])
                expected[d, a] += np.sign((w * np.sign(norm[a] - norm[b]))[both].sum()) if a != b else 0
    expected[:, 7] = np.nan
    np.testing.assert_array_equal(scoring._copeland(norm, weights, chunk=7), expected)
    np.testing.assert_array_equal(scoring.aggregate(norm, weights[0], "copeland"), expected[0])


def test_rank_statistics_use_numpys_percentiles():
    rng = np.random.default_rng(5)
    ranks = rng.integers(1, 9, size=(501, 6)).astype(float)
    ranks[rng.random(ranks.shape) < 0.2] = np.nan
    stats = rb.rank_statistics(ranks)
    for j in range(6):
        column = ranks[~np.isnan(ranks[:, j]), j]
        assert stats["peringkat_median"][j] == np.percentile(column, 50)
        assert stats["peringkat_p5"][j] == pytest.approx(np.percentile(column, 5))
        assert stats["peringkat_p95"][j] == pytest.approx(np.percentile(column, 95))
        assert stats["peringkat_rata_rata"][j] == pytest.approx(column.mean())
        assert stats["p_3_besar"][j] == (column <= 3).sum() / 501


# ---------------------------------------------------------------- sensitivity analysis


def test_sobol_estimators_recover_the_ishigami_indices():
    """Ishigami, a = 7, b = 0.1, inputs uniform on [−π, π]: analytic S1 = 0.3139, 0.4424, 0 and
    ST = 0.5576, 0.4424, 0.2437. Same estimator code as the scheme's sensitivity. With N = 16,384
    (81,920 runs) and the default seed every index is within 0.03 (over 20 other seeds the
    largest error seen was 0.018 for S1 and 0.027 for ST; at the default seed it is ≈ 0.013)."""
    first, total = sobol.ishigami_indices()
    np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=1e-4)
    result = sobol.sobol(sobol.ishigami, sobol.ishigami_sampler, n=16_384, seed=sobol.SEED, bootstrap=200)
    assert result.runs == 16_384 * 5
    np.testing.assert_allclose(result.first, first, atol=0.03)
    np.testing.assert_allclose(result.total, total, atol=0.03)
    assert (result.first_ci[:, 0] <= result.first).all() and (result.first <= result.first_ci[:, 1]).all()
    assert (result.total_ci[:, 0] <= result.total).all() and (result.total <= result.total_ci[:, 1]).all()
    again = sobol.sobol(sobol.ishigami, sobol.ishigami_sampler, n=16_384, seed=sobol.SEED, bootstrap=200)
    np.testing.assert_array_equal(result.first_ci, again.first_ci)


def test_sensitivity_of_a_scheme():
    """No region has a value for c4 (like the committee criteria before the committee has scored):
    under bobot_ulang every region is scored over c1–c3, so c4's weight has no effect at all
    (S1 = ST = 0 exactly). The normalisation and the aggregation are inputs only when
    alternatives are ticked."""
    raw = RAW10.copy()
    raw[:, 3] = np.nan
    sch = scheme(W10, directions=["naik", "naik", "turun", "naik"], missing="bobot_ulang")
    settings = rb.Settings(perturbation=0.5, aggregations=("aritmetik", "copeland"))
    result = rb.sensitivity(sch, raw, frame(10), settings, n=400, bootstrap=100)
    table = result.indices.set_index("masukan")
    assert list(table.index) == ["c1", "c2", "c3", "c4", "agregasi"] and result.runs == 400 * 7
    assert table.at["c4", "ST"] == 0 and table.at["c4", "S1"] == 0
    assert table.at["agregasi", "ST"] > 0.1 and table.at["c1", "ST"] > 0
    assert table["jenis"].tolist() == ["bobot"] * 4 + ["metode"]
    assert (table["ST_p5"] <= table["ST_p95"]).all()
    again = rb.sensitivity(sch, raw, frame(10), settings, n=400, bootstrap=100)
    pd.testing.assert_frame_equal(result.indices, again.indices)
    # the rank of one region as the output (default: the nominal leader)
    leader = rb.sensitivity(sch, raw, frame(10), settings, n=200, bootstrap=50, output="peringkat")
    nominal = rb.uncertainty(sch, raw, frame(10), rb.Settings(draws=1)).regions
    assert leader.region == nominal.loc[nominal["peringkat"] == 1, "kode"].min()
    # no uncertainty at all: no variance, the indices are undefined and the result says so
    flat = rb.sensitivity(sch, raw, frame(10), rb.Settings(perturbation=0.0), n=50, bootstrap=10)
    assert flat.note == "tanpa_ragam" and flat.variance == 0


# ---------------------------------------------------------------- remove one criterion


def test_drop_one_by_hand():
    """A (10, 0, 0), B (0, 10, 5), C (5, 5, 10), weights 2, 1, 1, min-max:
    c1 → A 100, B 0, C 50; c2 → A 0, B 100, C 50; c3 → A 0, B 50, C 100.
    Nominal: A 200/4 = 50, B 150/4 = 37.5, C 250/4 = 62.5 → C 1, A 2, B 3.
    Without c1 (0, 1, 1): A 0, B 75, C 75 → B 1, C 1, A 3: changes +1, −2, 0, mean 1.
    Without c2 (2, 0, 1): A 66.7, B 16.7, C 66.7 → A 1, C 1, B 3: changes −1, 0, 0, mean 1/3.
    Without c3 (2, 1, 0): A 66.7, B 33.3, C 50 → A 1, C 2, B 3: changes −1, 0, +1, mean 2/3."""
    raw = np.array([[10, 0, 0], [0, 10, 5], [5, 5, 10]], dtype=float)
    out = rb.drop_one(scheme([2, 1, 1]), raw, frame(3))
    ranks = out.pivot(index="kriteria", columns="kode", values="peringkat_tanpa")
    assert ranks.loc["c1"].tolist() == [3, 1, 1] and ranks.loc["c2"].tolist() == [1, 3, 1]
    assert ranks.loc["c3"].tolist() == [1, 3, 2]
    summary = rb.drop_one_summary(out).set_index("kriteria")["perubahan_rata_rata"]
    np.testing.assert_allclose(summary.loc[["c1", "c2", "c3"]], [1, 1 / 3, 2 / 3])
    assert out.loc[out["kriteria"] == "c1", "kode"].tolist() == ["R2", "R0", "R1"]  # nominal order
    assert set(out["nama"]) == {"Daerah A", "Daerah B", "Daerah C"}
    wide = rb.drop_one_table(out)
    assert wide.columns.tolist() == ["kode", "nama", "peringkat", "c1", "c2", "c3"]
    assert wide.set_index("kode").at["R1", "c1"] == 1


def test_drop_one_is_scoring_with_that_weight_at_zero():
    """With kecualikan, dropping c3 brings R4 (which lacks only c3) into the ranking."""
    sch = scheme(W10, directions=["naik", "naik", "turun", "naik"])
    out = rb.drop_one(sch, RAW10, frame(10)).set_index(["kriteria", "kode"])
    assert pd.isna(out.at[("c1", "R4"), "peringkat_tanpa"]) and out.at[("c3", "R4"), "peringkat_tanpa"] >= 1
    for j, c in enumerate(sch.criteria):
        weights = sch.weights.copy()
        weights[j] = 0
        model = rb.Model(sch.with_choices(weights={c.id: 0}), RAW10, frame(10))
        _, expected = model.nominal()
        got = (
            out.loc[c.id]["peringkat_tanpa"]
            .reindex([f"R{i}" for i in range(10)])
            .to_numpy(dtype=float, na_value=np.nan)
        )
        np.testing.assert_array_equal(got, expected)


# ---------------------------------------------------------------- selisih aman


def test_safe_margin_by_hand():
    """Three regions, two criteria, weights w = (3, 2), min-max:
    A (10, 5) → (100, 50); B (0, 10) → (0, 100); C (5, 0) → (50, 0).
    Scores (3x1 + 2x2)/5: A 80, B 40, C 30 → A, B, C.
    With w_k → w_k + t the others fixed, both regions having every criterion:
    score_a − score_b = (Σ w·(xa − xb) + t·(xa_k − xb_k)) / (W + t), zero at t = −Σ w·Δ / Δ_k.
    A vs B: Δ = (100, −50), Σ w·Δ = 200 → k = c1: t = −2 (importance 3 → 1, effective weight
    60 % → 33.3 %, −26.7 points); k = c2: t = +4 (2 → 6). Smallest: c1, −2.
    B vs C: Δ = (−50, 100), Σ w·Δ = 50 → c1: t = +1 (3 → 4); c2: t = −0.5 (2 → 1.5, effective
    40 % → 33.3 %, −6.7 points). Smallest: c2, −0.5."""
    raw = np.array([[10, 5], [0, 10], [5, 0]], dtype=float)
    sch = scheme([3, 2])
    out = safe_margin.safe_margins(sch, raw, frame(3))
    assert out["kode_atas"].tolist() == ["R0", "R1"] and out["kode_bawah"].tolist() == ["R1", "R2"]
    assert out["skor_atas"].tolist() == [80.0, 40.0] and out["status"].tolist() == ["tertukar", "tertukar"]
    assert out["kriteria"].tolist() == ["c1", "c2"]
    np.testing.assert_allclose(out["perubahan_bobot"], [-2, -0.5], atol=1e-9)
    np.testing.assert_allclose(out["bobot_baru"], [1, 1.5], atol=1e-9)
    np.testing.assert_allclose(out["perubahan_bobot_efektif"], [100 / 3 - 60, 100 / 3 - 40], atol=1e-9)
    each = safe_margin.safe_margins(sch, raw, frame(3), per_criterion=True).set_index(["kode_atas", "kriteria"])
    np.testing.assert_allclose(
        each.loc[[("R0", "c1"), ("R0", "c2"), ("R1", "c1"), ("R1", "c2")], "perubahan_bobot"],
        [-2, 4, 1, -0.5],
        atol=1e-9,
    )
    # at the threshold they are level; a hair beyond it the lower region is ahead
    for t, ahead in ((-2 + 1e-6, False), (-2 - 1e-6, True)):
        scores, _ = rb.Model(sch.with_choices(weights={"c1": 3 + t}), raw, frame(3)).nominal()
        assert bool(scores[1] > scores[0]) is ahead


def test_no_single_weight_swaps_a_dominated_region():
    """Min-max: R0 (100, 100), R1 (50, 0), R2 (50, 0), R3 (0, 50); weights (3, 2): scores 100, 30,
    30, 20. R1 is worse than R0 on both criteria: no importance in 0–10 puts it ahead. R1 and R2
    are tied: 'seri', margin 0. R2 vs R3: Δ = (50, −50), Σ w·Δ = 50, so c1 3 → 2 (t = −1) or c2
    2 → 3 (t = +1) levels them (both −/+10 points of effective weight)."""
    raw = np.array([[10, 10], [5, 0], [5, 0], [0, 5]], dtype=float)
    out = safe_margin.safe_margins(scheme([3, 2]), raw, frame(4))
    assert out["status"].tolist() == ["tidak_tertukar", "seri", "tertukar"]
    assert pd.isna(out.at[0, "kriteria"]) and out.at[1, "perubahan_bobot"] == 0
    assert out.at[2, "kriteria"] in ("c1", "c2") and abs(out.at[2, "perubahan_bobot"]) == pytest.approx(1)


def brute_force(sch, raw, regions, step=0.02):
    """Smallest swapping importance per (pair, criterion) on a grid, the whole pipeline each time."""
    model = rb.Model(sch, raw, regions)
    grid = np.round(np.arange(0, 10 + step / 2, step), 10)
    out = {}
    for j, c in enumerate(sch.criteria):
        weights = np.repeat(sch.weights[None], len(grid), axis=0)
        weights[:, j] = grid
        scores = np.array([model.rescored(w)[0] if w.sum() > 0 else np.full(len(raw), np.nan) for w in weights])
        out[c.id] = scores
    return grid, out


@pytest.mark.parametrize("aggregation", scoring.AGGREGATIONS)
def test_safe_margins_agree_with_a_brute_force_search(aggregation):
    """Against a 0.02 grid of every importance, the whole pipeline re-run at each point
    (bobot_ulang with a 60 % minimum, so lowering a weight can drop a region from the ranking)."""
    raw = RAW10[:7, :3].copy()
    raw[2, 0] = raw[5, 1] = np.nan
    sch = scheme(
        [5, 3, 4], aggregation=aggregation, missing="bobot_ulang", min_coverage=60, directions=["naik", "turun", "naik"]
    )
    regions = frame(7)
    each = safe_margin.safe_margins(sch, raw, regions, per_criterion=True)
    grid, scores = brute_force(sch, raw, regions)
    codes = regions["kode"].tolist()
    model = rb.Model(sch, raw, regions)
    checked = 0
    for row in each.itertuples():
        if row.status == "seri":
            continue
        a, b = codes.index(row.kode_atas), codes.index(row.kode_bawah)
        s = scores[row.kriteria]
        ahead = s[:, b] > s[:, a]
        current = row.bobot_awal
        if ahead.any():
            nearest = grid[ahead][np.argmin(np.abs(grid[ahead] - current))]
            assert row.status == "tertukar", row
            assert abs(row.bobot_baru - current) <= abs(nearest - current) + 1e-9, row
            assert abs(row.bobot_baru - nearest) <= 0.02 + 1e-9, row
        if row.status == "tertukar":  # the reported change does swap them (a hair beyond the threshold)
            j = [c.id for c in sch.criteria].index(row.kriteria)
            swapped = False
            for nudge in (1e-7, -1e-7, 0.0):
                w = sch.weights.copy()
                w[j] = min(10.0, max(0.0, row.bobot_baru + nudge))
                sc, _, _ = model.rescored(w)
                swapped |= bool(sc[b] > sc[a])
            assert swapped, row
        else:
            assert not ahead.any(), row
        checked += 1
    assert checked >= 9


# ---------------------------------------------------------------- the real thing, on contoh


def test_robustness_on_the_contoh_dataset(store_tables):
    """The default scheme for 2025 at 2025-12-31 on contoh (committee criteria may or may not have
    values: nothing here depends on them)."""
    data = store_tables["contoh"]
    sch = scoring.load_scheme("paritrana_contoh")
    raw, regions = rb.inputs(data, sch, 2025, "2025-12-31")
    expected = scoring.score(data, sch, 2025, "2025-12-31").regions
    result = rb.uncertainty(sch, raw, regions)
    assert result.ranks.shape == (10_000, 38) and result.settings.seed == rb.SEED
    merged = expected.merge(result.regions, on="kode", suffixes=("", "_rb"))
    assert merged["peringkat"].equals(merged["peringkat_rb"]) and merged["nama"].equals(merged["nama_rb"])
    scored = result.regions.dropna(subset=["peringkat"])
    assert len(scored) >= 30
    assert (scored["peringkat_p5"] <= scored["peringkat_median"]).all()
    assert (scored["peringkat_median"] <= scored["peringkat_p95"]).all()
    assert scored["p_peringkat_1"].sum() == pytest.approx(1, abs=0.02)  # ties at 1 are rare
    wide = rb.uncertainty(
        sch,
        raw,
        regions,
        rb.Settings(draws=2000, normalisations=scoring.NORMALISATIONS, aggregations=scoring.AGGREGATIONS),
    )
    assert (wide.regions["peringkat_p95"] - wide.regions["peringkat_p5"]).mean() >= (
        result.regions["peringkat_p95"] - result.regions["peringkat_p5"]
    ).mean()
    sens = rb.sensitivity(sch, raw, regions, n=200, bootstrap=50)
    assert sens.indices["masukan"].tolist() == [c.id for c in sch.criteria if c.weight > 0]
    assert np.isfinite(sens.indices["ST"]).all() and sens.runs == 200 * (len(sens.indices) + 2)
    drop = rb.drop_one(sch, raw, regions)
    assert set(drop["kriteria"]) == {c.id for c in sch.criteria if c.weight > 0}
    margins = safe_margin.safe_margins(sch, raw, regions)
    assert len(margins) == len(scored) - 1
    assert set(margins["status"]) <= {"tertukar", "tidak_tertukar", "seri"}
    assert margins["nama_atas"].notna().all()
