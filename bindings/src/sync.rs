//! Sync with the charity's server: connect with an invite code, sync now,
//! and the sync screen. Network work runs on the bindings' runtime and
//! never blocks the caller; status changes arrive as "sync_status" notices.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::ids::{OpId, PersonId};
use equally_core::people::PersonKind;
use equally_core::sync::engine::{
    Connected, Invitation, QrPicture, SyncProgress, SyncReport, SyncStatus,
};
use equally_core::sync::state::RejectedOp;
use equally_core::time::Timestamp;

/// What a device learns when it connects. Keep `device_token` in
/// Keystore/Keychain and hand it back with `setDeviceToken`.
#[uniffi::remote(Record)]
pub struct Connected {
    pub person_id: PersonId,
    pub device_id: String,
    pub device_token: String,
}

/// What one `syncNow` did.
#[uniffi::remote(Record)]
pub struct SyncReport {
    pub pushed: u32,
    pub rejected: u32,
    pub pulled: u32,
    pub pages: u32,
    pub refused: u32,
    pub purged_scopes: u32,
    pub finished_at: Timestamp,
}

/// A long pull under way: pages done of an estimate that firms up.
#[uniffi::remote(Record)]
pub struct SyncProgress {
    pub pages_done: u32,
    pub pages_estimated: u32,
}

/// A change the server refused; `message` is its reason in words for the
/// person. It stays on the sync screen until dismissed.
#[uniffi::remote(Record)]
pub struct RejectedOp {
    pub op_id: OpId,
    pub entity: String,
    pub entity_id: String,
    pub code: String,
    pub message: String,
    pub rejected_at: Timestamp,
}

/// Everything the sync screen shows.
#[uniffi::remote(Record)]
pub struct SyncStatus {
    pub connected: bool,
    pub syncing: bool,
    pub last_synced: Option<Timestamp>,
    pub pending: i64,
    pub rejected: Vec<RejectedOp>,
    pub progress: Option<SyncProgress>,
    pub last_error: Option<String>,
}

/// An invite code for someone new, to read out, write down or scan.
#[uniffi::remote(Record)]
pub struct Invitation {
    pub code: String,
    pub person_id: PersonId,
    pub expires_at: Timestamp,
    pub qr: QrPicture,
}

/// A QR code for a screen to draw: `width` squares a side, row by row,
/// `true` for dark; the screen adds the light margin.
#[uniffi::remote(Record)]
pub struct QrPicture {
    pub width: u32,
    pub dark: Vec<bool>,
}

#[uniffi::export]
impl EquallyCore {
    /// Staff invite someone new from their own phone: the server makes a
    /// short, single-use code (and refuses anyone who is not staff).
    pub async fn invite_person(
        &self,
        name: String,
        kind: PersonKind,
    ) -> Result<Invitation, EquallyError> {
        self.run_async(move |core| async move { core.invite_person(&name, kind).await })
            .await
    }

    /// Connects this device to the server at `server_url` with an invite
    /// code from staff; the person's data arrives with the first `syncNow`.
    pub async fn connect(
        &self,
        server_url: String,
        invite_code: String,
    ) -> Result<Connected, EquallyError> {
        // reqwest needs a tokio context: the future runs on our runtime, and
        // the caller only awaits its handle.
        self.run_async(move |core| async move { core.connect(&server_url, &invite_code).await })
            .await
    }

    /// Pushes every unsent change, then pulls everything this person reads.
    /// Safe to call again after any failure: nothing is lost or applied
    /// twice. `Offline` when the server cannot be reached.
    pub async fn sync_now(&self) -> Result<SyncReport, EquallyError> {
        self.run_async(|core| async move { core.sync_now().await })
            .await
    }

    /// The sync screen.
    pub async fn sync_status(&self) -> Result<SyncStatus, EquallyError> {
        self.run(|core| core.sync_status()).await
    }

    /// Takes a refused change off the sync screen once the person saw it.
    pub async fn dismiss_rejected(&self, op_id: OpId) -> Result<(), EquallyError> {
        self.run(move |core| core.dismiss_rejected(&op_id)).await
    }

    /// Hands back the device token kept in Keystore/Keychain.
    pub async fn set_device_token(&self, token: String) -> Result<(), EquallyError> {
        self.run(move |core| core.set_device_token(&token)).await
    }
}
