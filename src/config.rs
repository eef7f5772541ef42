//! `.hex-migrate.yaml`: the project configuration.
//!
//! Found by walking up from the working directory to the repository root (the directory holding
//! `.git`), or given with `--config`. Every key is optional; an unknown key is an error naming the
//! key and its line (so a typo never silently turns a setting off). Relative paths are relative
//! to the directory of the configuration file. The README has a complete example.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::mappings::ConflictPolicy;
use crate::sql::{Runtime, Severity};

/// The file name looked for.
pub const FILE_NAME: &str = ".hex-migrate.yaml";

/// Default largest notebook read (bytes): the notebook reader's own default (real exports are a
/// few hundred kilobytes).
pub const DEFAULT_MAX_FILE_SIZE: u64 = crate::notebook::DEFAULT_SIZE_LIMIT;

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
}

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub mappings: Mappings,
    /// Redshift connection id → Databricks connection id.
    #[serde(default)]
    pub connections: Vec<ConnectionEntry>,
    #[serde(default)]
    pub dialects: Dialects,
    #[serde(default)]
    pub rules: Rules,
    /// Glob patterns (gitignore style) of paths never read.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Databricks Runtime the output must run on, e.g. `"15.4"`; unset = 17.3 LTS.
    #[serde(default)]
    pub target_runtime: Option<RuntimeSpec>,
    /// Largest notebook read: bytes, or a size such as `10 MiB`, `500kB`.
    #[serde(default)]
    pub max_file_size: Option<SizeSpec>,
    /// Directory of the configuration file (relative paths resolve against it).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The file it was read from, when one was.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// `mappings:`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mappings {
    /// Table mapping CSVs, loaded in order.
    #[serde(default, deserialize_with = "one_or_many")]
    pub tables: Vec<PathBuf>,
    /// Function mapping CSVs (the shipped `mappings/functions.csv` format).
    #[serde(default, deserialize_with = "one_or_many")]
    pub functions: Vec<PathBuf>,
    /// Column-type CSVs exported from Redshift's catalog (`table_schema,table_name,column_name,
    /// data_type` from `svv_columns`): they let type-dependent rewrites be applied.
    #[serde(default, deserialize_with = "one_or_many")]
    pub column_types: Vec<PathBuf>,
    /// What to do when table rows give one Redshift table different targets.
    #[serde(default)]
    pub on_conflict: ConflictPolicy,
    /// Catalog put in front of `schema.table` references that no row maps.
    #[serde(default)]
    pub default_catalog: Option<String>,
}

/// One `connections:` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionEntry {
    pub from: String,
    pub to: String,
    /// When set, Hex's `# name (type)` comment on the asset entry becomes `# <name> (databricks)`.
    #[serde(default)]
    pub name: Option<String>,
}

/// Which dialect a cell's connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DialectName {
    Redshift,
    Databricks,
    /// Another warehouse: left alone.
    Other,
}

/// `dialects:`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dialects {
    /// For cells whose connection none of the rules below classify.
    #[serde(default = "default_dialect")]
    pub default: DialectName,
    /// Connection ids that are Redshift / Databricks whatever Hex's comment says.
    #[serde(default)]
    pub redshift_connections: Vec<String>,
    #[serde(default)]
    pub databricks_connections: Vec<String>,
    /// Connection types (the `(type)` in Hex's `# name (type)` comment) that count as each.
    #[serde(default = "default_redshift_types")]
    pub redshift_types: Vec<String>,
    #[serde(default = "default_databricks_types")]
    pub databricks_types: Vec<String>,
}

impl Default for Dialects {
    fn default() -> Self {
        Dialects {
            default: default_dialect(),
            redshift_connections: Vec::new(),
            databricks_connections: Vec::new(),
            redshift_types: default_redshift_types(),
            databricks_types: default_databricks_types(),
        }
    }
}

fn default_dialect() -> DialectName {
    DialectName::Redshift
}
fn default_redshift_types() -> Vec<String> {
    vec!["redshift".into()]
}
fn default_databricks_types() -> Vec<String> {
    vec!["databricks".into()]
}

