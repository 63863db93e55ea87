"""Region reference data and the name resolver (DESIGN.md §3: region names are a trap)."""

import pandas as pd
import pytest

from analytics import regions
from analytics.regions import ALIASES_FILE, load_regions, region_by_code, regions_frame, resolve, resolve_many

# name -> (kabupaten code, kota code)
TWINS = {
    "Blitar": ("3505", "3572"),
    "Kediri": ("3506", "3571"),
    "Malang": ("3507", "3573"),
    "Probolinggo": ("3513", "3574"),
    "Pasuruan": ("3514", "3575"),
    "Mojokerto": ("3516", "3576"),
    "Madiun": ("3519", "3577"),
}


def _dotted(kode: str) -> str:
    return f"{kode[:2]}.{kode[2:]}"


def _twin_spellings():
    """Ten spellings per twin: five for the kabupaten, five for the kota."""
    for name, (kab, kota) in TWINS.items():
        yield from [
            (f"Kab. {name}", kab),
            (f"KABUPATEN {name.upper()}", kab),
            (f"{name} Regency", kab),
            (f"{name} (Kab.)", kab),
            (_dotted(kab), kab),
            (f"Kota {name}", kota),
            (f"{name} (Kota)", kota),
            (f"{name} City", kota),
            (f"kotamadya {name.lower()}", kota),
            (f"ID{kota}", kota),
        ]


PROBOLINGGO_SPELLINGS = [
    ("Kab. Probolinggo", "3513"),
    ("KABUPATEN PROBOLINGGO", "3513"),
    ("Kab Probolinggo", "3513"),
    ("Kab.Probolinggo", "3513"),
    ("kab.  probolinggo", "3513"),
    ("Probolinggo Regency", "3513"),
    ("Regency of Probolinggo", "3513"),
    ("Pemkab Probolinggo", "3513"),
    ("Pemerintah Kabupaten Probolinggo", "3513"),
    ("Kabupaten Probolinggo ", "3513"),
    ("Probolinggo, Kab.", "3513"),
    ("35.13", "3513"),
    ("3513", "3513"),
    ("id3513", "3513"),
    ("ID3513", "3513"),
    ("3513.0", "3513"),  # a spreadsheet that stored the code as a number
    ("Kota Probolinggo", "3574"),
    ("Probolinggo (Kota)", "3574"),
    ("KOTA PROBOLINGGO", "3574"),
    ("Probolinggo City", "3574"),
    ("City of Probolinggo", "3574"),
    ("Kodya Probolinggo", "3574"),
    ("Kotamadya Probolinggo", "3574"),
    ("Kota Madya Probolinggo", "3574"),
    ("Pemkot Probolinggo", "3574"),
    ("Probolinggo Kota", "3574"),
]

MESSY_SPELLINGS = [
    ("Kab.\u00a0Probolinggo", "3513"),  # non-breaking space
    ("Kab.\tProbolinggo", "3513"),
    ("  Kabupaten    Probolinggo  ", "3513"),
    ("Kabupaten Probolinggo.", "3513"),
    ('"Kab. Probolinggo"', "3513"),
    ("'Kota Probolinggo'", "3574"),
    ("“Kota Probolinggo”", "3574"),
    ("kAbUpAtEn pRoBoLiNgGo", "3513"),
    ("Kab. Probolinggo, Jawa Timur", "3513"),
    ("３５１３", "3513"),  # full-width digits
    ("Kabupatèn Pamèkasan", "3528"),  # accents (Madurese/Javanese spelling)
    ("Tulung Agung", "3504"),  # space inside a one-word name
]

UNAMBIGUOUS_SPELLINGS = [
    ("Jember", "3509"),
    ("surabaya", "3578"),
    ("Batu", "3579"),
    ("Sumenep", "3529"),
    ("Kota Surabaya", "3578"),
    ("Surabaya City", "3578"),
    ("Batu City", "3579"),
    ("Kota Batu", "3579"),
    ("Kabupaten Pacitan", "3501"),
    ("Sidoarjo Regency", "3515"),
    ("BANYUWANGI", "3510"),
    ("Kab. Sumenep", "3529"),
    ("3578", "3578"),
    ("35.01", "3501"),
    ("Sidoardjo", "3515"),  # alias: old spelling
    ("Kab. Djember", "3509"),  # alias + type word
    ("Kota Modjokerto", "3576"),  # twin alias that names its type
]

