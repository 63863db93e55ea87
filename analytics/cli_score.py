"""The `score` command (python -m analytics score): a scheme with the weights and methods given, its
robustness check, the ranking as a table, CSV or JSON, and optionally the Lembar Penilaian (PDF or XLSX).
The parser and the dispatch are in analytics/__main__.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from analytics import fmt
from analytics.cli_common import UsageError, dataset_tables, default_as_of

DRAWS, MIN_DRAWS, MAX_DRAWS = 10_000, 100, 100_000  # analytics.robustness.DRAWS; more is minutes, fewer is noise
MAX_SEED = 2**31 - 1  # as the page's seed input


def _weights(pairs: list[str]) -> dict[str, float]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            out[name.strip()] = float(value.replace(",", "."))
        except ValueError:
            raise UsageError(f"--weight {pair!r}: tulis KRITERIA=BOBOT dengan bobot 0–10, mis. kebijakan=4") from None
        if not sep or not name.strip():
            raise UsageError(f"--weight {pair!r}: tulis KRITERIA=BOBOT, mis. kebijakan=4")
    return out


def cmd_score(args) -> int:
    from analytics import assessment, scoring

    settings = _robustness_settings(args)
    target = _dossier_target(args.dossier)
    try:
        scheme = scoring.load_scheme(args.scheme).with_choices(
            _weights(args.weight), args.normalisation, args.aggregation, args.missing
        )
        tables = dataset_tables(args.db, args.dataset)
        as_of = args.as_of or default_as_of(tables, args.year)
        done = assessment.assess(tables, scheme, args.year, as_of, settings, args.dataset)
    except scoring.SchemeError as error:
        raise UsageError(str(error)) from None
    frame = _score_frame(done.result, args.lang, done)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    elif args.format == "json":
        print(json.dumps(_score_json(done, frame, args), ensure_ascii=False, indent=2, default=str))
    else:
        _print_score_table(done.result, frame, args, as_of, done.settings)
    if target:
        _write_dossier(done, target, args.lang)
    return 0


def _robustness_settings(args):
    """--draws/--seed/--perturbation as robustness.Settings (None for --draws 0), bounds checked."""
    from analytics import robustness

    if args.draws != 0 and not MIN_DRAWS <= args.draws <= MAX_DRAWS:
        raise UsageError(f"--draws {args.draws}: tulis {MIN_DRAWS}–{MAX_DRAWS} undian, atau 0 tanpa uji ketahanan")
    if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
        raise UsageError(f"--seed {args.seed}: seed harus bilangan bulat 0–{MAX_SEED}")
    if not 0 <= args.perturbation <= 100:
        raise UsageError(f"--perturbation {args.perturbation:g}: gangguan bobot harus 0–100 (persen)")
    if args.draws == 0:
        return None
    seed = robustness.SEED if args.seed is None else args.seed
    return robustness.Settings(draws=args.draws, seed=seed, perturbation=args.perturbation / 100)


def _dossier_target(path: Path | None) -> Path | None:
    if path is None:
        return None
    if path.suffix.lower() not in (".pdf", ".xlsx"):
        raise UsageError(
            f"--dossier {path}: nama berkas harus berakhiran .pdf (Lembar Penilaian) atau .xlsx (buku kerja)"
        )
    if not path.parent.is_dir():
        raise UsageError(f"--dossier {path}: folder {path.parent} tidak ada")
    return path


def _write_dossier(done, target: Path, lang: str) -> None:
    from analytics import dossier, dossier_xlsx, export

    try:
        if target.suffix.lower() == ".xlsx":
            target.write_bytes(dossier_xlsx.xlsx_bytes(done, lang))
        else:
            target.write_bytes(dossier.pdf_bytes(done, lang))
    except (dossier.DossierError, RuntimeError, OSError) as error:
        raise UsageError(str(error)) from None
    finally:
        export.stop_image_server()
    what = "Buku kerja penilaian" if target.suffix.lower() == ".xlsx" else "Lembar Penilaian"
    print(f"{what} ditulis ke {target.resolve()}", file=sys.stderr)  # stdout stays the table/CSV/JSON


ROBUST_COLUMNS = ["peringkat_median", "peringkat_p5", "peringkat_p95", "p_peringkat_1", "p_3_besar", "selisih_aman"]


def _score_frame(result, lang: str, done=None) -> pd.DataFrame:
    """One row per region; with a robustness check (`done.checked`) its rank statistics too."""
    from analytics import assessment, scoring

    regions = result.regions
    frame = pd.DataFrame(
        {
            "peringkat": regions["peringkat"],
            "kode": regions["kode"],
            "wilayah": regions["nama"],
            "jenis": regions["jenis"],
            "skor": regions["skor"],
            "status": regions["status"],
            "cakupan_bobot": regions["cakupan_bobot"],
            "jumlah_imputasi": regions["jumlah_imputasi"],
            "alasan": [scoring.reason_text(code, result.scheme, lang) for code in regions["alasan"]],
        }
    )
    if done is None or not done.checked:
        return frame
    robust = assessment.robustness_columns(done, lang)[ROBUST_COLUMNS]
    robust[ROBUST_COLUMNS[:-1]] = robust[ROBUST_COLUMNS[:-1]].astype(float).round(4)
    return frame.merge(robust, left_on="kode", right_index=True, how="left")


def _score_json(done, frame: pd.DataFrame, args) -> dict:
    scheme, result = done.scheme, done.result
    payload = {
        "skema": scheme.name,
        "judul": scheme.title(args.lang),
        "tahun": args.year,
        "tanggal_data": done.as_of.isoformat(),
        "dataset": args.dataset,
        "normalisasi": scheme.normalisation,
        "agregasi": scheme.aggregation,
        "data_hilang": scheme.missing,
        "kriteria": json.loads(result.criteria.to_json(orient="records", force_ascii=False)),
    }
    if done.checked:
        payload["ketahanan"] = done.settings.as_dict()
    records = json.loads(frame.to_json(orient="records", force_ascii=False))  # NaN -> null
    return payload | {"wilayah": records}


def _print_score_table(result, frame: pd.DataFrame, args, as_of, settings=None) -> None:
    scheme, lang = result.scheme, args.lang
    print(f"{scheme.title(lang)} — {args.year}, data per {fmt.date(as_of, lang)}, dataset {args.dataset}")
    print(
        f"normalisasi {scheme.normalisation}, agregasi {scheme.aggregation}, data hilang {scheme.missing}; bobot: "
        + ", ".join(f"{c.id} {fmt.number(c.weight, 1, lang)}" for c in scheme.criteria)
    )
    robust = "peringkat_median" in frame
    if robust:
        print(
            f"ketahanan: {fmt.number(settings.draws, 0, lang)} undian, seed {settings.seed}, gangguan bobot "
            f"± {fmt.number(settings.perturbation * 100, 0, lang)} %; "
            "[rentang peringkat 5–95 %], peluang 3 besar, selisih aman"
        )
    for row in frame.loc[frame["status"] == "dinilai"].itertuples():
        line = (
            f"{int(row.peringkat):>3}. {row.wilayah:<24} {fmt.number(row.skor, 1, lang):>7}"
            f"   bobot tercakup {fmt.number(row.cakupan_bobot, 0, lang)} %"
        )
        if robust:
            line += (
                f"   [{fmt.number(row.peringkat_p5, 0, lang)}–{fmt.number(row.peringkat_p95, 0, lang)}]"
                f" {fmt.percent(row.p_3_besar * 100, 0, lang):>6}   {row.selisih_aman}"
            )
        print(line)
    unscored = frame.loc[frame["status"] != "dinilai"]
    if len(unscored):
        print(f"\nTidak dinilai ({len(unscored)}):")
        for row in unscored.itertuples():
            print(f"     {row.wilayah:<24} {row.alasan}")
