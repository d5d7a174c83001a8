#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine, idempotently:
# Java 17+ and Maven (for the Kafka broker), the PostgreSQL server, Rust's cargo (for the
# scoring core's compiled loops), and a virtualenv in .venv with the project and its dev
# extras. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
  need+=(openjdk-17-jre-headless)  # Kafka 4 needs Java 17+
fi
command -v mvn >/dev/null 2>&1 || need+=(maven)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need+=(postgresql)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v cargo >/dev/null 2>&1 || need+=(cargo)  # builds native/ (Rust 1.63 or later: native/Cargo.toml)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
  # Debian's package starts its own cluster on 5432; ours uses its own data directory.
  if [ -x /usr/bin/pg_lsclusters ]; then
    pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
      $SUDO pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
    done
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# Exact versions from the lock (scripts/lock.sh regenerates it from pyproject.toml's ranges);
# the project itself is then installed on top of them.
.venv/bin/python -m pip install -q -r requirements-dev.lock
.venv/bin/python -m pip install -q -e '.[dev]'
# The scoring core's compiled loops (native/: Rust and PyO3, built by maturin from
# native/Cargo.lock): clause boundaries and the notes model's features, which cost most of
# a note's CPU in Python. About a minute the first time, seconds after (native/target/).
.venv/bin/python -m pip install -q ./native
# The scoring core's pure-Python modules compiled by mypyc (services/scoring/compiled.py): about
# 13% less CPU per interview. Built into the cache under a hash of their sources, so an edited source
# runs as plain Python until this runs again; without a C compiler it says so and the plain
# modules serve. Half a minute.
.venv/bin/hiring-pipeline compile
# The scoring service's Hyperscan databases take a while to compile and milliseconds to
# load: compile them once here (cached under HIRING_PIPELINE_CACHE_DIR), not in every
# service process a demo or a test run starts.
.venv/bin/python -c "from schemas.rubric import load_rubric; from services.scoring.evidence import compile_lexicon; compile_lexicon(load_rubric())"
echo "bootstrap done: .venv/bin/hiring-pipeline is ready"
