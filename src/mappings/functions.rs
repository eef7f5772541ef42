//! Function mapping CSVs.
//!
//! The tool's own format (`mappings/functions.csv`, user-extensible):
//! `redshift_function,databricks_function,syntax_change,compatibility_notes`. A row with
//! `syntax_change` false is a plain rename (same arguments, same results); a row with
//! `syntax_change` true is advice for a person (the arguments change shape), never applied.
//!
//! The format of the real project's `function-mapping.csv` is accepted too (a free-text first
//! line, then `SNO,Redshift Function,Purpose,Databricks Equivalent,Example`), but only as advice:
//! some of its rows are semantically wrong (DATEDIFF for units other than days, EXTRACT(DOW)), so
//! nothing in it is ever applied.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::MappingError;

/// One row of a function mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionMapping {
    /// Redshift function (lower-case for renames; as written for advice rows).
    pub redshift: String,
    pub databricks: String,
    /// Only rows with `syntax_change == false` from the tool's own format are renames.
    pub syntax_change: bool,
    pub notes: String,
    pub file: PathBuf,
    pub line: usize,
}

/// Function renames and advice.
#[derive(Debug, Clone, Default)]
pub struct FunctionMap {
    /// Lower-cased Redshift name → rename (same arguments, same results).
    renames: HashMap<String, FunctionMapping>,
    /// Rows that need a person: syntax changes and every row of the advisory format.
    pub advice: Vec<FunctionMapping>,
}

impl FunctionMap {
    /// Loads mapping files in order; a later rename of the same function to a different name is
    /// an error naming both lines.
    pub fn load(paths: &[PathBuf]) -> Result<FunctionMap, MappingError> {
        let mut map = FunctionMap::default();
        for path in paths {
            map.add_csv(path, &super::tables::read_file(path)?)?;
        }
        Ok(map)
    }

    /// The rename row for a Redshift function (name as written, any case; a qualified UDF name
    /// is matched whole), with its file and line for findings.
    pub fn rename_row(&self, redshift: &str) -> Option<&FunctionMapping> {
        self.renames.get(&redshift.to_lowercase())
    }

    /// Whether any row is a rename (advice rows are never applied).
    pub fn has_renames(&self) -> bool {
        !self.renames.is_empty()
    }

    /// Every rename, sorted by Redshift name.
    pub fn renames(&self) -> Vec<&FunctionMapping> {
        let mut v: Vec<_> = self.renames.values().collect();
        v.sort_by(|a, b| a.redshift.cmp(&b.redshift));
        v
    }

    /// Adds the rows of one file given as bytes (`path` names it in errors).
    pub fn add_csv(&mut self, path: &Path, bytes: &[u8]) -> Result<(), MappingError> {
        let text = decode_utf8(path, bytes)?;
        let mut format: Option<Format> = None;
        for row in super::tables::records(path, text) {
            let (line, record) = row?;
            let Some(fmt) = format else {
                match Format::from_header(&record) {
                    Some(f) => format = Some(f),
                    // The advisory format opens with one line of prose (a single filled field).
                    None if line == 1 && record.iter().filter(|f| !f.is_empty()).count() == 1 => {}
                    None => {
                        return Err(MappingError::new(
                            path,
                            Some(line),
                            format!("unrecognised header; expected `{}`", OWN_COLUMNS.join(",")),
                        ))
                    }
                }
                continue;
            };
            let get = |i: usize, name: &str| -> Result<String, MappingError> {
                match record.get(i) {
                    Some(v) if !v.is_empty() => Ok(v.to_string()),
                    _ => Err(MappingError::new(
                        path,
                        Some(line),
                        format!("missing column `{name}`"),
                    )),
                }
            };
            match fmt {
                Format::Own => {
                    if record.len() > 4 {
                        return Err(MappingError::new(
                            path,
                            Some(line),
                            format!("{} fields, expected 4", record.len()),
                        ));
                    }
                    let redshift = get(0, OWN_COLUMNS[0])?;
                    let databricks = get(1, OWN_COLUMNS[1])?;
                    let syntax_change = parse_bool(&get(2, OWN_COLUMNS[2])?).ok_or_else(|| {
                        MappingError::new(path, Some(line), "`syntax_change` must be true or false")
                    })?;
                    let notes = record.get(3).unwrap_or("").to_string();
                    let row = FunctionMapping {
                        redshift: redshift.to_lowercase(),
                        databricks,
                        syntax_change,
                        notes,
                        file: path.to_path_buf(),
                        line,
                    };
                    if syntax_change {
                        self.advice.push(row);
                        continue;
                    }
                    for name in [&row.redshift, &row.databricks] {
                        if !is_identifier(name) {
                            return Err(MappingError::new(
                                path,
                                Some(line),
                                format!(
                                    "`{name}` is not a function name (a rename maps one name to \
                                     another; set syntax_change to true for anything else)"
                                ),
                            ));
                        }
                    }
                    if let Some(old) = self.renames.get(&row.redshift) {
                        if !old.databricks.eq_ignore_ascii_case(&row.databricks) {
                            return Err(MappingError::new(
                                path,
                                Some(line),
                                format!(
                                    "`{}` → `{}`, but {}:{} maps it to `{}`",
                                    row.redshift,
                                    row.databricks,
                                    old.file.display(),
                                    old.line,
                                    old.databricks
                                ),
                            ));
                        }
                        continue;
                    }
                    self.renames.insert(row.redshift.clone(), row);
                }
                Format::Advisory => {
                    let redshift = get(1, "Redshift Function")?;
                    let databricks = get(3, "Databricks Equivalent")?;
                    let notes = [record.get(2), record.get(4)]
                        .into_iter()
                        .flatten()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join("; ");
                    self.advice.push(FunctionMapping {
                        redshift,
                        databricks,
                        syntax_change: true,
                        notes,
                        file: path.to_path_buf(),
                        line,
                    });
                }
            }
        }
        if format.is_none() {
            return Err(MappingError::new(
                path,
                None,
                "no header found (empty mapping file?)",
            ));
        }
        Ok(())
    }
}

