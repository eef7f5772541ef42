//! SARIF 2.1.0 diagnostics for GitHub code scanning, with rule metadata from the rule registry.
//!
//! Shape (bot-conventions §3.3): one run; `tool.driver.rules[]` lists every rule (id, name,
//! short and full description, help, default level); each result has `ruleId`/`ruleIndex`,
//! `level`, `message.text` and a physical location in the YAML file (1-based columns,
//! `endColumn` exclusive, as SARIF defines it). In git modes each result carries
//! `baselineState` (`new` or `unchanged`). Files that could not be checked are
//! `toolExecutionNotifications` of the invocation, which then is not `executionSuccessful`.
//! A test validates the output against the OASIS JSON schema.

use serde_json::{json, Map, Value};

use super::diagnostics::{CheckReport, Diagnostic, Mode};
use crate::sql::Severity;

/// The published schema location for SARIF 2.1.0 (errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// What SARIF says about one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    /// Rule code, e.g. `RS101`.
    pub id: String,
    /// Short identifier-like name, e.g. `GetdateToCurrentTimestamp`.
    pub name: Option<String>,
    /// One-line summary.
    pub short: String,
    /// Longer description (plain text).
    pub full: Option<String>,
    /// The rule's documentation (Markdown), shown by code scanning as help.
    pub help_markdown: Option<String>,
    /// The level its findings usually have.
    pub default_severity: Option<Severity>,
    /// `exact`, `caveat`, `review` or `block`.
    pub confidence: Option<String>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a repository-relative path into a URI reference (spaces and other
/// characters outside RFC 3986's unreserved set, `/` kept).
pub fn path_to_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The artifact location of a path: repository-relative paths are relative to `%SRCROOT%` (the
/// checkout root code scanning resolves them against); absolute ones become `file://` URIs.
fn artifact_location(path: &str) -> Value {
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", path_to_uri(path)) })
    } else {
        json!({ "uri": path_to_uri(path.strip_prefix("./").unwrap_or(path)), "uriBaseId": "%SRCROOT%" })
    }
}

fn rule_json(r: &RuleMeta) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(r.id));
    if let Some(name) = &r.name {
        m.insert("name".into(), json!(name));
    }
    m.insert("shortDescription".into(), json!({ "text": r.short }));
    if let Some(full) = &r.full {
        m.insert("fullDescription".into(), json!({ "text": full }));
    }
    if let Some(help) = &r.help_markdown {
        m.insert("help".into(), json!({ "text": help, "markdown": help }));
    }
    if let Some(sev) = r.default_severity {
        m.insert(
            "defaultConfiguration".into(),
            json!({ "level": level(sev) }),
        );
    }
    let mut props = Map::new();
    props.insert(
        "tags".into(),
        json!(["hex", "sql", "redshift", "databricks"]),
    );
    if let Some(c) = &r.confidence {
        props.insert("confidence".into(), json!(c));
    }
    m.insert("properties".into(), Value::Object(props));
    Value::Object(m)
}

fn result_json(d: &Diagnostic, rule_index: usize, git_mode: bool) -> Value {
    let l = &d.located;
    let f = &l.finding;
    let mut text = format!("{} {}", f.code, f.message);
    match (&f.suggestion, f.applied) {
        (Some(s), true) => text.push_str(&format!("\n`hex-migrate fix` rewrites this to: {s}")),
        (Some(s), false) => {
            text.push_str(&format!("\nDatabricks: {s} (not rewritten automatically)"))
        }
        (None, _) => text.push_str("\nNo automatic rewrite: this needs a person."),
    }
    let mut region = Map::new();
    region.insert("startLine".into(), json!(l.line.max(1)));
    region.insert("startColumn".into(), json!(l.column.max(1)));
    let end_line = l.end_line.max(l.line.max(1));
    region.insert("endLine".into(), json!(end_line));
    let end_column = if end_line == l.line.max(1) {
        l.end_column.max(l.column.max(1))
    } else {
        l.end_column.max(1)
    };
    region.insert("endColumn".into(), json!(end_column));
    if !l.sql_line_text.is_empty() {
        region.insert("snippet".into(), json!({ "text": l.sql_line_text }));
    }
    let mut result = json!({
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact_location(&d.path),
                "region": Value::Object(region),
            }
        }],
        "properties": {
            "cellId": d.cell_id,
            "cellLabel": d.cell_label,
            "cellKind": d.cell_kind,
            "suggestion": f.suggestion,
            "fixable": f.applied,
            "blocking": d.blocking(),
        },
    });
    if git_mode {
        result["baselineState"] = json!(if d.new { "new" } else { "unchanged" });
    }
    result
}

