//! Git access: repositories opened honouring git's environment, staged blobs, changed files
//! between refs, and building/pushing the migration commit without touching the worktree.

pub mod changed;
pub mod commit;
pub mod push;
pub mod repo;
pub mod staged;
