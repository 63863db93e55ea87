"""Command line: python -m analytics {build, regions resolve, indicators, ranking, score, report, import,
batches, rollback, template, password-hash}.

Exit status: 0 success; 1 an import not stored (errors in the file, or warnings not accepted);
2 bad arguments or unknown names; 3 the store could not be written (nothing changed). Messages for
2 and 3 go to stderr.

This module holds the parser, the dispatch and the other commands; `score` is in analytics/cli_score.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

from analytics import fmt, metrics, ranking, regions, schema, store
from analytics.cli_common import UsageError, dataset_tables, default_as_of
from analytics.cli_score import DRAWS, MAX_DRAWS, MIN_DRAWS, cmd_score

EXIT_INVALID = 1  # an import refused by its checks: nothing stored
EXIT_USAGE = 2
EXIT_STORE = 3  # the store could not be written (permissions, disk full, read-only volume)
KINDS = (
    "kepesertaan",
    "anggaran",
    "klaim",
    "denominator",
    "penilaian",
)  # analytics.importing.templates.KINDS, without importing it


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 too; keep its message but in our words
        raise UsageError(f"{self.prog}: {message}")


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus YYYY-MM-DD, bukan {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description="Dasbor Jamsos DBHCHT Jawa Timur: data dan peringkat")
    parser.add_argument("--db", type=Path, help="berkas DuckDB (bawaan: $JAMSOS_DB atau var/jamsos.duckdb)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    commands.add_parser("build", help="buat/perbarui store dari data/ (idempoten)")

    region_cmd = commands.add_parser("regions", help="wilayah")
    region_sub = region_cmd.add_subparsers(dest="regions_command", required=True, parser_class=_Parser)
    resolve = region_sub.add_parser("resolve", help="cocokkan nama/kode wilayah")
    resolve.add_argument("text", nargs="+")

    indicators = commands.add_parser("indicators", help="katalog indikator")
    indicators.add_argument("--format", choices=("table", "csv", "json"), default="table")

    rank = commands.add_parser("ranking", help="peringkat 38 kab/kota untuk satu indikator")
    rank.add_argument("--indicator", required=True)
    rank.add_argument("--year", required=True, type=int)
    rank.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        help="YYYY-MM-DD (bawaan: tanggal angka terbaru dataset untuk tahun itu)",
    )
    rank.add_argument("--dataset", choices=store.DATASETS, default="publikasi")
    rank.add_argument("--jenis", choices=ranking.JENIS, default=None)
    rank.add_argument("--format", choices=("table", "csv", "json"), default="table")
    rank.add_argument("--lang", choices=fmt.LANGUAGES, default="id")

    imp = commands.add_parser(
        "import", help="impor berkas CSV/XLSX petugas data (satu batch, semua atau tidak sama sekali)"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--sheet", default=None)
    imp.add_argument("--kind", choices=KINDS, default=None, help="jenis data (bawaan: dikenali dari judul kolom)")
    imp.add_argument("--dataset", choices=("resmi",), default="resmi")
    imp.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")
    imp.add_argument("--source", default=None, help="keterangan sumber, mis. 'Disnaker Kab. Jember, rekap Juli 2025'")
    imp.add_argument(
        "--accept-warnings", action="store_true", help="simpan walau ada peringatan (setelah Anda memeriksanya)"
    )

    commands.add_parser("password-hash", help="buat hash kata sandi halaman Kelola Data (dibaca dari stdin/terminal)")

    tpl = commands.add_parser("template", help="tulis templat XLSX/CSV untuk petugas data")
    tpl.add_argument("kind", choices=KINDS)
    tpl.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    tpl.add_argument("-o", "--output", type=Path, default=None, help="berkas tujuan (bawaan: templat_JENIS.FORMAT)")

    score = commands.add_parser("score", help="skor gabungan penilaian (skema, bobot, ketahanan peringkat)")
    score.add_argument("--year", required=True, type=int)
    score.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        help="YYYY-MM-DD (bawaan: tanggal angka terbaru dataset untuk tahun itu)",
    )
    score.add_argument("--dataset", choices=store.DATASETS, default="publikasi")
    score.add_argument("--scheme", default="paritrana_contoh", help="nama skema (data/penilaian/) atau berkas .toml")
    score.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="KRITERIA=BOBOT",
        help="bobot 0–10 satu kriteria (boleh berulang)",
    )
    score.add_argument("--normalisation", choices=("minmax", "zscore", "peringkat", "target"), default=None)
    score.add_argument("--aggregation", choices=("aritmetik", "geometrik", "copeland"), default=None)
    score.add_argument("--missing", choices=("kecualikan", "bobot_ulang", "imputasi"), default=None)
    score.add_argument(
        "--draws",
        type=int,
        default=DRAWS,
        help=f"undian Monte Carlo uji ketahanan ({MIN_DRAWS}–{MAX_DRAWS}; 0 = tanpa uji; bawaan {DRAWS})",
    )
    score.add_argument("--seed", type=int, default=None, help="seed undian acak (bawaan: seed tetap proyek, 20250710)")
    score.add_argument(
        "--perturbation",
        type=float,
        default=25.0,
        metavar="PERSEN",
        help="gangguan tiap bobot, ± persen (0–100; bawaan 25)",
    )
    score.add_argument(
        "--dossier",
        type=Path,
        default=None,
        metavar="FILE.pdf",
        help="tulis Lembar Penilaian (PDF); berkas .xlsx: buku kerjanya",
    )
    score.add_argument("--format", choices=("table", "csv", "json"), default="table")
    score.add_argument("--lang", choices=fmt.LANGUAGES, default="id")

    report = commands.add_parser("report", help="laporan cetak A4 (PDF): satu wilayah atau provinsi")
    report.add_argument("kind", choices=("wilayah", "provinsi"))
    report.add_argument("region", nargs="?", default=None, metavar="KODE|NAMA", help="wilayah (untuk 'wilayah')")
    report.add_argument("--year", type=int, default=None, help="tahun anggaran (bawaan: seperti dasbor, tahun terbaru)")
    report.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        help="YYYY-MM-DD (bawaan: tanggal angka terbaru dataset untuk tahun itu)",
    )
    report.add_argument("--dataset", choices=store.DATASETS, default="publikasi")
    report.add_argument("--indicator", default="peserta_dbhcht", help="indikator peta dan peringkat (provinsi)")
    report.add_argument("--lang", choices=fmt.LANGUAGES, default="id")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")

    commands.add_parser("batches", help="daftar batch impor")
    roll = commands.add_parser("rollback", help="batalkan satu batch impor (riwayat tetap tersimpan)")
    roll.add_argument("batch_id", type=int)
    return parser


# ---------------------------------------------------------------- commands


def cmd_build(args) -> int:
    report = store.build(args.db)
    print(f"Store: {report.path} (skema versi {schema.SCHEMA_VERSION}, {report.migrations_applied} migrasi diterapkan)")
    for load in report.loads:
        state = "tidak berubah" if load.skipped else f"dimuat: {load.rows} baris"
        print(f"  {load.dataset}: batch {load.batch_id}, {state}")
    return 0


def cmd_resolve(args) -> int:
    failures = 0
    for res in regions.resolve_many(args.text):
        if res.status == "ok":
            region = regions.region_by_code(res.kode)
            print(f"{res.text}\t{res.kode}\t{region.nama}")
        else:
            failures += 1
            print(f"{res.text}\t{res.status}\t{res.message}", file=sys.stderr)
    return EXIT_USAGE if failures else 0


def cmd_indicators(args) -> int:
    rows = [
        {
            "id": ind.id,
            "judul": ind.judul_id,
            "title": ind.judul_en,
            "satuan": ind.satuan_id,
            "desimal": ind.desimal,
            "lebih_tinggi_lebih_baik": ind.lebih_tinggi_lebih_baik,
            "nilai_acuan": ind.nilai_acuan,
            "definisi": ind.definisi_id,
        }
        for ind in metrics.catalogue().values()
    ]
    frame = pd.DataFrame(rows)
    _emit(frame, args.format, columns=["id", "judul", "satuan", "desimal", "lebih_tinggi_lebih_baik"])
    return 0


def cmd_ranking(args) -> int:
    if args.indicator not in metrics.catalogue():
        known = ", ".join(metrics.catalogue())
        raise UsageError(f"indikator tidak dikenal: {args.indicator!r}. Pilihan: {known}")
    tables = dataset_tables(args.db, args.dataset)
    as_of = args.as_of or default_as_of(tables, args.year)
    table = ranking.cited_ranking(tables, args.indicator, args.year, as_of, args.jenis)
    indicator = metrics.catalogue()[args.indicator]
    if args.format == "json":
        print(json.dumps(_ranking_json(table, indicator, args, as_of), ensure_ascii=False, indent=2, default=str))
    elif args.format == "csv":
        sys.stdout.write(ranking.export_frame(table, indicator, args.lang).to_csv(index=False, lineterminator="\n"))
    else:
        _print_ranking_table(table, indicator, args, as_of)
    return 0


def _ranking_json(table, indicator, args, as_of) -> dict:
    ranked, missing = ranking.split_ranked(table)
    export = ranking.export_frame(table, indicator, args.lang)
    return {
        "indikator": indicator.id,
        "judul": indicator.title(args.lang),
        "tahun": args.year,
        "tanggal_data": as_of.isoformat(),
        "dataset": args.dataset,
        "jenis": args.jenis,
        "peringkat": export.iloc[: len(ranked)].to_dict(orient="records"),
        "tidak_ada_data": export.iloc[len(ranked) :].to_dict(orient="records"),
    }


def _print_ranking_table(table, indicator, args, as_of) -> None:
    ranked, missing = ranking.split_ranked(table)
    lang = args.lang
    print(
        f"{indicator.title(lang)} — {args.year}, data per {fmt.date(as_of, lang)}, dataset {args.dataset}"
        + (f", {args.jenis}" if args.jenis else "")
    )
    if len(ranked):
        print(fmt.t("rank_change_rule", lang, n=int(ranked["jumlah_sebanding"].iloc[0]), previous=args.year - 1))
    for row in ranked.itertuples():
        change = (
            f" ({fmt.t('change_new', lang)})"
            if row.baru
            else ""
            if pd.isna(row.perubahan_peringkat)
            else f" ({int(row.perubahan_peringkat):+d})"
        )
        shown = fmt.qualified(fmt.value(row.nilai, indicator.satuan, indicator.desimal, lang), row.kualifikasi, lang)
        print(
            f"{int(row.peringkat):>3}. {row.nama:<24} {shown:>20}"
            f"{change}  {fmt.date(row.tanggal_data, lang)}  {row.sumber}"
        )
    if len(missing):
        print(f"\nTidak ada data ({len(missing)}):")
        for row in missing.itertuples():
            print(f"     {row.nama:<24} {row.catatan}")


def _emit(frame: pd.DataFrame, kind: str, columns: list[str]) -> None:
    if kind == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    elif kind == "json":
        print(frame.to_json(orient="records", force_ascii=False, indent=2))
    else:
        print(frame[columns].to_string(index=False))


def cmd_import(args) -> int:
    from analytics.importing import importer, reader_process  # pandas/openpyxl reading is only needed here
    from analytics.importing.problems import clean_file_name, one_line
    from analytics.importing.reading_limits import UPLOAD_CAP as MAX_IMPORT_BYTES

    path: Path = args.file
    if not path.is_file():  # a name is printed on one line: a newline in it cannot forge output
        raise UsageError(f"berkas tidak ditemukan: {one_line(str(path))}")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise UsageError(
            f"{clean_file_name(path.name)}: {path.stat().st_size / 2**20:.0f} MB, "
            f"batasnya {MAX_IMPORT_BYTES // 2**20} MB"
        )
    data = path.read_bytes()
    result = reader_process.read_file(path.name, data, sheet=args.sheet, kind=args.kind)
    db = Path(args.db or store.default_db_path())
    if not db.exists():
        store.build(db)
    plan = importer.plan(db, result, data, args.dataset)
    _print_mapping(result)
    _print_problems(plan.problems)
    errors = sum(p.level == "error" for p in plan.problems)
    if errors:
        print(f"Tidak disimpan: {errors} kesalahan. Perbaiki lalu impor ulang.")
        return EXIT_INVALID
    if plan.existing_batch:
        print(f"Berkas ini sudah diimpor sebagai batch {plan.existing_batch}; tidak ada yang diubah.")
        return 0
    summary = f"{len(result.rows)} baris {result.kind}" + (
        f", mengoreksi {plan.corrections} angka tersimpan" if plan.corrections else ""
    )
    if args.dry_run:
        print(f"Pemeriksaan lolos: {summary} (tidak disimpan, --dry-run).")
        return 0
    if plan.warnings and not args.accept_warnings:
        print(
            f"Tidak disimpan: {len(plan.warnings)} peringatan perlu diperiksa. "
            "Bila angkanya benar, jalankan ulang dengan --accept-warnings."
        )
        return EXIT_INVALID
    load = _commit(db, plan, args)
    if load is None:
        return EXIT_INVALID
    if load.skipped:  # the same file, stored meanwhile by someone else
        print(f"Berkas ini sudah diimpor sebagai batch {load.batch_id}; tidak ada yang diubah.")
    else:
        print(f"Disimpan sebagai batch {load.batch_id} ({summary}, dataset {args.dataset}).")
    return 0


def _commit(db: Path, plan, args):
    """Store the plan; None when not stored. Another import may have landed since the checks: then
    the new warnings are printed, and stored over only with --accept-warnings (which accepts any)."""
    from analytics.importing import importer

    while True:  # each round re-checks against a newer store; ends unless imports keep landing
        try:
            return importer.commit(db, plan, source=args.source or "", acknowledged=args.accept_warnings)
        except importer.PlanChanged as changed:
            print(
                f"Store berubah sejak pemeriksaan (impor lain tersimpan lebih dulu): "
                f"{len(changed.new)} peringatan baru."
            )
            _print_problems(changed.new)
            if not args.accept_warnings:
                print("Tidak disimpan. Bila angkanya benar, jalankan ulang dengan --accept-warnings.")
                return None
            plan = changed.plan


def _print_problems(problems) -> None:
    for problem in problems:
        print(f"{'KESALAHAN' if problem.level == 'error' else 'peringatan'} — {problem}")


def _print_mapping(result) -> None:
    sheet = f", sheet {result.sheet!r}" if result.sheet else ""
    print(f"Berkas {result.file}{sheet}, jenis {result.kind or '?'}, baris judul {result.header_row}:")
    for source, column in result.mapping.items():
        scale = result.scales.get(column)
        print(f"  kolom {source!r} -> {column}" + (f" (× {scale:,.0f})".replace(",", ".") if scale else ""))
    for source in result.unused:
        print(f"  kolom {source!r} tidak dipakai")


def cmd_password_hash(args) -> int:
    import getpass

    from analytics import passwords

    password = getpass.getpass("Kata sandi: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not password:
        raise UsageError("kata sandi kosong")
    print(passwords.make_hash(password))
    return 0


def cmd_template(args) -> int:
    from analytics.importing import templates

    build = templates.build_xlsx if args.format == "xlsx" else templates.build_csv
    target = args.output or Path(templates.file_name(args.kind, args.format))
    target.write_bytes(build(args.kind))
    print(f"Templat {args.kind} ditulis ke {target}")
    return 0


def cmd_batches(args) -> int:
    path = Path(args.db or store.default_db_path())
    if not path.exists():
        print(f"Belum ada store di {path}; jalankan `build` dulu.")
        return 0
    with store.reading(path) as con:
        frame = store.batches(con)
    columns = ["batch_id", "dataset", "status", "dibuat_pada", "jumlah_baris", "nama_file", "keterangan"]
    print(frame[columns].to_string(index=False) if len(frame) else "Belum ada batch.")
    return 0


def cmd_rollback(args) -> int:
    from analytics.importing import importer

    try:
        dataset = importer.rollback(args.db or store.default_db_path(), args.batch_id)
    except store.BatchError as error:
        raise UsageError(str(error)) from None
    print(f"Batch {args.batch_id} dibatalkan; dataset {dataset} kembali seperti sebelum impor itu (riwayat tetap ada).")
    return 0


def cmd_report(args) -> int:
    """Laporan wilayah / provinsi as an A4 PDF (analytics.reports + analytics.report_pages)."""
    from analytics import export, printing, report_pages, reports

    target = _pdf_target(args.output)
    kode = _report_region(args) if args.kind == "wilayah" else None
    if args.indicator not in metrics.catalogue():
        raise UsageError(f"indikator tidak dikenal: {args.indicator!r}. Pilihan: {', '.join(metrics.catalogue())}")
    tables = dataset_tables(args.db, args.dataset)
    year = (
        args.year
        if args.year is not None
        else max([y for y in metrics.years_available(tables) if y <= dt.date.today().year] or [dt.date.today().year])
    )
    ctx = reports.Context(tables, args.dataset, year, args.as_of or default_as_of(tables, year), args.lang)
    made = reports.region_report(ctx, kode) if kode else reports.province_report(ctx, args.indicator)
    try:
        target.write_bytes(report_pages.pdf_bytes(made))
    except (printing.PrintError, RuntimeError, OSError) as error:
        raise UsageError(str(error)) from None
    finally:
        export.stop_image_server()
    print(f"Laporan {args.kind} ditulis ke {target.resolve()}", file=sys.stderr)
    return 0


def _pdf_target(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise UsageError(f"-o {path}: nama berkas harus berakhiran .pdf")
    if not path.parent.is_dir():
        raise UsageError(f"-o {path}: folder {path.parent} tidak ada")
    return path


def _report_region(args) -> str:
    if not args.region:
        raise UsageError("report wilayah: sebutkan wilayahnya, kode atau nama (mis. 3509 atau Jember)")
    found = regions.resolve(args.region)
    if found.status != "ok":
        raise UsageError(f"wilayah {args.region!r}: {found.message}")
    return found.kode


COMMANDS = {
    "build": cmd_build,
    "indicators": cmd_indicators,
    "ranking": cmd_ranking,
    "import": cmd_import,
    "batches": cmd_batches,
    "rollback": cmd_rollback,
    "template": cmd_template,
    "password-hash": cmd_password_hash,
    "score": cmd_score,
    "report": cmd_report,
}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "regions":
            return cmd_resolve(args)
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    except store.StoreUnwritable as error:  # says which file, and what to check
        print(str(error), file=sys.stderr)
        return EXIT_STORE


if __name__ == "__main__":
    sys.exit(main())
