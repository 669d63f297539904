//! The sync engine: connects a device with an invite, then on each
//! `sync_now` pushes the outbox in batches and pulls every scope the person
//! reads, page by page, keeping screens told of progress through listeners.

use crate::Equally;
use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::ids::{OpId, PersonId};
use crate::people::{Person, PersonKind};
use crate::projects::Membership;
use crate::rules::Scope;
use crate::store::{Changed, Store, outbox};
use crate::sync::apply::{self, Applied};
use crate::sync::state::{self, Account, RejectedOp};
use crate::sync::transport::{RetryPolicy, Transport};
use crate::sync::wire::{
    InviteRequest, MAX_PULL_PAGE, MAX_PUSH_BATCH, PullRequest, PullResponse, PushRequest,
};
use crate::time::Timestamp;
use parking_lot::Mutex;
use std::collections::HashSet;
use std::sync::Arc;

/// The entity name of the notice sent when the sync status changes.
pub const SYNC_STATUS: &str = "sync_status";

/// What a device learns when it connects.
#[derive(Clone, PartialEq, Eq)]
pub struct Connected {
    pub person_id: PersonId,
    pub device_id: String,
    /// For the shell to keep in Keystore/Keychain (see `set_device_token`).
    pub device_token: String,
}

/// An invite code for someone new, to read out, write down or scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub code: String,
    /// The person the code will sign in as.
    pub person_id: PersonId,
    pub expires_at: Timestamp,
    pub qr: QrPicture,
}

/// A QR code as data for a screen to draw: `width` squares a side, row by
/// row, `true` for dark. The screen adds the light margin around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrPicture {
    pub width: u32,
    pub dark: Vec<bool>,
}

impl QrPicture {
    pub fn of(text: &str) -> Result<Self> {
        let code = qrcode::QrCode::new(text.as_bytes())
            .map_err(|_| Error::invalid("code", "is too long for a QR code"))?;
        Ok(QrPicture {
            width: code.width() as u32,
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
        })
    }
}

impl std::fmt::Debug for Connected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connected")
            .field("person_id", &self.person_id)
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

/// What one `sync_now` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncReport {
    pub pushed: u32,
    pub rejected: u32,
    /// Pulled changes that changed something here.
    pub pulled: u32,
    pub pages: u32,
    /// Pulled changes this version could not read (logged by id).
    pub refused: u32,
    /// Scopes this device stopped reading, whose data it removed.
    pub purged_scopes: u32,
    pub finished_at: Timestamp,
}

/// A large pull under way: pages done out of an estimate that firms up as
/// the server says how much is left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncProgress {
    pub pages_done: u32,
    pub pages_estimated: u32,
}

/// Everything a sync screen shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncStatus {
    pub connected: bool,
    pub syncing: bool,
    pub last_synced: Option<Timestamp>,
    pub pending: i64,
    /// Changes the server refused, newest first, until dismissed.
    pub rejected: Vec<RejectedOp>,
    pub progress: Option<SyncProgress>,
    /// The error code of the last failed sync (`offline`, `network`…),
    /// cleared by the next one that succeeds.
    pub last_error: Option<String>,
}

/// The engine's in-memory side, one per open database.
#[derive(Default)]
pub(crate) struct SyncRuntime {
    /// One sync at a time; a second caller waits for the first.
    running: tokio::sync::Mutex<()>,
    live: Mutex<Live>,
    retry: Mutex<RetryPolicy>,
}

#[derive(Default)]
struct Live {
    syncing: bool,
    progress: Option<SyncProgress>,
    last_error: Option<String>,
    transport: Option<(String, String, Arc<Transport>)>,
}

/// Runs SQLite work on tokio's blocking pool, so an async caller's threads
/// never wait on the database.
async fn blocking<T: Send + 'static>(
    store: &Arc<Store>,
    f: impl FnOnce(&Store) -> Result<T> + Send + 'static,
) -> Result<T> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&store))
        .await
        .map_err(|_| Error::Storage {
            detail: "a sync step was interrupted".into(),
        })?
}

