//! HTTP to the sync server: JSON over HTTPS (rustls, gzip answers), with
//! timeouts and retries. Network failures and 5xx are retried with
//! exponential backoff and full jitter; a 4xx is an answer, never retried.

use crate::error::{Error, Result};
use crate::ids::PersonId;
use crate::sync::wire::{
    ErrorBody, InviteRequest, InviteResponse, PullRequest, PullResponse, PushRequest, PushResponse,
    RedeemRequest,
};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::time::Duration;

pub const PUSH_PATH: &str = "v1/push";
pub const PULL_PATH: &str = "v1/pull";
pub const REDEEM_PATH: &str = "v1/invites/redeem";
pub const INVITES_PATH: &str = "v1/invites";

/// How hard to try before giving up on the server for now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    pub connect_timeout: Duration,
    /// For one whole request, answer included.
    pub request_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 for the first retry): a random
    /// time up to the exponential bound ("full jitter"), so phones that lost
    /// the server together do not all come back in the same millisecond.
    pub fn delay(&self, retry: u32) -> Duration {
        let bound = self
            .base_delay
            .saturating_mul(1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX))
            .min(self.max_delay);
        let ms = bound.as_millis().min(u64::MAX as u128) as u64;
        Duration::from_millis(fastrand::u64(0..=ms))
    }
}

/// What redeeming an invite gives this device.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct Redeemed {
    pub device_id: String,
    pub token: String,
    pub person_id: PersonId,
}

impl std::fmt::Debug for Redeemed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redeemed")
            .field("device_id", &self.device_id)
            .field("person_id", &self.person_id)
            .finish_non_exhaustive()
    }
}

/// One server, one device token, one connection pool.
pub struct Transport {
    client: reqwest::Client,
    base: Url,
    token: Option<String>,
    retry: RetryPolicy,
}

/// Why one attempt failed, and whether another is worth making.
enum Attempt {
    Retry(Error),
    Fail(Error),
}

impl Transport {
    /// A transport for `server_url`, which must be `https://` (plain `http://`
    /// is accepted for a server on this machine only, for tests and demos).
    pub fn new(server_url: &str, token: Option<String>, retry: RetryPolicy) -> Result<Self> {
        let mut base = Url::parse(server_url.trim())
            .map_err(|_| Error::invalid("server_url", "is not a web address"))?;
        let loopback = matches!(
            base.host_str(),
            Some("localhost" | "127.0.0.1" | "[::1]" | "::1")
        );
        match base.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => return Err(Error::invalid("server_url", "must start with https://")),
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let client = reqwest::Client::builder()
            .connect_timeout(retry.connect_timeout)
            .timeout(retry.request_timeout)
            .user_agent(concat!("equally-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                tracing::error!(error = %e, "sync: http client could not start");
                Error::Network {
                    reason: "the secure connection could not be set up".into(),
                }
            })?;
        Ok(Transport {
            client,
            base,
            token,
            retry,
        })
    }

    pub fn server_url(&self) -> &str {
        self.base.as_str()
    }

    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse> {
        self.post(PUSH_PATH, request).await
    }

    pub async fn pull(&self, request: &PullRequest) -> Result<PullResponse> {
        self.post(PULL_PATH, request).await
    }

    /// Redeems an invite code. The server answers a wrong, used or expired
    /// code alike, so the person is told only that it did not work.
    pub async fn redeem_invite(&self, code: &str) -> Result<Redeemed> {
        let request = RedeemRequest {
            code: code.trim().to_string(),
        };
        self.post(REDEEM_PATH, &request).await.map_err(|e| match e {
            Error::NotFound { .. } | Error::Invalid { .. } | Error::Conflict { .. } => {
                Error::invalid(
                    "invite_code",
                    "did not work: it may be mistyped, used or out of date",
                )
            }
            other => other,
        })
    }

    /// Asks the server for an invite code (staff only; the server checks).
    pub async fn create_invite(&self, request: &InviteRequest) -> Result<InviteResponse> {
        self.post(INVITES_PATH, request).await
    }

