//! The GitHub REST client: octocrab for transport, authentication and models, with our own
//! bounded retry policy on top.
//!
//! octocrab's built-in retry (`Simple(3)`) retries 5xx at once with no backoff, so it is switched
//! off and replaced here: server errors and transport failures are retried with exponential
//! backoff, and rate-limit responses (403/429 with `retry-after`, or `x-ratelimit-remaining: 0`
//! with `x-ratelimit-reset`) wait for as long as GitHub asks, up to a bound. Everything else is
//! returned to the caller, which knows which 422s it can recover from.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, Method, StatusCode};
use octocrab::service::middleware::retry::RetryConfig;
use octocrab::Octocrab;
use secrecy::SecretString;
use serde::de::DeserializeOwned;

/// How long and how often to retry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Total attempts per request (first try included).
    pub attempts: u32,
    /// Delay before the first retry of a 5xx or transport error; doubles each time.
    pub base_delay: Duration,
    /// Longest single wait (backoff step or rate-limit wait) we accept before giving up.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_secs(1),
            max_wait: Duration::from_secs(120),
        }
    }
}

/// A failed API call. Messages carry the method, path and GitHub's message, never credentials.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("GitHub API {method} {path} returned {status}: {message}{}", details(.errors))]
    Status {
        method: Method,
        path: String,
        status: StatusCode,
        message: String,
        errors: Vec<String>,
    },
    #[error("GitHub API {method} {path} is rate limited for {wait_seconds}s, longer than we wait")]
    RateLimited {
        method: Method,
        path: String,
        wait_seconds: u64,
    },
    #[error("GitHub API {method} {path} failed: {message}")]
    Transport {
        method: Method,
        path: String,
        message: String,
    },
    #[error("GitHub API {method} {path} returned a body we could not read: {message}")]
    Decode {
        method: Method,
        path: String,
        message: String,
    },
}

fn details(errors: &[String]) -> String {
    if errors.is_empty() {
        String::new()
    } else {
        format!(" ({})", errors.join("; "))
    }
}

impl ApiError {
    /// The HTTP status, when GitHub answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether GitHub's message or any of its `errors` contains `needle` (case-insensitive).
    pub fn mentions(&self, needle: &str) -> bool {
        let needle = needle.to_ascii_lowercase();
        match self {
            ApiError::Status {
                message, errors, ..
            } => std::iter::once(message)
                .chain(errors)
                .any(|m| m.to_ascii_lowercase().contains(&needle)),
            _ => false,
        }
    }
}

/// An authenticated client for one API root (github.com or a GitHub Enterprise `/api/v3`).
pub struct Client {
    crab: Octocrab,
    policy: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// What one HTTP exchange gave back.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Client {
    /// Builds the client. Must run inside a Tokio runtime (octocrab spawns its service there).
    pub fn new(api_url: &str, token: SecretString, policy: RetryPolicy) -> anyhow::Result<Self> {
        let crab = Octocrab::builder()
            .personal_token(token)
            .add_retry_config(RetryConfig::None)
            .set_connect_timeout(Some(Duration::from_secs(30)))
            .set_read_timeout(Some(Duration::from_secs(60)))
            .base_uri(api_url.trim_end_matches('/'))
            .map_err(|e| anyhow::anyhow!("invalid GitHub API URL {api_url:?}: {e}"))?
            .build()
            .map_err(|e| anyhow::anyhow!("cannot build the GitHub client: {e}"))?;
        Ok(Client { crab, policy })
    }