/// A severity as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Info,
    Warning,
    Error,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Severity {
        match s {
            SeverityName::Info => Severity::Info,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Error => Severity::Error,
        }
    }
}

/// `rules:`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Rule codes switched off everywhere.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Apply `review` rewrites too (they change results in stated edge cases).
    #[serde(default)]
    pub apply_review: bool,
    /// Rule code → severity shown.
    #[serde(default)]
    pub severity: BTreeMap<String, SeverityName>,
}

/// `target_runtime`: `"15.4"` (a bare YAML number works too, but `15.10` would read as 15.1).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RuntimeSpec {
    Text(String),
    Number(f64),
}

/// `max_file_size`: bytes or a size with a unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SizeSpec {
    Bytes(u64),
    Text(String),
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PathBuf>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(PathBuf),
        Many(Vec<PathBuf>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(p) => vec![p],
        OneOrMany::Many(v) => v,
    })
}

impl Config {
    /// The configuration file for a run started in `start`: the nearest `.hex-migrate.yaml` in
    /// `start` or a parent, not looking above the repository root (the first directory holding
    /// `.git`).
    pub fn discover(start: &Path) -> Option<PathBuf> {
        for dir in start.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            if dir.join(".git").exists() {
                return None;
            }
        }
        None
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Config::parse(path, &text)
    }

    /// Parses configuration text (`path` names it in errors and gives the base directory).
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let invalid = |line: Option<usize>, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        };
        // An empty file (or one with only comments) is an empty configuration.
        let mut config: Config = if text.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#') || t == "---"
        }) {
            Config::default()
        } else {
            serde_yaml_ng::from_str(text).map_err(|e| {
                let line = e.location().map(|l| l.line());
                // serde_yaml_ng appends "at line N column M"; the line is already in front.
                let msg = e.to_string();
                let msg = match msg.rfind(" at line ") {
                    Some(i) if line.is_some() => msg[..i].to_string(),
                    _ => msg,
                };
                invalid(line, msg)
            })?
        };
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.path = Some(path.to_path_buf());
        config.validate().map_err(|m| invalid(None, m))?;
        Ok(config)
    }

    /// Checks what serde cannot: rule codes, sizes, runtimes, connection ids.
    fn validate(&self) -> Result<(), String> {
        let code = regex::Regex::new(r"^RS[0-9]{3}$").expect("valid regex");
        for c in self.rules.disable.iter().chain(self.rules.severity.keys()) {
            if !code.is_match(c) {
                return Err(format!(
                    "rules: `{c}` is not a rule code (RS followed by three digits)"
                ));
            }
        }
        self.runtime()?;
        self.max_file_size()?;
        let mut map = crate::mappings::ConnectionMap::default();
        for c in &self.connections {
            map.insert(&c.from, &c.to, c.name.clone())
                .map_err(|m| format!("connections: {m}"))?;
        }
        for pattern in &self.exclude {
            ignore::gitignore::GitignoreBuilder::new(&self.base_dir)
                .add_line(None, pattern)
                .map_err(|e| format!("exclude: `{pattern}`: {e}"))?;
        }
        Ok(())
    }

    /// The target runtime (default: a current LTS).
    pub fn runtime(&self) -> Result<Runtime, String> {
        let text = match &self.target_runtime {
            None => return Ok(Runtime::default()),
            Some(RuntimeSpec::Text(t)) => t.trim().to_string(),
            Some(RuntimeSpec::Number(n)) => n.to_string(),
        };
        text.parse::<Runtime>()
            .map_err(|e| format!("target_runtime: {e}"))
    }

    /// The largest notebook read, in bytes.
    pub fn max_file_size(&self) -> Result<u64, String> {
        match &self.max_file_size {
            None => Ok(DEFAULT_MAX_FILE_SIZE),
            Some(SizeSpec::Bytes(b)) => Ok(*b),
            Some(SizeSpec::Text(t)) => parse_size(t)
                .ok_or_else(|| format!("max_file_size: `{t}` is not a size such as `10 MiB`")),
        }
    }

    /// Resolves a path from the file against its directory.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }
}

