//! git: see DESIGN.md.
