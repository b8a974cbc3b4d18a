//! Every setting of a client or a call, declared once in [`settings!`]: that gives the typed [`Settings`] the
//! client is built from, and the [`OPTIONS`] table the core reads JSON options by and the Python and Node
//! declarations and the docs are generated from (`cargo xtask generate`). Adding an option is one line and its
//! doc here, then its use where the client is built.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use http::{HeaderName, HeaderValue};

pub struct OptionSpec {
    /// The name in snake case; bindings spell it their way (`apiKey`), a duration also in milliseconds
    /// (`timeoutMs`).
    pub name: &'static str,
    pub ty: OptionType,
    /// Whether a single call may set it too.
    pub per_call: bool,
    pub doc: &'static str,
    /// What a call's value means, when it differs from the client's.
    pub per_call_doc: Option<&'static str>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OptionType {
    /// Text that never appears in output.
    Secret,
    Text,
    /// A positive duration: seconds in `name`, milliseconds in `name` + `_ms`.
    Duration,
    /// A whole number, 0 or more.
    Count,
    /// Header names to text values.
    Headers,
    Flag,
    /// One of these words.
    Choice(&'static [&'static str]),
}

/// A value of one option, checked against its row's type.
#[derive(Clone, Debug)]
pub enum OptionValue {
    /// A secret, a text or one of a choice's words (in lower case).
    Text(String),
    Duration(Duration),
    Count(u64),
    Headers(Vec<(HeaderName, HeaderValue)>),
    Flag(bool),
}

/// Declares the options: `name: Type, client;` for a client's setting, `name: Type, call;` for one a single call
/// may set too, `call => "..."` when a call's value means something else; each with its doc.
macro_rules! settings {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident: $kind:ident $([$($word:literal),+])?, $scope:ident $(=> $call_doc:literal)?;
    )+) => {
        pub const OPTIONS: &[OptionSpec] = &[$(
            OptionSpec {
                name: stringify!($name),
                ty: settings!(@type $kind $([$($word),+])?),
                per_call: settings!(@per_call $scope),
                doc: concat!($($doc),+).trim_ascii_start(),
                per_call_doc: settings!(@some $($call_doc)?),
            },
        )+];

        /// A client's settings, each `None` until set (the client then uses its default).
        #[derive(Clone, Default)]
        pub struct Settings {
            $($(#[doc = $doc])+ pub $name: Option<settings!(@value $kind)>,)+
        }

        impl Settings {
            /// Sets the option `name` to `value`; gives the value back when no option of that name takes it.
            pub fn set(&mut self, name: &str, value: OptionValue) -> Result<(), OptionValue> {
                match name {
                    $(stringify!($name) => self.$name = Some(settings!(@take $kind value)),)+
                    _ => return Err(value),
                }
                Ok(())
            }

            /// The options that are set, in the table's order.
            pub fn values(&self) -> Vec<(&'static OptionSpec, OptionValue)> {
                let mut values = Vec::new();
                $(if let Some(value) = &self.$name {
                    let spec = OPTIONS.iter().find(|spec| spec.name == stringify!($name));
                    values.extend(spec.map(|spec| (spec, settings!(@give $kind value.clone()))));
                })+
                values
            }
        }

        /// The options that are set; a secret's value is never shown.
        impl fmt::Debug for Settings {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut out = f.debug_struct("Settings");
                $(if let Some(value) = &self.$name {
                    out.field(stringify!($name), settings!(@shown $kind value));
                })+
                out.finish()
            }
        }
    };
    (@type Choice [$($word:literal),+]) => { OptionType::Choice(&[$($word),+]) };
    // A file's path is text to JSON and the bindings, a `PathBuf` to the client (any bytes a path may hold).
    (@type Path) => { OptionType::Text };
    (@type $kind:ident) => { OptionType::$kind };
    (@per_call client) => { false };
    (@per_call call) => { true };
    (@some) => { None };
    (@some $doc:literal) => { Some($doc) };
    (@value Duration) => { Duration };
    (@value Count) => { u64 };
    (@value Headers) => { Vec<(HeaderName, HeaderValue)> };
    (@value Flag) => { bool };
    (@value Path) => { PathBuf };
    (@value $text:ident) => { String };
    (@take Duration $value:ident) => { match $value { OptionValue::Duration(v) => v, other => return Err(other) } };
    (@take Count $value:ident) => { match $value { OptionValue::Count(v) => v, other => return Err(other) } };
    (@take Headers $value:ident) => { match $value { OptionValue::Headers(v) => v, other => return Err(other) } };
    (@take Flag $value:ident) => { match $value { OptionValue::Flag(v) => v, other => return Err(other) } };
    (@take Path $value:ident) => {
        match $value { OptionValue::Text(v) => PathBuf::from(v), other => return Err(other) }
    };
    (@take $text:ident $value:ident) => { match $value { OptionValue::Text(v) => v, other => return Err(other) } };
    (@give Duration $value:expr) => { OptionValue::Duration($value) };
    (@give Count $value:expr) => { OptionValue::Count($value) };
    (@give Headers $value:expr) => { OptionValue::Headers($value) };
    (@give Flag $value:expr) => { OptionValue::Flag($value) };
    (@give Path $value:expr) => { OptionValue::Text($value.to_string_lossy().into_owned()) };
    (@give $text:ident $value:expr) => { OptionValue::Text($value) };
    (@shown Secret $value:ident) => {{
        let _secret = $value;
        &"<redacted>"
    }};
    (@shown $kind:ident $value:ident) => { $value };
}

