"""Penilaian timings (not a test): one nominal score, the Monte Carlo uncertainty analysis, the
Sobol sensitivity analysis, remove-one-criterion and the "selisih aman", and the Lembar Penilaian
(the dossier: PDF printed by headless Chromium, and its XLSX workbook), on contoh with the default
scheme (paritrana_contoh) for 2025 at 2025-12-31.

Run: .venv/bin/python benchmarks/penilaian_bench.py [--db STORE.duckdb] [--repeat 5]
Prints a Markdown table and the machine's details (copy them into benchmarks/RESULTS.md). Each
figure is the median of `repeat` runs after one warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import numpy as np  # noqa: E402

from analytics import robustness as rb  # noqa: E402
from analytics import safe_margin, scoring, store  # noqa: E402
from benchmarks.run import machine, timed  # noqa: E402

YEAR, AS_OF, DATASET = 2025, "2025-12-31", "contoh"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a built store (default: build one in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "jamsos.duckdb"
        if not args.db:
            store.build(path)
        with store.reading(path) as con:
            tables = store.read_tables(con, DATASET)
    scheme = scoring.load_scheme(scoring.DEFAULT_SCHEME)
    raw, regions = rb.inputs(tables, scheme, YEAR, AS_OF)
    k = len(scheme.criteria)
    repeat = args.repeat
    everything = rb.Settings(normalisations=scoring.NORMALISATIONS, aggregations=scoring.AGGREGATIONS)
    copeland = scheme.with_choices(aggregation="copeland")
    sens = rb.sensitivity(scheme, raw, regions)
    sens_all = rb.sensitivity(scheme, raw, regions, everything)
    rows = [
        (
            "one nominal score (scoring.score: values from the tables, policy, normalisation, aggregation, ranks)",
            timed(lambda: scoring.score(tables, scheme, YEAR, AS_OF), repeat),
        ),
        (
            "raw matrix from the tables (scoring.criterion_values + raw_matrix), once per page view",
            timed(lambda: rb.inputs(tables, scheme, YEAR, AS_OF), repeat),
        ),
        (
            f"uncertainty, 10,000 draws × 38 regions × {k} criteria, weights ±25 % only (aritmetik), all rank statistics",
            timed(lambda: rb.uncertainty(scheme, raw, regions), repeat),
        ),
        (
            "uncertainty, 10,000 draws, weights + all 4 normalisations + all 3 aggregations",
            timed(lambda: rb.uncertainty(scheme, raw, regions, everything), repeat),
        ),
        (
            "uncertainty, 10,000 draws, weights + 4 normalisations + 3 aggregations + 3 missing-data policies",
            timed(
                lambda: rb.uncertainty(
                    scheme,
                    raw,
                    regions,
                    rb.Settings(
                        normalisations=scoring.NORMALISATIONS,
                        aggregations=scoring.AGGREGATIONS,
                        policies=scoring.MISSING,
                    ),
                ),
                repeat,
            ),
        ),
        (
            "uncertainty, 10,000 draws, all Copeland (weights only)",
            timed(lambda: rb.uncertainty(copeland, raw, regions), repeat),
        ),
    ]
    prepared = rb.Model(scheme, raw, regions).norm(scheme.missing, scheme.normalisation)
    weights = scheme.weights * np.random.default_rng(0).uniform(0.75, 1.25, size=(10_000, k))
    rows += [
        (
            "  of which: Copeland scores of 10,000 weightings (matrix products, chunked)",
            timed(lambda: scoring.aggregate(prepared, weights, "copeland"), repeat),
        ),
        (
            "  of which: competition ranks of 10,000 × 38 scores (scoring.competition_ranks)",
            timed(
                lambda: scoring.competition_ranks(scoring.aggregate(prepared, weights, "aritmetik"), "aritmetik"),
                repeat,
            ),
        ),
        (
            f"sensitivity, weights only: N = {sens.n}, d = {len(sens.indices)}, {sens.runs:,} runs, "
            f"{sens.bootstrap} bootstrap replicates",
            timed(lambda: rb.sensitivity(scheme, raw, regions), repeat),
        ),
        (
            f"sensitivity, weights + normalisation + aggregation: N = {sens_all.n}, d = {len(sens_all.indices)}, "
            f"{sens_all.runs:,} runs",
            timed(lambda: rb.sensitivity(scheme, raw, regions, everything), repeat),
        ),
        (
            f"drop one criterion ({int((scheme.weights > 0).sum())} rescorings)",
            timed(lambda: rb.drop_one(scheme, raw, regions), repeat),
        ),
        (
            "selisih aman, aritmetik (37 adjacent pairs × 8 criteria, exact)",
            timed(lambda: safe_margin.safe_margins(scheme, raw, regions), repeat),
        ),
        ("selisih aman, copeland", timed(lambda: safe_margin.safe_margins(copeland, raw, regions), repeat)),
    ]
    rows += dossier_rows(tables, scheme, repeat)
    print(f"Penilaian on {DATASET}, scheme {scheme.name}, {YEAR} at {AS_OF}; median of {repeat} after one warm-up\n")
    print("| what | seconds |\n| --- | ---: |")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} |")
    print("\n| machine | |\n| --- | --- |")
    for key, value in machine().items():
        print(f"| {key} | {value} |")


def dossier_rows(tables, scheme, repeat: int) -> list[tuple[str, float]]:
    """The dossier of one assessment (default robustness settings, checks already run): the PDF's
    first call in this process (the kaleido server starts for the two chart SVGs; Chromium prints
    in a process of its own on every call), then warm; the workbook warm."""
    from analytics import assessment, dossier, dossier_xlsx, export

    made = time.perf_counter()
    current = assessment.assess(tables, scheme, YEAR, AS_OF, rb.Settings(), DATASET)
    made = time.perf_counter() - made
    try:
        start = time.perf_counter()
        first = dossier.pdf_bytes(current, "id")
        cold = time.perf_counter() - start
        assert first.startswith(b"%PDF"), first[:20]
        warm = []
        for _ in range(repeat):
            start = time.perf_counter()
            dossier.pdf_bytes(current, "id")
            warm.append(time.perf_counter() - start)
        html_only = timed(lambda: dossier.html(current, "id"), repeat)
        xlsx = timed(lambda: dossier_xlsx.xlsx_bytes(current, "id"), repeat)
    finally:
        export.stop_image_server()
    return [
        ("assessment.assess: score + the four robustness checks (the dossier's input), once", made),
        ("dossier PDF (Lembar Penilaian), first call: starts kaleido for the chart SVGs, Chromium prints", cold),
        (
            f"dossier PDF, warm (median of {repeat}; Chromium --print-to-pdf started afresh each time)",
            statistics.median(warm),
        ),
        ("  of which: the HTML with both chart SVGs (kaleido warm)", html_only),
        ("dossier XLSX workbook, warm", xlsx),
    ]


if __name__ == "__main__":
    main()
