#!/usr/bin/env bash
# The project's entry points on a fresh Debian machine with Python 3.11+:
#   ./dev.sh run    create .venv, install pinned requirements, build the store, serve the dashboard
#   ./dev.sh serve-replicas N   the same, as N read-only replicas and one writer behind nginx (deploy/)
#   ./dev.sh test   the same set-up plus Debian Chromium and nginx, then ruff and every test (unit, AppTest, browser)
#   ./dev.sh build  only (re)build the DuckDB store from data/
#   ./dev.sh bench  run the benchmarks and print the figures for benchmarks/RESULTS.md
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY=$VENV/bin/python
PORT=${PORT:-8501}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "Perlu hak root untuk: $* (jalankan sebagai root atau pasang sudo)" >&2; return 1
  fi
}

ensure_venv() {
  if [ ! -x "$PY" ]; then
    # Debian ships venv separately (python3-venv); install it only when venv creation fails.
    python3 -m venv "$VENV" 2>/dev/null || {
      rm -rf "$VENV"
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
      python3 -m venv "$VENV"
    }
  fi
  local stamp="$VENV/.requirements.sha256" want
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$PY" -m pip install --disable-pip-version-check -q -r requirements.txt
    echo "$want" > "$stamp"
  fi
}

ensure_chromium() {
  # Kaleido exports, the dossier PDF and the browser tests use Debian's Chromium (Playwright's own
  # download is not used); the tests read PDFs back with poppler's pdftotext/pdftoppm/pdfinfo.
  # With "nginx": also Debian's nginx, which serve-replicas and tests/test_replicas.py put in front
  # (only its binary is used, started as a child process; bookworm's nginx-light is a dummy for it).
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  if [ "${1:-}" = nginx ] && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx); fi
  if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

case "${1:-}" in
  run)
    ensure_venv
    # Image exports and the dossier need Chromium; the pages themselves do not, so go on without it.
    ensure_chromium || echo "Chromium tidak terpasang: ekspor gambar dan Lembar Penilaian tidak tersedia." >&2
    "$PY" -m analytics build
    exec "$PY" -m streamlit run app.py --server.port "$PORT" ;;
  serve-replicas)
    ensure_venv
    ensure_chromium nginx || echo "Chromium/nginx tidak terpasang: tanpa nginx replika tidak dapat dimulai." >&2
    "$PY" -m analytics build
    # PORT: readers' address, PORT+1: the writer's (Kelola Data), then the replicas (deploy/replicas.py)
    exec "$PY" deploy/replicas.py "${2:-2}" --port "$PORT" ;;
  test)
    ensure_venv
    ensure_chromium nginx
    shift
    # Lint and format check first (seconds): pyflakes/pycodestyle/import order/bugbear and the
    # formatter, as configured in pyproject.toml (`ruff format .` rewrites a file that fails).
    "$VENV/bin/ruff" check --quiet .
    "$VENV/bin/ruff" format --check --quiet .
    exec "$PY" -m pytest "$@" ;;
  build)
    ensure_venv
    exec "$PY" -m analytics build ;;
  bench)
    ensure_venv
    ensure_chromium
    exec "$PY" benchmarks/run.py ;;
  *)
    echo "Pakai: ./dev.sh run | serve-replicas [N] | test | build | bench" >&2
    exit 2 ;;
esac