const OWN_COLUMNS: [&str; 4] = [
    "redshift_function",
    "databricks_function",
    "syntax_change",
    "compatibility_notes",
];

#[derive(Debug, Clone, Copy)]
enum Format {
    Own,
    Advisory,
}

impl Format {
    fn from_header(record: &csv::StringRecord) -> Option<Format> {
        let norm = super::tables::normalized_header(record);
        if norm == OWN_COLUMNS {
            Some(Format::Own)
        } else if norm
            == [
                "sno",
                "redshift_function",
                "purpose",
                "databricks_equivalent",
                "example",
            ]
        {
            Some(Format::Advisory)
        } else {
            None
        }
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// A function name: an identifier, or up to three dot-separated ones (`schema.f`,
/// `catalog.schema.f`: user-defined functions live in schemas).
fn is_identifier(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() <= 3
        && parts.iter().all(|p| {
            p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Decodes a mapping file: UTF-8 (a byte order mark is dropped); anything else is an error naming
/// the line of the first bad byte.
pub(crate) fn decode_utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, MappingError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(MappingError::new(
            path,
            Some(1),
            "UTF-16 text; save the file as UTF-8",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        MappingError::new(
            path,
            Some(line),
            format!(
                "not valid UTF-8 (byte 0x{:02x}); save the file as UTF-8",
                bytes[e.valid_up_to()]
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_format_renames_and_advice() {
        let mut map = FunctionMap::default();
        map.add_csv(
            Path::new("f.csv"),
            b"redshift_function,databricks_function,syntax_change,compatibility_notes\n\
              TEXTLEN,length,false,same result\nDATEADD,dateadd,true,argument order\n",
        )
        .unwrap();
        let rename = |f: &str| map.rename_row(f).map(|m| m.databricks.as_str());
        assert_eq!(rename("textlen"), Some("length"));
        assert_eq!(rename("TextLen"), Some("length"));
        assert_eq!(rename("dateadd"), None);
        assert_eq!(map.advice.len(), 1);
    }

    #[test]
    fn conflicting_renames_and_bad_rows_name_the_line() {
        let mut map = FunctionMap::default();
        let err = map
            .add_csv(
                Path::new("f.csv"),
                b"redshift_function,databricks_function,syntax_change,compatibility_notes\n\
                  a,b,false,\na,c,false,\n",
            )
            .unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = FunctionMap::default()
            .add_csv(
                Path::new("f.csv"),
                b"redshift_function,databricks_function,syntax_change,compatibility_notes\n\
                  a,b,maybe,\n",
            )
            .unwrap_err();
        assert_eq!(err.line, Some(2));
        let err = FunctionMap::default()
            .add_csv(
                Path::new("f.csv"),
                b"redshift_function,databricks_function,syntax_change,compatibility_notes\n\
                  a,\"f(x, y)\",false,\n",
            )
            .unwrap_err();
        assert!(err.message.contains("not a function name"), "{err}");
    }

    #[test]
    fn shipped_functions_csv_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("mappings/functions.csv");
        let map = FunctionMap::load(&[path]).unwrap();
        assert!(!map.renames().is_empty());
    }
}
