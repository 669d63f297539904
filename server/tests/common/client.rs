//! A small HTTP client for the server's tests and its load example, over
//! hyper (already in the server's tree through axum), so the server needs
//! neither the phone's reqwest nor anything it brings. It speaks plain
//! HTTP/1.1 on loopback, asks for gzip and unpacks it as a phone's client
//! does, and can be told not to, to see what the server really sent.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, HeaderMap};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client as Pool;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::io::Read;

#[derive(Clone)]
pub struct Client {
    pool: Pool<HttpConnector, Full<Bytes>>,
    /// Ask for gzip and unpack it, as the phone's client does.
    gzip: bool,
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    pub fn new() -> Client {
        Self::with_idle_connections(32)
    }

    /// A client that keeps up to `idle` connections to the server open.
    pub fn with_idle_connections(idle: usize) -> Client {
        Client {
            pool: Pool::builder(TokioExecutor::new())
                .pool_max_idle_per_host(idle)
                .build_http(),
            gzip: true,
        }
    }

    /// A client that neither asks for gzip nor unpacks it.
    pub fn without_gzip() -> Client {
        Client {
            gzip: false,
            ..Self::new()
        }
    }

    pub fn get(&self, url: impl Into<String>) -> RequestBuilder {
        self.request(Method::GET, url)
    }

    pub fn post(&self, url: impl Into<String>) -> RequestBuilder {
        self.request(Method::POST, url)
    }

    fn request(&self, method: Method, url: impl Into<String>) -> RequestBuilder {
        let mut headers = HeaderMap::new();
        if self.gzip {
            headers.insert(ACCEPT_ENCODING, "gzip".parse().expect("a header value"));
        }
        RequestBuilder {
            client: self.clone(),
            method,
            url: url.into(),
            headers,
            body: Vec::new(),
        }
    }
}

pub struct RequestBuilder {
    client: Client,
    method: Method,
    url: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RequestBuilder {
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers
            .insert(name, value.parse().expect("a header value"));
        self
    }

    pub fn bearer_auth(mut self, token: &str) -> Self {
        self.headers.insert(
            AUTHORIZATION,
            format!("Bearer {token}").parse().expect("a header value"),
        );
        self
    }

    pub fn json(mut self, body: &impl serde::Serialize) -> Self {
        self.body = serde_json::to_vec(body).expect("the body encodes as JSON");
        self.headers.insert(
            CONTENT_TYPE,
            "application/json".parse().expect("a header value"),
        );
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    pub async fn send(self) -> Result<Response, String> {
        let mut request = Request::builder()
            .method(self.method)
            .uri(&self.url)
            .body(Full::new(Bytes::from(self.body)))
            .map_err(|e| e.to_string())?;
        *request.headers_mut() = self.headers;
        let response = self
            .client
            .pool
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
        let gzipped = parts
            .headers
            .get(CONTENT_ENCODING)
            .is_some_and(|v| v == "gzip");
        let body = if self.client.gzip && gzipped {
            let mut plain = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut plain)
                .map_err(|e| e.to_string())?;
            plain
        } else {
            body.to_vec()
        };
        Ok(Response {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }
}

pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Response {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Fails on a 4xx or 5xx, as a caller that expects success would.
    pub fn error_for_status(self) -> Result<Response, String> {
        if self.status.is_client_error() || self.status.is_server_error() {
            Err(format!(
                "{}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            ))
        } else {
            Ok(self)
        }
    }

    pub async fn text(self) -> Result<String, String> {
        String::from_utf8(self.body).map_err(|e| e.to_string())
    }

    pub async fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, String> {
        serde_json::from_slice(&self.body).map_err(|e| e.to_string())
    }
}
