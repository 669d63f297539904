//! The HTTP face of the server: the `/v1/…` routes, the bearer-token check,
//! gzip both ways, a body limit, and one error shape (`ErrorBody`) for every
//! refusal. Storage work runs on tokio's blocking pool.

use crate::admin::{self, Invitee, IssuedInvite, Redeemed};
use crate::identity::{self, Rate, RedeemLimiter};
use crate::metrics::Metrics;
use crate::storage::{Device, PushToken, Storage};
use crate::sync::{self, Origin};
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use equally_rules::error::Error;
use equally_rules::registry;
use equally_rules::time::{SystemTime, TimeSource};
use equally_rules::wire::{
    ErrorBody, InviteRequest, InviteResponse, MAX_PUSH_BATCH, OpResult, PullRequest, PullResponse,
    PushRequest, PushResponse, RedeemRequest, RedeemResponse,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use utoipa::{OpenApi, ToSchema};

/// How one server instance behaves; the defaults suit a charity's server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The largest request body, after decompression.
    pub body_limit: usize,
    pub redeem_per_address: Rate,
    pub redeem_overall: Rate,
    /// Take the client address from `X-Forwarded-For` (only behind a load
    /// balancer that sets it), for the per-address redemption limit.
    pub trust_forwarded_for: bool,
    pub invite_days: i64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 2 * 1024 * 1024,
            redeem_per_address: Rate {
                capacity: 5.0,
                per_minute: 5.0,
            },
            redeem_overall: Rate {
                capacity: 60.0,
                per_minute: 60.0,
            },
            trust_forwarded_for: false,
            invite_days: identity::DEFAULT_INVITE_DAYS,
        }
    }
}

struct Inner {
    storage: Arc<dyn Storage>,
    limiter: RedeemLimiter,
    metrics: Metrics,
    clock: Arc<dyn TimeSource>,
    config: ServerConfig,
}

/// Everything a request handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(storage: Arc<dyn Storage>, config: ServerConfig) -> Self {
        Self::with_clock(storage, config, Arc::new(SystemTime))
    }

    pub fn with_clock(
        storage: Arc<dyn Storage>,
        config: ServerConfig,
        clock: Arc<dyn TimeSource>,
    ) -> Self {
        AppState(Arc::new(Inner {
            limiter: RedeemLimiter::new(config.redeem_per_address, config.redeem_overall),
            storage,
            metrics: Metrics::default(),
            clock,
            config,
        }))
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    fn now_ms(&self) -> i64 {
        self.0.clock.now().millis()
    }

    /// Runs storage work on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Storage) -> equally_rules::Result<T> + Send + 'static,
    ) -> Result<T, ApiError> {
        let storage = self.0.storage.clone();
        match tokio::task::spawn_blocking(move || f(&*storage)).await {
            Ok(result) => result.map_err(ApiError::from),
            Err(_) => Err(ApiError::internal()),
        }
    }
}

/// A refusal, sent as an [`ErrorBody`].
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
            },
        }
    }
    fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage",
            "the server could not do that just now; nothing was changed",
        )
    }
    fn unauthorised() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorised",
            "this device is not known here, or was signed out; set it up again with a new invite",
        )
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match &e {
            Error::NotFound { .. } => StatusCode::NOT_FOUND,
            Error::Invalid { .. } => StatusCode::BAD_REQUEST,
            Error::NotAllowed { .. } => StatusCode::FORBIDDEN,
            Error::Conflict { .. } => StatusCode::CONFLICT,
            // The detail of a storage failure stays in the server's log.
            Error::Storage { .. } => return ApiError::internal(),
        };
        ApiError::new(status, e.code(), e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// `Json`, but a body that cannot be read is answered with an `ErrorBody`
/// that says what was wrong with it.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => {
                let status = rejection.status();
                let code = match &rejection {
                    JsonRejection::JsonDataError(_) => "invalid",
                    JsonRejection::JsonSyntaxError(_) => "malformed_json",
                    JsonRejection::MissingJsonContentType(_) => "not_json",
                    _ if status == StatusCode::PAYLOAD_TOO_LARGE => "too_large",
                    _ => "bad_request",
                };
                Err(ApiError::new(status, code, rejection.body_text()))
            }
        }
    }
}

