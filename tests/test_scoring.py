"""Composite scores (analytics/scoring.py): every normalisation and aggregation on a 4-region,
3-criterion example worked out by hand, the missing-data policies, invariances, and the schemes."""

import numpy as np
import pytest

from analytics import metrics, scoring
from tests.factories import obs, tables

# Four regions A–D, three criteria: c1 and c2 higher is better, c3 lower is better; weights 2, 1, 1.
RAW = np.array([[10, 50, 4], [20, 30, 2], [30, 10, 6], [40, 30, 8]], dtype=float)
CRITERIA = (
    scoring.Criterion("c1", "kinerja", 2, indicator="peserta_dbhcht"),
    scoring.Criterion("c2", "kinerja", 1, indicator="peserta_dbhcht"),
    scoring.Criterion("c3", "penerapan", 1, indicator="peserta_dbhcht", direction="turun"),
)
WEIGHTS = np.array([2.0, 1.0, 1.0])


def test_min_max_by_hand():
    """c1: (x − 10)/30; c2: (x − 10)/40; c3 is 'turun', so (8 − x)/6 — all × 100."""
    norm, fallback = scoring.normalise(RAW, CRITERIA, "minmax")
    expected = [[0, 100, 66.667], [33.333, 50, 100], [66.667, 0, 33.333], [100, 50, 0]]
    np.testing.assert_allclose(norm, expected, atol=1e-3)
    assert fallback == []


def test_z_score_by_hand():
    """c1: mean 25, population sd √125 = 11.180; z = (x − 25)/11.180."""
    norm, _ = scoring.normalise(RAW, CRITERIA, "zscore")
    np.testing.assert_allclose(norm[:, 0], [-1.3416, -0.4472, 0.4472, 1.3416], atol=1e-4)
    np.testing.assert_allclose(norm.mean(axis=0), 0, atol=1e-12)


def test_percentile_rank_by_hand_with_a_tie():
    """c2 = 50, 30, 10, 30: A has 3 below (100); B and D 1 below and 1 tie: (1 + 0.5)/3 = 50; C 0."""
    norm, _ = scoring.normalise(RAW, CRITERIA, "peringkat")
    np.testing.assert_allclose(norm[:, 1], [100, 50, 0, 50])
    np.testing.assert_allclose(norm[:, 0], [0, 100 / 3, 200 / 3, 100])


def test_distance_to_target_and_goalposts_by_hand():
    """Goalposts 0–50 on c1: x/50; a target of 16.800 with arah 'target': 1 − |x − 16.800|/16.800;
    'naik' with a target of 100: the share reached, capped at 100."""
    posts = (scoring.Criterion("c1", "", 1, indicator="capaian_target", goalposts=(0, 50)),)
    norm, _ = scoring.normalise(RAW[:, :1], posts, "target")
    np.testing.assert_allclose(norm[:, 0], [20, 40, 60, 80])
    cost = (scoring.Criterion("b", "", 1, indicator="biaya_per_peserta_bulan", direction="target", target=16800),)
    norm, _ = scoring.normalise(np.array([[16800], [18480], [8400], [40000]], float), cost, "target")
    np.testing.assert_allclose(norm[:, 0], [100, 90, 50, 0])
    reach = (scoring.Criterion("r", "", 1, indicator="capaian_target", target=100),)
    norm, _ = scoring.normalise(np.array([[50], [100], [130]], float), reach, "target")
    np.testing.assert_allclose(norm[:, 0], [50, 100, 100])
    # without a target or goalposts 'target' falls back to min-max, and says so
    norm, fallback = scoring.normalise(RAW, CRITERIA, "target")
    assert fallback == ["c1", "c2", "c3"] and norm[3, 0] == 100


