"""The DuckDB store: schema version, idempotent build, round-trip, all-or-nothing loads."""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import schema, store
from tests.factories import obs, tables


def test_build_is_idempotent_and_versioned(tmp_path):
    path = tmp_path / "s.duckdb"
    first = store.build(path)
    assert first.migrations_applied == schema.SCHEMA_VERSION
    assert all(not load.skipped for load in first.loads)
    second = store.build(path)
    assert second.migrations_applied == 0 and all(load.skipped for load in second.loads)
    con = store.connect(path, read_only=True)
    try:
        assert store.schema_version(con) == schema.SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM wilayah").fetchone()[0] == 38
        assert store.batches(con)["status"].tolist() == ["aktif", "aktif"]
    finally:
        con.close()


def test_round_trip_keeps_every_value(tmp_path):
    con = store.connect(tmp_path / "r.duckdb")
    store.migrate(con)
    data = tables(
        kepesertaan=[
            obs(
                "3513",
                18000,
                "2025-07-10",
                kualifikasi="lebih dari",
                bulan_cakupan=9,
                kategori_pekerja="buruh tani tembakau",
                kutipan="lebih dari 18.000 pekerja",
            )
        ],
        anggaran=[
            dict(
                kode="3508",
                tahun_anggaran=2025,
                tanggal_data="2025-09-16",
                komponen="anggaran_jamsos",
                nilai_rp=659265600,
            )
        ],
    )
    result = store.load_dataset(con, "resmi", data, description="uji")
    back = store.read_tables(con, "resmi")
    row = back["kepesertaan"].iloc[0]
    assert (row["kode"], row["peserta"], row["kualifikasi"], row["bulan_cakupan"]) == ("3513", 18000, "lebih dari", 9)
    assert pd.Timestamp(row["tanggal_data"]) == pd.Timestamp("2025-07-10")
    assert row["kutipan"] == "lebih dari 18.000 pekerja" and bool(row["diutamakan"]) is True
    assert back["anggaran"].iloc[0]["nilai_rp"] == 659265600
    assert back["sumber"]["sumber_id"].tolist() == ["S1", "S2"]
    assert int(row["batch_id"]) == result.batch_id
    con.close()


def test_failed_load_changes_nothing(tmp_path):
    con = store.connect(tmp_path / "f.duckdb")
    store.migrate(con)
    good = tables(kepesertaan=[obs("3509", 40300, "2025-07-10")])
    store.load_dataset(con, "resmi", good, description="pertama")
    bad = tables(kepesertaan=[obs("3509", 1, "2025-08-01"), obs("3502", 5, "2025-08-01", bulan_cakupan=13)])
    with pytest.raises(duckdb.ConstraintException, match="bulan_cakupan"):  # the 13th month, nothing else
        store.load_dataset(con, "resmi", bad, description="rusak")
    assert store.read_tables(con, "resmi")["kepesertaan"]["peserta"].tolist() == [40300]
    assert store.batches(con)["keterangan"].tolist() == ["pertama"]
    con.close()


def test_reloading_a_dataset_replaces_it_and_keeps_the_batch_history(tmp_path):
    con = store.connect(tmp_path / "h.duckdb")
    store.migrate(con)
    store.load_dataset(con, "contoh", tables(kepesertaan=[obs("3509", 1, "2025-01-31")]), description="v1")
    store.load_dataset(con, "contoh", tables(kepesertaan=[obs("3509", 2, "2025-01-31")]), description="v2")
    assert store.read_tables(con, "contoh")["kepesertaan"]["peserta"].tolist() == [2]
    assert store.batches(con)["status"].tolist() == ["diganti", "aktif"]
    con.close()


def test_empty_resmi_dataset_reads_as_empty_tables(store_tables):
    assert all(frame.empty for frame in store_tables["resmi"].values())
    assert not store_tables["publikasi"]["kepesertaan"].empty


