"""Command line: python -m analytics {build, regions resolve, indicators, ranking}.

Exit status: 0 success, 2 bad arguments or unknown names (message on stderr).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

from analytics import fmt, metrics, ranking, regions, store

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: printed on stderr, exit status 2."""


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
    rank.add_argument("--as-of", type=_iso_date, default=None, help="YYYY-MM-DD (bawaan: hari ini)")
    rank.add_argument("--dataset", choices=store.DATASETS, default="publikasi")
    rank.add_argument("--jenis", choices=ranking.JENIS, default=None)
    rank.add_argument("--format", choices=("table", "csv", "json"), default="table")
    rank.add_argument("--lang", choices=fmt.LANGUAGES, default="id")
    return parser


# ---------------------------------------------------------------- commands

def cmd_build(args) -> int:
    report = store.build(args.db)
    print(f"Store: {report.path} (skema versi {store.SCHEMA_VERSION}, {report.migrations_applied} migrasi diterapkan)")
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
    rows = [{"id": ind.id, "judul": ind.judul_id, "title": ind.judul_en, "satuan": ind.satuan_id,
             "desimal": ind.desimal, "lebih_tinggi_lebih_baik": ind.lebih_tinggi_lebih_baik,
             "nilai_acuan": ind.nilai_acuan, "definisi": ind.definisi_id}
            for ind in metrics.catalogue().values()]
    frame = pd.DataFrame(rows)
    _emit(frame, args.format, columns=["id", "judul", "satuan", "desimal", "lebih_tinggi_lebih_baik"])
    return 0


def cmd_ranking(args) -> int:
    if args.indicator not in metrics.catalogue():
        known = ", ".join(metrics.catalogue())
        raise UsageError(f"indikator tidak dikenal: {args.indicator!r}. Pilihan: {known}")
    as_of = args.as_of or dt.date.today()
    tables = _tables(args.db, args.dataset)
    table = ranking.with_sources(ranking.ranking(tables, args.indicator, args.year, as_of, args.jenis), tables["sumber"])
    indicator = metrics.catalogue()[args.indicator]
    if args.format == "json":
        print(json.dumps(_ranking_json(table, indicator, args, as_of), ensure_ascii=False, indent=2, default=str))
    elif args.format == "csv":
        sys.stdout.write(ranking.export_frame(table, indicator).to_csv(index=False, lineterminator="\n"))
    else:
        _print_ranking_table(table, indicator, args, as_of)
    return 0


def _tables(db: Path | None, dataset: str) -> dict[str, pd.DataFrame]:
    path = Path(db or store.default_db_path())
    if not path.exists():
        print(f"Store {path} belum ada; membangun dari data/ ...", file=sys.stderr)
        store.build(path)
    con = store.connect(path, read_only=True)
    try:
        return store.read_tables(con, dataset)
    finally:
        con.close()


def _ranking_json(table, indicator, args, as_of) -> dict:
    ranked, missing = ranking.split_ranked(table)
    export = ranking.export_frame(table, indicator)
    return {
        "indikator": indicator.id, "judul": indicator.title(args.lang), "tahun": args.year,
        "tanggal_data": as_of.isoformat(), "dataset": args.dataset, "jenis": args.jenis,
        "peringkat": export.iloc[: len(ranked)].to_dict(orient="records"),
        "tidak_ada_data": export.iloc[len(ranked):].to_dict(orient="records"),
    }


def _print_ranking_table(table, indicator, args, as_of) -> None:
    ranked, missing = ranking.split_ranked(table)
    lang = args.lang
    print(f"{indicator.title(lang)} — {args.year}, data per {fmt.date(as_of, lang)}, dataset {args.dataset}"
          + (f", {args.jenis}" if args.jenis else ""))
    for row in ranked.itertuples():
        change = "" if pd.isna(row.perubahan_peringkat) else f" ({int(row.perubahan_peringkat):+d})"
        shown = fmt.qualified(fmt.value(row.nilai, indicator.satuan, indicator.desimal, lang), row.kualifikasi, lang)
        print(f"{int(row.peringkat):>3}. {row.nama:<24} {shown:>20}"
              f"{change}  {fmt.date(row.tanggal_data, lang)}  {row.sumber}")
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


COMMANDS = {"build": cmd_build, "indicators": cmd_indicators, "ranking": cmd_ranking}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "regions":
            return cmd_resolve(args)
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
