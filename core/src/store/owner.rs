//! Whose phone this is, as the database keeps it (table `this_phone`, one
//! row at most), and the check every local write passes: that its author
//! is the phone's own person. The phone's methods are in `crate::phone`.

use crate::error::{Error, Result};
use crate::ids::PersonId;
use crate::time::Timestamp;
use rusqlite::{Connection, OptionalExtension};

/// How this phone came to be someone's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneStart {
    /// They started their own group on it, with no server.
    Offline,
    /// They joined the charity's server with an invite code.
    Joined,
}

impl PhoneStart {
    fn as_str(self) -> &'static str {
        match self {
            PhoneStart::Offline => "offline",
            PhoneStart::Joined => "joined",
        }
    }
}

/// The person this phone belongs to, and since when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThisPhone {
    pub person_id: PersonId,
    pub started: PhoneStart,
    pub since: Timestamp,
}

pub(crate) fn this_phone(conn: &Connection) -> Result<Option<ThisPhone>> {
    let row = conn
        .prepare_cached("SELECT person_id, started, since FROM this_phone WHERE id = 1")?
        .query_row([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .optional()?;
    let Some((person, started, since)) = row else {
        return Ok(None);
    };
    Ok(Some(ThisPhone {
        person_id: PersonId::parse(&person)?,
        started: match started.as_str() {
            "offline" => PhoneStart::Offline,
            _ => PhoneStart::Joined,
        },
        since: Timestamp(since),
    }))
}

pub(crate) fn set_this_phone(conn: &Connection, phone: &ThisPhone) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO this_phone (id, person_id, started, since) VALUES (1, ?1, ?2, ?3)",
        rusqlite::params![
            phone.person_id.as_str(),
            phone.started.as_str(),
            phone.since.millis()
        ],
    )?;
    Ok(())
}

/// Refuses a change authored by anyone but the phone's own person. A phone
/// nobody has started yet (and the core's own tests, which put several
/// people on one database) has no owner, and this check stands aside.
pub(crate) fn check_author(conn: &Connection, author: &PersonId) -> Result<()> {
    let owner: Option<String> = conn
        .prepare_cached("SELECT person_id FROM this_phone WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    match owner {
        Some(owner) if owner != author.as_str() => Err(Error::not_allowed(
            "this phone acts only for the person it belongs to",
        )),
        _ => Ok(()),
    }
}