OK_CASES = list(_twin_spellings()) + PROBOLINGGO_SPELLINGS + MESSY_SPELLINGS + UNAMBIGUOUS_SPELLINGS


@pytest.mark.parametrize(("text", "kode"), OK_CASES)
def test_resolves(text, kode):
    result = resolve(text)
    assert (result.status, result.kode) == ("ok", kode), result.message
    assert result.text == text
    assert result.candidates == () and result.suggestions == ()
    assert kode in result.message and kode in result.message_en


def test_enough_spellings_and_every_twin_in_several_forms():
    assert len(OK_CASES) >= 80
    for kab, kota in TWINS.values():
        assert sum(kode == kab for _, kode in OK_CASES) >= 4
        assert sum(kode == kota for _, kode in OK_CASES) >= 4


# --------------------------------------------------------------------------- ambiguous


BARE_TWINS = [
    "Probolinggo",
    "MALANG",
    "kediri",
    "Blitar",
    "Pasuruan",
    "Mojokerto",
    "Madiun",
    " probolinggo. ",
    "'Malang'",
    "Kediri\u00a0",
    "Modjokerto",  # old spelling, still a twin
]


@pytest.mark.parametrize("text", BARE_TWINS)
def test_bare_twin_is_ambiguous_never_guessed(text):
    result = resolve(text)
    assert result.status == "ambiguous"
    assert result.kode is None
    assert len(result.candidates) == 2
    assert result.candidates in TWINS.values()


@pytest.mark.parametrize(("name", "codes"), TWINS.items())
def test_ambiguous_message_names_both_candidates_and_codes(name, codes):
    result = resolve(name)
    assert result.candidates == codes
    for kode, kind in zip(codes, ("Kabupaten", "Kota")):
        assert f"{kind} {name} ({kode})" in result.message
        assert f"{kind} {name} ({kode})" in result.message_en
    assert "ambigu" in result.message and '"Kab." atau "Kota"' in result.message
    assert "ambiguous" in result.message_en


def test_ambiguous_message_exact_wording():
    assert resolve("Probolinggo").message == (
        'Nama "Probolinggo" ambigu: bisa Kabupaten Probolinggo (3513) atau Kota Probolinggo (3574). '
        'Tulis "Kab." atau "Kota".'
    )


# --------------------------------------------------------------------------- unknown


@pytest.mark.parametrize(
    ("text", "real"),
    [
        ("Kabupaten Surabaya", "3578"),
        ("Kota Jember", "3509"),
        ("Kab. Batu", "3579"),
        ("Sumenep City", "3529"),
        ("Batu Regency", "3579"),
    ],
)
def test_contradicting_type_is_unknown_with_the_real_region(text, real):
    result = resolve(text)
    assert (result.status, result.kode, result.suggestions) == ("unknown", None, (real,))
    assert region_by_code(real).nama in result.message
    assert real in result.message_en


@pytest.mark.parametrize("text", ["Kabupaten Bandung", "Kota Semarang", "Jakarta", "Bali", "Kab. Sleman"])
def test_name_outside_east_java_is_unknown(text):
    result = resolve(text)
    assert (result.status, result.kode) == ("unknown", None)
    assert "bukan kabupaten/kota di Jawa Timur" in result.message
    assert "East Java" in result.message_en


@pytest.mark.parametrize("text", ["3204", "35.99", "99", "3500", "3530", "3570", "3580", "ID3204", "123456"])
def test_code_outside_east_java_is_unknown(text):
    result = resolve(text)
    assert (result.status, result.kode, result.suggestions) == ("unknown", None, ())
    assert "bukan kode kabupaten/kota di Jawa Timur" in result.message
    assert "East Java" in result.message_en


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Probolingo", ("3513", "3574")),
        ("Banyuwangy", ("3510",)),
        ("Bojonegara", ("3522",)),
        ("Sidoharjo", ("3515",)),
        ("Kab. Probolingo", ("3513", "3574")),
        ("Kota Probolingo", ("3574", "3513")),
    ],
)
def test_misspelling_is_unknown_with_closest_suggestions(text, expected):
    result = resolve(text)
    assert (result.status, result.kode) == ("unknown", None)
    assert result.suggestions == expected  # the stated type comes first
    assert len(result.suggestions) <= 3
    for kode in expected:
        assert kode in result.message and kode in result.message_en


