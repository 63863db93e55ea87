"""The printed reports as an official brings them to a meeting: the PDF (pdftotext, pdfinfo, pdftoppm)
names the region, its figures as the pages show them, their ranks and their sources; every page says
which dataset, which date and which page it is; synthetic data is marked on every page; English reads
English; text from data never becomes markup; the command line writes the same files."""

import datetime as dt
import re
import subprocess
import sys

import pandas as pd
import pytest

from analytics import export, fmt, metrics, report_pages, reports
from tests.test_dossier import flat, pdf_info, pdf_text

YEAR, AS_OF = 2025, dt.date(2025, 7, 31)
PRINTED = dt.date(2026, 12, 2)
JEMBER = "3509"


@pytest.fixture(scope="module", autouse=True)
def _image_server():
    yield
    export.stop_image_server()


def context(store_tables, dataset="publikasi", lang="id", year=YEAR, as_of=AS_OF):
    return reports.Context(store_tables[dataset], dataset, year, as_of, lang, printed_on=PRINTED)


@pytest.fixture(scope="module")
def region(store_tables):
    return reports.region_report(context(store_tables), JEMBER)


@pytest.fixture(scope="module")
def province(store_tables):
    return reports.province_report(context(store_tables))


@pytest.fixture(scope="module")
def printed(region, province, store_tables, tmp_path_factory):
    folder = tmp_path_factory.mktemp("laporan")
    made = {
        "wilayah": region,
        "provinsi": province,
        "wilayah_contoh_en": reports.region_report(context(store_tables, "contoh", "en"), JEMBER),
        "provinsi_contoh_en": reports.province_report(context(store_tables, "contoh", "en")),
    }
    out = {}
    for name, report in made.items():
        out[name] = folder / f"{name}.pdf"
        out[name].write_bytes(report_pages.pdf_bytes(report))
    return out


def pages(path) -> int:
    return int(pdf_info(path)["Pages"])


# ---------------------------------------------------------------- the figures


def test_region_headline_is_the_ranking_of_the_pages(region, store_tables):
    row = region.headline.set_index("indikator").loc["peserta_dbhcht"]
    assert row["nilai"] == 40_300 and row["peringkat"] == 1 and row["jumlah"] == 14
    assert bool(row["baru"])  # no 2024 figure: 'baru', never a rank change among a different set
    assert list(region.headline["indikator"]) == list(metrics.catalogue())
    lead = report_pages.region_lead(region)
    assert lead == (
        "Kabupaten Jember mencatat 40.300 peserta BPJS Ketenagakerjaan yang didanai DBHCHT per "
        "10 Juli 2025, peringkat 1 dari 14 daerah yang punya angka."
    )


def test_region_peers_are_neighbours_then_similar_population(region):
    assert region.peers.iloc[0]["kode"] == JEMBER and region.peers.iloc[0]["alasan"] == "wilayah_ini"
    reasons = list(region.peers["alasan"])[1:]
    assert reasons == sorted(reasons, key=lambda r: r != "tetangga") and "tetangga" in reasons
    assert {"3508", "3510", "3511"} <= set(region.peers["kode"])  # Lumajang, Banyuwangi, Bondowoso border Jember


def test_province_summary_counts_change_on_common_regions_only(province):
    s = province.summary
    assert s["total"] == pytest.approx(province.table["nilai"].sum()) and s["regions"] == 14
    assert 0 < s["common"] < s["regions"]
    both = province.table.dropna(subset=["nilai", "nilai_lalu"])
    assert s["change_pct"] == pytest.approx((both["nilai"].sum() / both["nilai_lalu"].sum() - 1) * 100)


def test_province_leaders_and_laggards_with_ties(store_tables):
    ctx = context(store_tables)
    table = ctx.ranking("peserta_dbhcht").copy()
    ranked = table["peringkat"].notna()
    last = table.loc[ranked, "peringkat"].max()
    table.loc[table["peringkat"] == last - 1, "peringkat"] = last  # a tie on the last rank
    ctx.known[("peserta_dbhcht", YEAR)] = table
    report = reports.province_report(ctx)
    assert list(report.leaders["peringkat"]) == [1, 2, 3]
    assert (report.laggards["peringkat"] >= table.loc[ranked, "peringkat"].sort_values().iloc[-3]).all()
    assert len(report.laggards) >= 3


