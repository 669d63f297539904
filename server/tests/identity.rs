//! Invites, device tokens and revocation, over real HTTP.

mod common;

use common::*;
use equally_rules::entity::Scope;
use equally_rules::ids::PersonId;
use equally_rules::people::PersonKind;
use equally_server::admin::{self, Invitee};
use equally_server::http::ServerConfig;
use equally_server::identity::Rate;
use serde_json::json;

async fn an_invite_works_once(backend: Backend) {
    let w = World::new(backend).await;
    let issued = w
        .call(
            "/v1/invites",
            Some(&w.staff.token),
            &json!({"name": "Aisha", "kind": "supported_person"}),
        )
        .await
        .unwrap();
    let code = issued["code"].as_str().unwrap();
    assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
    let aisha = w
        .redeem(&code.to_lowercase().replace('-', " "))
        .await
        .unwrap();
    assert_eq!(aisha.person.as_str(), issued["person_id"].as_str().unwrap());
    let again = w.redeem(code).await.unwrap_err();
    assert_eq!(again.status, 400);
    assert_eq!(again.body.code, "invalid_invite");
    // The new person is in the organisation for everyone to find.
    let org = w.pull_all(&aisha, Scope::Organisation).await;
    assert!(
        org.iter()
            .any(|c| c.entity == "person" && c.entity_id == aisha.person.as_str())
    );
}
on_both_storages!(an_invite_works_once);

async fn an_expired_invite_does_not_work(backend: Backend) {
    let w = World::new(backend).await;
    let storage = w.server.storage.clone();
    let staff = w.staff.person.clone();
    let eight_days_ago = now_ms() - 8 * 24 * 3600 * 1000;
    let old = blocking(|| {
        admin::invite(
            &*storage,
            &staff,
            Invitee::New {
                name: "Bob".into(),
                kind: PersonKind::Carer,
            },
            eight_days_ago,
            7,
        )
    })
    .unwrap();
    let refused = w.redeem(&old.code).await.unwrap_err();
    assert_eq!(refused.body.code, "invalid_invite");
}
on_both_storages!(an_expired_invite_does_not_work);

async fn only_staff_can_invite(backend: Backend) {
    let w = World::new(backend).await;
    let carer = w.join("Chris", PersonKind::Carer).await;
    let refused = w
        .call(
            "/v1/invites",
            Some(&carer.token),
            &json!({"name": "Dee", "kind": "staff"}),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status, 403);
    assert_eq!(refused.body.code, "not_allowed");
    // A second device for someone already here.
    let second = w
        .call(
            "/v1/invites",
            Some(&w.staff.token),
            &json!({"person_id": carer.person}),
        )
        .await
        .unwrap();
    let phone2 = w.redeem(second["code"].as_str().unwrap()).await.unwrap();
    assert_eq!(phone2.person, carer.person);
    assert_ne!(phone2.device, carer.device);
}
on_both_storages!(only_staff_can_invite);

async fn redemption_is_rate_limited(backend: Backend) {
    let config = ServerConfig {
        redeem_per_address: Rate {
            capacity: 3.0,
            per_minute: 0.5,
        },
        ..ServerConfig::default()
    };
    // The staff redemption in setup uses one of the three tries.
    let w = World::with_config(backend, config).await;
    let wrong = w.redeem("ABCD-EFGH").await.unwrap_err();
    assert_eq!(wrong.body.code, "invalid_invite");
    let wrong = w.redeem("ABCD-EFGJ").await.unwrap_err();
    assert_eq!(wrong.body.code, "invalid_invite");
    let limited = w.redeem("ABCD-EFGK").await.unwrap_err();
    assert_eq!(limited.status, 429);
    assert_eq!(limited.body.code, "rate_limited");
    // Even a good code waits its turn.
    let issued = w
        .call(
            "/v1/invites",
            Some(&w.staff.token),
            &json!({"name": "Eve", "kind": "volunteer"}),
        )
        .await
        .unwrap();
    let limited = w
        .redeem(issued["code"].as_str().unwrap())
        .await
        .unwrap_err();
    assert_eq!(limited.status, 429);
}
on_both_storages!(redemption_is_rate_limited);

async fn unknown_and_revoked_tokens_get_401(backend: Backend) {
    let w = World::new(backend).await;
    let pull = json!({"scope": {"tier": "organisation"}, "after": 0, "limit": 10});
    let none = w.call("/v1/pull", None, &pull).await.unwrap_err();
    assert_eq!(
        (none.status, none.body.code.as_str()),
        (401, "unauthorised")
    );
    let unknown = w
        .call("/v1/pull", Some("not-a-token"), &pull)
        .await
        .unwrap_err();
    assert_eq!(unknown.status, 401);
    let push = w
        .call("/v1/push", Some("not-a-token"), &json!({"ops": []}))
        .await
        .unwrap_err();
    assert_eq!(push.status, 401);

    let carer = w.join("Chris", PersonKind::Carer).await;
    w.call("/v1/pull", Some(&carer.token), &pull).await.unwrap();
    let storage = w.server.storage.clone();
    let device = carer.device.clone();
    assert!(blocking(|| admin::revoke_device(&*storage, &device)).unwrap());
    let revoked = w
        .call("/v1/pull", Some(&carer.token), &pull)
        .await
        .unwrap_err();
    assert_eq!(revoked.status, 401);
    assert_eq!(revoked.body.code, "unauthorised");
    // The staff member's own device is unaffected.
    w.call("/v1/pull", Some(&w.staff.token), &pull)
        .await
        .unwrap();
}
on_both_storages!(unknown_and_revoked_tokens_get_401);

async fn a_push_token_is_stored_for_the_device(backend: Backend) {
    let w = World::new(backend).await;
    w.call(
        "/v1/push-token",
        Some(&w.staff.token),
        &json!({"platform": "fcm", "token": "fcm-token-1"}),
    )
    .await
    .unwrap();
    let bad = w
        .call(
            "/v1/push-token",
            Some(&w.staff.token),
            &json!({"platform": "pager", "token": "x"}),
        )
        .await
        .unwrap_err();
    assert_eq!(bad.status, 400);
    let storage = w.server.storage.clone();
    let person: PersonId = w.staff.person.clone();
    let tokens = blocking(|| storage.read_with(|tx| tx.push_tokens_of(&person))).unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].device_id, w.staff.device);
}
on_both_storages!(a_push_token_is_stored_for_the_device);
