//! The outbox: every local change, in the order it was made, waiting to be
//! pushed. An entry is written in the same transaction as the change itself,
//! so a change can never be stored without being queued, or queued without
//! being stored.

use crate::error::Result;
use crate::ids::{OpId, PersonId};
pub use equally_rules::wire::{Op, OpAction};
use rusqlite::Connection;

pub fn append(conn: &Connection, op: &Op) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox (op_id, entity, entity_id, action, fields, hlc, author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        op.op_id.as_str(),
        op.entity,
        op.entity_id,
        op.action.as_str(),
        serde_json::to_string(&op.fields)?,
        op.hlc.to_string(),
        op.author.as_str(),
    ])?;
    Ok(())
}

/// The oldest `limit` pending ops, oldest first.
pub fn pending(conn: &Connection, limit: usize) -> Result<Vec<Op>> {
    let mut stmt = conn.prepare_cached(
        "SELECT op_id, entity, entity_id, action, fields, hlc, author FROM outbox ORDER BY seq LIMIT ?1",
    )?;
    read_ops(stmt.query([limit as i64])?)
}

/// The pending ops of one entity, oldest first: what the sync engine
/// replays over the server's state when one of them is rejected.
pub fn pending_for(conn: &Connection, entity: &str, entity_id: &str) -> Result<Vec<Op>> {
    let mut stmt = conn.prepare_cached(
        "SELECT op_id, entity, entity_id, action, fields, hlc, author FROM outbox
         WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq",
    )?;
    read_ops(stmt.query([entity, entity_id])?)
}

fn read_ops(rows: rusqlite::Rows<'_>) -> Result<Vec<Op>> {
    let rows = rows.mapped(|r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    });
    let mut ops = Vec::new();
    for row in rows {
        let (op_id, entity, entity_id, action, fields, hlc, author) = row?;
        let bad = || crate::Error::Storage {
            detail: "an outbox entry is unreadable".into(),
        };
        ops.push(Op {
            op_id: OpId::parse(&op_id)?,
            entity,
            entity_id,
            action: OpAction::parse(&action).ok_or_else(bad)?,
            fields: serde_json::from_str(&fields)?,
            hlc: hlc.parse().map_err(|_| bad())?,
            author: PersonId::parse(&author)?,
        });
    }
    Ok(ops)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))?)
}
