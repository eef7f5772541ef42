//! report: see DESIGN.md.
