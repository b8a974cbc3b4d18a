//! The `toriihq` bin of the npm package: the command line of the Rust crate, not a second one in JavaScript. Node
//! keeps SIGINT (a second handler fights its own), so `bin/toriihq.js` listens for it and calls
//! [`cli_interrupt`].

use std::sync::OnceLock;

use napi_derive::napi;
use tokio::sync::Notify;

fn interrupt() -> &'static Notify {
    static INTERRUPT: OnceLock<Notify> = OnceLock::new();
    INTERRUPT.get_or_init(Notify::new)
}

/// Runs the command line `args` (the program's name first) on a thread of its own and resolves with the exit code.
#[napi]
pub async fn cli_main(args: Vec<String>) -> napi::Result<i32> {
    let run = move || toriihq_cli::main_until(args, interrupt().notified());
    tokio::task::spawn_blocking(run)
        .await
        .map_err(|e| napi::Error::from_reason(format!("toriihq: the command line stopped: {e}")))
}

/// Ends a running command line as Ctrl-C would (exit code 130).
#[napi(catch_unwind)]
pub fn cli_interrupt() {
    interrupt().notify_one();
}