@pytest.mark.parametrize("text", ["", "   ", "\t", "\u00a0", '""', None, float("nan"), pd.NA])
def test_empty_input_is_unknown_with_clear_message(text):
    result = resolve(text)
    assert (result.status, result.kode, result.suggestions) == ("unknown", None, ())
    assert "kosong" in result.message and "empty" in result.message_en


@pytest.mark.parametrize("text", ["Jawa Timur", "35", "Provinsi Jawa Timur", "Jatim", "East Java", "ID35"])
def test_province_is_unknown_and_said_so(text):
    result = resolve(text)
    assert (result.status, result.kode) == ("unknown", None)
    assert "provinsi" in result.message and "bukan kabupaten/kota" in result.message
    assert "province" in result.message_en


@pytest.mark.parametrize("text", ["Kab/Kota Probolinggo", "Kota Probolinggo Regency"])
def test_both_types_at_once_is_unknown(text):
    result = resolve(text)
    assert (result.status, result.suggestions) == ("unknown", ("3513", "3574"))
    assert "sekaligus" in result.message


# --------------------------------------------------------------------------- reference data


def test_38_regions_29_kabupaten_9_kota():
    loaded = load_regions()
    assert len(loaded) == 38
    assert sum(r.jenis == "kabupaten" for r in loaded) == 29
    assert sum(r.jenis == "kota" for r in loaded) == 9


def test_codes_unique_and_in_range():
    codes = [r.kode for r in load_regions()]
    assert len(set(codes)) == len(codes)
    expected = {str(k) for k in range(3501, 3530)} | {str(k) for k in range(3571, 3580)}
    assert set(codes) == expected


def test_names_match_type():
    for region in load_regions():
        prefix = "Kabupaten " if region.jenis == "kabupaten" else "Kota "
        assert region.nama.startswith(prefix)


@pytest.mark.parametrize("region", load_regions(), ids=lambda r: r.kode)
def test_every_official_name_and_code_resolves(region):
    assert resolve(region.nama).kode == region.kode
    assert resolve(region.nama_pendek).kode == region.kode
    assert resolve(region.kode).kode == region.kode


def test_region_by_code():
    assert region_by_code("3574") == regions.Region("3574", "Kota Probolinggo", "Kota Probolinggo", "kota")
    for bad in ["35", "3599", "Probolinggo", ""]:
        with pytest.raises(KeyError):
            region_by_code(bad)


def test_regions_frame():
    frame = regions_frame()
    assert list(frame.columns) == ["kode", "nama", "nama_pendek", "jenis"]
    assert len(frame) == 38
    assert all(isinstance(k, str) for k in frame["kode"])
    frame.loc[0, "nama"] = "changed"  # callers get a copy, never the cache
    assert regions_frame().loc[0, "nama"] == "Kabupaten Pacitan"


def test_resolve_many_keeps_order_and_accepts_a_series():
    texts = pd.Series(["Kab. Malang", "Malang", "Kota Malang", None, 3573])
    results = resolve_many(texts)
    assert [r.status for r in results] == ["ok", "ambiguous", "ok", "unknown", "ok"]
    assert [r.kode for r in results] == ["3507", None, "3573", None, "3573"]


# --------------------------------------------------------------------------- aliases


def _aliases():
    return pd.read_csv(ALIASES_FILE, dtype=str, keep_default_na=False)


def test_alias_file_shape():
    frame = _aliases()
    assert list(frame.columns) == ["kode", "alias", "catatan"]
    assert len(frame) > 0
    assert (frame["catatan"].str.strip() != "").all()
    assert not frame["alias"].str.casefold().duplicated().any()


@pytest.mark.parametrize(("kode", "alias"), list(_aliases()[["kode", "alias"]].itertuples(index=False)))
def test_alias_resolves_to_its_own_code(kode, alias):
    result = resolve(alias)
    assert (result.status, result.kode) == ("ok", kode), result.message
    assert alias.strip().casefold() not in {name.casefold() for name in TWINS}


def test_loader_refuses_a_bare_twin_alias():
    index = {key: dict(entry) for key, entry in regions._name_index().items()}
    with pytest.raises(ValueError, match="twin"):
        regions._add_alias(index, "3516", "Modjokerto")
    with pytest.raises(ValueError):
        regions._add_alias(index, "3509", "Kota Djember")  # type contradicts the region
