//! Pull request calls (GitHub REST "Pulls" and "Issues" endpoints) for the bulk migration PR.
//!
//! Requests and responses follow GitHub's REST documentation; responses are decoded into
//! octocrab's models.

use http::{Method, StatusCode};
use octocrab::models::pulls::PullRequest;
use serde_json::json;

use super::client::{ApiError, Client};
use super::RepoId;

/// Percent-encodes a query parameter value.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The open pull request whose head is `owner:branch`, if any.
///
/// The `head` filter is documented as `user:ref-name`; the answer is checked again by branch
/// name because the filter has been known to return unrelated pull requests for forks.
pub async fn find_open(
    client: &Client,
    repo: &RepoId,
    branch: &str,
) -> Result<Option<PullRequest>, ApiError> {
    let path = format!(
        "/repos/{}/{}/pulls?state=open&head={}&per_page=100",
        repo.owner,
        repo.name,
        encode(&format!("{}:{branch}", repo.owner))
    );
    let pulls: Vec<PullRequest> = client.json(Method::GET, &path, None).await?;
    Ok(pulls.into_iter().find(|pr| pr.head.ref_field == branch))
}

/// What [`create`] ended up doing.
#[derive(Debug)]
pub enum Created {
    /// A new pull request; `draft` says whether it is a draft.
    New { pr: PullRequest, draft: bool },
    /// GitHub said one already exists (typically a retried POST that had succeeded): this is it.
    Existing(PullRequest),
}

/// Opens the pull request. A repository that does not support drafts answers 422; the request is
/// then repeated without `draft`. A 422 "A pull request already exists" means an earlier attempt
/// went through: the existing pull request is looked up and returned for updating.
pub async fn create(
    client: &Client,
    repo: &RepoId,
    branch: &str,
    base: &str,
    title: &str,
    body: &str,
    draft: bool,
) -> Result<Created, ApiError> {
    let path = format!("/repos/{}/{}/pulls", repo.owner, repo.name);
    let mut draft = draft;
    loop {
        let request = json!({
            "title": title,
            "head": branch,
            "base": base,
            "body": body,
            "draft": draft,
            "maintainer_can_modify": false,
        });
        match client
            .json::<PullRequest>(Method::POST, &path, Some(&request))
            .await
        {
            Ok(pr) => return Ok(Created::New { pr, draft }),
            Err(e) if e.status() == Some(StatusCode::UNPROCESSABLE_ENTITY) => {
                if draft && e.mentions("draft") {
                    tracing::warn!("{e}; creating a regular pull request instead");
                    draft = false;
                    continue;
                }
                if e.mentions("already exists") {
                    if let Some(pr) = find_open(client, repo, branch).await? {
                        return Ok(Created::Existing(pr));
                    }
                }
                return Err(e);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Sets title and body.
pub async fn update(
    client: &Client,
    repo: &RepoId,
    number: u64,
    title: &str,
    body: &str,
) -> Result<PullRequest, ApiError> {
    let path = format!("/repos/{}/{}/pulls/{number}", repo.owner, repo.name);
    let request = json!({ "title": title, "body": body });
    client.json(Method::PATCH, &path, Some(&request)).await
}

/// Closes the pull request.
pub async fn close(client: &Client, repo: &RepoId, number: u64) -> Result<PullRequest, ApiError> {
    let path = format!("/repos/{}/{}/pulls/{number}", repo.owner, repo.name);
    let request = json!({ "state": "closed" });
    client.json(Method::PATCH, &path, Some(&request)).await
}

/// Adds labels (existing ones are kept; GitHub creates unknown labels).
pub async fn add_labels(
    client: &Client,
    repo: &RepoId,
    number: u64,
    labels: &[String],
) -> Result<(), ApiError> {
    if labels.is_empty() {
        return Ok(());
    }
    let path = format!("/repos/{}/{}/issues/{number}/labels", repo.owner, repo.name);
    let request = json!({ "labels": labels });
    client.send(Method::POST, &path, Some(&request)).await?;
    Ok(())
}

/// Requests reviews. `org/team` entries are team reviewers (by slug), others are users.
pub async fn request_reviewers(
    client: &Client,
    repo: &RepoId,
    number: u64,
    reviewers: &[String],
) -> Result<(), ApiError> {
    if reviewers.is_empty() {
        return Ok(());
    }
    let (teams, users): (Vec<&String>, Vec<&String>) =
        reviewers.iter().partition(|r| r.contains('/'));
    let teams: Vec<&str> = teams
        .iter()
        .map(|t| t.rsplit('/').next().unwrap_or(t))
        .collect();
    let path = format!(
        "/repos/{}/{}/pulls/{number}/requested_reviewers",
        repo.owner, repo.name
    );
    let request = json!({ "reviewers": users, "team_reviewers": teams });
    client.send(Method::POST, &path, Some(&request)).await?;
    Ok(())
}

/// Comments on the pull request (conversation tab).
pub async fn comment(
    client: &Client,
    repo: &RepoId,
    number: u64,
    body: &str,
) -> Result<(), ApiError> {
    let path = format!(
        "/repos/{}/{}/issues/{number}/comments",
        repo.owner, repo.name
    );
    client
        .send(Method::POST, &path, Some(&json!({ "body": body })))
        .await?;
    Ok(())
}

/// Whether any of the first 100 comments contains `needle` (used so a repeated run does not
/// post the same warning again).
pub async fn has_comment_containing(
    client: &Client,
    repo: &RepoId,
    number: u64,
    needle: &str,
) -> Result<bool, ApiError> {
    #[derive(serde::Deserialize)]
    struct Comment {
        body: Option<String>,
    }
    let path = format!(
        "/repos/{}/{}/issues/{number}/comments?per_page=100",
        repo.owner, repo.name
    );
    let comments: Vec<Comment> = client.json(Method::GET, &path, None).await?;
    Ok(comments
        .iter()
        .any(|c| c.body.as_deref().is_some_and(|b| b.contains(needle))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_filter_is_encoded() {
        assert_eq!(
            encode("octo:hex-migrate/redshift-to-databricks"),
            "octo:hex-migrate/redshift-to-databricks"
        );
        assert_eq!(encode("o:a b&c#d"), "o:a%20b%26c%23d");
    }
}
