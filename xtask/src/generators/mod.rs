//! The generators behind `cargo xtask generate`: the Rust client (`rust`), the Python and Node packages' methods,
//! types, options and error classes, the API reference, and the descriptions the runtime reads.

pub mod call_model;
pub mod errors;
pub mod fixtures;
pub mod node;
pub mod options;
pub mod python;
pub mod reference;
pub mod response_schemas;
pub mod rust;
pub mod surface;
pub mod templates;
pub mod type_model;
pub mod workflows;
