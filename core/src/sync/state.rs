//! What the sync engine remembers between runs, kept in the device database
//! beside the data it describes: the account this device syncs as, a cursor
//! per scope, the rejected changes a person should see, and held-back values.

use crate::error::{Error, Result};
use crate::hlc::Hlc;
use crate::ids::{OpId, PersonId, ProjectId};
use crate::rules::Scope;
use crate::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

/// The server this device syncs with and who it syncs as.
///
/// The token is kept here so the core can sign requests by itself. On a
/// phone it belongs in Keystore/Keychain: the shell takes it from
/// `connect`'s answer and hands it back with `Equally::set_device_token`
/// (the database file itself may be SQLCipher-encrypted, keyed from there).
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub server_url: String,
    pub device_token: String,
    pub device_id: String,
    pub person_id: PersonId,
    pub connected_at: Timestamp,
    pub last_synced: Option<Timestamp>,
}

impl std::fmt::Debug for Account {
    // The token never reaches a log, even through a stray `{:?}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("device_id", &self.device_id)
            .field("person_id", &self.person_id)
            .finish_non_exhaustive()
    }
}

pub fn account(conn: &Connection) -> Result<Option<Account>> {
    let row = conn
        .prepare_cached(
            "SELECT server_url, device_token, device_id, person_id, connected_at, last_synced
             FROM sync_account WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<i64>>(5)?,
            ))
        })
        .optional()?;
    let Some((server_url, device_token, device_id, person, connected_at, last_synced)) = row else {
        return Ok(None);
    };
    Ok(Some(Account {
        server_url,
        device_token,
        device_id,
        person_id: PersonId::parse(&person)?,
        connected_at: Timestamp(connected_at),
        last_synced: last_synced.map(Timestamp),
    }))
}

pub fn save_account(conn: &Connection, a: &Account) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO sync_account
         (id, server_url, device_token, device_id, person_id, connected_at, last_synced)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            a.server_url,
            a.device_token,
            a.device_id,
            a.person_id.as_str(),
            a.connected_at.0,
            a.last_synced.map(|t| t.0)
        ],
    )?;
    Ok(())
}

pub fn set_last_synced(conn: &Connection, at: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE sync_account SET last_synced = ?1 WHERE id = 1",
        [at.0],
    )?;
    Ok(())
}

/// A scope as a cursor key: `organisation`, `project:<id>`, `personal:<id>`.
pub fn scope_key(scope: &Scope) -> String {
    match scope {
        Scope::Organisation => "organisation".into(),
        Scope::Project(p) => format!("project:{p}"),
        Scope::Personal(p) => format!("personal:{p}"),
    }
}

pub fn parse_scope_key(key: &str) -> Result<Scope> {
    match key.split_once(':') {
        None if key == "organisation" => Ok(Scope::Organisation),
        Some(("project", id)) => Ok(Scope::Project(ProjectId::parse(id)?)),
        Some(("personal", id)) => Ok(Scope::Personal(PersonId::parse(id)?)),
        _ => Err(Error::Storage {
            detail: "a sync cursor names an unknown scope".into(),
        }),
    }
}

/// The last sequence number applied in `scope`, 0 before its first pull.
pub fn cursor(conn: &Connection, scope: &Scope) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT cursor FROM sync_cursors WHERE scope = ?1")?
        .query_row([scope_key(scope)], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

pub fn set_cursor(conn: &Connection, scope: &Scope, cursor: i64) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO sync_cursors (scope, cursor) VALUES (?1, ?2)")?
        .execute(params![scope_key(scope), cursor])?;
    Ok(())
}

pub fn forget_cursor(conn: &Connection, scope: &Scope) -> Result<()> {
    conn.execute(
        "DELETE FROM sync_cursors WHERE scope = ?1",
        [scope_key(scope)],
    )?;
    Ok(())
}