    async fn exchange(
        &self,
        method: &Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Reply, octocrab::Error> {
        let response = match *method {
            Method::GET => self.crab._get(path).await?,
            Method::POST => self.crab._post(path, body).await?,
            Method::PATCH => self.crab._patch(path, body).await?,
            Method::PUT => self.crab._put(path, body).await?,
            Method::DELETE => self.crab._delete(path, body).await?,
            _ => unreachable!("only the REST verbs above are used"),
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.crab.body_to_string(response).await?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    /// Sends a request with the retry policy; returns the body of a 2xx response.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<String, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= self.policy.attempts;
            let wait = match self.exchange(&method, path, body).await {
                Ok(reply) if reply.status.is_success() => return Ok(reply.body),
                Ok(reply) => {
                    if let Some(wait) = rate_limit_wait(reply.status, &reply.headers) {
                        if wait > self.policy.max_wait {
                            return Err(ApiError::RateLimited {
                                method,
                                path: path.to_string(),
                                wait_seconds: wait.as_secs(),
                            });
                        }
                        if last {
                            return Err(status_error(method, path, reply));
                        }
                        tracing::warn!(
                            "GitHub API {method} {path}: rate limited ({}), retrying in {}s",
                            reply.status,
                            wait.as_secs()
                        );
                        wait
                    } else if reply.status.is_server_error() && !last {
                        let wait = self.backoff(attempt);
                        tracing::warn!(
                            "GitHub API {method} {path}: {}, retrying in {}ms (attempt {attempt} of {})",
                            reply.status,
                            wait.as_millis(),
                            self.policy.attempts
                        );
                        wait
                    } else {
                        return Err(status_error(method, path, reply));
                    }
                }
                Err(error) => {
                    let message = error.to_string();
                    if last {
                        return Err(ApiError::Transport {
                            method,
                            path: path.to_string(),
                            message,
                        });
                    }
                    let wait = self.backoff(attempt);
                    tracing::warn!(
                        "GitHub API {method} {path}: {message}, retrying in {}ms",
                        wait.as_millis()
                    );
                    wait
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends a request and decodes the JSON answer.
    pub async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<T, ApiError> {
        let text = self.send(method.clone(), path, body).await?;
        serde_json::from_str(&text).map_err(|e| ApiError::Decode {
            method,
            path: path.to_string(),
            message: e.to_string(),
        })
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << (attempt - 1).min(16);
        (self.policy.base_delay * factor).min(self.policy.max_wait)
    }
}

fn status_error(method: Method, path: &str, reply: Reply) -> ApiError {
    #[derive(serde::Deserialize)]
    struct Body {
        message: Option<String>,
        #[serde(default)]
        errors: Vec<serde_json::Value>,
    }
    let (message, errors) = match serde_json::from_str::<Body>(&reply.body) {
        Ok(body) => (
            body.message.unwrap_or_default(),
            body.errors
                .iter()
                .map(|e| match e {
                    serde_json::Value::String(s) => s.clone(),
                    other => other
                        .get("message")
                        .and_then(|m| m.as_str())
                        .map(str::to_string)
                        .unwrap_or_else(|| other.to_string()),
                })
                .collect(),
        ),
        Err(_) => (reply.body.chars().take(200).collect(), Vec::new()),
    };
    ApiError::Status {
        method,
        path: path.to_string(),
        status: reply.status,
        message,
        errors,
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// How long GitHub asks us to wait, when `status` + `headers` describe a rate limit
/// (GitHub docs, "Rate limits for the REST API": primary limits set `x-ratelimit-remaining: 0`
/// and `x-ratelimit-reset`; secondary limits set `retry-after`).
pub fn rate_limit_wait(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    if status != StatusCode::FORBIDDEN && status != StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    if let Some(seconds) = header_u64(headers, "retry-after") {
        return Some(Duration::from_secs(seconds));
    }
    if header_u64(headers, "x-ratelimit-remaining") == Some(0) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let reset = header_u64(headers, "x-ratelimit-reset").unwrap_or(now + 60);
        return Some(Duration::from_secs(reset.saturating_sub(now) + 1));
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Some(Duration::from_secs(60));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn backoff_doubles_and_is_bounded() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let policy = RetryPolicy {
            attempts: 10,
            base_delay: Duration::from_secs(1),
            max_wait: Duration::from_secs(5),
        };
        let client = rt
            .block_on(async { Client::new("http://127.0.0.1:9", "t".to_string().into(), policy) })
            .unwrap();
        let waits: Vec<u64> = (1..=5).map(|n| client.backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 5, 5]);
        assert!(!format!("{client:?}").contains("\"t\""));
    }

    #[test]
    fn retry_after_wins() {
        let h = headers(&[("retry-after", "7"), ("x-ratelimit-remaining", "0")]);
        assert_eq!(
            rate_limit_wait(StatusCode::FORBIDDEN, &h),
            Some(Duration::from_secs(7))
        );
    }

    #[test]
    fn primary_limit_waits_until_reset() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let reset = (now + 30).to_string();
        let h = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &reset),
        ]);
        let wait = rate_limit_wait(StatusCode::FORBIDDEN, &h).unwrap();
        assert!((30..=32).contains(&wait.as_secs()), "{wait:?}");
    }

    #[test]
    fn plain_forbidden_is_not_a_rate_limit() {
        let h = headers(&[("x-ratelimit-remaining", "4999")]);
        assert_eq!(rate_limit_wait(StatusCode::FORBIDDEN, &h), None);
        assert_eq!(rate_limit_wait(StatusCode::BAD_GATEWAY, &h), None);
    }

    #[test]
    fn error_text_names_github_message_and_details() {
        let reply = Reply {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            headers: HeaderMap::new(),
            body: r#"{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"A pull request already exists for o:b."}]}"#.into(),
        };
        let e = status_error(Method::POST, "/repos/o/r/pulls", reply);
        assert!(e.mentions("already exists"));
        assert_eq!(
            e.to_string(),
            "GitHub API POST /repos/o/r/pulls returned 422 Unprocessable Entity: Validation \
             Failed (A pull request already exists for o:b.)"
        );
    }
}
