//! Talking to the remote for the migration branch: listing its refs, fetching, checking that the
//! bot branch holds only the bot's commits, and pushing (or deleting) it with a token.
//!
//! The token is handed to libgit2 through the credentials callback as the password of the
//! `x-access-token` user, never embedded in a URL (URLs end up in error messages and
//! `.git/config`). libgit2 calls the callback again and again when the server rejects the
//! credentials, so we count the calls and give up after the first rejection.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use anyhow::{anyhow, bail, Context as _, Result};
use git2::{
    CredentialType, Direction, FetchOptions, Oid, PushOptions, RemoteCallbacks, Repository, Sort,
};
use secrecy::{ExposeSecret, SecretString};

use super::commit::Identity;

/// What the remote advertises.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteRefs {
    /// Branch the remote's `HEAD` points to, without `refs/heads/`.
    pub default_branch: Option<String>,
    /// `refs/heads/*` → tip.
    pub branches: BTreeMap<String, Oid>,
}

/// A ref the server reported on after a push, with its rejection reason if any.
type RefStatus = (String, Option<String>);

/// The user name GitHub expects with a token used as an HTTPS password.
const TOKEN_USER: &str = "x-access-token";

/// A connection recipe for one remote: its name and the token (if any).
pub struct Remote<'r> {
    repo: &'r Repository,
    name: String,
    token: Option<SecretString>,
}

impl std::fmt::Debug for Remote<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("name", &self.name)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Removes `user:password@` from a URL so it can be shown.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            return format!("{scheme}://{}", &rest[at + 1..]);
        }
    }
    url.to_string()
}