def test_rollback_restores_exactly_the_previous_state_and_keeps_history(tmp_path):
    con = store.connect(tmp_path / "rb.duckdb")
    store.migrate(con)
    first = store.load_dataset(
        con,
        "resmi",
        tables(kepesertaan=[obs("3509", 40300, "2025-07-10")]),
        description="pertama",
        replace=False,
        sha256="a" * 64,
    )
    before = store.read_tables(con, "resmi")["kepesertaan"]
    second = store.load_dataset(
        con,
        "resmi",
        tables(kepesertaan=[obs("3502", 29250, "2025-07-21")]),
        description="kedua",
        replace=False,
        sha256="b" * 64,
    )
    assert len(store.read_tables(con, "resmi")["kepesertaan"]) == 2
    assert store.active_batch_with_sha(con, "resmi", "b" * 64) == second.batch_id
    assert store.rollback(con, second.batch_id) == "resmi"
    after = store.read_tables(con, "resmi")["kepesertaan"]
    pd.testing.assert_frame_equal(after.reset_index(drop=True), before.reset_index(drop=True))
    assert store.batches(con)["status"].tolist() == ["aktif", "dibatalkan"]  # history kept
    assert con.execute("SELECT count(*) FROM kepesertaan WHERE batch_id = ?", [second.batch_id]).fetchone()[0] == 1
    with pytest.raises(store.BatchError, match="dibatalkan"):
        store.rollback(con, second.batch_id)
    with pytest.raises(store.BatchError, match="tidak ada"):
        store.rollback(con, 99)
    assert first.batch_id == 1
    con.close()


def test_built_in_datasets_are_not_rolled_back(tmp_path):
    path = tmp_path / "b.duckdb"
    store.build(path)
    con = store.connect(path)
    with pytest.raises(store.BatchError, match="bawaan"):
        store.rollback(con, 1)
    con.close()


def _schema_1_store(path) -> None:
    """A store as the schema-version-1 code left it: migration 1 only, one row in every fact table."""
    data = tables(
        kepesertaan=[obs("3509", 40300, "2025-07-10", alasan="catatan lama")],
        anggaran=[
            dict(
                kode="3508",
                tahun_anggaran=2025,
                tanggal_data="2025-09-16",
                komponen="anggaran_jamsos",
                nilai_rp=659265600,
            )
        ],
        klaim=[
            dict(kode="3576", tahun_anggaran=2025, tanggal_data="2025-12-31", program="JKM", kasus=9, nilai_rp=378e6)
        ],
        denominator=[dict(kode="3509", tahun=2025, metrik="penduduk", nilai=2615874, catatan="Dukcapil")],
    )
    _old_store(path, 1, data, {name: [col for col, _ in columns] for name, columns in schema.V1_FACT_TABLES.items()})


def _old_store(path, version: int, data: dict, columns: dict[str, list[str]]) -> None:
    """A store as the code of schema `version` left it: its migrations only, one batch holding
    `data` (the `columns` of each fact table, as that version had them)."""
    con = store.connect(path)
    try:
        con.execute(
            "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL, description VARCHAR)"
        )
        for number, _, statements in schema.MIGRATIONS[:version]:
            for statement in statements:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, now(), 'lama')", [number])
        con.execute("INSERT INTO batch_impor VALUES (1, 'resmi', 'uji', NULL, 'x', 'uji', now(), 4, 'lama', 'aktif')")
        for name, names in columns.items():
            frame = data[name][names]  # noqa: F841 (read by DuckDB's replacement scan)
            listed = ", ".join(names)
            con.execute(f"INSERT INTO {name} (dataset, batch_id, {listed}) SELECT 'resmi', 1, {listed} FROM frame")
    finally:
        con.close()


