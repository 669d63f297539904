//! Equally's sync server: devices push the ops they made offline and pull
//! what changed in the scopes they may see. Every op is checked with the
//! core's own rules (`registry::check_op`); the server adds only what a
//! server alone can: identity, ordering, last-writer-wins and routing.

pub mod admin;
pub mod duties;
pub mod facts;
pub mod http;
pub mod identity;
pub mod metrics;
pub mod storage;
pub mod sync;

pub use http::{AppState, ServerConfig, router, serve};