    async fn post<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        body: &Req,
    ) -> Result<Resp> {
        let url = self
            .base
            .join(path)
            .map_err(|_| Error::invalid("server_url", "is not a web address"))?;
        let mut retry = 0;
        loop {
            match self.attempt(&url, body).await {
                Ok(answer) => return Ok(answer),
                Err(Attempt::Fail(e)) => return Err(e),
                Err(Attempt::Retry(e)) => {
                    if retry + 1 >= self.retry.attempts {
                        return Err(e);
                    }
                    tokio::time::sleep(self.retry.delay(retry)).await;
                    retry += 1;
                }
            }
        }
    }

    async fn attempt<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        url: &Url,
        body: &Req,
    ) -> std::result::Result<Resp, Attempt> {
        let mut request = self.client.post(url.clone()).json(body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                // The URL is ours and carries no personal data; the error's
                // kind is what helps.
                tracing::info!(
                    path = url.path(),
                    timeout = e.is_timeout(),
                    connect = e.is_connect(),
                    "sync: request failed"
                );
                return Err(Attempt::Retry(Error::Offline));
            }
        };
        let status = response.status();
        if status.is_success() {
            return response.json::<Resp>().await.map_err(|e| {
                if e.is_decode() {
                    tracing::warn!(path = url.path(), "sync: unreadable answer");
                    Attempt::Fail(Error::Network {
                        reason: "the server's answer could not be read".into(),
                    })
                } else {
                    // Cut off while the answer was arriving.
                    Attempt::Retry(Error::Offline)
                }
            });
        }
        let body: Option<ErrorBody> = response.json().await.ok();
        tracing::info!(
            path = url.path(),
            status = status.as_u16(),
            code = body.as_ref().map(|b| b.code.as_str()),
            "sync: server refused"
        );
        let message = body.map(|b| b.message);
        if status.is_server_error() {
            return Err(Attempt::Retry(Error::Network {
                reason: format!("the server had a problem ({})", status.as_u16()),
            }));
        }
        Err(Attempt::Fail(client_error(status, message)))
    }
}