def test_a_schema_1_store_migrates_to_2_with_its_rows_intact(tmp_path):
    _schema_1_store(tmp_path / "v1.duckdb")
    con = store.connect(tmp_path / "v1.duckdb")
    try:
        assert store.schema_version(con) == 1
        assert store.migrate(con) == schema.SCHEMA_VERSION - 1 and store.schema_version(con) == schema.SCHEMA_VERSION
        back = store.read_tables(con, "resmi")
        assert back["kepesertaan"][["kode", "peserta", "alasan"]].values.tolist() == [["3509", 40300, "catatan lama"]]
        assert back["kepesertaan"]["alasan_en"].isna().all()
        assert back["anggaran"][["nilai_rp", "sumber_dana"]].values.tolist() == [[659265600, "dbhcht"]]
        assert back["klaim"][["kasus", "nilai_rp", "sumber_dana"]].values.tolist() == [[9, 378e6, "dbhcht"]]
        assert back["klaim"][["alasan", "alasan_en"]].isna().all().all()
        assert back["denominator"][["catatan", "catatan_en"]].values.tolist()[0][0] == "Dukcapil"
        # the migrated store has exactly the columns of a freshly built one, and takes new rows
        fresh = store.connect(tmp_path / "v2.duckdb")
        store.migrate(fresh)
        query = (
            "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "WHERE table_name IN ('sumber', 'kepesertaan', 'anggaran', 'klaim', 'denominator', 'penilaian') "
            "ORDER BY table_name, ordinal_position"
        )
        assert con.execute(query).fetchall() == fresh.execute(query).fetchall()
        fresh.close()
        apbd = tables(
            klaim=[
                dict(
                    kode="3577",
                    tahun_anggaran=2025,
                    tanggal_data="2025-12-29",
                    program="JKK+JKM",
                    kasus=144,
                    nilai_rp=6.2e9,
                    sumber_dana="apbd",
                    alasan="skema APBD",
                    alasan_en="APBD scheme",
                )
            ]
        )
        store.load_dataset(con, "resmi", apbd, description="v2", replace=False)
        assert sorted(store.read_tables(con, "resmi")["klaim"]["sumber_dana"]) == ["apbd", "dbhcht"]
    finally:
        con.close()


def test_funding_source_outside_the_list_is_refused_by_name():
    frame = tables(
        anggaran=[
            dict(kode="3508", tahun_anggaran=2025, tanggal_data="2025-09-16", komponen="anggaran_jamsos", nilai_rp=1)
        ]
    )["anggaran"]
    with pytest.raises(ValueError, match=r"anggaran\.sumber_dana.*'APBD daerah'"):
        store.coerce_table("anggaran", frame.assign(sumber_dana="APBD daerah"))
    legacy = frame.drop(columns=["sumber_dana", "alasan_en"])  # a frame written for schema 1
    assert store.coerce_table("anggaran", legacy)["sumber_dana"].tolist() == ["dbhcht"]


# ---------------------------------------------------------------- schema 3: committee scores


def score(kode="3509", kriteria="kebijakan", skor=80, **extra):
    return dict(
        kode=kode, tahun=2025, tanggal_data="2025-07-04", kriteria=kriteria, skor=skor, penilai="Penilai A", **extra
    )


def _schema_2_store(path) -> None:
    """A store as the schema-version-2 code left it (migrations 1 and 2), one row in every table."""
    data = tables(
        kepesertaan=[obs("3509", 40300, "2025-07-10", alasan="catatan", alasan_en="note")],
        anggaran=[
            dict(
                kode="3508",
                tahun_anggaran=2025,
                tanggal_data="2025-09-16",
                komponen="anggaran_jamsos",
                nilai_rp=659265600,
                sumber_dana="apbd",
            )
        ],
        klaim=[
            dict(
                kode="3576",
                tahun_anggaran=2025,
                tanggal_data="2025-12-31",
                program="JKM",
                kasus=9,
                nilai_rp=378e6,
                alasan="kumulatif",
            )
        ],
        denominator=[
            dict(kode="3509", tahun=2025, metrik="penduduk", nilai=2615874, catatan="Dukcapil", catatan_en="Dukcapil")
        ],
    )
    _old_store(
        path,
        2,
        data,
        {
            name: [col for col, _ in columns + schema.V2_COLUMNS.get(name, [])]
            for name, columns in schema.V1_FACT_TABLES.items()
        },
    )