/// The device a request comes from, found by its bearer token.
pub struct Authed(pub Device);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 200);
        let Some(token) = token else {
            state.0.metrics.unauthorised.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::unauthorised());
        };
        let hash = identity::hash_token(token);
        let device = state
            .blocking(move |s| s.read_with(|tx| tx.device_by_token_hash(&hash)))
            .await?;
        match device {
            Some(d) if !d.revoked => Ok(Authed(d)),
            _ => {
                state.0.metrics.unauthorised.fetch_add(1, Ordering::Relaxed);
                Err(ApiError::unauthorised())
            }
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub backend: String,
}

impl From<Redeemed> for RedeemResponse {
    fn from(r: Redeemed) -> Self {
        RedeemResponse {
            device_id: r.device_id,
            token: r.token,
            person_id: r.person_id,
            organisation_id: r.organisation_id,
        }
    }
}

impl From<IssuedInvite> for InviteResponse {
    fn from(i: IssuedInvite) -> Self {
        InviteResponse {
            code: i.code,
            person_id: i.person_id,
            expires_at_ms: i.expires_at_ms,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushTokenRequest {
    /// `fcm` or `apns`.
    pub platform: String,
    pub token: String,
}

#[utoipa::path(get, path = "/v1/health", responses((status = 200, body = Health)))]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let backend = state.0.storage.backend();
    state
        .blocking(|s| s.read_with(|tx| tx.last_seq()))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database cannot be reached",
            )
        })?;
    Ok(Json(Health {
        status: "ok".into(),
        backend: backend.into(),
    }))
}

#[utoipa::path(get, path = "/v1/metrics", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.0.metrics.render(state.0.storage.backend()),
    )
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

fn client_ip(addr: SocketAddr, headers: &HeaderMap, trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return ip;
    }
    addr.ip()
}

#[utoipa::path(post, path = "/v1/invites/redeem", request_body = RedeemRequest,
    responses((status = 200, body = RedeemResponse),
              (status = 400, body = ErrorBody, description = "unknown, used or expired code"),
              (status = 429, body = ErrorBody, description = "too many attempts")))]
async fn redeem(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<RedeemRequest>,
) -> Result<Json<RedeemResponse>, ApiError> {
    let ip = client_ip(addr, &headers, state.0.config.trust_forwarded_for);
    if !state.0.limiter.allow(ip, Instant::now()) {
        state
            .0
            .metrics
            .redeem_refused
            .fetch_add(1, Ordering::Relaxed);
        tracing::warn!("invite redemption rate-limited");
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many tries; wait a minute and try again",
        ));
    }
    let now = state.now_ms();
    let redeemed = state
        .blocking(move |s| admin::redeem(s, &req.code, now))
        .await?;
    match redeemed {
        Some(r) => {
            state.0.metrics.redeemed.fetch_add(1, Ordering::Relaxed);
            tracing::info!(device = %r.device_id, person = %r.person_id, "invite redeemed");
            Ok(Json(r.into()))
        }
        None => {
            state
                .0
                .metrics
                .redeem_refused
                .fetch_add(1, Ordering::Relaxed);
            Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_invite",
                "this code does not work: it may be mistyped, used already or out of date",
            ))
        }
    }
}

#[utoipa::path(post, path = "/v1/invites", request_body = InviteRequest,
    responses((status = 200, body = InviteResponse),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "not staff")),
    security(("bearer" = [])))]
async fn create_invite(
    State(state): State<AppState>,
    Authed(device): Authed,
    JsonBody(req): JsonBody<InviteRequest>,
) -> Result<Json<InviteResponse>, ApiError> {
    let invitee = match (req.name, req.kind, req.person_id) {
        (Some(name), Some(kind), None) => Invitee::New { name, kind },
        (None, None, Some(id)) => Invitee::Existing(id),
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                "give either a name and kind for someone new, or the person_id of someone already here",
            ));
        }
    };
    let days = req.days.unwrap_or(state.0.config.invite_days);
    let now = state.now_ms();
    let by = device.person_id.clone();
    let issued = state
        .blocking(move |s| admin::invite(s, &by, invitee, now, days))
        .await?;
    tracing::info!(by = %device.person_id, person = %issued.person_id, "invite created");
    Ok(Json(issued.into()))
}

