//! Every operation of the spec this crate was generated from, as `cargo xtask generate` described them: what
//! calls by name check arguments against, and what the log names an operation by.

use std::sync::OnceLock;

use toriihq_spec::Operation;

const DESCRIPTION: &str = include_str!("../generated/operations.json");

/// Every operation of the spec this crate was generated from.
pub fn operations() -> &'static [Operation] {
    static OPERATIONS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPERATIONS.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct Description {
            operations: Vec<Operation>,
        }
        serde_json::from_str::<Description>(DESCRIPTION).map(|d| d.operations).unwrap_or_default()
    })
}

/// An operation by its operationId (`getApps`), Rust/Python name (`get_apps`) or Node name.
pub fn operation(name: &str) -> Option<&'static Operation> {
    operations().iter().find(|o| o.id == name || o.snake_name == name || o.camel_name == name)
}
