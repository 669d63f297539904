//! Equally's shared rules: what the phone and the sync server must agree
//! on, written once. Ids, instants and the hybrid clock; the wire protocol;
//! every kind of entity with its `validate` and `authorise`; the registry
//! of kinds; the tallies. No I/O here: no database, no network, no clock
//! read inside a rule (callers pass `now`), no localisation.
//!
//! The device (`equally-core`) and the server (`equally-server`) both
//! depend on this crate, and on nothing of each other's.

pub mod actions;
pub mod contributions;
pub mod decisions;
pub mod duties;
pub mod entity;
pub mod error;
pub mod hlc;
pub mod ids;
pub mod meetings;
pub mod offers;
pub mod people;
pub mod projects;
pub mod registry;
pub mod reviews;
pub mod risks;
pub mod statements;
pub mod text;
pub mod time;
pub mod updates;
pub mod wire;

pub use error::{Error, Result};
