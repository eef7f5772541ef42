//! Span-aware parsing of a Hex notebook.
//!
//! The YAML event parser (`saphyr-parser`) gives every node a position; we build a small tree
//! of borrowed nodes (aliases are kept as aliases and never expanded, so an alias bomb costs
//! nothing) and read the few places Hex keeps what we need: `cells[].config.source`, the
//! connection ids, and the `dataConnections` asset lists with their trailing comments (the
//! parser drops comments, so those are read from the text after the id scalar).
//!
//! saphyr's markers count characters, not bytes; `Offsets` converts them.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle as YamlStyle};

use super::{
    AssetSection, CellInfo, ConnectionAsset, ConnectionRef, Notebook, NotebookError, ScalarStyle,
    SourceScalar, SqlCell,
};

/// Deeper nesting than this is refused: no Hex file comes close (real exports nest about 12
/// levels), and it keeps tree building and dropping far from the stack limit.
const MAX_DEPTH: usize = 256;

/// Parses a Hex notebook, recording the byte positions of what a rewrite needs.
pub fn parse(path: &Path, text: &str) -> Result<Notebook, NotebookError> {
    let root = build_tree(path, text)?;
    let mut cx = Extract {
        path,
        text,
        offsets: Offsets::new(text),
        cells: Vec::new(),
        sql_cells: Vec::new(),
    };
    let root = match root {
        Some(r) => r,
        None => return Err(cx.malformed(1, "the file is empty")),
    };
    let entries = match &root.kind {
        Kind::Map(e) => e,
        _ => return Err(cx.malformed(root.start.line(), "the top level is not a mapping of keys")),
    };
    let schema_version = match cx.get(entries, "schemaVersion")? {
        Some((_, v)) => match &v.kind {
            Kind::Scalar(s, _) => s.trim().parse::<i64>().ok(),
            _ => None,
        },
        None => None,
    };
    let title = match cx.get(entries, "meta")? {
        Some((_, meta)) => match &meta.kind {
            Kind::Map(m) => cx.get(m, "title")?.and_then(|(_, t)| scalar_str(t)),
            _ => None,
        },
        None => None,
    };
    let mut connections = Vec::new();
    for (key, section) in [
        ("projectAssets", AssetSection::Project),
        ("sharedAssets", AssetSection::Shared),
    ] {
        if let Some((_, assets)) = cx.get(entries, key)? {
            cx.connections(assets, section, &mut connections)?;
        }
    }
    match cx.get(entries, "cells")? {
        Some((_, cells)) => cx.cell_list(cells, "cells")?,
        None => return Err(cx.malformed(1, "no top-level `cells` list")),
    }
    Ok(Notebook {
        schema_version,
        title,
        cells: cx.cells,
        sql_cells: cx.sql_cells,
        connections,
    })
}

/// A YAML node borrowed from the text, with the character position where it starts.
struct Node<'a> {
    start: Marker,
    end: Marker,
    kind: Kind<'a>,
}

enum Kind<'a> {
    Scalar(Cow<'a, str>, YamlStyle),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
    Alias,
}

enum Frame<'a> {
    Seq(Marker, Vec<Node<'a>>),
    Map(Marker, Vec<(Node<'a>, Node<'a>)>, Option<Node<'a>>),
}

/// Builds the node tree of the first (and only) document, iteratively.
fn build_tree<'a>(path: &Path, text: &'a str) -> Result<Option<Node<'a>>, NotebookError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame<'a>> = Vec::new();
    let mut root: Option<Node<'a>> = None;
    let mut documents = 0usize;
    let yaml_err = |m: &Marker, message: String| NotebookError::Yaml {
        path: path.to_path_buf(),
        line: m.line(),
        column: m.col() + 1,
        message,
    };
    while let Some(item) = parser.next_event() {
        let (event, span) = item.map_err(|e| yaml_err(e.marker(), e.info().to_string()))?;
        let node = match event {
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(NotebookError::Malformed {
                        path: path.to_path_buf(),
                        line: span.start.line(),
                        message: "more than one YAML document in the file".to_string(),
                    });
                }
                continue;
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => continue,
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(yaml_err(
                        &span.start,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq(span.start, Vec::new())
                } else {
                    Frame::Map(span.start, Vec::new(), None)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(start, items)) => Node {
                    start,
                    end: span.end,
                    kind: Kind::Seq(items),
                },
                Some(Frame::Map(start, entries, _)) => Node {
                    start,
                    end: span.end,
                    kind: Kind::Map(entries),
                },
                None => continue,
            },
            Event::Scalar(value, style, _, _) => Node {
                start: span.start,
                end: span.end,
                kind: Kind::Scalar(value, style),
            },
            Event::Alias(_) => Node {
                start: span.start,
                end: span.end,
                kind: Kind::Alias,
            },
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }
    Ok(root)
}

