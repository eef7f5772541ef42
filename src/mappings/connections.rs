//! Connection id mapping: Redshift connection ids → Databricks connection ids.

use std::collections::HashMap;

/// Where a Redshift connection moves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionTarget {
    pub id: String,
    /// When set, the `# name (type)` comment Hex wrote on the asset entry is replaced by
    /// `# <name> (databricks)`; otherwise Hex's comment is kept as it is.
    pub name: Option<String>,
}

/// Old connection id → new one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionMap {
    map: HashMap<String, ConnectionTarget>,
}

impl ConnectionMap {
    /// Adds one mapping. Mapping an id to two different targets is an error; so is mapping an
    /// id that is itself a target (a chain would make a second run change the file again).
    pub fn insert(&mut self, old: &str, new: &str, name: Option<String>) -> Result<(), String> {
        let (old, new) = (old.trim(), new.trim());
        if old.is_empty() || new.is_empty() {
            return Err("a connection mapping needs both ids (OLD=NEW)".to_string());
        }
        if old == new {
            return Err(format!("connection `{old}` is mapped to itself"));
        }
        if self.is_target(old) {
            return Err(format!(
                "connection `{old}` is both the target of a mapping and mapped to `{new}`"
            ));
        }
        if self.map.contains_key(new) {
            return Err(format!(
                "connection `{new}` is both mapped elsewhere and the target of `{old}`"
            ));
        }
        match self.map.get(old) {
            Some(t) if t.id != new => Err(format!(
                "connection `{old}` is mapped to both `{}` and `{new}`",
                t.id
            )),
            Some(t) if name.is_some() && t.name.is_some() && t.name != name => Err(format!(
                "connection `{old}` is given two names: `{}` and `{}`",
                t.name.as_deref().unwrap_or_default(),
                name.as_deref().unwrap_or_default()
            )),
            Some(_) if name.is_none() => Ok(()),
            _ => {
                self.map.insert(
                    old.to_string(),
                    ConnectionTarget {
                        id: new.to_string(),
                        name,
                    },
                );
                Ok(())
            }
        }
    }

    /// Parses a command-line mapping `OLD=NEW` or `OLD=NEW=New name`.
    pub fn parse_arg(arg: &str) -> Result<(String, String, Option<String>), String> {
        let mut it = arg.splitn(3, '=');
        match (it.next(), it.next(), it.next()) {
            (Some(old), Some(new), name) if !old.trim().is_empty() && !new.trim().is_empty() => {
                Ok((
                    old.trim().to_string(),
                    new.trim().to_string(),
                    name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
                ))
            }
            _ => Err(format!(
                "`{arg}`: expected OLD_ID=NEW_ID (optionally =NEW_NAME)"
            )),
        }
    }

    pub fn get(&self, old: &str) -> Option<&ConnectionTarget> {
        self.map.get(old)
    }

    /// True when `id` is where some Redshift connection moves to (so it is a Databricks one).
    pub fn is_target(&self, id: &str) -> bool {
        self.map.values().any(|t| t.id == id)
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_inconsistent_mappings() {
        assert_eq!(
            ConnectionMap::parse_arg("a=b").unwrap(),
            ("a".into(), "b".into(), None)
        );
        assert_eq!(
            ConnectionMap::parse_arg("a=b=Databricks SQL").unwrap(),
            ("a".into(), "b".into(), Some("Databricks SQL".into()))
        );
        assert!(ConnectionMap::parse_arg("a").is_err());
        assert!(ConnectionMap::parse_arg("=b").is_err());

        let mut m = ConnectionMap::default();
        m.insert("a", "x", None).unwrap();
        m.insert("a", "x", Some("X".into())).unwrap();
        m.insert("b", "x", None).unwrap();
        assert!(m.insert("a", "y", None).is_err());
        assert!(m.insert("x", "z", None).is_err());
        assert!(m.insert("c", "a", None).is_err());
        assert!(m.insert("c", "c", None).is_err());
        assert_eq!(m.get("a").unwrap().name.as_deref(), Some("X"));
        assert!(m.is_target("x"));
        assert!(!m.is_target("a"));
    }
}