settings! {
    /// The API key; defaults to the TORII_API_KEY environment variable.
    api_key: Secret, client;
    /// Defaults to TORII_BASE_URL, then https://api.toriihq.com/v1.0.
    base_url: Text, client;
    /// Sent as X-API-Version unless a call sets its own.
    api_version: Text, client;
    /// Time allowed for one attempt; default 60 s.
    timeout: Duration, call => "A deadline for this call, retries included (for an iterator: for each page).";
    /// Time allowed to connect; default 10 s.
    connect_timeout: Duration, client;
    /// Retries after the first attempt; default 2, 0 turns retrying off.
    max_retries: Count, call;
    /// Headers sent with every request (never Authorization or Host).
    extra_headers: Headers, call => "Headers sent with this call's requests, over the client's.";
    /// The largest answer body read from the API, in bytes; default 256 MiB. A longer (or endless) one is a
    /// decode error, with memory bounded.
    max_response_bytes: Count, client;
    /// An HTTP(S) proxy for every request (http://user:pass@proxy.corp:3128), hosts in NO_PROXY aside; defaults
    /// to HTTPS_PROXY / HTTP_PROXY / ALL_PROXY.
    proxy: Secret, client;
    /// A PEM file of CA certificates trusted besides the system's (a TLS-inspecting proxy's); defaults to
    /// SSL_CERT_FILE.
    ca_bundle: Path, client;
    /// Waits before a request that would break its operation's stated rate limit (N a minute), counted across
    /// every client of the process with the same key; off by default.
    pace_to_rate_limits: Flag, client;
    /// One line per attempt at "info", headers (secrets masked) and body sizes too at "debug"; "off" by default,
    /// or TORII_LOG.
    log_level: Choice["off", "info", "debug"], client;
    /// Checks every answer against the spec's response schema and reports what differs (operation and JSON
    /// path): a warning on the log at "warn", a SpecDriftError at "error"; "off" by default, or TORII_STRICT.
    strict: Choice["off", "warn", "error"], client;
    /// A file strict mode appends each report to, one JSON line each, for `cargo xtask drift`; defaults to
    /// TORII_STRICT_REPORT.
    strict_report: Path, client;
    /// Allows plain http to a host other than loopback (loopback, the mock, is always allowed).
    allow_insecure_http: Flag, client;
}
