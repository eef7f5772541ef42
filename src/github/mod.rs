//! GitHub: the bulk migration pull request.
//!
//! - `client`: octocrab with our bounded retry/backoff and rate-limit handling.
//! - `pulls`: the REST calls (find by head, create with draft fallback, update, close, labels,
//!   reviewers, comments).
//! - `body`: the pull request body and full report.
//! - `bulk`: the whole `hex-migrate pr` flow (select, translate, commit, push, open/update/close).

pub mod body;
pub mod bulk;
pub mod client;
pub mod pulls;

/// `owner/name` of a GitHub repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoId {
    pub owner: String,
    pub name: String,
}

impl RepoId {
    /// Parses `owner/name`.
    pub fn parse(text: &str) -> Option<RepoId> {
        let (owner, name) = text.trim().split_once('/')?;
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        (ok(owner) && ok(name)).then(|| RepoId {
            owner: owner.to_string(),
            name: name.to_string(),
        })
    }

    /// Derives `owner/name` from a GitHub remote URL (`https://host/owner/name(.git)`,
    /// `git@host:owner/name.git`, `ssh://git@host/owner/name`).
    pub fn from_remote_url(url: &str) -> Option<RepoId> {
        let path = if let Some((_, rest)) = url.split_once("://") {
            rest.split_once('/')?.1
        } else if let Some((host, rest)) = url.split_once(':') {
            if host.contains('/') {
                return None; // a local path with a colon
            }
            rest
        } else {
            return None;
        };
        let path = path.trim_end_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let mut parts = path.rsplit('/');
        let name = parts.next()?;
        let owner = parts.next()?;
        RepoId::parse(&format!("{owner}/{name}"))
    }
}

impl std::fmt::Display for RepoId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repo_ids() {
        let id = RepoId::parse("octo-org/notebooks.v2").unwrap();
        assert_eq!(
            (id.owner.as_str(), id.name.as_str()),
            ("octo-org", "notebooks.v2")
        );
        assert!(RepoId::parse("nope").is_none());
        assert!(RepoId::parse("a/b/c").is_none());
        assert!(RepoId::parse("/b").is_none());
    }

    #[test]
    fn derives_repo_from_remote_urls() {
        for url in [
            "https://github.com/octo/nbs.git",
            "https://x-access-token@github.example.com/octo/nbs",
            "git@github.com:octo/nbs.git",
            "ssh://git@github.com/octo/nbs.git",
        ] {
            assert_eq!(
                RepoId::from_remote_url(url),
                RepoId::parse("octo/nbs"),
                "{url}"
            );
        }
        assert_eq!(RepoId::from_remote_url("/tmp/origin.git"), None);
    }
}
