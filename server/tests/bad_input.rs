//! Bad requests get a 4xx with a clear ErrorBody, and change nothing. Also
//! the endpoints that are not sync: health, metrics, OpenAPI, and gzip.

mod common;

use common::*;
use equally_rules::statements::Visibility;
use equally_rules::wire::{ErrorBody, PushRequest};
use equally_server::http::ServerConfig;
use serde_json::json;
use std::io::Write;

async fn raw(w: &World, path: &str, body: Vec<u8>, gzip: bool) -> (u16, String) {
    let mut req = w
        .http
        .post(w.url(path))
        .bearer_auth(&w.staff.token)
        .header("content-type", "application/json");
    if gzip {
        req = req.header("content-encoding", "gzip");
    }
    let resp = req.body(body).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

fn error(text: &str) -> ErrorBody {
    serde_json::from_str(text).unwrap_or_else(|_| panic!("an ErrorBody: {text}"))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

async fn bad_requests_are_refused_and_change_nothing(backend: Backend) {
    let w = World::with_config(backend, ServerConfig::default()).await;
    let before = w.fingerprint();

    let (status, text) = raw(&w, "/v1/push", b"{\"ops\": [".to_vec(), false).await;
    assert_eq!(
        (status, error(&text).code.as_str()),
        (400, "malformed_json")
    );

    let (status, text) = raw(
        &w,
        "/v1/push",
        br#"{"ops": [{"op_id": 7}]}"#.to_vec(),
        false,
    )
    .await;
    assert_eq!((status, error(&text).code.as_str()), (422, "invalid"));

    let (status, text) = raw(
        &w,
        "/v1/pull",
        br#"{"scope": {"tier": "galaxy"}, "after": 0, "limit": 1}"#.to_vec(),
        false,
    )
    .await;
    assert_eq!(status, 422, "{text}");

    // An unknown kind anywhere in a batch: the whole batch is refused, even
    // the good op before it.
    let good = w
        .staff
        .create(&statement(&w.staff, "fine", Visibility::Everyone));
    let mut unknown = good.clone();
    unknown.op_id = equally_rules::ids::OpId::new();
    unknown.entity = "spaceship".into();
    let body = serde_json::to_vec(&PushRequest {
        ops: vec![good, unknown],
    })
    .unwrap();
    let (status, text) = raw(&w, "/v1/push", body, false).await;
    assert_eq!((status, error(&text).code.as_str()), (400, "unknown_kind"));

    let huge =
        serde_json::to_vec(&json!({"ops": [], "padding": "x".repeat(3 * 1024 * 1024)})).unwrap();
    let (status, text) = raw(&w, "/v1/push", huge.clone(), false).await;
    assert_eq!((status, error(&text).code.as_str()), (413, "too_large"));
    // Compressed small, but too big once unpacked: still refused.
    let (status, _) = raw(&w, "/v1/push", gzip(&huge), true).await;
    assert_eq!(status, 413);

    let too_many: Vec<_> = (0..201)
        .map(|i| {
            w.staff
                .create(&statement(&w.staff, &format!("{i}"), Visibility::Everyone))
        })
        .collect();
    let body = serde_json::to_vec(&PushRequest { ops: too_many }).unwrap();
    let (status, text) = raw(&w, "/v1/push", body, false).await;
    assert_eq!(
        (status, error(&text).code.as_str()),
        (400, "batch_too_large")
    );

    // A well-formed op whose record breaks the rules is rejected by itself.
    let mut bad = w
        .staff
        .create(&statement(&w.staff, "ok", Visibility::Everyone));
    bad.fields.insert(
        "text".into(),
        json!({"original": {"lang": "en-GB", "text": "x".repeat(5000)}}),
    );
    let res = w.push(&w.staff, vec![bad]).await;
    assert_eq!(rejection(&res.results[0]).0, "invalid");

    assert_eq!(w.fingerprint(), before);
}
on_both_storages!(bad_requests_are_refused_and_change_nothing);

async fn bodies_travel_gzipped_both_ways(backend: Backend) {
    let w = World::new(backend).await;
    let ops: Vec<_> = (0..50)
        .map(|i| {
            w.staff.create(&statement(
                &w.staff,
                &format!("a long enough statement {i}"),
                Visibility::Everyone,
            ))
        })
        .collect();
    let body = serde_json::to_vec(&PushRequest { ops }).unwrap();
    let (status, text) = raw(&w, "/v1/push", gzip(&body), true).await;
    assert_eq!(status, 200, "{text}");
    // The harness asks for gzip and unpacks it; check the server really sent it.
    let plain = client::Client::without_gzip();
    let resp = plain
        .post(w.url("/v1/pull"))
        .bearer_auth(&w.staff.token)
        .header("accept-encoding", "gzip")
        .json(&json!({"scope": {"tier": "organisation"}, "after": 0, "limit": 100}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-encoding"], "gzip");
}
on_both_storages!(bodies_travel_gzipped_both_ways);

async fn health_metrics_and_the_api_document_are_served(backend: Backend) {
    let w = World::new(backend).await;
    let health: serde_json::Value = w
        .http
        .get(w.url("/v1/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    w.push(
        &w.staff,
        vec![
            w.staff
                .create(&statement(&w.staff, "x", Visibility::Everyone)),
        ],
    )
    .await;
    w.pull(&w.staff, equally_rules::entity::Scope::Organisation, 0, 10)
        .await
        .unwrap();
    let metrics = w
        .http
        .get(w.url("/v1/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("equally_ops_applied_total{backend="),
        "{metrics}"
    );
    assert!(metrics.contains("equally_pulls_total"), "{metrics}");
    assert!(
        metrics.contains("equally_request_seconds_bucket{route=\"pull\""),
        "{metrics}"
    );
    let doc: serde_json::Value = w
        .http
        .get(w.url("/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/v1/push",
        "/v1/pull",
        "/v1/invites/redeem",
        "/v1/invites",
        "/v1/push-token",
        "/v1/health",
        "/v1/metrics",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    for schema in [
        "PushRequest",
        "PushResponse",
        "OpResult",
        "PullRequest",
        "PullResponse",
        "Change",
        "ErrorBody",
        "Scope",
        "Op",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} is documented"
        );
    }
    let wrong_method = w.http.get(w.url("/v1/push")).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(
        wrong_method.json::<ErrorBody>().await.unwrap().code,
        "method_not_allowed"
    );
    let missing = w.http.get(w.url("/v2/anything")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json::<ErrorBody>().await.unwrap().code, "not_found");
}
on_both_storages!(health_metrics_and_the_api_document_are_served);