def test_a_schema_2_store_migrates_to_3_with_its_rows_intact(tmp_path):
    _schema_2_store(tmp_path / "v2.duckdb")
    con = store.connect(tmp_path / "v2.duckdb")
    try:
        assert store.schema_version(con) == 2
        counts = "SELECT " + ", ".join(f"(SELECT count(*) FROM {name})" for name in schema.V1_FACT_TABLES)
        before = con.execute(counts).fetchone()
        assert before == (2, 1, 1, 1, 1)
        assert store.migrate(con) == 1 and store.schema_version(con) == 3 == schema.SCHEMA_VERSION
        assert con.execute(counts).fetchone() == before
        back = store.read_tables(con, "resmi")
        assert back["kepesertaan"][["kode", "peserta", "alasan", "alasan_en"]].values.tolist() == [
            ["3509", 40300, "catatan", "note"]
        ]
        assert back["anggaran"][["nilai_rp", "sumber_dana"]].values.tolist() == [[659265600, "apbd"]]
        assert back["klaim"][["kasus", "alasan"]].values.tolist() == [[9, "kumulatif"]]
        assert back["denominator"][["nilai", "catatan_en"]].values.tolist() == [[2615874, "Dukcapil"]]
        assert back["sumber"]["sumber_id"].tolist() == ["S1", "S2"]
        assert back["penilaian"].empty
        assert list(back["penilaian"].columns) == ["batch_id"] + [c for c, _ in schema.FACT_TABLES["penilaian"]]
        # the same columns and constraints as a store built fresh, and it takes committee scores
        fresh = store.connect(tmp_path / "v3.duckdb")
        store.migrate(fresh)
        query = (
            "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "WHERE table_name NOT IN ('schema_version') ORDER BY table_name, ordinal_position"
        )
        assert con.execute(query).fetchall() == fresh.execute(query).fetchall()
        fresh.close()
        scores = {"penilaian": pd.DataFrame([dict(penilaian_id="N1", sumber_id="S1", **score())])}
        store.load_dataset(con, "resmi", scores, description="v3", replace=False)
        got = store.read_tables(con, "resmi")["penilaian"]
        assert got[["kode", "tahun", "kriteria", "skor", "penilai"]].values.tolist() == [
            ["3509", 2025, "kebijakan", 80.0, "Penilai A"]
        ]
        assert len(store.read_tables(con, "resmi")["kepesertaan"]) == 1  # the old rows are still there
    finally:
        con.close()


def test_committee_scores_round_trip_and_a_newer_batch_corrects_an_older_one(tmp_path):
    con = store.connect(tmp_path / "p.duckdb")
    store.migrate(con)
    first = pd.DataFrame(
        [
            dict(penilaian_id="N1", sumber_id="S1", **score(skor="87.5", catatan="Perbup 2024")),
            dict(penilaian_id="N2", sumber_id="S1", **score(kriteria="wawancara", skor=90)),
        ]
    )
    store.load_dataset(con, "resmi", {"penilaian": first}, description="pertama", replace=False, sha256="a" * 64)
    back = store.read_tables(con, "resmi")["penilaian"].set_index("penilaian_id")
    assert back.loc["N1", "skor"] == 87.5 and back.loc["N1", "catatan"] == "Perbup 2024"
    assert pd.Timestamp(back.loc["N1", "tanggal_data"]) == pd.Timestamp("2025-07-04")
    correction = pd.DataFrame([dict(penilaian_id="N1", sumber_id="S1", **score(skor=85))])
    second = store.load_dataset(
        con, "resmi", {"penilaian": correction}, description="koreksi", replace=False, sha256="b" * 64
    )
    now = store.read_tables(con, "resmi")["penilaian"].set_index("kriteria")
    assert now.loc["kebijakan", "skor"] == 85 and now.loc["wawancara", "skor"] == 90  # one assessor's score replaced
    store.rollback(con, second.batch_id)
    assert store.read_tables(con, "resmi")["penilaian"].set_index("kriteria").loc["kebijakan", "skor"] == 87.5
    con.close()


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(kriteria="kemitraan"), r"penilaian\.kriteria.*'kemitraan'.*kebijakan, penerapan, inovasi, wawancara"),
        (dict(skor=120), r"penilaian\.skor: 120 di luar 0–100"),
        (dict(skor=-1), r"penilaian\.skor: -1 di luar 0–100"),
    ],
)
def test_committee_scores_outside_the_criteria_or_0_to_100_are_refused_by_name(change, message):
    frame = pd.DataFrame([dict(penilaian_id="N1", sumber_id="S1", **score(**change))])
    with pytest.raises(ValueError, match=message):
        store.coerce_table("penilaian", frame)


