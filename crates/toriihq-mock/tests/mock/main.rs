//! The mock's own tests, one binary (one link instead of five).

mod behaviour;
mod binary;
mod common;
mod conformance;
mod file_schema;
mod files;
mod in_process;
mod scim_rules;