fn check_batch(req: &PushRequest) -> Result<(), ApiError> {
    if req.ops.len() > MAX_PUSH_BATCH {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "batch_too_large",
            format!("send at most {MAX_PUSH_BATCH} ops in one push"),
        ));
    }
    for (i, op) in req.ops.iter().enumerate() {
        if registry::table_for_kind(&op.entity).is_none() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "unknown_kind",
                format!("ops[{i}].entity is not a kind of record this server knows"),
            ));
        }
        if op.entity_id.is_empty() || op.entity_id.len() > 200 {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                format!("ops[{i}].entity_id must be 1 to 200 characters"),
            ));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/v1/push", request_body = PushRequest,
    responses((status = 200, body = PushResponse, description = "one result per op, in order"),
              (status = 400, body = ErrorBody, description = "unknown kind or malformed batch; nothing applied"),
              (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
async fn push(
    State(state): State<AppState>,
    Authed(device): Authed,
    JsonBody(req): JsonBody<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    let started = Instant::now();
    check_batch(&req)?;
    let now = state.now_ms();
    let origin = Origin::Device(device.person_id.clone());
    let results = state
        .blocking(move |s| s.write_with(|tx| sync::push(tx, &origin, &req.ops, now)))
        .await?;
    let rejected = results
        .iter()
        .filter(|r| matches!(r, OpResult::Rejected { .. }))
        .count();
    let m = &state.0.metrics;
    m.ops_applied
        .fetch_add((results.len() - rejected) as u64, Ordering::Relaxed);
    m.ops_rejected.fetch_add(rejected as u64, Ordering::Relaxed);
    m.pushes.fetch_add(1, Ordering::Relaxed);
    m.push_latency.observe(started.elapsed());
    tracing::debug!(device = %device.id, ops = results.len(), rejected, "push");
    for r in &results {
        if let OpResult::Rejected { op_id, code, .. } = r {
            // The code and ids say what happened; the message could quote
            // a record's wording, so it is not logged.
            tracing::info!(device = %device.id, op = %op_id, code = %code, "op rejected");
        }
    }
    Ok(Json(PushResponse {
        results,
        server_time_ms: now,
    }))
}

#[utoipa::path(post, path = "/v1/pull", request_body = PullRequest,
    responses((status = 200, body = PullResponse),
              (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "the device's person may not read this scope (any more): drop its data")),
    security(("bearer" = [])))]
async fn pull(
    State(state): State<AppState>,
    Authed(device): Authed,
    JsonBody(req): JsonBody<PullRequest>,
) -> Result<Json<PullResponse>, ApiError> {
    let started = Instant::now();
    let person = device.person_id.clone();
    let page = state
        .blocking(move |s| s.read_with(|tx| sync::pull(tx, &person, &req)))
        .await?;
    let m = &state.0.metrics;
    m.pulls.fetch_add(1, Ordering::Relaxed);
    m.changes_served
        .fetch_add(page.changes.len() as u64, Ordering::Relaxed);
    m.pull_latency.observe(started.elapsed());
    tracing::debug!(device = %device.id, changes = page.changes.len(), "pull");
    Ok(Json(page))
}

#[utoipa::path(post, path = "/v1/push-token", request_body = PushTokenRequest,
    responses((status = 204, description = "stored"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
async fn push_token(
    State(state): State<AppState>,
    Authed(device): Authed,
    JsonBody(req): JsonBody<PushTokenRequest>,
) -> Result<StatusCode, ApiError> {
    if !matches!(req.platform.as_str(), "fcm" | "apns") {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            "platform must be fcm or apns",
        ));
    }
    if req.token.is_empty() || req.token.len() > 4096 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            "token must be 1 to 4096 characters",
        ));
    }
    let token = PushToken {
        device_id: device.id.clone(),
        platform: req.platform,
        token: req.token,
        updated_at_ms: state.now_ms(),
    };
    state
        .blocking(move |s| s.write_with(|tx| tx.save_push_token(&token)))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Equally sync server",
        description = "Protocol v1: devices push ops and pull changes per scope. JSON, gzip both ways."
    ),
    paths(health, metrics, redeem, create_invite, push, pull, push_token),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The whole API, ready to serve.
pub fn router(state: AppState) -> Router {
    let limit = state.0.config.body_limit;
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/metrics", get(metrics))
        .route("/v1/openapi.json", get(openapi_json))
        .route("/v1/invites/redeem", post(redeem))
        .route("/v1/invites", post(create_invite))
        .route("/v1/push", post(push))
        .route("/v1/pull", post(pull))
        .route("/v1/push-token", post(push_token))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take that method",
            )
        })
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestDecompressionLayer::new().gzip(true))
        .layer(CompressionLayer::new().gzip(true))
        .with_state(state)
}

/// Serves `router(state)` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
