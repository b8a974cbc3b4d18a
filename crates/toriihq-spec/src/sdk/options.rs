//! Every setting of a client or a call, in one table: the core reads options by it, and the Python and Node
//! declarations of the options are generated from it (`cargo xtask generate`).

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

pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "api_key",
        ty: OptionType::Secret,
        per_call: false,
        doc: "The API key; defaults to the TORII_API_KEY environment variable.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "base_url",
        ty: OptionType::Text,
        per_call: false,
        doc: "Defaults to TORII_BASE_URL, then https://api.toriihq.com/v1.0.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "api_version",
        ty: OptionType::Text,
        per_call: false,
        doc: "Sent as X-API-Version unless a call sets its own.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "timeout",
        ty: OptionType::Duration,
        per_call: true,
        doc: "Time allowed for one attempt; default 60 s.",
        per_call_doc: Some("A deadline for this call, retries included (for an iterator: for each page)."),
    },
    OptionSpec {
        name: "connect_timeout",
        ty: OptionType::Duration,
        per_call: false,
        doc: "Time allowed to connect; default 10 s.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "max_retries",
        ty: OptionType::Count,
        per_call: true,
        doc: "Retries after the first attempt; default 2, 0 turns retrying off.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "extra_headers",
        ty: OptionType::Headers,
        per_call: true,
        doc: "Headers sent with every request (never Authorization or Host).",
        per_call_doc: Some("Headers sent with this call's requests, over the client's."),
    },
    OptionSpec {
        name: "max_response_bytes",
        ty: OptionType::Count,
        per_call: false,
        doc: "The largest answer body read from the API, in bytes; default 256 MiB. A longer (or endless) one is a decode error, with memory bounded.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "proxy",
        ty: OptionType::Secret,
        per_call: false,
        doc: "An HTTP(S) proxy for every request (http://user:pass@proxy.corp:3128), hosts in NO_PROXY aside; defaults to HTTPS_PROXY / HTTP_PROXY / ALL_PROXY.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "ca_bundle",
        ty: OptionType::Text,
        per_call: false,
        doc: "A PEM file of CA certificates trusted besides the system's (a TLS-inspecting proxy's); defaults to SSL_CERT_FILE.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "pace_to_rate_limits",
        ty: OptionType::Flag,
        per_call: false,
        doc: "Waits before a request that would break its operation's stated rate limit (N a minute), counted across every client of the process with the same key; off by default.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "log_level",
        ty: OptionType::Choice(&["off", "info", "debug"]),
        per_call: false,
        doc: "One line per attempt at \"info\", headers (secrets masked) and body sizes too at \"debug\"; \"off\" by default, or TORII_LOG.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "strict",
        ty: OptionType::Choice(&["off", "warn", "error"]),
        per_call: false,
        doc: "Checks every answer against the spec's response schema and reports what differs (operation and JSON path): a warning on the log at \"warn\", a SpecDriftError at \"error\"; \"off\" by default, or TORII_STRICT.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "strict_report",
        ty: OptionType::Text,
        per_call: false,
        doc: "A file strict mode appends each report to, one JSON line each, for `cargo xtask drift`; defaults to TORII_STRICT_REPORT.",
        per_call_doc: None,
    },
    OptionSpec {
        name: "allow_insecure_http",
        ty: OptionType::Flag,
        per_call: false,
        doc: "Allows plain http to a host other than loopback (loopback, the mock, is always allowed).",
        per_call_doc: None,
    },
];
