"""Tiny hand-built datasets for unit tests, typed exactly like the store's tables."""

from analytics import schema, store

DEFAULTS = {
    "kepesertaan": dict(
        kualifikasi="",
        bulan_cakupan="",
        jenis_angka="realisasi",
        tahap_anggaran="",
        sumber_dana="dbhcht",
        kategori_pekerja="",
        laporan_id="",
        peran="total",
        konflik_id="",
        diutamakan="true",
        alasan="",
        sumber_id="S1",
        kutipan="",
    ),
    "anggaran": dict(
        tahap_anggaran="",
        kualifikasi="",
        bulan_cakupan="",
        konflik_id="",
        diutamakan="true",
        alasan="",
        sumber_id="S1",
        kutipan="",
        sumber_dana="dbhcht",
    ),
    "klaim": dict(kualifikasi="", sumber_id="S1", kutipan="", sumber_dana="dbhcht"),
    "denominator": dict(satuan="", catatan="", sumber_id="S1", kutipan=""),
}
SOURCES = [
    dict(
        sumber_id="S1",
        judul="Berita uji",
        url="https://contoh.test/1",
        penerbit="Uji",
        tanggal_terbit="2025-07-10",
        tanggal_terbit_teks="2025-07-10",
        catatan="",
    ),
    dict(
        sumber_id="S2",
        judul="Berita kedua",
        url="https://contoh.test/2",
        penerbit="Dua",
        tanggal_terbit="",
        tanggal_terbit_teks="2025 (approx)",
        catatan="",
    ),
]


def _rows(name, rows, id_column):
    out = []
    for number, row in enumerate(rows, start=1):
        full = {**DEFAULTS.get(name, {}), id_column: f"{name[:1].upper()}{number:03d}", **row}
        out.append({key: str(value) for key, value in full.items()})
    return out


def tables(kepesertaan=(), anggaran=(), klaim=(), denominator=(), sumber=SOURCES):
    import pandas as pd

    given = {
        "kepesertaan": kepesertaan,
        "anggaran": anggaran,
        "klaim": klaim,
        "denominator": denominator,
        "sumber": sumber,
    }
    out = {}
    for name, rows in given.items():
        columns = [col for col, _ in schema.FACT_TABLES[name]]
        frame = pd.DataFrame(_rows(name, rows, schema.ID_COLUMN[name]), columns=columns)
        out[name] = store.coerce_table(name, frame)
    return out


def obs(kode, peserta, tanggal, tahun=2025, **extra):
    return dict(kode=kode, peserta=peserta, tanggal_data=tanggal, tahun_anggaran=tahun, **extra)
