//! Renderers. Diagnostics (for `check`): human, github, json, sarif. Migration reports (for
//! `report` and the pull-request body): markdown, migration_json, csv, html.

pub mod csv;
pub mod diagnostics;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod migration_json;
pub mod sarif;