fn client_error(status: StatusCode, message: Option<String>) -> Error {
    let message = message.unwrap_or_else(|| status.to_string());
    match status {
        StatusCode::UNAUTHORIZED => Error::not_allowed(
            "this device is no longer connected to the sync server: ask staff for a new invite",
        ),
        StatusCode::FORBIDDEN => Error::NotAllowed { reason: message },
        StatusCode::NOT_FOUND => Error::NotFound {
            entity: "sync".into(),
            id: message,
        },
        StatusCode::CONFLICT => Error::Conflict { reason: message },
        StatusCode::BAD_REQUEST
        | StatusCode::UNPROCESSABLE_ENTITY
        | StatusCode::PAYLOAD_TOO_LARGE => Error::invalid("request", message),
        StatusCode::TOO_MANY_REQUESTS => Error::Network {
            reason: "too many attempts: try again in a few minutes".into(),
        },
        _ => Error::Network { reason: message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn quick() -> RetryPolicy {
        RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(2),
        }
    }

    /// A loopback HTTP server answering the n-th request with `answers[n]`
    /// (status, body), and counting requests.
    async fn serve(answers: Vec<(u16, &'static str)>) -> (String, Arc<AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let seen = count.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let n = seen.fetch_add(1, Ordering::SeqCst);
                let (status, body) = answers.get(n).copied().unwrap_or((500, "{}"));
                let mut buf = vec![0u8; 64 * 1024];
                let mut got = Vec::new();
                // Read the head and the body its length announces.
                while let Ok(read) = socket.read(&mut buf).await {
                    if read == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..read]);
                    let text = String::from_utf8_lossy(&got).to_string();
                    if let Some(head_end) = text.find("\r\n\r\n") {
                        let length = text[..head_end]
                            .lines()
                            .find_map(|l| {
                                let l = l.to_ascii_lowercase();
                                l.strip_prefix("content-length:")
                                    .map(|v| v.trim().parse().unwrap_or(0))
                            })
                            .unwrap_or(0usize);
                        if got.len() >= head_end + 4 + length {
                            break;
                        }
                    }
                }
                let reply = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
                let _ = socket.shutdown().await;
            }
        });
        (url, count)
    }

    const EMPTY_PAGE: &str =
        r#"{"changes":[],"cursor":0,"has_more":false,"remaining_estimate":0,"resync":false}"#;

    fn pull_request() -> PullRequest {
        PullRequest {
            scope: crate::rules::Scope::Organisation,
            after: 0,
            limit: 10,
        }
    }

    #[tokio::test]
    async fn a_server_error_is_retried_until_it_answers() {
        let (url, count) = serve(vec![(503, "{}"), (502, "{}"), (200, EMPTY_PAGE)]).await;
        let t = Transport::new(&url, Some("t".into()), quick()).unwrap();
        let page = t.pull(&pull_request()).await.unwrap();
        assert!(!page.has_more);
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn retries_are_bounded() {
        let (url, count) = serve(vec![(500, "{}"); 10]).await;
        let t = Transport::new(&url, None, quick()).unwrap();
        let err = t.pull(&pull_request()).await.unwrap_err();
        assert!(matches!(err, Error::Network { .. }), "{err:?}");
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_client_error_is_an_answer_and_not_retried() {
        let (url, count) = serve(vec![(
            403,
            r#"{"code":"not_allowed","message":"only members of this project can see it"}"#,
        )])
        .await;
        let t = Transport::new(&url, Some("t".into()), quick()).unwrap();
        let err = t.pull(&pull_request()).await.unwrap_err();
        assert_eq!(
            err,
            Error::not_allowed("only members of this project can see it")
        );
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_revoked_device_is_told_so() {
        let (url, _) = serve(vec![(401, r#"{"code":"unauthorized","message":"x"}"#)]).await;
        let t = Transport::new(&url, Some("old".into()), quick()).unwrap();
        let err = t.pull(&pull_request()).await.unwrap_err();
        assert_eq!(err.code(), "not_allowed");
    }

    #[tokio::test]
    async fn no_server_at_all_is_offline() {
        // Bind and drop, so nothing listens on the port.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let t = Transport::new(&format!("http://127.0.0.1:{port}"), None, quick()).unwrap();
        assert_eq!(t.pull(&pull_request()).await.unwrap_err(), Error::Offline);
    }

    #[tokio::test]
    async fn a_garbled_answer_is_a_clear_error() {
        let (url, count) = serve(vec![(200, r#"{"changes": 5}"#)]).await;
        let t = Transport::new(&url, None, quick()).unwrap();
        let err = t.pull(&pull_request()).await.unwrap_err();
        assert!(matches!(err, Error::Network { .. }), "{err:?}");
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_bad_invite_code_reads_plainly() {
        let (url, _) = serve(vec![(
            404,
            r#"{"code":"not_found","message":"no such invite"}"#,
        )])
        .await;
        let t = Transport::new(&url, None, quick()).unwrap();
        let err = t.redeem_invite("ABCD-EFGH").await.unwrap_err();
        assert_eq!(err.code(), "invalid");
        assert!(err.to_string().contains("invite_code"));
    }

    #[test]
    fn only_https_leaves_this_machine() {
        assert!(Transport::new("http://sync.example.org", None, quick()).is_err());
        assert!(Transport::new("ftp://sync.example.org", None, quick()).is_err());
        assert!(Transport::new("not a url", None, quick()).is_err());
        assert!(Transport::new("https://sync.example.org/equally", None, quick()).is_ok());
        assert!(Transport::new("http://127.0.0.1:8080", None, quick()).is_ok());
    }

    #[test]
    fn paths_join_under_the_server_prefix() {
        let t = Transport::new("https://sync.example.org/equally", None, quick()).unwrap();
        assert_eq!(
            t.base.join(PULL_PATH).unwrap().as_str(),
            "https://sync.example.org/equally/v1/pull"
        );
    }

    #[test]
    fn backoff_grows_but_stays_bounded_and_jittered() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            ..RetryPolicy::default()
        };
        for retry in 0..40 {
            let bound = Duration::from_millis(100 * (1u64 << retry.min(20))).min(p.max_delay);
            for _ in 0..20 {
                assert!(p.delay(retry) <= bound);
            }
        }
        let spread: std::collections::HashSet<_> = (0..50).map(|_| p.delay(5)).collect();
        assert!(spread.len() > 1, "the waits are jittered");
    }
}