fn scalar_str(node: &Node<'_>) -> Option<String> {
    match &node.kind {
        Kind::Scalar(s, style) => {
            if *style == YamlStyle::Plain && is_null(s) {
                None
            } else {
                Some(s.to_string())
            }
        }
        _ => None,
    }
}

fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

fn is_true(node: &Node<'_>) -> bool {
    matches!(&node.kind, Kind::Scalar(s, YamlStyle::Plain) if matches!(s.as_ref(), "true" | "True" | "TRUE"))
}

struct Extract<'a, 'p> {
    path: &'p Path,
    text: &'a str,
    offsets: Offsets<'a>,
    cells: Vec<CellInfo>,
    sql_cells: Vec<SqlCell>,
}

impl<'a> Extract<'a, '_> {
    fn malformed(&self, line: usize, message: impl Into<String>) -> NotebookError {
        NotebookError::Malformed {
            path: self.path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    /// The entry for `key`; a key given twice is an error (YAML loaders reject it, and we must
    /// not rewrite a value Hex would not read).
    fn get<'n>(
        &self,
        entries: &'n [(Node<'a>, Node<'a>)],
        key: &str,
    ) -> Result<Option<&'n (Node<'a>, Node<'a>)>, NotebookError> {
        let mut found: Option<&'n (Node<'a>, Node<'a>)> = None;
        for entry in entries {
            if matches!(&entry.0.kind, Kind::Scalar(k, _) if k == key) {
                if found.is_some() {
                    return Err(
                        self.malformed(entry.0.start.line(), format!("duplicate key `{key}`"))
                    );
                }
                if matches!(entry.1.kind, Kind::Alias) {
                    return Err(self.malformed(
                        entry.1.start.line(),
                        format!("`{key}` is a YAML alias; Hex files do not use aliases"),
                    ));
                }
                found = Some(entry);
            }
        }
        Ok(found)
    }

    fn connections(
        &mut self,
        assets: &Node<'a>,
        section: AssetSection,
        out: &mut Vec<ConnectionAsset>,
    ) -> Result<(), NotebookError> {
        let entries = match &assets.kind {
            Kind::Map(e) => e,
            _ => return Ok(()),
        };
        let list = match self.get(entries, "dataConnections")? {
            Some((_, list)) => list,
            None => return Ok(()),
        };
        let items = match &list.kind {
            Kind::Seq(items) => items,
            Kind::Scalar(s, YamlStyle::Plain) if is_null(s) => return Ok(()),
            _ => return Err(self.malformed(list.start.line(), "`dataConnections` is not a list")),
        };
        for item in items {
            let Kind::Map(fields) = &item.kind else {
                return Err(self.malformed(
                    item.start.line(),
                    "a `dataConnections` entry is not a mapping",
                ));
            };
            let Some((_, id_node)) = self.get(fields, "dataConnectionId")? else {
                continue;
            };
            let Some(id) = scalar_str(id_node) else {
                continue;
            };
            let range = self.offsets.range(id_node.start, id_node.end);
            let (name, kind, comment_range) = trailing_comment(self.text, range.end);
            out.push(ConnectionAsset {
                section,
                id,
                range,
                name,
                kind,
                comment_range,
            });
        }
        Ok(())
    }

    fn cell_list(&mut self, node: &Node<'a>, what: &str) -> Result<(), NotebookError> {
        let items = match &node.kind {
            Kind::Seq(items) => items,
            // `cells: null` is an empty notebook, not a broken one.
            Kind::Scalar(s, YamlStyle::Plain) if is_null(s) => return Ok(()),
            _ => return Err(self.malformed(node.start.line(), format!("`{what}` is not a list"))),
        };
        for item in items {
            self.cell(item)?;
        }
        Ok(())
    }

    fn cell(&mut self, node: &Node<'a>) -> Result<(), NotebookError> {
        let line = node.start.line();
        let Kind::Map(fields) = &node.kind else {
            return Err(self.malformed(line, "a cell is not a mapping"));
        };
        let cell_type = match self.get(fields, "cellType")? {
            Some((_, v)) => match scalar_str(v) {
                Some(t) => t,
                None => return Err(self.malformed(v.start.line(), "`cellType` is not a name")),
            },
            None => return Err(self.malformed(line, "a cell has no `cellType`")),
        };
        let id = self.get(fields, "cellId")?.and_then(|(_, v)| scalar_str(v));
        let label = self
            .get(fields, "cellLabel")?
            .and_then(|(_, v)| scalar_str(v));
        let config = match self.get(fields, "config")? {
            Some((_, c)) => match &c.kind {
                Kind::Map(m) => Some(m),
                Kind::Scalar(s, YamlStyle::Plain) if is_null(s) => None,
                _ => return Err(self.malformed(c.start.line(), "`config` is not a mapping")),
            },
            None => None,
        };
        let index = self.cells.len();
        let mut variable = None;
        match cell_type.as_str() {
            "SQL" => {
                let Some(config) = config else {
                    return Err(self.malformed(line, "a SQL cell has no `config`"));
                };
                let sql = self.sql_cell(index, id.clone(), label.clone(), line, config)?;
                variable = sql.result_variable.clone();
                self.sql_cells.push(sql);
            }
            "INPUT" => {
                if let Some(config) = config {
                    variable = self.get(config, "name")?.and_then(|(_, v)| scalar_str(v));
                }
            }
            _ => {}
        }
        self.cells.push(CellInfo {
            cell_type: cell_type.clone(),
            id,
            label,
            line,
            variable,
        });
        if matches!(cell_type.as_str(), "COLLAPSIBLE" | "BLOCK") {
            if let Some(config) = config {
                if let Some((_, children)) = self.get(config, "cells")? {
                    self.cell_list(children, "config.cells")?;
                }
            }
        }
        Ok(())
    }

    fn sql_cell(
        &mut self,
        index: usize,
        id: Option<String>,
        label: Option<String>,
        line: usize,
        config: &[(Node<'a>, Node<'a>)],
    ) -> Result<SqlCell, NotebookError> {
        let Some((key, value)) = self.get(config, "source")? else {
            return Err(self.malformed(line, "a SQL cell has no `config.source`"));
        };
        let Kind::Scalar(decoded, style) = &value.kind else {
            return Err(self.malformed(value.start.line(), "`source` is not a text value"));
        };
        let source = self.source_scalar(key, value, decoded, *style)?;
        let dataframe = self
            .get(config, "dataFrameCell")?
            .is_some_and(|(_, v)| is_true(v));
        let connection = match self.get(config, "dataConnectionId")? {
            Some((_, v)) => scalar_str(v).map(|id| ConnectionRef {
                id,
                range: self.offsets.range(v.start, v.end),
            }),
            None => None,
        };
        let result_variable = self
            .get(config, "resultVariableName")?
            .and_then(|(_, v)| scalar_str(v));
        Ok(SqlCell {
            index,
            id,
            label,
            line,
            source,
            dataframe,
            connection,
            result_variable,
        })
    }

    fn source_scalar(
        &mut self,
        key: &Node<'a>,
        value: &Node<'a>,
        decoded: &str,
        style: YamlStyle,
    ) -> Result<SourceScalar, NotebookError> {
        let key_end = self.offsets.byte(key.end);
        let start = value_start(self.text, key_end);
        let style = match style {
            YamlStyle::Plain => ScalarStyle::Plain,
            YamlStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            YamlStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            YamlStyle::Literal => ScalarStyle::Literal,
            YamlStyle::Folded => ScalarStyle::Folded,
        };
        let end = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => {
                block_end(self.text, start, self.offsets.byte(value.end))
            }
            _ => self.offsets.byte(value.end),
        };
        if start > end {
            return Err(self.malformed(value.start.line(), "could not locate `source` value"));
        }
        Ok(SourceScalar {
            range: start..end,
            value: decoded.to_string(),
            key_indent: key.start.col(),
            line: key.start.line(),
            style,
        })
    }
}