def test_few_regions_name_no_laggards(store_tables):
    ctx = context(store_tables)
    table = ctx.ranking("peserta_dbhcht")
    keep = table["peringkat"] <= 4
    ctx.known[("peserta_dbhcht", YEAR)] = table.assign(
        peringkat=table["peringkat"].where(keep), nilai=table["nilai"].where(keep)
    )
    assert reports.province_report(ctx).laggards.empty  # the 'last three' of four are the leaders


# ---------------------------------------------------------------- the printed pages


def test_region_pdf_names_region_figures_and_sources(printed, region):
    path = printed["wilayah"]
    assert 2 <= pages(path) <= 4
    text = flat(pdf_text(path))
    assert "Laporan Wilayah" in text and "Kabupaten Jember" in text
    assert "40.300" in text and "1 dari 14" in text
    for row in region.headline.dropna(subset=["nilai"]).to_dict("records"):
        indicator = metrics.catalogue()[row["indikator"]]
        assert report_pages.value_text(row["nilai"], row["kualifikasi"], row["catatan"], indicator, "id") in text
    # every source behind a headline figure is in the numbered list, with its publisher and link
    for cited in region.headline["sumber"].dropna():
        for part in filter(None, cited.split(" | ")):
            assert part.split(",")[0] in text
    assert "halopos.id" in text.replace(" ", "")
    assert "Rp16.800" in text  # the cost section names its reference even when it cannot be computed


def test_every_page_carries_dataset_date_and_number(printed):
    for name, path in printed.items():
        n = pages(path)
        for page in range(1, n + 1):
            text = flat(pdf_text(path, page))
            lang = "en" if name.endswith("_en") else "id"
            assert fmt.t("dossier_page", lang).format(page=page, pages=n) in text, (name, page)
            assert ("data as of" if lang == "en" else "data per") in text
            assert ("printed December 2, 2026" if lang == "en" else "dicetak 2 Desember 2026") in text
            if "contoh" in name:
                assert "SAMPLE DATA" in text, (name, page)


def test_province_pdf_has_ranking_gaps_leaders_and_method(printed, province):
    path = printed["provinsi"]
    assert 3 <= pages(path) <= 6
    text = flat(pdf_text(path))
    for phrase in (
        "Laporan Provinsi",
        "Angka provinsi",
        "Teratas: 1. Kabupaten Jember 40.300",
        "Peringkat lengkap",
        "Daerah tanpa data (24)",
        "Catatan metode",
        "Batas wilayah: BPS & OCHA",
    ):
        assert phrase in text, phrase
    ranked = province.table.dropna(subset=["peringkat"])
    indicator = metrics.catalogue()["peserta_dbhcht"]
    for row in ranked.to_dict("records"):
        assert row["nama"] in text
        assert report_pages.value_text(row["nilai"], row["kualifikasi"], row["catatan"], indicator, "id") in text
    for row in province.table.loc[province.table["peringkat"].isna()].to_dict("records"):
        assert row["nama"] in text  # every region without data is listed, with its reason


def test_pages_render(printed, tmp_path):
    """pdftoppm draws every page (the images are looked at by hand; here: none is blank)."""
    from PIL import Image

    for name, path in printed.items():
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / name)], check=True)
        images = sorted(tmp_path.glob(f"{name}-*.png"))
        assert len(images) == pages(path)
        for image in images:
            lo, hi = Image.open(image).convert("L").getextrema()
            assert hi - lo > 100, image


def test_english_reads_english(printed):
    text = flat(pdf_text(printed["provinsi_contoh_en"]))
    for phrase in ("Province Report", "Province figures", "Full ranking", "Method notes", "SAMPLE DATA"):
        assert phrase in text
    assert "Laporan" not in text and "Daerah tanpa" not in text
    region = flat(pdf_text(printed["wilayah_contoh_en"]))
    assert "Region Report" in region and "Headline figures" in region and "Peers" in region