/// Every scope this device has pulled, with its cursor.
pub fn cursors(conn: &Connection) -> Result<Vec<(Scope, i64)>> {
    let rows: Vec<(String, i64)> = conn
        .prepare("SELECT scope, cursor FROM sync_cursors ORDER BY scope")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(k, c)| Ok((parse_scope_key(&k)?, c)))
        .collect()
}

/// A change of this person's that the server refused, kept until they have
/// seen it. `message` is the server's reason, in words for the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedOp {
    pub op_id: OpId,
    pub entity: String,
    pub entity_id: String,
    pub code: String,
    pub message: String,
    pub rejected_at: Timestamp,
}

pub fn record_rejection(conn: &Connection, r: &RejectedOp) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_rejections
         (op_id, entity, entity_id, code, message, rejected_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        r.op_id.as_str(),
        r.entity,
        r.entity_id,
        r.code,
        r.message,
        r.rejected_at.0
    ])?;
    Ok(())
}

/// Rejected changes, newest first.
pub fn rejections(conn: &Connection) -> Result<Vec<RejectedOp>> {
    let mut stmt = conn.prepare_cached(
        "SELECT op_id, entity, entity_id, code, message, rejected_at
         FROM sync_rejections ORDER BY rejected_at DESC, op_id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (op_id, entity, entity_id, code, message, at) = row?;
        out.push(RejectedOp {
            op_id: OpId::parse(&op_id)?,
            entity,
            entity_id,
            code,
            message,
            rejected_at: Timestamp(at),
        });
    }
    Ok(out)
}

pub fn dismiss_rejection(conn: &Connection, op_id: &OpId) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM sync_rejections WHERE op_id = ?1",
        [op_id.as_str()],
    )? > 0)
}

/// Keeps a pulled value that could not be applied yet because this device
/// has an unsent edit of the same field; only the newest is kept.
pub fn hold(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    field: &str,
    value: &Value,
    hlc: Hlc,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_held (entity, entity_id, field, value, hlc) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (entity, entity_id, field) DO UPDATE
         SET value = excluded.value, hlc = excluded.hlc WHERE excluded.hlc > sync_held.hlc",
    )?
    .execute(params![
        entity,
        entity_id,
        field,
        serde_json::to_string(value)?,
        hlc.to_string()
    ])?;
    Ok(())
}

/// The held-back values of one entity: field, value, stamp.
pub fn held(conn: &Connection, entity: &str, entity_id: &str) -> Result<Vec<(String, Value, Hlc)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, value, hlc FROM sync_held WHERE entity = ?1 AND entity_id = ?2",
    )?;
    let rows = stmt.query_map([entity, entity_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (field, value, hlc) = row?;
        let Ok(hlc) = hlc.parse() else { continue };
        out.push((field, serde_json::from_str(&value)?, hlc));
    }
    Ok(out)
}

pub fn release_held(conn: &Connection, entity: &str, entity_id: &str, field: &str) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM sync_held WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
    )?
    .execute([entity, entity_id, field])?;
    Ok(())
}

pub fn drop_held(conn: &Connection, entity: &str, entity_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_held WHERE entity = ?1 AND entity_id = ?2")?
        .execute([entity, entity_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_keys_round_trip() {
        let p = ProjectId::new();
        let me = PersonId::new();
        for s in [Scope::Organisation, Scope::Project(p), Scope::Personal(me)] {
            assert_eq!(parse_scope_key(&scope_key(&s)).unwrap(), s);
        }
        assert!(parse_scope_key("elsewhere:1").is_err());
    }

    #[test]
    fn the_token_stays_out_of_debug_output() {
        let a = Account {
            server_url: "https://sync.example".into(),
            device_token: "secret-token".into(),
            device_id: "d1".into(),
            person_id: PersonId::new(),
            connected_at: Timestamp(0),
            last_synced: None,
        };
        assert!(!format!("{a:?}").contains("secret"));
    }
}
