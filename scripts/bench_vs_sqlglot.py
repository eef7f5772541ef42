#!/usr/bin/env python3
"""Times hex-migrate and sqlglot on the same Redshift statements in the same run.

Statements: the probe corpus (../shared/reference/probe-queries.sql, when the shared folder is
there) plus the SQL of every conformance case. Both tools translate every statement:

  hex-migrate, one process per statement   `hex-migrate sql --format json` per statement: what a
                                           per-cell caller pays, dominated by process start-up
  hex-migrate, one process for the batch   all statements joined with ';' in one input
  sqlglot                                  sqlglot.transpile(s, read="redshift",
                                           write="databricks") per statement, in-process

Each measurement is repeated (--repeat, default 3) and the fastest run is reported, as
statements per second; the last lines give the ratios. Statements sqlglot raises on are counted
(and still timed). Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "conformance"))

import run as conformance  # noqa: E402  (tests/conformance/run.py: case loader, splitter)


def shared_dir() -> Path | None:
    env = os.environ.get("HEX_MIGRATE_SHARED")
    if env:
        return Path(env)
    for cand in (ROOT / ".." / "shared", ROOT / ".." / ".." / "shared"):
        if cand.is_dir():
            return cand.resolve()
    return None


def probe_statements() -> list[str]:
    shared = shared_dir()
    if shared is None:
        print("bench: no shared folder (HEX_MIGRATE_SHARED, ../shared, ../../shared): "
              "probe corpus skipped")
        return []
    path = shared / "reference" / "probe-queries.sql"
    if not path.exists():
        print(f"bench: {path} missing: probe corpus skipped")
        return []
    return conformance.split_statements(path.read_text(encoding="utf-8"))


def case_statements() -> list[str]:
    out = []
    for case in conformance.load_cases(sorted(conformance.CASES_DIR.glob("*.yaml"))):
        out.extend(conformance.split_statements(case.sql))
    return out


def count_findings(proc: subprocess.CompletedProcess) -> int:
    try:
        return len(json.loads(proc.stdout).get("diagnostics") or [])
    except (json.JSONDecodeError, AttributeError):
        return 0


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=str(ROOT / "target" / "release" / "hex-migrate"),
                    help="hex-migrate binary (default target/release/hex-migrate; falls back to "
                         "target/debug)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-spawn", action="store_true",
                    help="skip the one-process-per-statement measurement")
    args = ap.parse_args(argv)

    import logging  # noqa: PLC0415

    import sqlglot  # noqa: PLC0415

    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)  # per-statement warnings, not results

    binary = Path(args.binary)
    if not binary.exists():
        debug = ROOT / "target" / "debug" / "hex-migrate"
        if debug.exists():
            print(f"bench: {binary} missing, using {debug} (debug build: slower than release)")
            binary = debug
    stmts = probe_statements() + case_statements()
    probe_n = len(probe_statements())
    print(f"statements: {len(stmts)} ({probe_n} from the probe corpus, "
          f"{len(stmts) - probe_n} from conformance cases), "
          f"{sum(len(s) for s in stmts)} characters")

    # sqlglot, in-process, statement by statement.
    errors = 0

    def run_sqlglot():
        nonlocal errors
        errors = 0
        for s in stmts:
            try:
                sqlglot.transpile(s, read="redshift", write="databricks")
            except Exception:  # noqa: BLE001 - counted, the statement stays in the timing
                errors += 1

    t_sqlglot = best_of(args.repeat, run_sqlglot)
    rate_sqlglot = len(stmts) / t_sqlglot
    print(f"sqlglot {sqlglot.__version__}: {t_sqlglot:.3f} s, {rate_sqlglot:,.0f} statements/s "
          f"({errors} raised)")

    def translate(text: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(binary), "sql", "--format", "json"], input=text,
                              capture_output=True, text=True)

    probe = translate("SELECT 1")
    if not binary.exists() or probe.returncode not in (0, 1):
        print(f"hex-migrate: not measured ({binary}: "
              f"{probe.stderr.strip()[:200] if binary.exists() else 'missing'})")
        return 0

    batch = ";\n".join(stmts)
    failures = 0
    batch_findings = 0

    def run_batch():
        nonlocal failures, batch_findings
        out = translate(batch)
        failures = 0 if out.returncode in (0, 1) else 1
        batch_findings = count_findings(out)

    t_batch = best_of(args.repeat, run_batch)
    rate_batch = len(stmts) / t_batch
    note = "" if not failures else " (the batch run exited with a usage/input error)"
    print(f"hex-migrate, one process for the batch: {t_batch:.3f} s, "
          f"{rate_batch:,.0f} statements/s, {batch_findings} findings{note}")

    rate_spawn = None
    if not args.no_spawn:
        per = []
        spawn_findings = 0

        def run_spawn():
            nonlocal spawn_findings
            per.clear()
            spawn_findings = 0
            for s in stmts:
                t0 = time.perf_counter()
                out = translate(s)
                per.append(time.perf_counter() - t0)
                spawn_findings += count_findings(out)

        t_spawn = best_of(1, run_spawn)
        rate_spawn = len(stmts) / t_spawn
        print(f"hex-migrate, one process per statement: {t_spawn:.3f} s, "
              f"{rate_spawn:,.0f} statements/s (median {statistics.median(per) * 1000:.1f} ms "
              f"per call, process start included), {spawn_findings} findings "
              f"(same work as the batch when the counts match)")

    print(f"ratio hex-migrate (batch) / sqlglot: {rate_batch / rate_sqlglot:.1f}x")
    if rate_spawn is not None:
        print(f"ratio hex-migrate (process per statement) / sqlglot: "
              f"{rate_spawn / rate_sqlglot:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
