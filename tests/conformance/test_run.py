"""Unit tests of the conformance runner's own logic (no Spark): python -m unittest discover."""

import datetime as dt
import decimal
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402


class SplitStatements(unittest.TestCase):
    def test_splits_top_level_semicolons_only(self):
        sql = "SELECT 'a;b' AS x; -- c;d\nSELECT \"e;f\" /* g;h */ FROM t;\n"
        self.assertEqual(run.split_statements(sql),
                         ["SELECT 'a;b' AS x", " -- c;d\nSELECT \"e;f\" /* g;h */ FROM t"])

    def test_doubled_and_backslash_quotes_stay_inside_the_literal(self):
        self.assertEqual(run.split_statements("SELECT 'it''s;' ; SELECT 'a\\';b'"),
                         ["SELECT 'it''s;' ", " SELECT 'a\\';b'"])

    def test_comment_only_tail_is_dropped(self):
        self.assertEqual(run.split_statements("SELECT 1;\n-- done\n"), ["SELECT 1"])


class Compare(unittest.TestCase):
    def test_integer_expectation_is_exact(self):
        self.assertFalse(run.values_equal(3333333333.3333, 3333333333, 1e-9))
        self.assertTrue(run.values_equal(2024.0, 2024, 1e-9))

    def test_floats_use_the_tolerance(self):
        self.assertTrue(run.values_equal(0.1 + 0.2, 0.3, 1e-9))
        self.assertFalse(run.values_equal(16777216.0, 16777217.0, 1e-9))

    def test_bool_is_not_an_integer(self):
        self.assertFalse(run.values_equal(True, 1, 1e-9))

    def test_normalise_spark_values(self):
        self.assertEqual(run.normalise(dt.datetime(2024, 1, 2, 3, 4, 5)), "2024-01-02 03:04:05")
        self.assertEqual(run.normalise(dt.datetime(2024, 1, 2, 0, 0, 1, 500000)),
                         "2024-01-02 00:00:01.5")
        self.assertEqual(run.normalise(dt.date(2024, 1, 2)), "2024-01-02")
        self.assertEqual(run.normalise(decimal.Decimal("1.50")), 1.5)

    def test_unordered_is_a_multiset(self):
        self.assertTrue(run.rows_equal([[1], [2], [2]], [[2], [1], [2]], False, 1e-9))
        self.assertFalse(run.rows_equal([[1], [1], [2]], [[1], [2], [2]], False, 1e-9))
        self.assertFalse(run.rows_equal([[2], [1]], [[1], [2]], True, 1e-9))


class Fixtures(unittest.TestCase):
    def test_values_are_escaped_and_cast(self):
        f = run.Fixture("t", [("a b", "STRING"), ("n", "INT")], [["it's \\", None]])
        self.assertEqual(
            run.fixture_sql(f),
            "CREATE OR REPLACE TEMP VIEW `t` AS SELECT CAST(c0 AS STRING) AS `a b`, "
            "CAST(c1 AS INT) AS `n` FROM VALUES ('it\\'s \\\\', NULL) AS v(c0, c1)")

    def test_empty_fixture_keeps_its_schema(self):
        f = run.Fixture("e", [("x", "DATE")], [])
        self.assertIn("CAST(NULL AS DATE) AS `x` WHERE 1 = 0", run.fixture_sql(f))


class ColumnTypes(unittest.TestCase):
    def test_spark_types_map_to_redshift_catalog_names(self):
        self.assertEqual(run.redshift_type("INT"), "integer")
        self.assertEqual(run.redshift_type("STRING"), "character varying(256)")
        self.assertEqual(run.redshift_type("DECIMAL(10, 2)"), "numeric(10,2)")
        self.assertEqual(run.redshift_type("decimal"), "numeric(10,0)")
        self.assertEqual(run.redshift_type("CHAR(3)"), "character(3)")
        self.assertEqual(run.redshift_type("TIMESTAMP"), "timestamp without time zone")
        self.assertEqual(run.redshift_type("ARRAY<INT>"), "super")

    def test_fixtures_become_an_svv_columns_export(self):
        case = run.Case(id="c", category="x", file="f", sql="SELECT 1", fixtures=[
            run.Fixture("t", [("n", "INT"), ("d", "DATE")], [])])
        self.assertEqual(
            run.column_types_csv(case),
            "table_schema,table_name,column_name,data_type\n"
            '"public","t","n","integer"\n"public","t","d","date"\n')


