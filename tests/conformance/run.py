#!/usr/bin/env python3
"""Translation conformance: Redshift cases translated, executed on Spark SQL, compared row by row.

Each case (tests/conformance/cases/*.yaml) holds Redshift SQL, fixture tables (Spark SQL setup,
not translated) and the rows Redshift returns for it according to the AWS documentation. The
runner translates every case with an engine, runs the output on ONE local Spark session (ANSI on,
session time zone UTC) and classifies the case:

  correct         ran and returned the expected rows
  flagged         the engine reported an error finding (it declined), or it failed on Spark while
                  an error finding was present
  failed          the engine or Spark failed without an error finding
  silently wrong  ran, returned different rows, and no error finding: the worst outcome

Engines: `hex-migrate` (default; the binary's `sql --format json`), `passthrough` (the Redshift SQL
unchanged: proves that the traps are traps) and `sqlglot` (`transpile(read="redshift",
write="databricks")`, for comparison).

Rules: a rule is "exercised" when a case that ran on Spark emitted its code, "covered by skipped
cases only" when only skipped cases (translated, never executed: DML that needs Delta, Jinja)
emitted it; registered rules with neither are listed as having no case.

Exit status: 1 on any silently wrong case not listed in known_gaps.yaml (or a listed one that is
no longer silently wrong: the list only shrinks), when correct < --min-correct, or when a case
listed in the baseline as correct is no longer correct; 0 otherwise. `--report-only` (or env
HEX_MIGRATE_CONFORMANCE_REPORT_ONLY=1) always exits 0 after reporting. The last line printed is
`conformance: N passed, M failed` (passed = correct + flagged).
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import logging
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES_DIR = HERE / "cases"
OUT_DIR = HERE / "out"
BASELINE = HERE / "baseline.json"
KNOWN_GAPS = HERE / "known_gaps.yaml"

JINJA = re.compile(r"\{\{|\{%|\{#")
OUTCOMES = ("correct", "flagged", "failed", "silently_wrong")
REL_TOL = 1e-9
ABS_TOL = 1e-9


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------


@dataclass
class Fixture:
    name: str
    columns: list[tuple[str, str]]
    rows: list[list[Any]]


@dataclass
class Case:
    id: str
    category: str
    file: str
    sql: str
    rules: list[str] = field(default_factory=list)
    constructs: list[str] = field(default_factory=list)
    fixtures: list[Fixture] = field(default_factory=list)
    rows: list[list[Any]] | None = None
    ordered: bool = False
    expect: str = "rows"  # "rows" or "flagged"
    skip: str | None = None
    tolerance: float | None = None
    # Redshift semantics only column types can make exact (e.g. trailing blanks in a VARCHAR
    # column compared with a literal): without a column-type CSV the case is expected to come out
    # silently wrong, and --no-column-types reports it as such instead of failing.
    needs_column_types: str | None = None
    # Function mapping rows [redshift, databricks] passed as --functions (the team's UDF
    # renames), and Spark SQL run before the case (not translated), e.g. the Databricks UDF.
    functions: list[list[str]] = field(default_factory=list)
    # Target Databricks runtime for this case (`--target-runtime`); default: the tool's LTS.
    runtime: str | None = None
    setup: list[str] = field(default_factory=list)


CASE_KEYS = {
    "id", "rules", "constructs", "fixtures", "sql", "rows", "ordered", "expect", "skip",
    "tolerance", "note", "needs_column_types", "functions", "setup", "runtime",
}


def parse_fixture(raw: dict, where: str) -> Fixture:
    cols = raw.get("columns")
    if isinstance(cols, dict):
        columns = [(str(k), str(v)) for k, v in cols.items()]
    elif isinstance(cols, list):
        columns = [(str(c[0]), str(c[1])) for c in cols]
    else:
        raise ValueError(f"{where}: fixture {raw.get('name')!r} needs columns")
    rows = raw.get("rows") or []
    for r in rows:
        if len(r) != len(columns):
            raise ValueError(f"{where}: fixture {raw['name']} row {r!r} has {len(r)} values, "
                             f"expected {len(columns)}")
    return Fixture(name=str(raw["name"]), columns=columns, rows=rows)


def load_cases(paths: list[Path]) -> list[Case]:
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise ValueError(f"{path}: not valid YAML: {e}") from None
        category = doc.get("category") or path.stem
        shared = [parse_fixture(f, path.name) for f in doc.get("fixtures") or []]
        for raw in doc.get("cases") or []:
            where = f"{path.name}: case {raw.get('id')!r}"
            unknown = set(raw) - CASE_KEYS
            if unknown:
                raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
            cid = str(raw["id"])
            if cid in seen:
                raise ValueError(f"{where}: duplicate id (also in {seen[cid]})")
            seen[cid] = path.name
            expect = raw.get("expect", "rows")
            if expect not in ("rows", "flagged"):
                raise ValueError(f"{where}: expect must be rows or flagged")
            rows = raw.get("rows")
            if expect == "rows" and rows is None and not raw.get("skip"):
                raise ValueError(f"{where}: needs rows (or expect: flagged)")
            own = [parse_fixture(f, where) for f in raw.get("fixtures") or []]
            skip = raw.get("skip")
            if not skip and JINJA.search(str(raw["sql"])):
                # Templated SQL has no rows until Hex renders it; the engine's tests cover Jinja.
                skip = "Jinja template: not executable"
            cases.append(Case(
                id=cid,
                category=category,
                file=path.name,
                sql=str(raw["sql"]).strip(),
                rules=[str(r) for r in raw.get("rules") or []],
                constructs=[str(c) for c in raw.get("constructs") or []],
                fixtures=shared + own,
                rows=rows,
                ordered=bool(raw.get("ordered", False)),
                expect=expect,
                skip=skip,
                tolerance=raw.get("tolerance"),
                functions=[[str(v) for v in row] for row in raw.get("functions") or []],
                setup=[str(q) for q in raw.get("setup") or []],
                runtime=str(raw["runtime"]) if raw.get("runtime") is not None else None,
                needs_column_types=(" ".join(str(raw["needs_column_types"]).split())
                                    if raw.get("needs_column_types") else None),
            ))
    return cases


# --------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------


@dataclass
class Translation:
    sql: str | None
    errors: list[str]  # messages of error-severity findings (the engine declined)
    findings: list[dict]
    tool_error: str | None = None


# Spark fixture types → the names Redshift's catalog (svv_columns.data_type) prints.
SPARK_TO_REDSHIFT = {
    "int": "integer", "integer": "integer", "bigint": "bigint", "long": "bigint",
    "smallint": "smallint", "short": "smallint", "tinyint": "smallint",
    "string": "character varying(256)", "double": "double precision", "float": "real",
    "real": "real", "date": "date", "timestamp": "timestamp without time zone",
    "timestamp_ntz": "timestamp without time zone",
    "timestamp_ltz": "timestamp with time zone", "boolean": "boolean", "binary": "varbyte",
}


def redshift_type(spark_type: str) -> str:
    t = " ".join(spark_type.lower().split())
    if t in SPARK_TO_REDSHIFT:
        return SPARK_TO_REDSHIFT[t]
    m = re.fullmatch(r"(decimal|numeric|dec)\s*(?:\((\d+)\s*(?:,\s*(\d+))?\))?", t)
    if m:
        # Spark's DECIMAL without arguments is DECIMAL(10,0).
        return f"numeric({m.group(2) or 10},{m.group(3) or 0})"
    m = re.fullmatch(r"(char|varchar)\s*\((\d+)\)", t)
    if m:
        kind = "character" if m.group(1) == "char" else "character varying"
        return f"{kind}({m.group(2)})"
    if t.startswith(("array", "map", "struct")):
        return "super"
    return t


def column_types_csv(case: Case) -> str:
    """The case's fixtures as a Redshift catalog export (svv_columns), the way a team exports it
    once for real use."""
    lines = ["table_schema,table_name,column_name,data_type"]
    for f in case.fixtures:
        for name, typ in f.columns:
            lines.append(",".join(f'"{v}"' for v in ("public", f.name, name, redshift_type(typ))))
    return "\n".join(lines) + "\n"


class HexMigrate:
    name = "hex-migrate"

    def __init__(self, binary: Path, work_dir: Path, column_types: bool = True):
        self.binary = binary
        # Where per-case column-type and function mapping CSVs are written (the caller owns
        # and removes the directory).
        self.work_dir = work_dir
        # False: translate without column types (--no-column-types).
        self.column_types = column_types

    def translate(self, sql: str, case: Case | None = None) -> Translation:
        cmd = [str(self.binary), "sql", "--format", "json"]
        if self.column_types and case is not None and case.fixtures:
            path = self.work_dir / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', case.id)}.csv"
            path.write_text(column_types_csv(case), encoding="utf-8")
            cmd += ["--column-types", str(path)]
        if case is not None and case.runtime:
            cmd += ["--target-runtime", case.runtime]
        if case is not None and case.functions:
            path = self.work_dir / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', case.id)}.fn.csv"
            rows = ["redshift_function,databricks_function,syntax_change,compatibility_notes"]
            rows += [f"{old},{new},false," for old, new in case.functions]
            path.write_text("\n".join(rows) + "\n", encoding="utf-8")
            cmd += ["--functions", str(path)]
        try:
            proc = subprocess.run(
                cmd,
                input=sql, capture_output=True, text=True, timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            return Translation(None, [], [], tool_error=f"could not run {self.binary}: {e}")
        if proc.returncode not in (0, 1):
            return Translation(None, [], [], tool_error=(
                f"exit {proc.returncode}: {proc.stderr.strip()[:500]}"))
        try:
            out = json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            return Translation(None, [], [], tool_error=f"bad JSON ({e}): {proc.stdout[:300]!r}")
        diags = out.get("diagnostics") or []
        errors = [f"{d.get('code')}: {d.get('message')}" for d in diags
                  if d.get("severity") == "error"]
        return Translation(out.get("sql"), errors, diags)


class Passthrough:
    """The Redshift SQL unchanged: a trap must come out silently wrong or failed with it."""

    name = "passthrough"

    def translate(self, sql: str, case: Case | None = None) -> Translation:
        return Translation(sql, [], [])


class Sqlglot:
    """sqlglot with unsupported constructs raised (counted as declining, i.e. flagged)."""

    name = "sqlglot"

    def __init__(self):
        import sqlglot  # noqa: PLC0415
        from sqlglot.errors import ErrorLevel  # noqa: PLC0415

        self.sqlglot = sqlglot
        self.level = ErrorLevel.RAISE

    def translate(self, sql: str, case: Case | None = None) -> Translation:
        try:
            out = self.sqlglot.transpile(sql, read="redshift", write="databricks",
                                         unsupported_level=self.level)
        except Exception as e:  # noqa: BLE001 - any sqlglot error means it declined
            msg = f"sqlglot {type(e).__name__}: {str(e).splitlines()[0][:200]}"
            return Translation(None, [msg], [{"severity": "error", "message": msg}])
        return Translation(";\n".join(out), [], [])


# --------------------------------------------------------------------------------------------
# Spark
# --------------------------------------------------------------------------------------------


def start_spark(warehouse: Path):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Spark logs warnings to stderr before setLogLevel can run: start it with a quiet log4j config.
    warehouse.mkdir(parents=True, exist_ok=True)
    log4j = warehouse.parent / "log4j2.properties"
    log4j.write_text("rootLogger.level = error\nrootLogger.appenderRef.stderr.ref = console\n"
                     "appender.console.type = Console\nappender.console.name = console\n"
                     "appender.console.target = SYSTEM_ERR\n"
                     "appender.console.layout.type = PatternLayout\n"
                     "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n")
    from pyspark.sql import SparkSession  # noqa: PLC0415

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("hex-migrate-conformance")
        .config("spark.sql.ansi.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        # Cases are a few rows each: interpreted evaluation beats compiling generated code.
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.driver.extraJavaOptions",
                f"-Dderby.system.home={warehouse} -Dlog4j2.configurationFile=file:{log4j}")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("OFF")
    # pyspark logs every failed query (with a Java stack) on this logger; failures are expected.
    logging.getLogger("SQLQueryContextLogger").disabled = True
    return spark


def sql_literal(v: Any) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, dt.datetime):
        return sql_literal(v.isoformat(sep=" "))
    if isinstance(v, dt.date):
        return sql_literal(v.isoformat())
    if isinstance(v, dict) and "sql" in v:  # raw Spark expression, e.g. {sql: "array(1, 2)"}
        return str(v["sql"])
    s = str(v).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{s}'"


def fixture_sql(f: Fixture) -> str:
    """A temp view with the fixture's rows, each column cast to its (Spark) type."""
    cols = ", ".join(f"CAST(c{i} AS {t}) AS `{n}`" for i, (n, t) in enumerate(f.columns))
    names = ", ".join(f"c{i}" for i in range(len(f.columns)))
    if f.rows:
        values = ", ".join("(" + ", ".join(sql_literal(v) for v in r) + ")" for r in f.rows)
        src = f"VALUES {values} AS v({names})"
        return f"CREATE OR REPLACE TEMP VIEW `{f.name}` AS SELECT {cols} FROM {src}"
    nulls = ", ".join(f"CAST(NULL AS {t}) AS `{n}`" for n, t in f.columns)
    return f"CREATE OR REPLACE TEMP VIEW `{f.name}` AS SELECT {nulls} WHERE 1 = 0"


