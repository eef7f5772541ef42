//! What a rule reports about a piece of SQL.

use std::ops::Range;

use serde::Serialize;

/// How sure a rule is that its rewrite returns the same rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Rewritten; same results for every input.
    Exact,
    /// Rewritten; a stated edge case differs (reported as a warning).
    Caveat,
    /// Not rewritten unless the user opts in; reported as an error that needs a person.
    Review,
    /// No Databricks equivalent; reported as an error.
    Block,
}

/// Severity of a finding, as shown to users and mapped to exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Translated exactly; informational.
    Info,
    /// Translated with a stated caveat.
    Warning,
    /// Not translated; needs a person.
    Error,
}

impl Severity {
    /// Lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl Confidence {
    /// The severity a finding of this confidence gets by default.
    pub fn severity(self) -> Severity {
        match self {
            Confidence::Exact => Severity::Info,
            Confidence::Caveat => Severity::Warning,
            Confidence::Review | Confidence::Block => Severity::Error,
        }
    }
}

/// One finding in one piece of SQL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule code, e.g. `RS101`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the SQL text given to `translate` (the original, not the output).
    pub span: Range<usize>,
    /// What to write instead (Databricks SQL), when the rule knows it.
    pub suggestion: Option<String>,
    /// Whether the output of `translate` already contains the suggestion.
    pub applied: bool,
}
