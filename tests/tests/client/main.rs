//! The Rust client's behaviour tests, one binary: each module links the whole client, so one link instead of
//! fifteen keeps the build small and quick.

mod bulk;
mod custom_fields;
mod environment;
mod errors;
mod file_schema;
mod files_and_sync;
mod hostile_servers;
mod logging;
mod network;
mod operations;
mod options;
mod pacing;
mod pagination;
mod paths;
mod raw_response;
mod redirects;
mod request;
mod retries;
mod scenarios;
mod secrets;
mod strict;
mod typed_decoding;
mod upload;
mod workflows;
