-- version 1: regions, sources, batches, enrolment, budgets, claims, denominators
CREATE TABLE wilayah (
             kode VARCHAR PRIMARY KEY, nama VARCHAR NOT NULL, nama_pendek VARCHAR NOT NULL,
             jenis VARCHAR NOT NULL CHECK (jenis IN ('kabupaten', 'kota')));
CREATE TABLE batch_impor (
             batch_id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL, jenis_data VARCHAR NOT NULL,
             nama_file VARCHAR, sha256 VARCHAR NOT NULL, dibuat_oleh VARCHAR, dibuat_pada TIMESTAMP NOT NULL,
             jumlah_baris INTEGER NOT NULL, keterangan VARCHAR,
             status VARCHAR NOT NULL CHECK (status IN ('aktif', 'diganti', 'dibatalkan')));
CREATE TABLE sumber (
  dataset VARCHAR NOT NULL,
  batch_id INTEGER NOT NULL,
  sumber_id VARCHAR NOT NULL,
  judul VARCHAR,
  url VARCHAR,
  penerbit VARCHAR,
  tanggal_terbit DATE,
  tanggal_terbit_teks VARCHAR,
  catatan VARCHAR,
  PRIMARY KEY (dataset, batch_id, sumber_id)
);
CREATE TABLE kepesertaan (
  dataset VARCHAR NOT NULL,
  batch_id INTEGER NOT NULL,
  obs_id VARCHAR NOT NULL,
  kode VARCHAR NOT NULL,
  tahun_anggaran INTEGER NOT NULL,
  tanggal_data DATE NOT NULL,
  peserta BIGINT NOT NULL CHECK (peserta >= 0),
  kualifikasi VARCHAR,
  bulan_cakupan INTEGER CHECK (bulan_cakupan BETWEEN 1 AND 12),
  periode_cakupan VARCHAR,
  jenis_angka VARCHAR NOT NULL CHECK (jenis_angka IN ('realisasi', 'target', 'rencana')),
  tahap_anggaran VARCHAR CHECK (tahap_anggaran IN ('murni', 'pak')),
  sumber_dana VARCHAR NOT NULL CHECK (sumber_dana IN ('dbhcht', 'apbd', 'campuran', 'tidak_disebut')),
  kategori_pekerja VARCHAR,
  laporan_id VARCHAR,
  peran VARCHAR NOT NULL CHECK (peran IN ('total', 'bagian', 'rincian')),
  konflik_id VARCHAR,
  diutamakan BOOLEAN NOT NULL,
  alasan VARCHAR,
  sumber_id VARCHAR NOT NULL,
  kutipan VARCHAR,
  PRIMARY KEY (dataset, batch_id, obs_id)
);
CREATE TABLE anggaran (
  dataset VARCHAR NOT NULL,
  batch_id INTEGER NOT NULL,
  anggaran_id VARCHAR NOT NULL,
  kode VARCHAR NOT NULL,
  tahun_anggaran INTEGER NOT NULL,
  tanggal_data DATE NOT NULL,
  komponen VARCHAR NOT NULL CHECK (komponen IN ('alokasi_dbhcht', 'realisasi_dbhcht', 'anggaran_jamsos', 'realisasi_jamsos')),
  tahap_anggaran VARCHAR CHECK (tahap_anggaran IN ('murni', 'pak')),
  nilai_rp DOUBLE NOT NULL CHECK (nilai_rp >= 0),
  kualifikasi VARCHAR,
  bulan_cakupan INTEGER CHECK (bulan_cakupan BETWEEN 1 AND 12),
  konflik_id VARCHAR,
  diutamakan BOOLEAN NOT NULL,
  alasan VARCHAR,
  sumber_id VARCHAR NOT NULL,
  kutipan VARCHAR,
  PRIMARY KEY (dataset, batch_id, anggaran_id)
);
CREATE TABLE klaim (
  dataset VARCHAR NOT NULL,
  batch_id INTEGER NOT NULL,
  klaim_id VARCHAR NOT NULL,
  kode VARCHAR NOT NULL,
  tahun_anggaran INTEGER NOT NULL,
  tanggal_data DATE NOT NULL,
  program VARCHAR NOT NULL CHECK (program IN ('JKK', 'JKM', 'JKK+JKM')),
  kasus BIGINT CHECK (kasus >= 0),
  nilai_rp DOUBLE CHECK (nilai_rp >= 0),
  kualifikasi VARCHAR,
  sumber_id VARCHAR NOT NULL,
  kutipan VARCHAR,
  PRIMARY KEY (dataset, batch_id, klaim_id)
);
CREATE TABLE denominator (
  dataset VARCHAR NOT NULL,
  batch_id INTEGER NOT NULL,
  denom_id VARCHAR NOT NULL,
  kode VARCHAR NOT NULL,
  tahun INTEGER NOT NULL,
  metrik VARCHAR NOT NULL CHECK (metrik IN ('penduduk', 'luas_km2', 'persen_miskin', 'jumlah_miskin', 'angkatan_kerja')),
  nilai DOUBLE NOT NULL CHECK (nilai >= 0),
  satuan VARCHAR,
  catatan VARCHAR,
  sumber_id VARCHAR NOT NULL,
  kutipan VARCHAR,
  PRIMARY KEY (dataset, batch_id, denom_id)
);

-- version 2: funding source of budgets and claims, reason on claims, English curation notes
ALTER TABLE kepesertaan ADD COLUMN alasan_en VARCHAR;
ALTER TABLE anggaran ADD COLUMN sumber_dana VARCHAR NOT NULL DEFAULT 'dbhcht';
ALTER TABLE anggaran ALTER COLUMN sumber_dana DROP DEFAULT;
ALTER TABLE anggaran ADD COLUMN alasan_en VARCHAR;
ALTER TABLE klaim ADD COLUMN sumber_dana VARCHAR NOT NULL DEFAULT 'dbhcht';
ALTER TABLE klaim ALTER COLUMN sumber_dana DROP DEFAULT;
ALTER TABLE klaim ADD COLUMN alasan VARCHAR;
ALTER TABLE klaim ADD COLUMN alasan_en VARCHAR;
ALTER TABLE denominator ADD COLUMN catatan_en VARCHAR;

-- version 3: committee scores of criteria no dataset holds (penilaian)
CREATE TABLE penilaian (
  dataset VARCHAR NOT NULL,
  batch_id INTEGER NOT NULL,
  penilaian_id VARCHAR NOT NULL,
  kode VARCHAR NOT NULL,
  tahun INTEGER NOT NULL,
  tanggal_data DATE NOT NULL,
  kriteria VARCHAR NOT NULL,
  skor DOUBLE NOT NULL CHECK (skor BETWEEN 0 AND 100),
  penilai VARCHAR,
  catatan VARCHAR,
  catatan_en VARCHAR,
  sumber_id VARCHAR NOT NULL,
  PRIMARY KEY (dataset, batch_id, penilaian_id)
);