impl<'r> Remote<'r> {
    pub fn new(repo: &'r Repository, name: &str, token: Option<SecretString>) -> Result<Self> {
        repo.find_remote(name)
            .with_context(|| format!("no git remote named {name:?}"))?;
        Ok(Remote {
            repo,
            name: name.to_string(),
            token,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The remote's URL without any credentials in it.
    pub fn display_url(&self) -> String {
        self.repo
            .find_remote(&self.name)
            .ok()
            .and_then(|r| r.url().ok().map(redact_url))
            .unwrap_or_default()
    }

    /// Callbacks answering one credential request with the token, and failing the second.
    fn callbacks(&self, attempts: Rc<Cell<u32>>) -> RemoteCallbacks<'_> {
        let mut callbacks = RemoteCallbacks::new();
        let token = self.token.clone();
        callbacks.credentials(move |_url, _user, allowed| {
            attempts.set(attempts.get() + 1);
            let Some(token) = &token else {
                return Err(git2::Error::from_str(
                    "the remote asks for credentials and GITHUB_TOKEN is not set",
                ));
            };
            if attempts.get() > 1 {
                return Err(git2::Error::from_str(
                    "the remote rejected the token (check GITHUB_TOKEN and its permissions)",
                ));
            }
            if !allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
                return Err(git2::Error::from_str(
                    "the remote does not accept a token (use an HTTPS remote URL)",
                ));
            }
            git2::Cred::userpass_plaintext(TOKEN_USER, token.expose_secret())
        });
        callbacks
    }

    fn context(&self, what: &str) -> String {
        format!("{what} remote {:?} ({})", self.name, self.display_url())
    }

    /// Lists the remote's branches and default branch.
    pub fn list(&self) -> Result<RemoteRefs> {
        let mut remote = self.repo.find_remote(&self.name)?;
        let attempts = Rc::new(Cell::new(0));
        let connection = remote
            .connect_auth(Direction::Fetch, Some(self.callbacks(attempts)), None)
            .with_context(|| self.context("cannot connect to"))?;
        let mut refs = RemoteRefs {
            default_branch: connection
                .default_branch()
                .ok()
                .and_then(|b| b.as_str().ok().map(str::to_string))
                .and_then(|b| b.strip_prefix("refs/heads/").map(str::to_string)),
            ..RemoteRefs::default()
        };
        for head in connection.list()? {
            if let Some(branch) = head.name().strip_prefix("refs/heads/") {
                refs.branches.insert(branch.to_string(), head.oid());
            }
        }
        Ok(refs)
    }

    /// Fetches `branches` into `refs/remotes/<remote>/<branch>`, like `git fetch <remote> <b>…`.
    pub fn fetch(&self, branches: &[&str]) -> Result<()> {
        let mut remote = self.repo.find_remote(&self.name)?;
        let specs: Vec<String> = branches
            .iter()
            .map(|b| format!("+refs/heads/{b}:refs/remotes/{}/{b}", self.name))
            .collect();
        let attempts = Rc::new(Cell::new(0));
        let mut options = FetchOptions::new();
        options.remote_callbacks(self.callbacks(attempts));
        remote
            .fetch(&specs, Some(&mut options), None)
            .with_context(|| self.context("cannot fetch from"))?;
        Ok(())
    }

    /// Points `refs/heads/<branch>` on the remote at `new` (or deletes it when `None`), but only
    /// if the remote still has it at `expected` (`None` = absent): a lease, so commits pushed by
    /// someone after we looked are never overwritten. Every ref status the server returns is
    /// checked: a push that returns OK can still have been rejected.
    pub fn push_branch(&self, branch: &str, new: Option<Oid>, expected: Option<Oid>) -> Result<()> {
        let mut remote = self.repo.find_remote(&self.name)?;
        let dst = format!("refs/heads/{branch}");
        let spec = match new {
            Some(oid) => format!("+{oid}:{dst}"),
            None => format!(":{dst}"),
        };
        let attempts = Rc::new(Cell::new(0));
        let mut callbacks = self.callbacks(attempts);
        let lease_broken: Rc<RefCell<Option<String>>> = Rc::default();
        let lease = Rc::clone(&lease_broken);
        let expected_oid = expected.unwrap_or(Oid::ZERO_SHA1);
        let dst_for_lease = dst.clone();
        callbacks.push_negotiation(move |updates| {
            for update in updates {
                if update.dst_refname_bytes() == dst_for_lease.as_bytes()
                    && update.src() != expected_oid
                {
                    *lease.borrow_mut() = Some(format!(
                        "{dst_for_lease} moved on the remote to {} while we worked \
                         (expected {expected_oid})",
                        update.src()
                    ));
                    return Err(git2::Error::from_str("remote branch moved; push aborted"));
                }
            }
            Ok(())
        });
        let statuses: Rc<RefCell<Vec<RefStatus>>> = Rc::default();
        let sink = Rc::clone(&statuses);
        callbacks.push_update_reference(move |name, status| {
            sink.borrow_mut()
                .push((name.to_string(), status.map(str::to_string)));
            Ok(())
        });
        let mut options = PushOptions::new();
        options.remote_callbacks(callbacks);
        let result = remote.push(&[spec.as_str()], Some(&mut options));
        if let Some(reason) = lease_broken.borrow().clone() {
            bail!("{}: {reason}", self.context("refusing to push to"));
        }
        result.with_context(|| self.context("cannot push to"))?;
        let statuses = statuses.borrow();
        if let Some((name, Some(reason))) = statuses.iter().find(|(_, s)| s.is_some()) {
            bail!(
                "{} rejected the update of {name}: {reason}",
                self.context("the")
            );
        }
        if !statuses.iter().any(|(name, _)| name == &dst) {
            return Err(anyhow!(
                "{} reported no status for {dst}; the push may not have happened",
                self.context("the")
            ));
        }
        Ok(())
    }
}

/// A commit on the bot branch that the bot did not make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignCommit {
    pub id: Oid,
    pub author: String,
    pub summary: String,
}