def test_weighted_arithmetic_mean_by_hand_with_a_tie():
    """A (0·2 + 100 + 66.7)/4 = 41.7; B (66.7 + 50 + 100)/4 = 54.2; C (133.3 + 0 + 33.3)/4 = 41.7;
    D (200 + 50 + 0)/4 = 62.5 → ranks D 1, B 2, A and C 3 (competition ranking on 1 decimal)."""
    norm, _ = scoring.normalise(RAW, CRITERIA, "minmax")
    scores = scoring.aggregate(norm, WEIGHTS, "aritmetik")
    np.testing.assert_allclose(scores, [41.667, 54.167, 41.667, 62.5], atol=1e-3)
    assert scoring.competition_ranks(scores, "aritmetik").tolist() == [3, 2, 3, 1]
    parts = scoring.contributions(norm, WEIGHTS, "aritmetik", scores)
    np.testing.assert_allclose(parts.sum(axis=1), scores)
    np.testing.assert_allclose(parts[3], [50, 12.5, 0])


def test_weighted_geometric_mean_by_hand_never_zero():
    """Values on 1–100 (v = 1 + 0.99·x): A (1·1·100·67)^(1/4) = 9.05; B (34²·50.5·100)^(1/4) = 49.15;
    C (67²·1·34)^(1/4) = 19.77; D (100²·50.5·1)^(1/4) = 26.66. D's weakest criterion is not
    compensated: B leads. No score is 0 although every region is worst somewhere."""
    norm, _ = scoring.normalise(RAW, CRITERIA, "minmax")
    scores = scoring.aggregate(norm, WEIGHTS, "geometrik")
    np.testing.assert_allclose(scores, [9.047, 49.154, 19.765, 26.658], atol=1e-3)
    assert (scores > 0).all()
    assert scoring.competition_ranks(scores, "geometrik").tolist() == [4, 1, 3, 2]
    parts = scoring.contributions(norm, WEIGHTS, "geometrik", scores)
    np.testing.assert_allclose(parts.sum(axis=1), scores)
    z, _ = scoring.normalise(RAW, CRITERIA, "zscore")  # negative z-scores work too (rescaled to 1–100)
    assert np.isfinite(scoring.aggregate(z, WEIGHTS, "geometrik")).all()


def test_copeland_by_hand():
    """Weighted majority per pair (weights 2, 1, 1): B beats A (−2 + 1 − 1); A–C, A–D and B–C draw
    (−2 + 1 + 1 = 0); D beats B (−2 + 0 + 1 < 0 for B) and C (−2 − 1 + 1). Scores: A −1, B 0, C −1, D 2."""
    norm, _ = scoring.normalise(RAW, CRITERIA, "minmax")
    scores = scoring.aggregate(norm, WEIGHTS, "copeland")
    assert scores.tolist() == [-1, 0, -1, 2]
    assert scoring.competition_ranks(scores, "copeland").tolist() == [3, 2, 3, 1]
    assert np.isnan(scoring.contributions(norm, WEIGHTS, "copeland", scores)).all()  # not additive


def test_many_weightings_at_once_equal_one_at_a_time():
    norm, _ = scoring.normalise(RAW, CRITERIA, "minmax")
    draws = np.array([[2, 1, 1], [1, 1, 1], [0, 5, 1]], dtype=float)
    for method in scoring.AGGREGATIONS:
        together = scoring.aggregate(norm, draws, method)
        one_by_one = np.array([scoring.aggregate(norm, w, method) for w in draws])
        np.testing.assert_allclose(together, one_by_one)
        np.testing.assert_array_equal(
            scoring.competition_ranks(together, method),
            np.array([scoring.competition_ranks(s, method) for s in one_by_one]),
        )


JENIS = np.array(["kabupaten", "kabupaten", "kota", "kota"])