fn parse_size(t: &str) -> Option<u64> {
    let t = t.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let num: u64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    num.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/repo/.hex-migrate.yaml"), text)
    }

    #[test]
    fn full_example_parses() {
        let c = parse(
            "mappings:\n  tables: [maps/tables.csv, /abs/more.csv]\n  functions: mappings/functions.csv\n  \
             on_conflict: unmapped\n  default_catalog: legacy\n\
             connections:\n  - from: a\n    to: b\n    name: Databricks SQL\n\
             dialects:\n  default: other\n  databricks_connections: [c]\n\
             rules:\n  disable: [RS101]\n  apply_review: true\n  severity:\n    RS301: error\n\
             exclude: ['archive/**']\ntarget_runtime: \"16.1\"\nmax_file_size: 2 MiB\n",
        )
        .unwrap();
        assert_eq!(
            c.mappings.tables,
            [
                PathBuf::from("maps/tables.csv"),
                PathBuf::from("/abs/more.csv")
            ]
        );
        assert_eq!(
            c.resolve(&c.mappings.tables[0]),
            Path::new("/repo/maps/tables.csv")
        );
        assert_eq!(c.resolve(&c.mappings.tables[1]), Path::new("/abs/more.csv"));
        assert_eq!(c.mappings.functions.len(), 1);
        assert_eq!(c.mappings.on_conflict, ConflictPolicy::Unmapped);
        assert_eq!(c.dialects.default, DialectName::Other);
        assert_eq!(c.dialects.redshift_types, ["redshift"]);
        assert_eq!(c.rules.severity["RS301"], SeverityName::Error);
        assert_eq!(c.runtime().unwrap(), Runtime(16, 1));
        assert_eq!(c.max_file_size().unwrap(), 2 << 20);
        assert_eq!(c.connections[0].name.as_deref(), Some("Databricks SQL"));
    }

    #[test]
    fn empty_file_is_the_default() {
        let c = parse("# nothing yet\n").unwrap();
        assert_eq!(c.max_file_size().unwrap(), DEFAULT_MAX_FILE_SIZE);
        assert_eq!(c.runtime().unwrap(), Runtime::default());
        assert_eq!(c.dialects.default, DialectName::Redshift);
    }

    #[test]
    fn unknown_keys_name_the_key_and_line() {
        let err = parse("mappings:\n  tables: a.csv\n  on_conflit: first\n").unwrap_err();
        let s = err.to_string();
        assert!(s.starts_with("/repo/.hex-migrate.yaml:3: "), "{s}");
        assert!(s.contains("unknown field `on_conflit`"), "{s}");
        let err = parse("rules:\n  disable: [RS101]\nexcludes: []\n").unwrap_err();
        assert!(
            err.to_string().contains(":3: unknown field `excludes`"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_are_errors() {
        for (text, needle) in [
            ("rules:\n  disable: [DATEDIFF]\n", "not a rule code"),
            ("rules:\n  severity:\n    RS101: fatal\n", "unknown variant"),
            ("target_runtime: latest\n", "target_runtime"),
            ("max_file_size: lots\n", "max_file_size"),
            ("mappings:\n  on_conflict: last\n", "unknown variant"),
            (
                "connections:\n  - from: a\n    to: b\n  - from: a\n    to: c\n",
                "connections",
            ),
            ("connections:\n  - from: a\n", "missing field `to`"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn discovery_stops_at_the_repository_root() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        let sub = repo.join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        // A file above the repository root is not this repository's configuration.
        std::fs::write(tmp.path().join(FILE_NAME), "").unwrap();
        assert_eq!(Config::discover(&sub), None);
        std::fs::write(repo.join(FILE_NAME), "").unwrap();
        assert_eq!(Config::discover(&sub), Some(repo.join(FILE_NAME)));
        std::fs::write(repo.join("a").join(FILE_NAME), "").unwrap();
        assert_eq!(Config::discover(&sub), Some(repo.join("a").join(FILE_NAME)));
    }
}
