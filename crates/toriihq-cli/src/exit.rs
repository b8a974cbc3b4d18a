//! Exit codes, one per kind of failure, so a shell job can branch on what went wrong.

use toriihq::Error;

pub const OK: u8 = 0;
/// An API error without a code of its own (400, 409, 422, a body that does not decode, …).
pub const OTHER: u8 = 1;
pub const BAD_ARGUMENTS: u8 = 2;
pub const AUTH: u8 = 3;
pub const NOT_FOUND: u8 = 4;
pub const RATE_LIMITED: u8 = 5;
pub const SERVER: u8 = 6;
pub const CONNECTION: u8 = 7;
/// A `--from` job that ended with items failed, or left unknown (see the results).
pub const SOME_ITEMS_FAILED: u8 = 8;
/// Ctrl-C, as shells count a SIGINT.
pub const INTERRUPTED: u8 = 130;

/// What `toriihq --help` prints about them.
pub const HELP: &str = "Exit codes:
  0  ok
  1  another API error (400, 409, 422, an answer that does not match the spec)
  2  bad arguments or settings, or a file that breaks its rules; nothing was sent
  3  authentication or permission (401, 403)
  4  not found (404)
  5  rate-limited after the retries (429)
  6  server error after the retries (5xx)
  7  connection failure or timeout
  8  a --from job ended with items failed or unknown (each is in the results)
  130  interrupted (Ctrl-C)";

pub fn code(error: &Error) -> u8 {
    match error.kind() {
        "invalid_argument" | "invalid_file" | "config" => BAD_ARGUMENTS,
        "authentication" | "permission_denied" => AUTH,
        "not_found" => NOT_FOUND,
        "rate_limited" => RATE_LIMITED,
        "server" => SERVER,
        "connection" | "timeout" => CONNECTION,
        "aborted" => INTERRUPTED,
        _ => OTHER,
    }
}