class FakeExecutor:
    def __init__(self, rows=None, error=None):
        self.rows, self.error = rows, error

    def run(self, case, sql):
        if self.error:
            raise self.error
        return self.rows


def case(**kw):
    base = dict(id="c", category="k", file="f.yaml", sql="SELECT 1", rows=[[1]])
    base.update(kw)
    return run.Case(**base)


class Classify(unittest.TestCase):
    def test_outcomes(self):
        ok = run.Translation("SELECT 1", [], [])
        self.assertEqual(run.classify(case(), ok, FakeExecutor([[1]]))["outcome"], "correct")
        self.assertEqual(run.classify(case(), ok, FakeExecutor([[2]]))["outcome"],
                         "silently_wrong")
        self.assertEqual(run.classify(case(), ok, FakeExecutor(error=RuntimeError("x")))
                         ["outcome"], "failed")
        declined = run.Translation("SELECT 1", ["RS999: no equivalent"], [])
        self.assertEqual(run.classify(case(), declined, FakeExecutor([[2]]))["outcome"],
                         "flagged")

    def test_expect_flagged_without_a_finding_is_silently_wrong(self):
        ok = run.Translation("SELECT 1", [], [])
        c = case(expect="flagged", rows=None)
        self.assertEqual(run.classify(c, ok, FakeExecutor([[1]]))["outcome"], "silently_wrong")

    def test_warnings_do_not_excuse_wrong_rows(self):
        warned = run.Translation("SELECT 1", [], [{"code": "RS1", "severity": "warning"}])
        self.assertEqual(run.classify(case(), warned, FakeExecutor([[2]]))["outcome"],
                         "silently_wrong")


class Cases(unittest.TestCase):
    def test_every_case_file_loads_and_ids_are_unique(self):
        cases = run.load_cases(sorted(run.CASES_DIR.glob("*.yaml")))
        self.assertGreaterEqual(len(cases), 150)
        self.assertEqual(len({c.id for c in cases}), len(cases))
        for c in cases:
            self.assertTrue(c.skip or c.expect == "flagged" or c.rows is not None, c.id)


if __name__ == "__main__":
    unittest.main()


class KnownGapsTest(unittest.TestCase):
    def test_entries_need_a_reason(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "gaps.yaml"
            p.write_text("- id: a\n  reason: because\n")
            self.assertEqual(run.load_known_gaps(p), {"a": "because"})
            p.write_text("- id: a\n")
            with self.assertRaises(ValueError):
                run.load_known_gaps(p)
            self.assertEqual(run.load_known_gaps(Path(d) / "absent.yaml"), {})

    def test_shipped_list_is_valid(self):
        self.assertTrue(all(run.load_known_gaps(run.KNOWN_GAPS).values()))


class SplitStatementsTest(unittest.TestCase):
    def test_dollar_quoted_body_is_one_statement(self):
        sql = "CREATE PROCEDURE p() AS $$\nBEGIN\n  x := 1;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT 1"
        parts = [p.strip() for p in run.split_statements(sql) if p.strip()]
        self.assertEqual(len(parts), 2, parts)
        self.assertTrue(parts[0].endswith("LANGUAGE plpgsql"), parts)


class RuleCoverage(unittest.TestCase):
    def test_exercised_skipped_only_not_applicable_and_missing(self):
        import tempfile  # noqa: PLC0415

        with tempfile.TemporaryDirectory() as tmp:
            fake = Path(tmp) / "hex-migrate"
            fake.write_text("#!/bin/sh\nprintf 'RS101  getdate  caveat  x\\n"
                            "RS850  delete-using  exact  y\\nRS902  reparse  review  z\\n"
                            "RS999  other  exact  w\\n'\n")
            fake.chmod(0o755)
            engine = run.HexMigrate(fake, Path(tmp))
            skipped = [case(id="dml", skip="needs Delta")]
            tr = [run.Translation("DELETE …", [], [{"code": "RS850"}, {"code": "RS101"}])]
            cov = run.rule_coverage(engine, {"RS101": 2}, skipped, tr)
        self.assertEqual(cov["registered"], 4)
        self.assertEqual(cov["exercised"], ["RS101"])
        # RS101 also ran on Spark, so only RS850 is covered by the skipped case alone.
        self.assertEqual(cov["covered_by_skipped_only"], {"RS850": ["dml"]})
        self.assertEqual(list(cov["not_applicable"]), ["RS902"])
        self.assertEqual(cov["missing"], ["RS999"])

    def test_other_engines_report_nothing(self):
        self.assertIsNone(run.rule_coverage(run.Passthrough(), {}, [], []))
