//! Sync between devices and the server: the protocol's messages (`wire`),
//! shared with the server, and the device's sync engine (`engine`), which
//! talks through `transport`, applies answers with `apply` and remembers
//! its place in `state`.

pub mod apply;
pub mod engine;
pub mod state;
pub mod transport;
pub use equally_rules::wire;

#[cfg(test)]
mod convergence;