def test_empty_dataset_says_so(store_tables, tmp_path):
    ctx = context(store_tables, "resmi")
    province = reports.province_report(ctx)
    html = report_pages.province_html(province)
    assert "tidak ada peringkat" in html and "Daerah tanpa data (38)" in html
    region = reports.region_report(ctx, JEMBER)
    assert "Belum ada angka peserta DBHCHT Kabupaten Jember" in report_pages.region_html(region)


def test_text_from_data_is_escaped(store_tables):
    tables = dict(store_tables["publikasi"])
    tables["sumber"] = tables["sumber"].assign(judul='<img src=x onerror=alert(1)> "Rekap"')
    ctx = reports.Context(tables, "publikasi", YEAR, AS_OF, "id", printed_on=PRINTED)
    html = report_pages.region_html(reports.region_report(ctx, JEMBER))
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_file_names(store_tables):
    ctx = context(store_tables, lang="en")
    assert reports.file_name("wilayah", ctx, JEMBER) == "laporan_wilayah_publikasi_3509_2025_2025-07-31_en.pdf"


# ---------------------------------------------------------------- command line


def run_cli(store_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(store_path), *args], capture_output=True, text=True, timeout=300
    )


def test_cli_writes_region_report_by_name(store_path, tmp_path):
    target = tmp_path / "jember.pdf"
    done = run_cli(
        store_path, "report", "wilayah", "Kab. Jember", "--year", "2025", "--as-of", "2025-07-31", "-o", str(target)
    )
    assert done.returncode == 0, done.stderr
    text = flat(pdf_text(target))
    assert "Kabupaten Jember" in text and "40.300" in text


def test_cli_refuses_ambiguous_region_and_wrong_file(store_path, tmp_path):
    done = run_cli(store_path, "report", "wilayah", "Probolinggo", "-o", str(tmp_path / "x.pdf"))
    assert done.returncode == 2 and "ambigu" in done.stderr and "3574" in done.stderr
    done = run_cli(store_path, "report", "provinsi", "-o", str(tmp_path / "x.txt"))
    assert done.returncode == 2 and ".pdf" in done.stderr
    done = run_cli(store_path, "report", "wilayah", "-o", str(tmp_path / "x.pdf"))
    assert done.returncode == 2 and "wilayah" in done.stderr
    done = run_cli(store_path, "report", "provinsi", "--indicator", "nope", "-o", str(tmp_path / "x.pdf"))
    assert done.returncode == 2 and "indikator tidak dikenal" in done.stderr
    assert not list(tmp_path.iterdir())


def test_printing_the_dossier_still_uses_the_shared_queue():
    from analytics import dossier, printing

    assert dossier.DossierError is printing.PrintError
    assert re.search(r"Halaman \{page\}", fmt.t("dossier_page", "id"))
    indicator = metrics.catalogue()["peserta_dbhcht"]
    assert report_pages.value_text(float("nan"), None, None, indicator, "id") == "tidak ada data"
    assert report_pages.value_text(29_250, "lebih dari", None, indicator, "en") == "more than 29,250"
    months = "cakupan 6 bulan (Jul–Des 2025)"
    assert report_pages.value_text(15_624, None, months, indicator, "id") == "15.624 (6 bln)"


def test_the_profil_pages_trend_frame_is_the_reports_own(region, store_tables):
    """Profil hands the report its cached trend frame (reports.Context.trends); it must be the
    frame the report builds itself, built as views/profil.py builds it."""
    from analytics import ranking, series

    data = store_tables["publikasi"]
    compute = series.computer(data)
    frames = [
        series.yearly_series(compute, ind, region.years, AS_OF)
        .pipe(lambda t: t.loc[t["kode"] == JEMBER])
        .assign(indikator=ind)
        for ind in metrics.catalogue()
    ]
    page_frame = ranking.with_sources(pd.concat(frames, ignore_index=True), data["sumber"])
    pd.testing.assert_frame_equal(page_frame, region.trends)
    given = context(store_tables)
    given.trends[(JEMBER, region.years)] = page_frame
    assert reports.region_report(given, JEMBER).trends is page_frame
