//! github: see DESIGN.md.
