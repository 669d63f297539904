//! Sync between devices and the server: the protocol's messages (`wire`),
//! shared with the server, and the device's sync engine.

pub mod wire;