/// Commits reachable from `branch_tip` but not from `base_tip` whose author or committer is not
/// the bot. Such commits were added by a person (or another tool) and must not be overwritten.
pub fn foreign_commits(
    repo: &Repository,
    base_tip: Oid,
    branch_tip: Oid,
    bot: &Identity,
) -> Result<Vec<ForeignCommit>> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL)?;
    walk.push(branch_tip)?;
    walk.hide(base_tip)?;
    let mut foreign = Vec::new();
    for id in walk {
        let id = id?;
        let commit = repo.find_commit(id)?;
        if !(bot.matches(&commit.author()) && bot.matches(&commit.committer())) {
            let author = commit.author();
            foreign.push(ForeignCommit {
                id,
                author: format!(
                    "{} <{}>",
                    String::from_utf8_lossy(author.name_bytes()),
                    String::from_utf8_lossy(author.email_bytes())
                ),
                summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                    .into_owned(),
            });
        }
    }
    Ok(foreign)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_userinfo_only() {
        assert_eq!(
            redact_url("https://x-access-token:ghp_secret@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            redact_url("https://github.com/o/r@x.git"),
            "https://github.com/o/r@x.git"
        );
        assert_eq!(redact_url("/tmp/bare.git"), "/tmp/bare.git");
    }

    fn commit(repo: &Repository, parent: Option<Oid>, who: &str, file: &str) -> Oid {
        let sig = git2::Signature::now(who, &format!("{who}@example.com")).unwrap();
        let mut builder = match parent {
            Some(p) => repo
                .treebuilder(Some(&repo.find_commit(p).unwrap().tree().unwrap()))
                .unwrap(),
            None => repo.treebuilder(None).unwrap(),
        };
        let blob = repo.blob(file.as_bytes()).unwrap();
        builder.insert(file, blob, 0o100644).unwrap();
        let tree = repo.find_tree(builder.write().unwrap()).unwrap();
        let parents: Vec<_> = parent
            .map(|p| repo.find_commit(p).unwrap())
            .into_iter()
            .collect();
        let parents: Vec<_> = parents.iter().collect();
        repo.commit(None, &sig, &sig, &format!("add {file}"), &tree, &parents)
            .unwrap()
    }

    #[test]
    fn finds_only_commits_by_others_above_base() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let bot = Identity::parse("bot <bot@example.com>").unwrap();
        let base = commit(&repo, None, "alice", "a");
        let bot1 = commit(&repo, Some(base), "bot", "b");
        assert!(foreign_commits(&repo, base, bot1, &bot).unwrap().is_empty());
        let human = commit(&repo, Some(bot1), "carol", "c");
        let foreign = foreign_commits(&repo, base, human, &bot).unwrap();
        assert_eq!(foreign.len(), 1);
        assert_eq!(foreign[0].id, human);
        assert_eq!(foreign[0].author, "carol <carol@example.com>");
        assert_eq!(foreign[0].summary, "add c");
        // A branch someone else created from scratch is foreign too.
        let other = commit(&repo, Some(base), "dave", "d");
        assert_eq!(foreign_commits(&repo, base, other, &bot).unwrap().len(), 1);
    }

    /// The bot looked at the remote branch (at `seen`), a person pushed on top of it, then the
    /// bot pushes with its stale lease: the push must fail and the person's commit must stay.
    #[test]
    fn a_stale_lease_never_overwrites_a_commit_pushed_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let bare = Repository::init_bare(dir.path().join("remote.git")).unwrap();
        let local = Repository::init(dir.path().join("local")).unwrap();
        local
            .remote("origin", dir.path().join("remote.git").to_str().unwrap())
            .unwrap();
        let remote = Remote::new(&local, "origin", None).unwrap();
        let head = |repo: &Repository| {
            repo.find_reference("refs/heads/bot")
                .ok()
                .and_then(|r| r.target())
        };

        // First push: the branch is absent and expected absent.
        let seen = commit(&local, None, "bot", "a");
        remote.push_branch("bot", Some(seen), None).unwrap();
        assert_eq!(head(&bare), Some(seen));

        // A person's commit lands on the remote branch after the bot looked.
        let person = commit(&local, Some(seen), "carol", "c");
        remote.push_branch("bot", Some(person), Some(seen)).unwrap();
        assert_eq!(head(&bare), Some(person));

        // The bot's update, built on what it saw, is refused and changes nothing.
        let rebuilt = commit(&local, Some(seen), "bot", "b");
        let err = remote
            .push_branch("bot", Some(rebuilt), Some(seen))
            .unwrap_err();
        assert!(
            format!("{err:#}").contains("moved on the remote"),
            "unexpected error: {err:#}"
        );
        assert_eq!(head(&bare), Some(person));

        // "Expected absent" is a lease too, and so is a delete.
        let err = remote.push_branch("bot", Some(rebuilt), None).unwrap_err();
        assert!(format!("{err:#}").contains("moved on the remote"));
        let err = remote.push_branch("bot", None, Some(seen)).unwrap_err();
        assert!(format!("{err:#}").contains("moved on the remote"));
        assert_eq!(head(&bare), Some(person));

        // With the right lease the bot may update (and delete) it.
        remote
            .push_branch("bot", Some(rebuilt), Some(person))
            .unwrap();
        assert_eq!(head(&bare), Some(rebuilt));
        remote.push_branch("bot", None, Some(rebuilt)).unwrap();
        assert_eq!(head(&bare), None);
    }
}
