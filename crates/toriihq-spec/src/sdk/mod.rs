//! What the SDK offers beside the spec's operations, as plain tables both the client crate and the generators
//! read: the error classes, the options of a client or a call, and the workflows. A row added here reaches the
//! Rust crate at once and the Python, Node and CLI surfaces with `cargo xtask generate`.

pub mod errors;
pub mod options;
pub mod workflows;