def test_the_store_itself_refuses_a_score_above_100(tmp_path):
    con = store.connect(tmp_path / "c.duckdb")
    store.migrate(con)
    con.execute("INSERT INTO batch_impor VALUES (1, 'resmi', 'uji', NULL, 'x', 'uji', now(), 1, 'uji', 'aktif')")
    with pytest.raises(Exception, match="CHECK"):
        con.execute(
            "INSERT INTO penilaian VALUES ('resmi', 1, 'N1', '3509', 2025, DATE '2025-07-04', 'kebijakan', "
            "100.5, NULL, NULL, NULL, 'S1')"
        )
    con.close()


def test_every_dataset_reads_a_penilaian_table_and_publikasi_has_no_scores(store_tables):
    for dataset, frames in store_tables.items():
        assert "penilaian" in frames, dataset
    assert store_tables["publikasi"]["penilaian"].empty and store_tables["resmi"]["penilaian"].empty
    assert len(store_tables["contoh"]["penilaian"]) > 0
    assert store.read_publikasi()["penilaian"].columns.tolist() == [c for c, _ in schema.FACT_TABLES["penilaian"]]


def test_an_import_plan_scratch_copy_carries_the_log_and_leaves_the_store_alone(tmp_path):
    """The importer tries a file on store.scratch(): a store whose last write is still in its
    write-ahead log must show that write in the copy, and writing to the copy changes nothing."""
    path = tmp_path / "log.duckdb"
    con = duckdb.connect(str(path))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("CREATE TABLE t (x INTEGER)")
    con.execute("INSERT INTO t VALUES (1), (2)")
    con.close()
    wal = path.with_name(path.name + ".wal")
    assert wal.exists()
    before = (path.read_bytes(), wal.read_bytes())
    with store.scratch(path) as scratch:
        assert scratch.execute("SELECT sum(x) FROM t").fetchone()[0] == 3
        scratch.execute("INSERT INTO t VALUES (40)")
        folder = Path(
            scratch.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[
                0
            ]
        ).parent
    assert (path.read_bytes(), wal.read_bytes()) == before
    assert not folder.exists()
    with store.reading(path) as reader:
        assert reader.execute("SELECT sum(x) FROM t").fetchone()[0] == 3


def _batches(con) -> int:
    return con.execute("SELECT count(*) FROM batch_impor").fetchone()[0]


def _publish_a_batch(path) -> None:
    with store.writing(path) as con:  # what an import on another replica does: a new file, renamed in
        con.execute(
            "INSERT INTO batch_impor SELECT max(batch_id) + 1, 'resmi', 'kepesertaan', NULL, 'x', NULL, "
            "now()::TIMESTAMP, 0, NULL, 'aktif' FROM batch_impor"
        )


def test_a_read_after_a_swap_sees_the_new_file_while_another_session_still_reads_the_old(tmp_path):
    # DuckDB hands a new connection the database another open connection of the process holds on
    # the same path: without care, a rerun after an import would read (and cache) the old file.
    import threading

    path = tmp_path / "jamsos.duckdb"
    store.build(path)
    with store.reading(path) as con:
        before = _batches(con)
    holding, release = threading.Event(), threading.Event()

    def long_read():
        with store.reading(path) as con:
            _batches(con)
            holding.set()
            release.wait(10)

    other = threading.Thread(target=long_read)
    other.start()
    holding.wait(10)
    _publish_a_batch(path)
    threading.Timer(0.5, release.set).start()
    with store.reading(path) as con:
        after = _batches(con)
    other.join(10)
    assert after == before + 1


def test_a_read_nested_in_an_open_read_during_a_swap_shares_its_file_instead_of_waiting(tmp_path):
    path = tmp_path / "jamsos.duckdb"
    store.build(path)
    with store.reading(path) as outer:
        before = _batches(outer)
        _publish_a_batch(path)
        with store.reading(path) as inner:  # the same thread: waiting for the outer read would hang
            assert _batches(inner) == before
    with store.reading(path) as con:
        assert _batches(con) == before + 1