def test_missing_data_policies():
    """C lacks c2 (weight 1 of 4)."""
    raw = RAW.copy()
    raw[2, 1] = np.nan
    out = scoring.apply_missing(raw, WEIGHTS, JENIS, "kecualikan")
    assert out.scored.tolist() == [True, True, False, True] and out.reasons[2] == "tanpa:1"
    out = scoring.apply_missing(raw, WEIGHTS, JENIS, "bobot_ulang", min_coverage=50)
    assert out.scored.all() and out.coverage[2] == 75
    assert scoring.apply_missing(raw, WEIGHTS, JENIS, "bobot_ulang", min_coverage=80).reasons[2] == "cakupan:75"
    out = scoring.apply_missing(raw, WEIGHTS, JENIS, "imputasi")
    assert out.scored.all() and out.imputed[2, 1] and out.imputed.sum() == 1
    assert out.raw[2, 1] == 30  # the median of the other kota (D: 30), not of all regions
    # reweighting: C's score is over c1 and c3 only
    norm, _ = scoring.normalise(raw, CRITERIA, "minmax")
    scores = scoring.aggregate(norm, WEIGHTS, "aritmetik")
    assert scores[2] == pytest.approx((2 * norm[2, 0] + norm[2, 2]) / 3)


def test_invariances():
    norm, _ = scoring.normalise(RAW, CRITERIA, "minmax")
    for method in scoring.AGGREGATIONS:  # multiplying every weight by a constant changes nothing
        np.testing.assert_allclose(
            scoring.aggregate(norm, WEIGHTS * 3.7, method), scoring.aggregate(norm, WEIGHTS, method)
        )
    flipped = tuple(
        scoring.Criterion(
            c.id, c.aspect, c.weight, indicator=c.indicator, direction="turun" if c.direction == "naik" else "naik"
        )
        for c in CRITERIA
    )
    np.testing.assert_allclose(scoring.normalise(RAW, flipped, "minmax")[0], 100 - norm)  # a mirror
    rng = np.random.default_rng(7)
    for _ in range(200):  # a region at least as good everywhere never ranks below under the arithmetic mean
        raw = rng.integers(0, 5, size=(6, 3)).astype(float)
        raw[1] = np.maximum(raw[1], raw[0])
        criteria = tuple(scoring.Criterion(f"k{j}", "", 1, indicator="peserta_dbhcht") for j in range(3))
        scores = scoring.aggregate(scoring.normalise(raw, criteria, "minmax")[0], rng.uniform(0.1, 10, 3), "aritmetik")
        ranks = scoring.competition_ranks(scores, "aritmetik")
        assert ranks[1] <= ranks[0]


def test_every_shipped_scheme_loads_and_names_known_indicators():
    names = scoring.scheme_names()
    assert names[0] == scoring.DEFAULT_SCHEME and {"setara", "cakupan"} <= set(names)
    for name in names:
        scheme = scoring.load_scheme(name)
        assert all(
            c.indicator in metrics.catalogue() or c.committee in scoring.committee_criteria() for c in scheme.criteria
        )
    default = scoring.load_scheme(scoring.DEFAULT_SCHEME)
    assert default.example and "bukan bobot resmi" in default.title("id")
    assert {c.aspect for c in default.criteria} == {"kinerja", "penerapan", "kebijakan", "wawancara"}
    cost = next(c for c in default.criteria if c.indicator == "biaya_per_peserta_bulan")
    assert cost.direction == "target" and cost.target == 16800  # distance to the statutory premium
    assert len(set(scoring.load_scheme("setara").weights)) == 1


def test_a_scheme_naming_an_unknown_indicator_is_refused(tmp_path):
    path = tmp_path / "salah.toml"
    path.write_text(
        'judul_id = "x"\njudul_en = "x"\nketerangan_id = "x"\nketerangan_en = "x"\n'
        'normalisasi = "minmax"\nagregasi = "aritmetik"\ndata_hilang = "kecualikan"\n'
        '[[kriteria]]\nid = "a"\nindikator = "tidak_ada"\nbobot = 5\n',
        encoding="utf-8",
    )
    with pytest.raises(scoring.SchemeError, match="tidak_ada"):
        scoring.load_scheme(path)
    with pytest.raises(scoring.SchemeError, match="skema tidak dikenal"):
        scoring.load_scheme("tidak-ada")