fn status_notice() -> Changed {
    Changed {
        entity: SYNC_STATUS,
        id: String::new(),
        project_id: None,
    }
}

/// The scopes `me` reads, in the order to pull them: the organisation and
/// their own scope first, since those say which projects and people follow.
pub fn readable_scopes(conn: &rusqlite::Connection, me: &PersonId) -> Result<Vec<Scope>> {
    let reader = crate::store::Reader { conn };
    let mut scopes = vec![Scope::Organisation, Scope::Personal(me.clone())];
    let person: Option<Person> = reader.get(me.as_str())?;
    if person.is_some_and(|p| p.kind == PersonKind::Staff) {
        let mut supported: Vec<String> = conn
            .prepare_cached(
                "SELECT person_id FROM support_links WHERE staff_id = ?1 AND active = 1 ORDER BY person_id",
            )?
            .query_map([me.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        supported.dedup();
        for p in supported {
            scopes.push(Scope::Personal(PersonId::parse(&p)?));
        }
    }
    let memberships: Vec<Membership> =
        reader.select("WHERE person_id = ?1 ORDER BY project_id", [me.as_str()])?;
    scopes.extend(
        memberships
            .into_iter()
            .filter(Membership::is_active)
            .map(|m| Scope::Project(m.project_id)),
    );
    Ok(scopes)
}

/// Applies one pulled page and its cursor in one transaction.
pub fn apply_pulled_page(
    store: &Store,
    now: Timestamp,
    scope: &Scope,
    reads: &HashSet<Scope>,
    page: &PullResponse,
) -> Result<Applied> {
    store.sync_write(|tx, clock| apply::apply_page(tx, clock, wall(now), scope, reads, page))
}

/// Applies the answers to one push in one transaction.
pub fn apply_push_answer(
    store: &Store,
    now: Timestamp,
    server_time_ms: Option<i64>,
    reads: &HashSet<Scope>,
    results: &[crate::sync::wire::OpResult],
) -> Result<Applied> {
    store.sync_write(|tx, clock| {
        if let Some(ms) = server_time_ms {
            // A device clock running behind the server's catches up, so its
            // next edits are not stamped in the past.
            clock.observe(
                Hlc {
                    wall_ms: ms.max(0) as u64,
                    counter: 0,
                    node: 0,
                },
                wall(now),
            );
        }
        apply::apply_push_results(tx, clock, wall(now), now, reads, results)
    })
}

fn wall(now: Timestamp) -> u64 {
    now.millis().max(0) as u64
}

impl Equally {
    /// Connects this device to a sync server with an invite code from staff.
    /// The person's data arrives with the first `sync_now`.
    ///
    /// A phone someone started offline keeps its own group: joining a
    /// server would replace that organisation with the charity's, and what
    /// was made on the phone would no longer be readable. So it is refused
    /// here, before the invite is used or anything is touched.
    pub async fn connect(&self, server_url: &str, invite_code: &str) -> Result<Connected> {
        let started_offline = blocking(&self.store, |store| {
            store.read(|r| {
                let phone = crate::store::owner::this_phone(r.conn())?;
                let has_own_group = state::account(r.conn())?.is_none()
                    && r.select::<crate::people::Organisation>("LIMIT 1", [])?
                        .pop()
                        .is_some();
                Ok(
                    matches!(&phone, Some(p) if p.started == crate::phone::PhoneStart::Offline)
                        || (phone.is_none() && has_own_group),
                )
            })
        })
        .await?;
        if started_offline {
            return Err(Error::conflict(
                "this phone holds a group that was started without a server, and joining would leave that work behind; keep using it as it is, or join on a new profile",
            ));
        }
        let transport = Transport::new(server_url, None, self.sync.retry.lock().clone())?;
        let redeemed = transport.redeem_invite(invite_code).await?;
        let account = Account {
            server_url: transport.server_url().to_string(),
            device_token: redeemed.token.clone(),
            device_id: redeemed.device_id.clone(),
            person_id: redeemed.person_id.clone(),
            connected_at: self.now(),
            last_synced: None,
        };
        let saved = account.clone();
        blocking(&self.store, move |store| {
            store.sync_write(|tx, _| {
                if let Some(before) = state::account(tx)?
                    && before.person_id != saved.person_id
                {
                    // A shared phone must not mix one person's data into
                    // another's.
                    return Err(Error::conflict(
                        "this phone already holds someone else's data",
                    ));
                }
                state::save_account(tx, &saved)?;
                crate::store::owner::set_this_phone(
                    tx,
                    &crate::phone::ThisPhone {
                        person_id: saved.person_id.clone(),
                        started: crate::phone::PhoneStart::Joined,
                        since: saved.connected_at,
                    },
                )
            })
        })
        .await?;
        // The device, not the person: an app may send its log to a crash
        // reporter, and the log must not say whose phone it is.
        tracing::info!(device = %account.device_id, "sync: connected");
        self.notify(&[status_notice()]);
        Ok(Connected {
            person_id: redeemed.person_id,
            device_id: redeemed.device_id,
            device_token: redeemed.token,
        })
    }

    /// Staff invite someone new from their own phone: the server makes a
    /// short, single-use code (it refuses anyone who is not staff), and the
    /// screen shows it as text and as a QR code drawn from `qr`.
    pub async fn invite_person(&self, name: &str, kind: PersonKind) -> Result<Invitation> {
        let name = name.trim().to_string();
        crate::text::check_length("name", &name, crate::people::MAX_NAME)?;
        let account = blocking(&self.store, |s| s.read(|r| state::account(r.conn())))
            .await?
            .ok_or_else(|| {
                Error::conflict("connect this phone to the charity's server before inviting anyone")
            })?;
        let transport = self.transport(&account)?;
        let issued = transport
            .create_invite(&InviteRequest {
                name: Some(name),
                kind: Some(kind),
                person_id: None,
                days: None,
            })
            .await?;
        Ok(Invitation {
            qr: QrPicture::of(&issued.code)?,
            code: issued.code,
            person_id: issued.person_id,
            expires_at: Timestamp(issued.expires_at_ms),
        })
    }

    /// Hands back the device token the shell keeps in Keystore/Keychain.
    pub fn set_device_token(&self, token: &str) -> Result<()> {
        let token = token.trim().to_string();
        if token.is_empty() {
            return Err(Error::invalid("device_token", "is empty"));
        }
        self.store.sync_write(|tx, _| {
            let mut account = state::account(tx)?
                .ok_or_else(|| Error::conflict("this device is not connected yet"))?;
            account.device_token = token;
            state::save_account(tx, &account)
        })
    }

    /// How hard the engine tries to reach the server (tests shorten it).
    pub fn set_sync_retry(&self, retry: RetryPolicy) {
        *self.sync.retry.lock() = retry;
        self.sync.live.lock().transport = None;
    }

    /// The sync screen: last synced, pending count, rejected changes and,
    /// during a sync, its progress.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let (account, pending, rejected) = self.read(|r| {
            Ok((
                state::account(r.conn())?,
                outbox::count(r.conn())?,
                state::rejections(r.conn())?,
            ))
        })?;
        let live = self.sync.live.lock();
        Ok(SyncStatus {
            connected: account.is_some(),
            syncing: live.syncing,
            last_synced: account.and_then(|a| a.last_synced),
            pending,
            rejected,
            progress: live.progress,
            last_error: live.last_error.clone(),
        })
    }

    /// Takes a rejected change off the sync screen once the person has seen it.
    pub fn dismiss_rejected(&self, op_id: &OpId) -> Result<()> {
        let removed = self
            .store
            .sync_write(|tx, _| state::dismiss_rejection(tx, op_id))?;
        if removed {
            self.notify(&[status_notice()]);
        }
        Ok(())
    }

    /// Pushes every unsent change, then pulls every scope this person reads.
    /// Cut off at any point, it is safe to call again: nothing is lost or
    /// applied twice.
    pub async fn sync_now(&self) -> Result<SyncReport> {
        let _one_at_a_time = self.sync.running.lock().await;
        {
            let mut live = self.sync.live.lock();
            live.syncing = true;
            live.progress = None;
        }
        self.notify(&[status_notice()]);
        let result = self.sync_all().await;
        {
            let mut live = self.sync.live.lock();
            live.syncing = false;
            live.progress = None;
            live.last_error = result.as_ref().err().map(|e| e.code().to_string());
        }
        if let Err(e) = &result {
            tracing::info!(code = e.code(), "sync: stopped");
        }
        self.notify(&[status_notice()]);
        result
    }

    fn transport(&self, account: &Account) -> Result<Arc<Transport>> {
        let mut live = self.sync.live.lock();
        if let Some((url, token, t)) = &live.transport
            && *url == account.server_url
            && *token == account.device_token
        {
            return Ok(t.clone());
        }
        let t = Arc::new(Transport::new(
            &account.server_url,
            Some(account.device_token.clone()),
            self.sync.retry.lock().clone(),
        )?);
        live.transport = Some((
            account.server_url.clone(),
            account.device_token.clone(),
            t.clone(),
        ));
        Ok(t)
    }

    async fn sync_all(&self) -> Result<SyncReport> {
        let account = blocking(&self.store, |s| s.read(|r| state::account(r.conn())))
            .await?
            .ok_or_else(|| Error::conflict("connect this device to a sync server first"))?;
        let transport = self.transport(&account)?;
        let mut report = SyncReport {
            pushed: 0,
            rejected: 0,
            pulled: 0,
            pages: 0,
            refused: 0,
            purged_scopes: 0,
            finished_at: self.now(),
        };
        self.push_all(&transport, &account.person_id, &mut report)
            .await?;
        self.pull_all(&transport, &account.person_id, &mut report)
            .await?;
        let now = self.now();
        blocking(&self.store, move |s| {
            s.sync_write(|tx, _| state::set_last_synced(tx, now))
        })
        .await?;
        report.finished_at = now;
        Ok(report)
    }

    async fn push_all(
        &self,
        transport: &Transport,
        me: &PersonId,
        report: &mut SyncReport,
    ) -> Result<()> {
        let me = me.clone();
        let reads: HashSet<Scope> = blocking(&self.store, move |s| {
            s.read(|r| readable_scopes(r.conn(), &me))
        })
        .await?
        .into_iter()
        .collect();
        loop {
            let ops = blocking(&self.store, |s| {
                s.read(|r| outbox::pending(r.conn(), MAX_PUSH_BATCH))
            })
            .await?;
            if ops.is_empty() {
                return Ok(());
            }
            let sent = ops.len();
            // Ops leave the outbox only once their answer is here, so a push
            // cut off now is simply sent again; the server de-duplicates.
            let answer = transport.push(&PushRequest { ops }).await?;
            let now = self.now();
            let reads = reads.clone();
            let applied = blocking(&self.store, move |s| {
                apply_push_answer(s, now, Some(answer.server_time_ms), &reads, &answer.results)
            })
            .await?;
            report.pushed += applied.ops_applied as u32;
            report.rejected += applied.ops_rejected as u32;
            let mut notices = applied.changed;
            notices.push(status_notice());
            self.notify(&notices);
            if applied.ops_applied + applied.ops_rejected < sent {
                // The server answered only part of the batch (or answered
                // for other ops): send the rest on the next sync rather than
                // spin here.
                tracing::warn!(
                    sent,
                    answered = applied.ops_applied + applied.ops_rejected,
                    "sync: partial push answer"
                );
                return Ok(());
            }
        }
    }

    async fn pull_all(
        &self,
        transport: &Transport,
        me: &PersonId,
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut done: HashSet<Scope> = HashSet::new();
        let mut resynced: HashSet<Scope> = HashSet::new();
        let mut progress = SyncProgress::default();
        loop {
            // Re-read after every scope: pulling one may reveal another (a
            // new membership) or end one (a removal).
            let me_ = me.clone();
            let (reads, revoked, purged) = blocking(&self.store, move |s| {
                s.sync_write(|tx, _| {
                    let reads = readable_scopes(tx, &me_)?;
                    let readable: HashSet<Scope> = reads.iter().cloned().collect();
                    let revoked: Vec<Scope> = state::cursors(tx)?
                        .into_iter()
                        .map(|(s, _)| s)
                        .filter(|s| !readable.contains(s))
                        .collect();
                    let purged = if revoked.is_empty() {
                        Vec::new()
                    } else {
                        apply::purge(tx, &revoked, &readable, false)?
                    };
                    Ok((reads, revoked.len(), purged))
                })
            })
            .await?;
            report.purged_scopes += revoked as u32;
            self.notify(&purged);
            let readable: HashSet<Scope> = reads.iter().cloned().collect();
            let Some(scope) = reads.into_iter().find(|s| !done.contains(s)) else {
                return Ok(());
            };
            done.insert(scope.clone());
            self.pull_scope(
                transport,
                &scope,
                &readable,
                &mut resynced,
                &mut progress,
                report,
            )
            .await?;
        }
    }

    async fn pull_scope(
        &self,
        transport: &Transport,
        scope: &Scope,
        readable: &HashSet<Scope>,
        resynced: &mut HashSet<Scope>,
        progress: &mut SyncProgress,
        report: &mut SyncReport,
    ) -> Result<()> {
        loop {
            let key = scope.clone();
            let after = blocking(&self.store, move |s| {
                s.read(|r| state::cursor(r.conn(), &key))
            })
            .await?;
            let request = PullRequest {
                scope: scope.clone(),
                after,
                limit: MAX_PULL_PAGE as u32,
            };
            let page = match transport.pull(&request).await {
                Ok(page) => page,
                Err(Error::NotAllowed { .. }) if *scope != Scope::Organisation => {
                    // The server says this scope is no longer ours (removed
                    // from the project, support ended) before our copy of
                    // the membership caught up: purge it now.
                    self.drop_scope(scope, readable, false, report).await?;
                    return Ok(());
                }
                Err(e) => return Err(e),
            };
            if page.resync {
                if !resynced.insert(scope.clone()) {
                    return Err(Error::Network {
                        reason: "the server keeps asking for a fresh start".into(),
                    });
                }
                tracing::info!(scope = %state::scope_key(scope), "sync: server asked for a re-sync");
                self.drop_scope(scope, readable, true, report).await?;
                continue;
            }
            let now = self.now();
            let (key, reads, has_more) = (scope.clone(), readable.clone(), page.has_more);
            let remaining = page.remaining_estimate.max(0) as u64;
            let applied = blocking(&self.store, move |s| {
                apply_pulled_page(s, now, &key, &reads, &page)
            })
            .await?;
            report.pages += 1;
            report.pulled += applied.changed.len() as u32;
            report.refused += applied.refused as u32;
            progress.pages_done += 1;
            let left = if has_more {
                remaining.div_ceil(MAX_PULL_PAGE as u64) as u32
            } else {
                0
            };
            progress.pages_estimated = progress.pages_done + left;
            self.sync.live.lock().progress = Some(*progress);
            let mut notices = applied.changed;
            notices.push(status_notice());
            self.notify(&notices);
            if !has_more {
                return Ok(());
            }
        }
    }

    async fn drop_scope(
        &self,
        scope: &Scope,
        readable: &HashSet<Scope>,
        keep_pending: bool,
        report: &mut SyncReport,
    ) -> Result<()> {
        let (gone, reads) = (scope.clone(), readable.clone());
        let changed = blocking(&self.store, move |s| {
            s.sync_write(|tx, _| {
                // On a re-sync the scope is still read: what is dropped
                // comes back from the fresh pull.
                let mut reads = reads;
                if !keep_pending {
                    reads.remove(&gone);
                }
                apply::purge(tx, std::slice::from_ref(&gone), &reads, keep_pending)
            })
        })
        .await?;
        if !keep_pending {
            report.purged_scopes += 1;
        }
        self.notify(&changed);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projects::{JoinPolicy, NewProject};
    use crate::testkit::world;
    use crate::text::Text;

    #[test]
    fn a_person_reads_their_projects_and_staff_the_people_they_support() {
        let w = world();
        let garden = w
            .app
            .start_project(
                &w.sam.id,
                NewProject {
                    title: Text::new("en-GB", "Garden"),
                    purpose: Text::new("en-GB", "Grow food"),
                    join_policy: JoinPolicy::Open,
                    co_founders: vec![w.priya.id.clone()],
                },
            )
            .unwrap()
            .id;
        w.app
            .add_supporter(&w.sam.id, &w.sam.id, &w.priya.id)
            .unwrap();
        let scopes = |who: &PersonId| w.app.read(|r| readable_scopes(r.conn(), who)).unwrap();
        assert_eq!(
            scopes(&w.sam.id),
            [
                Scope::Organisation,
                Scope::Personal(w.sam.id.clone()),
                Scope::Project(garden.clone())
            ]
        );
        assert_eq!(
            scopes(&w.priya.id),
            [
                Scope::Organisation,
                Scope::Personal(w.priya.id.clone()),
                Scope::Personal(w.sam.id.clone()),
                Scope::Project(garden.clone())
            ]
        );
        w.app.leave_project(&w.sam.id, &garden).unwrap();
        assert_eq!(
            scopes(&w.sam.id).len(),
            2,
            "a project left is no longer read"
        );
        // A carer with no projects reads the organisation and their own.
        assert_eq!(scopes(&w.jo.id).len(), 2);
    }

    #[tokio::test]
    async fn syncing_before_connecting_says_what_to_do() {
        let w = world();
        let err = w.app.sync_now().await.unwrap_err();
        assert_eq!(err.code(), "conflict");
        let status = w.app.sync_status().unwrap();
        assert!(!status.connected);
        assert!(!status.syncing);
        assert_eq!(status.last_error.as_deref(), Some("conflict"));
        assert!(status.pending > 0, "what was made offline waits");
    }

    #[tokio::test]
    async fn a_server_that_cannot_be_reached_leaves_everything_queued() {
        let w = world();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        w.app
            .store()
            .sync_write(|tx, _| {
                state::save_account(
                    tx,
                    &Account {
                        server_url: format!("http://127.0.0.1:{port}/"),
                        device_token: "t".into(),
                        device_id: "d".into(),
                        person_id: w.sam.id.clone(),
                        connected_at: w.app.now(),
                        last_synced: None,
                    },
                )
            })
            .unwrap();
        w.app.set_sync_retry(RetryPolicy {
            attempts: 2,
            base_delay: std::time::Duration::from_millis(1),
            ..RetryPolicy::default()
        });
        let before = w.app.pending_count().unwrap();
        assert_eq!(w.app.sync_now().await.unwrap_err(), Error::Offline);
        let status = w.app.sync_status().unwrap();
        assert_eq!(status.pending, before);
        assert_eq!(status.last_error.as_deref(), Some("offline"));
        assert!(status.connected);
        assert_eq!(status.last_synced, None);
    }
}