def split_statements(sql: str) -> list[str]:
    """Splits at top-level `;`, honouring quotes, backslash escapes, comments and `$$` bodies."""
    out, buf, i, n = [], [], 0, len(sql)
    depth = 0
    while i < n:
        c = sql[i]
        if sql.startswith("$$", i):
            # A dollar-quoted body (procedures) holds its own `;`s.
            j = sql.find("$$", i + 2)
            j = n if j < 0 else j + 2
            buf.append(sql[i:j])
            i = j
            continue
        if c in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == "\\" and c != "`":
                    j += 2
                    continue
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            buf.append(sql[i:j + 1])
            i = j + 1
            continue
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            buf.append(sql[i:j])
            i = j
            continue
        if sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            buf.append(sql[i:j])
            i = j
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == ";" and depth <= 0:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(c)
        i += 1
    out.append("".join(buf))
    return [s for s in out if strip_comments(s).strip()]


def strip_comments(s: str) -> str:
    return re.sub(r"--[^\n]*|/\*.*?\*/", "", s, flags=re.S)


def normalise(v: Any) -> Any:
    """One comparable form for Spark values and YAML expectations."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (int, float, str)):
        return v
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(dt.timezone.utc).replace(tzinfo=None)
        s = v.strftime("%Y-%m-%d %H:%M:%S")
        if v.microsecond:
            s += f".{v.microsecond:06d}".rstrip("0")
        return s
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return f"interval {v.total_seconds()} s"
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    if isinstance(v, (list, tuple)):
        return [normalise(x) for x in v]
    if isinstance(v, dict):
        return {str(k): normalise(x) for k, x in v.items()}
    if hasattr(v, "asDict"):
        return normalise(v.asDict())
    return str(v)


def values_equal(a: Any, b: Any, tol: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == b and type(a) is type(b))
    if isinstance(a, int) or isinstance(b, int):
        # An integer on either side (an INTEGER column, or an expectation written as an integer)
        # must match exactly: 3333333333.33 is not 3333333333, whatever the relative tolerance.
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a == b
        return False
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, float) or isinstance(b, float):
            if math.isnan(a) or math.isnan(b):
                return math.isnan(a) and math.isnan(b)
            return math.isclose(a, b, rel_tol=tol, abs_tol=tol)
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(values_equal(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(values_equal(a[k], b[k], tol) for k in a)
    return a == b


def rows_equal(actual: list[list[Any]], expected: list[list[Any]], ordered: bool,
               tol: float) -> bool:
    if len(actual) != len(expected):
        return False
    if any(len(r) != len(e) for r, e in zip(actual, expected)) and ordered:
        return False
    if ordered:
        return all(values_equal(r, e, tol) for r, e in zip(actual, expected))
    remaining = list(actual)
    for e in expected:  # multiset match; tolerance makes sorting unsafe
        for i, r in enumerate(remaining):
            if len(r) == len(e) and values_equal(r, e, tol):
                del remaining[i]
                break
        else:
            return False
    return True


class Executor:
    """Runs translated SQL after creating the case's fixtures as temp views.

    Fixtures shared by several cases are created once and reused while their definition is
    unchanged (a Spark round trip per view per case is most of the cost on a busy machine).
    Statements that may create objects are followed by dropping whatever they created.
    """

    DDL = re.compile(r"\b(create|into|drop|alter|table|view)\b", re.I)

    # Redshift's default schema; late-binding views must name it, so cases may write public.t.
    SCHEMAS = ("default", "public")

    def __init__(self, spark):
        self.spark = spark
        self.views: dict[str, str] = {}
        spark.sql("CREATE DATABASE IF NOT EXISTS public")

    def _tables(self) -> set[tuple[str, str, bool]]:
        return {
            (db, r.tableName, bool(r.isTemporary))
            for db in self.SCHEMAS
            for r in self.spark.sql(f"SHOW TABLES IN {db}").collect()
        }

    def run(self, case: Case, sql: str) -> list[list[Any]]:
        for q in case.setup:
            self.spark.sql(q)
        for f in case.fixtures:
            q = fixture_sql(f)
            if self.views.get(f.name) != q:
                self.spark.sql(q)
                self.views[f.name] = q
        ddl = bool(self.DDL.search(sql))
        before = self._tables() if ddl else set()
        try:
            rows: list[Any] = []
            for stmt in split_statements(sql):
                rows = self.spark.sql(stmt).collect()
            return [[normalise(v) for v in r] for r in rows]
        finally:
            if ddl:
                for db, name, temp in self._tables() - before:
                    if temp:
                        self.spark.catalog.dropTempView(name)
                        continue
                    try:
                        self.spark.sql(f"DROP VIEW IF EXISTS `{db}`.`{name}`")
                    except Exception:  # noqa: BLE001 - it is a table, not a view
                        self.spark.sql(f"DROP TABLE IF EXISTS `{db}`.`{name}`")
                self.views.clear()  # the case may have replaced a fixture: recreate next time


def first_line(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    line = text.splitlines()[0]
    return f"{type(e).__name__}: {line[:300]}"


def load_known_gaps(path: Path | None) -> dict[str, str]:
    """Known silently wrong cases, id → reason (empty when the file is absent)."""
    if path is None or not path.exists():
        return {}
    entries = yaml.safe_load(path.read_text()) or []
    gaps = {}
    for e in entries:
        if not isinstance(e, dict) or not e.get("id") or not e.get("reason"):
            raise ValueError(f"{path}: every known gap needs an id and a reason: {e!r}")
        gaps[str(e["id"])] = " ".join(str(e["reason"]).split())
    return gaps


def classify(case: Case, tr: Translation, ex: Executor) -> dict:
    res: dict[str, Any] = {
        "id": case.id, "category": case.category, "file": case.file, "sql": case.sql,
        "translated": tr.sql, "errors": tr.errors, "findings": tr.findings,
        "codes": sorted({str(f.get("code")) for f in tr.findings if f.get("code")}),
    }
    if tr.tool_error:
        return {**res, "outcome": "failed", "detail": f"translator: {tr.tool_error}"}
    if tr.errors:
        # The engine declined (error finding): acceptable, counted as flagged.
        return {**res, "outcome": "flagged", "detail": tr.errors[0]}
    try:
        actual = ex.run(case, tr.sql or "")
    except Exception as e:  # noqa: BLE001 - every Spark error is a failure of the case
        return {**res, "outcome": "failed", "detail": f"spark: {first_line(e)}"}
    res["actual"] = actual
    if case.expect == "flagged" and case.rows is None:
        return {**res, "outcome": "silently_wrong",
                "detail": "ran without an error finding; the case has no exact Databricks form"}
    expected = [[normalise(v) for v in r] for r in case.rows or []]
    res["expected"] = expected
    tol = case.tolerance if case.tolerance is not None else REL_TOL
    if rows_equal(actual, expected, case.ordered, tol):
        return {**res, "outcome": "correct", "detail": ""}
    return {**res, "outcome": "silently_wrong",
            "detail": f"expected {short(expected)}, got {short(actual)}"}


def short(v: Any, limit: int = 240) -> str:
    s = json.dumps(v, default=str)
    return s if len(s) <= limit else s[:limit] + "…"


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def print_table(results: list[dict], out=sys.stdout) -> None:
    cats: dict[str, dict[str, int]] = {}
    for r in results:
        c = cats.setdefault(r["category"], dict.fromkeys(OUTCOMES, 0))
        c[r["outcome"]] += 1
    header = f"{'category':<18} {'cases':>5} {'correct':>7} {'flagged':>7} {'failed':>6} " \
             f"{'silently wrong':>14}"
    print(header, file=out)
    print("-" * len(header), file=out)
    total = dict.fromkeys(OUTCOMES, 0)
    for name in sorted(cats):
        c = cats[name]
        for k in OUTCOMES:
            total[k] += c[k]
        print(f"{name:<18} {sum(c.values()):>5} {c['correct']:>7} {c['flagged']:>7} "
              f"{c['failed']:>6} {c['silently_wrong']:>14}", file=out)
    print("-" * len(header), file=out)
    print(f"{'total':<18} {sum(total.values()):>5} {total['correct']:>7} {total['flagged']:>7} "
          f"{total['failed']:>6} {total['silently_wrong']:>14}", file=out)


# Registered codes no conformance case can produce, with the reason; they are not "missing".
NO_CASE = {
    "RS902": "fires only when a rule's output does not parse again (a translator bug); "
             "unit-tested in src/sql/mod.rs",
}


def registered_rules(engine: Any) -> list[str]:
    """Codes from `hex-migrate rules` (empty for other engines or when it cannot run)."""
    if not isinstance(engine, HexMigrate):
        return []
    try:
        out = subprocess.run([str(engine.binary), "rules"], capture_output=True, text=True,
                             timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [ln.split()[0] for ln in out.splitlines() if re.match(r"RS\d{3}\s", ln)]


def rule_coverage(engine: Any, exercised: dict[str, int], skipped: list[Case],
                  skipped_tr: list[Translation]) -> dict | None:
    """Rules exercised (a case that ran on Spark emitted the code), covered only by skipped
    cases (translated, not executed: DML that needs Delta, Jinja templates), and missing."""
    registered = registered_rules(engine)
    if not registered:
        return None
    only_skipped: dict[str, list[str]] = {}
    for case, tr in zip(skipped, skipped_tr):
        for code in sorted({str(f.get("code")) for f in tr.findings if f.get("code")}):
            if code not in exercised:
                only_skipped.setdefault(code, []).append(case.id)
    covered = set(exercised) | set(only_skipped)
    return {
        "registered": len(registered),
        "exercised": sorted(c for c in registered if c in exercised),
        "covered_by_skipped_only": {c: only_skipped[c] for c in sorted(only_skipped)
                                    if c in registered},
        "not_applicable": {c: NO_CASE[c] for c in registered if c in NO_CASE
                           and c not in covered},
        "missing": sorted(c for c in registered if c not in covered and c not in NO_CASE),
    }


def print_coverage(cov: dict) -> None:
    skipped_only = cov["covered_by_skipped_only"]
    print(f"rules: {cov['registered']} registered; {len(cov['exercised'])} exercised on Spark, "
          f"{len(skipped_only)} covered by skipped cases only (translated, not executed), "
          f"{len(cov['not_applicable'])} with no possible case, {len(cov['missing'])} missing")
    if skipped_only:
        print("rules covered by skipped cases only: " + " ".join(
            f"{c}({','.join(ids[:2])}{',…' if len(ids) > 2 else ''})"
            for c, ids in skipped_only.items()))
    for c, why in cov["not_applicable"].items():
        print(f"rule {c} has no case: {why}")
    if cov["missing"]:
        print("rules with no case: " + " ".join(cov["missing"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=str(ROOT / "target" / "debug" / "hex-migrate"),
                    help="hex-migrate binary (default: target/debug/hex-migrate)")
    ap.add_argument("--engine", choices=("hex-migrate", "passthrough", "sqlglot"),
                    default="hex-migrate")
    ap.add_argument("--cases", nargs="*", type=Path,
                    help="case files (default: tests/conformance/cases/*.yaml)")
    ap.add_argument("-k", "--filter", help="only cases whose id or category contains this")
    ap.add_argument("--min-correct", type=float, default=0.90,
                    help="fail when correct / executed cases is below this (default 0.90)")
    ap.add_argument("--baseline", type=Path, default=BASELINE,
                    help="ids that were correct before; fail when one regresses")
    ap.add_argument("--update-baseline", action="store_true",
                    help="write the ids that are correct now to the baseline file")
    ap.add_argument("--known-gaps", type=Path, default=KNOWN_GAPS,
                    help="silently wrong cases tracked with a reason (default: %(default)s)")
    ap.add_argument("--report-only", action="store_true",
                    default=os.environ.get("HEX_MIGRATE_CONFORMANCE_REPORT_ONLY") == "1",
                    help="report without failing (env HEX_MIGRATE_CONFORMANCE_REPORT_ONLY=1)")
    ap.add_argument("--out", type=Path, help="result JSON (default tests/conformance/out/"
                                             "<engine>.json)")
    ap.add_argument("--no-column-types", action="store_true",
                    help="translate without the per-case column-type CSV (by default each case's "
                         "fixtures are passed to hex-migrate as --column-types, as a team passes "
                         "its svv_columns export)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every non-correct case")
    ap.add_argument("--list", action="store_true", help="list cases and exit")
    args = ap.parse_args(argv)
    if args.no_column_types and args.update_baseline:
        ap.error("--update-baseline records the run with column types; drop --no-column-types")

    files = args.cases or sorted(CASES_DIR.glob("*.yaml"))
    cases = load_cases(files)
    if args.filter:
        cases = [c for c in cases if args.filter in c.id or args.filter == c.category]
    if args.list:
        for c in cases:
            print(f"{c.category:<18} {c.id}")
        print(f"{len(cases)} cases")
        return 0
    skipped = [c for c in cases if c.skip]
    cases = [c for c in cases if not c.skip]

    if args.engine == "hex-migrate":
        binary = Path(args.binary)
        if not binary.exists():
            print(f"conformance: binary {binary} not found (run cargo build)", file=sys.stderr)
            return 2
        work_tmp = tempfile.TemporaryDirectory(prefix="hex-migrate-mappings-")
        engine: Any = HexMigrate(binary, Path(work_tmp.name), not args.no_column_types)
    elif args.engine == "passthrough":
        engine = Passthrough()
    else:
        engine = Sqlglot()

    t0 = time.monotonic()
    # Translate while Spark starts: the translator runs in other processes (or threads), and
    # Spark's start-up is mostly waiting on the JVM.
    workers = 1 if engine.name == "sqlglot" else 4
    pool = ThreadPoolExecutor(max_workers=workers)
    pending = [pool.submit(engine.translate, case.sql, case) for case in cases]
    # Skipped cases are translated too (not executed): their codes count as "covered".
    pending_skipped = [pool.submit(engine.translate, case.sql, case) for case in skipped]
    with tempfile.TemporaryDirectory(prefix="hex-migrate-conformance-") as tmp:
        spark = start_spark(Path(tmp) / "warehouse")
        t_spark = time.monotonic() - t0
        ex = Executor(spark)
        results = []
        for case, fut in zip(cases, pending):
            results.append(classify(case, fut.result(), ex))
        spark.stop()
    pool.shutdown()
    elapsed = time.monotonic() - t0

    counts = dict.fromkeys(OUTCOMES, 0)
    for r in results:
        counts[r["outcome"]] += 1
    executed = len(results)
    correct_ratio = counts["correct"] / executed if executed else 1.0

    baseline: list[str] = []
    if args.baseline and args.baseline.exists():
        baseline = json.loads(args.baseline.read_text()).get("correct", [])
    by_id = {r["id"]: r for r in results}
    regressions = sorted(i for i in baseline if i in by_id and by_id[i]["outcome"] != "correct")
    if engine.name == "hex-migrate" and args.no_column_types:
        # The baseline is measured with column types; without them fewer cases are exact.
        regressions = []

    # Silently wrong cases always (they fail the suite); failed and flagged ones with -v.
    for r in results:
        if r["outcome"] == "correct":
            continue
        if r["outcome"] != "silently_wrong" and r["id"] not in regressions and not args.verbose:
            continue
        print(f"[{r['outcome']}] {r['category']}/{r['id']}: {r['detail']}")
        if r.get("translated") is not None:
            print("    translated: " + " ".join(r["translated"].split())[:400])

    print()
    typed = ("" if engine.name != "hex-migrate" else
             "; without column types" if args.no_column_types else "; with column types")
    print(f"engine: {engine.name}{typed}; {executed} cases ({len(skipped)} skipped); "
          f"spark start {t_spark:.1f} s, total {elapsed:.1f} s")
    print_table(results)
    seen: dict[str, int] = {}
    for r in results:
        for code in r["codes"]:
            seen[code] = seen.get(code, 0) + 1
    if seen:
        print("rules exercised (cases): " + " ".join(f"{c}({n})" for c, n in sorted(seen.items())))
    coverage = rule_coverage(engine, seen, skipped, [f.result() for f in pending_skipped])
    if coverage:
        print_coverage(coverage)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = args.out or OUT_DIR / f"{engine.name}.json"
    out.write_text(json.dumps({
        "engine": engine.name,
        "counts": counts,
        "correct_ratio": correct_ratio,
        "skipped": [c.id for c in skipped],
        "regressions": regressions,
        "rules_exercised": seen,
        "rule_coverage": coverage,
        "results": results,
    }, indent=1, default=str))
    print(f"results: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")

    if args.update_baseline:
        # Cases not run this time (-k, --cases) keep their baseline entry.
        ran = {r["id"] for r in results}
        ids = sorted({i for i in baseline if i not in ran}
                     | {r["id"] for r in results if r["outcome"] == "correct"})
        args.baseline.write_text(json.dumps({"correct": ids}, indent=1) + "\n")
        print(f"baseline: {len(ids)} correct ids written to {args.baseline}")

    known = load_known_gaps(args.known_gaps)
    wrong = {r["id"] for r in results if r["outcome"] == "silently_wrong"}
    if engine.name == "hex-migrate" and args.no_column_types:
        # Cases only column types can make exact are expected to be wrong without them.
        needs = {c.id: c.needs_column_types for c in cases if c.needs_column_types}
        for gap in sorted(wrong & needs.keys()):
            print(f"conformance: needs column types {gap}: {needs[gap]}")
        wrong -= needs.keys()
    for gap in sorted(wrong & known.keys()):
        print(f"conformance: known gap {gap}: {known[gap]}")
    problems = []
    if wrong - known.keys():
        problems.append(f"{len(wrong - known.keys())} silently wrong: "
                        + ", ".join(sorted(wrong - known.keys())[:10]))
    fixed = sorted(i for i in known if i in by_id and i not in wrong)
    if fixed:
        problems.append("no longer silently wrong, remove from known_gaps.yaml: " + ", ".join(fixed))
    if correct_ratio < args.min_correct:
        problems.append(f"correct {correct_ratio:.1%} < {args.min_correct:.0%}")
    if regressions:
        problems.append(f"{len(regressions)} regressed from correct: {', '.join(regressions[:10])}")
    for p in problems:
        print(f"conformance: FAIL: {p}" + (" (report only)" if args.report_only else ""))
    passed = counts["correct"] + counts["flagged"]
    print(f"conformance: {passed} passed, {executed - passed} failed")
    if problems and not args.report_only:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