/// The first byte of a mapping value: after the key, the `:` and any blanks (and, for a value
/// on the next line, line breaks and comments).
fn value_start(text: &str, key_end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = key_end;
    let mut seen_colon = false;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b':' if !seen_colon => {
                seen_colon = true;
                i += 1;
            }
            b'#' if seen_colon && i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    i
}

/// Where a block scalar's bytes end. The parser's span ends at the next token (the first
/// non-blank of the line after the block), so step back over that line's indentation and the
/// line break before it. At the end of a file without a final newline it is the end of text.
fn block_end(text: &str, start: usize, parser_end: usize) -> usize {
    let before = &text[..parser_end];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    if line_start > start
        && before[line_start..]
            .bytes()
            .all(|b| b == b' ' || b == b'\t')
    {
        let mut end = line_start - 1;
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        end
    } else {
        parser_end
    }
}

/// Reads `# <name> (<type>)` after a connection id. The type is the last parenthesised group,
/// because names have parentheses of their own (`Redshift (with raw tables) (redshift)`).
#[allow(clippy::type_complexity)]
fn trailing_comment(
    text: &str,
    after: usize,
) -> (Option<String>, Option<String>, Option<Range<usize>>) {
    let rest = &text[after..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let line = rest[..line_len].trim_end_matches('\r');
    let Some(hash) = line.find('#') else {
        return (None, None, None);
    };
    if !line[..hash].bytes().all(|b| b == b' ' || b == b'\t') {
        return (None, None, None);
    }
    let comment_range = after + hash..after + line.len();
    let body = line[hash + 1..].trim();
    let (name, kind) = split_name_type(body);
    let name = (!name.is_empty()).then(|| name.to_string());
    (name, kind, Some(comment_range))
}

/// Splits `Name (with parens) (type)` into the name and the lower-cased last group.
fn split_name_type(body: &str) -> (&str, Option<String>) {
    let Some(inner_end) = body.strip_suffix(')') else {
        return (body, None);
    };
    let mut depth = 1usize;
    for (i, ch) in inner_end.char_indices().rev() {
        match ch {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    let kind = inner_end[i + 1..].trim().to_ascii_lowercase();
                    let name = inner_end[..i].trim_end();
                    return (name, (!kind.is_empty()).then_some(kind));
                }
            }
            _ => {}
        }
    }
    (body, None)
}