def test_weights_from_the_user_are_checked():
    scheme = scoring.load_scheme("setara")
    assert scheme.with_choices({"kebijakan": 0}).weights.sum() == scheme.weights.sum() - 5
    with pytest.raises(scoring.SchemeError, match="tidak dikenal"):
        scheme.with_choices({"kemiskinan": 3})
    with pytest.raises(scoring.SchemeError, match="di luar"):
        scheme.with_choices({"kebijakan": -1})
    with pytest.raises(scoring.SchemeError, match="semua bobot nol"):
        scheme.with_choices({c.id: 0 for c in scheme.criteria})
    with pytest.raises(scoring.SchemeError, match="agregasi"):
        scheme.with_choices(aggregation="median")


def test_score_explains_every_region_and_cites_every_value():
    rows = [
        obs("3509", 40300, "2025-07-10"),
        obs("3502", 29250, "2025-07-21"),
        obs("3513", 18000, "2025-07-10", kualifikasi="lebih dari"),
    ]
    result = scoring.score(tables(kepesertaan=rows), scoring.load_scheme("cakupan"), 2025, "2025-07-31")
    scored = result.regions.loc[result.regions["status"] == "dinilai"]
    assert scored["kode"].tolist() == ["3509", "3502", "3513"] and scored["peringkat"].tolist() == [1, 2, 3]
    assert scored["skor"].tolist() == [100.0, 50.4, 0.0]  # (29.250 − 18.000) / (40.300 − 18.000) = 50,4 %
    unscored = result.regions.loc[result.regions["status"] == "tidak_dinilai"]
    assert len(unscored) == 35 and unscored["peringkat"].isna().all()  # never ranked last
    assert scoring.reason_text(unscored["alasan"].iloc[0], result.scheme) != ""
    jember = result.cells.set_index("kode").loc["3509"]
    assert jember["nilai_mentah"] == 40300 and jember["ternormalisasi"] == 100 and jember["kontribusi"] == 100
    assert jember["sumber"].startswith("Uji") and jember["url"] == "https://contoh.test/1"
    assert result.cells.set_index("kode").at["3513", "kualifikasi"] == "lebih dari"
    assert result.criteria["bobot_efektif"].tolist() == [100.0]


def test_cakupan_on_publikasi_keeps_the_award_order_and_shows_why_bangkalan_comes_between(store_tables):
    """The province's award of 10 July 2025 named Jember, Ponorogo and Probolinggo. On the published
    figures as of 2025-07-31 the cakupan scheme keeps those three in that order; Bangkalan's 23.953
    (8 May 2025, not named at the award) sits between Ponorogo and Probolinggo, and Probolinggo's
    figure is the qualified 'lebih dari 18.000' — the page and dossier show both."""
    result = scoring.score(store_tables["publikasi"], scoring.load_scheme("cakupan"), 2025, "2025-07-31")
    scored = result.regions.loc[result.regions["status"] == "dinilai"].sort_values("peringkat")
    order = scored["kode"].tolist()
    assert order[:4] == ["3509", "3502", "3526", "3513"]  # Jember, Ponorogo, Bangkalan, Kab. Probolinggo
    assert scored["peringkat"].tolist()[:4] == [1, 2, 3, 4]
    cells = result.cells.set_index("kode")
    assert cells.at["3509", "nilai_mentah"] == 40300 and cells.at["3526", "nilai_mentah"] == 23953
    assert cells.at["3513", "nilai_mentah"] == 18000 and cells.at["3513", "kualifikasi"] == "lebih dari"
    assert len(result.regions) - len(scored) == 24  # no published DBHCHT-funded figure: not scored, not last
