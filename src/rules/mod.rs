//! The rule registry: one file per rule (see DESIGN.md, "Rules").
