//! hex-migrate: move Hex notebooks from Amazon Redshift SQL to Databricks SQL.
//!
//! The core (`notebook`, `sql`, `rules`, `mappings`, `migrate`) is pure: bytes in, bytes and
//! findings out. The edges (`cli`, `git`, `github`, `report`) do I/O and call the core.
//! `notebook` knows no SQL and `sql` knows no YAML: they meet only in `migrate`.

pub mod cli;
pub mod config;
pub mod git;
pub mod github;
pub mod mappings;
pub mod migrate;
pub mod notebook;
pub mod report;
pub mod rules;
pub mod sql;