/// Renders a check report as a SARIF 2.1.0 log. `rules` is the registry's metadata; a code
/// found but missing from it still gets a minimal rule entry so every `ruleIndex` is valid.
pub fn render(report: &CheckReport, rules: &[RuleMeta]) -> String {
    let mut rules: Vec<RuleMeta> = rules.to_vec();
    for d in report.listed() {
        let code = d.located.finding.code;
        if !rules.iter().any(|r| r.id == code) {
            rules.push(RuleMeta {
                id: code.to_string(),
                name: None,
                short: format!("hex-migrate rule {code}"),
                full: None,
                help_markdown: None,
                default_severity: None,
                confidence: None,
            });
        }
    }
    let git_mode = report.mode != Mode::Paths;
    let results: Vec<Value> = report
        .listed()
        .map(|d| {
            let idx = rules
                .iter()
                .position(|r| r.id == d.located.finding.code)
                .expect("added above");
            result_json(d, idx, git_mode)
        })
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let mut region = Map::new();
            if let Some(line) = e.line {
                region.insert("startLine".into(), json!(line.max(1)));
                if let Some(col) = e.column {
                    region.insert("startColumn".into(), json!(col.max(1)));
                }
            }
            let mut phys = json!({ "artifactLocation": artifact_location(&e.path) });
            if !region.is_empty() {
                phys["region"] = Value::Object(region);
            }
            json!({
                "level": "error",
                "message": { "text": format!("{}: {}", e.location(), e.message) },
                "locations": [{ "physicalLocation": phys }],
            })
        })
        .collect();
    let mut invocation = json!({ "executionSuccessful": report.errors.is_empty() });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "hex-migrate",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(rule_json).collect::<Vec<_>>(),
                }
            },
            "invocations": [invocation],
            "results": results,
            "columnKind": "unicodeCodePoints",
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).expect("serialising plain data cannot fail");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::super::diagnostics::fixtures::*;
    use super::super::diagnostics::InputError;
    use super::*;

    #[test]
    fn results_point_at_rules_and_yaml_locations() {
        let rules = vec![RuleMeta {
            id: "RS101".into(),
            name: Some("Getdate".into()),
            short: "GETDATE() is Redshift-only".into(),
            full: None,
            help_markdown: Some("## What it does".into()),
            default_severity: Some(Severity::Info),
            confidence: Some("exact".into()),
        }];
        let r = report(
            vec![
                diagnostic(
                    "nb/Search QPR - WIP.yaml",
                    12,
                    "RS102",
                    Severity::Error,
                    true,
                ),
                diagnostic("nb/a.yaml", 3, "RS101", Severity::Info, true),
            ],
            vec![InputError {
                path: "bad.yaml".into(),
                line: Some(4),
                column: None,
                message: "invalid YAML".into(),
            }],
        );
        let v: Value = serde_json::from_str(&render(&r, &rules)).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 2, "unknown codes get a minimal rule");
        assert_eq!(rules[0]["defaultConfiguration"]["level"], "note");
        let res = run["results"].as_array().unwrap();
        assert_eq!(res[0]["ruleId"], "RS102");
        assert_eq!(res[0]["ruleIndex"], 1);
        assert_eq!(res[0]["baselineState"], "new");
        let loc = &res[0]["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "nb/Search%20QPR%20-%20WIP.yaml"
        );
        assert_eq!(loc["region"]["startLine"], 12);
        assert_eq!(loc["region"]["startColumn"], 16);
        assert_eq!(loc["region"]["endColumn"], 25);
        assert_eq!(res[1]["level"], "note");
        assert_eq!(
            artifact_location("/abs/a b.yaml"),
            json!({ "uri": "file:///abs/a%20b.yaml" })
        );
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        assert_eq!(
            inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["region"]
                ["startLine"],
            4
        );
    }
}
