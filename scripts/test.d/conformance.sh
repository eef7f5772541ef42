#!/usr/bin/env bash
# Translation conformance: every case in tests/conformance/cases is translated by the freshly built
# binary and executed on a local Spark session (tests/conformance/run.py; README, "Conformance
# suite and benchmarks").
#
# Fails the test command on: a silently wrong case not tracked in tests/conformance/known_gaps.yaml
# (or a tracked one that got fixed), a regression from tests/conformance/baseline.json, or a
# correct share below the floor. HEX_MIGRATE_CONFORMANCE_REPORT_ONLY=1 reports without failing.
#
# The floor is a ratchet at the level reached (85%), not the goal: issue 3/4 ask for 90%. Most of
# the gap is cases flagged on purpose because the engine cannot see column types (integer
# division, AVG of integers) or no exact form exists; raise the floor as it improves.
set -euo pipefail
cd "$(dirname "$0")/../.."
export HEX_MIGRATE_CONFORMANCE_REPORT_ONLY=${HEX_MIGRATE_CONFORMANCE_REPORT_ONLY:-0}

PY=.venv/bin/python
if ! [ -x "$PY" ] || ! "$PY" -c "import pyspark, yaml" 2>/dev/null || ! command -v java >/dev/null; then
  if [ "${HEX_MIGRATE_REQUIRE_TOOLS:-0}" = 1 ]; then
    echo "conformance: pyspark (in .venv) and java are required" >&2
    exit 1
  fi
  echo "conformance: skipped (needs .venv with pyspark and java; scripts/test installs them)"
  exit 0
fi

# The runner's own logic first (no Spark): a broken comparison would make every result meaningless.
"$PY" -m unittest discover -s tests/conformance -p 'test_*.py'

cargo build --quiet --locked
# Real use passes a column-type CSV (the team's svv_columns export); the runner passes each
# case's fixtures the same way. Without it fewer rewrites are exact, but nothing may be silently
# wrong either, except the cases marked `needs_column_types` (trailing blanks in VARCHAR
# comparisons, reference G3): the second run checks that, with a floor just under where it
# stands (90.7% on 2026-11-21) and no baseline (that is for the first).
"$PY" tests/conformance/run.py --binary target/debug/hex-migrate --min-correct 0.90 "$@"
exec "$PY" tests/conformance/run.py --binary target/debug/hex-migrate --no-column-types \
  --min-correct 0.88 --out tests/conformance/out/hex-migrate-no-column-types.json "$@"