/// Converts saphyr's character positions to byte offsets. For ASCII text they are equal; for
/// other text a cursor walks from the last converted position (conversions come in roughly
/// document order, so the walk is short).
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Offsets {
            text,
            ascii: text.is_ascii(),
            cursor: std::cell::Cell::new((0, 0)),
        }
    }

    fn byte(&self, m: Marker) -> usize {
        let target = m.index();
        if self.ascii {
            return target.min(self.text.len());
        }
        let (mut chars, mut bytes) = self.cursor.get();
        let b = self.text.as_bytes();
        while chars < target && bytes < b.len() {
            bytes += utf8_len(b[bytes]);
            chars += 1;
        }
        while chars > target {
            bytes -= 1;
            while !self.text.is_char_boundary(bytes) {
                bytes -= 1;
            }
            chars -= 1;
        }
        self.cursor.set((chars, bytes));
        bytes
    }

    fn range(&self, start: Marker, end: Marker) -> Range<usize> {
        self.byte(start)..self.byte(end)
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(text: &str) -> Notebook {
        parse(Path::new("t.yaml"), text).unwrap()
    }

    #[test]
    fn name_and_type_come_from_the_last_parenthesised_group() {
        assert_eq!(
            split_name_type("Redshift (with raw tables) (redshift)"),
            ("Redshift (with raw tables)", Some("redshift".to_string()))
        );
        assert_eq!(
            split_name_type("Snowflake-PB (Snowflake)"),
            ("Snowflake-PB", Some("snowflake".to_string()))
        );
        assert_eq!(split_name_type("no type here"), ("no type here", None));
        assert_eq!(split_name_type("odd (x"), ("odd (x", None));
    }

    const SMALL: &str = "schemaVersion: 3
meta:
  title: Tést ü
cells:
  - cellType: SQL
    cellId: a-1 # DO NOT CHANGE
    cellLabel: Ünïcode label
    config:
      source: |-
        select 'é' as x
        from t
      dataFrameCell: false
      dataConnectionId: conn-1
      resultVariableName: first
  - cellType: COLLAPSIBLE
    cellId: c-1
    cellLabel: null
    config:
      cells:
        - cellType: SQL
          cellId: a-2
          cellLabel: null
          config:
            source: select * from first
            dataFrameCell: true
            dataConnectionId: null
            resultVariableName: second
sharedAssets:
  dataConnections:
    - dataConnectionId: conn-1 # Redshift (with raw tables) (redshift)
";

    #[test]
    fn finds_sql_cells_with_byte_ranges_in_multibyte_text() {
        let n = nb(SMALL);
        assert_eq!(n.title.as_deref(), Some("Tést ü"));
        assert_eq!(n.schema_version, Some(3));
        assert_eq!(n.sql_cells.len(), 2);
        let c = &n.sql_cells[0];
        assert_eq!(c.label.as_deref(), Some("Ünïcode label"));
        assert_eq!(c.line, 5);
        assert_eq!(c.source.value, "select 'é' as x\nfrom t");
        assert_eq!(
            &SMALL[c.source.range.clone()],
            "|-\n        select 'é' as x\n        from t"
        );
        assert_eq!(c.source.key_indent, 6);
        assert_eq!(c.source.style, ScalarStyle::Literal);
        let conn = c.connection.as_ref().unwrap();
        assert_eq!(&SMALL[conn.range.clone()], "conn-1");
        assert_eq!(c.result_variable.as_deref(), Some("first"));
        assert!(!c.dataframe);
        let nested = &n.sql_cells[1];
        assert!(nested.dataframe);
        assert!(nested.connection.is_none());
        assert_eq!(nested.index, 2);
        assert_eq!(&SMALL[nested.source.range.clone()], "select * from first");
        assert_eq!(n.cells.len(), 3);
        assert_eq!(n.cells[1].cell_type, "COLLAPSIBLE");
        let asset = &n.connections[0];
        assert_eq!(asset.section, AssetSection::Shared);
        assert_eq!(asset.name.as_deref(), Some("Redshift (with raw tables)"));
        assert_eq!(asset.kind.as_deref(), Some("redshift"));
        assert_eq!(
            &SMALL[asset.comment_range.clone().unwrap()],
            "# Redshift (with raw tables) (redshift)"
        );
        assert_eq!(
            n.cell_connection(c).unwrap().kind.as_deref(),
            Some("redshift")
        );
    }

    #[test]
    fn malformed_and_invalid_yaml_name_the_line() {
        let err = parse(
            Path::new("x.yaml"),
            "schemaVersion: 3\nmeta: {}\ncells: 5\n",
        )
        .unwrap_err();
        assert!(
            matches!(err, NotebookError::Malformed { line: 3, .. }),
            "{err:?}"
        );
        let err = parse(Path::new("x.yaml"), "a: [1, 2\nb: 3\n").unwrap_err();
        assert!(matches!(err, NotebookError::Yaml { .. }), "{err:?}");
        let err = parse(
            Path::new("x.yaml"),
            "x: &a select 1\ncells:\n  - cellType: SQL\n    config:\n      source: *a\n",
        )
        .unwrap_err();
        assert!(
            matches!(err, NotebookError::Malformed { line: 5, .. }),
            "{err:?}"
        );
        let deep = format!("cells: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(Path::new("x.yaml"), &deep).is_err());
    }

    #[test]
    fn keep_chomped_block_includes_its_trailing_empty_lines() {
        let text = "cells:\n  - cellType: SQL\n    config:\n      source: |+\n        a\n\n  - cellType: MARKDOWN\n";
        let n = nb(text);
        let r = n.sql_cells[0].source.range.clone();
        assert_eq!(&text[r], "|+\n        a\n");
        assert_eq!(n.sql_cells[0].source.value, "a\n\n");
    }
}
