//! Every error class the packages raise, in one table: the Python and Node classes, their declarations and the
//! kind-to-class maps of the tests are generated from it (`cargo xtask generate`). `toriihq::Error::class_name`
//! picks a row for each variant.

/// One class of the hierarchy. Rows come parents first.
pub struct ErrorClass {
    pub name: &'static str,
    pub parent: Option<&'static str>,
    /// The `kind` its instances report; `None` for classes only ever raised through a subclass.
    pub kind: Option<&'static str>,
    /// The language's own error it also is (Python: a second base; JavaScript: the base, as classes have one).
    pub builtin: Option<Builtin>,
    pub doc: &'static str,
    /// What this class adds to its parent's fields.
    pub fields: &'static [DetailField],
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Builtin {
    /// Python `TypeError`, JavaScript `TypeError`.
    Type,
    /// Python `ValueError`, JavaScript `RangeError`.
    Value,
}

/// A field of the detail record (`toriihq::ErrorDetail`) that a class exposes as an attribute.
pub struct DetailField {
    /// The key in the detail record.
    pub key: &'static str,
    pub python: &'static str,
    pub node: &'static str,
    pub ty: FieldType,
    pub doc: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FieldType {
    /// An HTTP status; 0 when unknown.
    Status,
    /// Any JSON value, `null` when absent.
    Json,
    /// Header names (lower case) to values.
    Headers,
    /// Seconds, or `null`.
    Seconds,
    /// Text, or `null`.
    Text,
}

const STATUS_FIELDS: &[DetailField] = &[
    DetailField {
        key: "status",
        python: "status_code",
        node: "status",
        ty: FieldType::Status,
        doc: "The HTTP status.",
    },
    DetailField { key: "body", python: "body", node: "body", ty: FieldType::Json, doc: "The answer's JSON body." },
    DetailField {
        key: "headers",
        python: "headers",
        node: "headers",
        ty: FieldType::Headers,
        doc: "The answer's headers, names in lower case.",
    },
];
const RETRY_AFTER: &[DetailField] = &[DetailField {
    key: "retry_after",
    python: "retry_after",
    node: "retryAfter",
    ty: FieldType::Seconds,
    doc: "Seconds the API asked to wait, when it said.",
}];
const ARGUMENT: &[DetailField] = &[DetailField {
    key: "argument",
    python: "argument",
    node: "argument",
    ty: FieldType::Text,
    doc: "The argument at fault, with the JSON path inside a body.",
}];

const PROBLEMS: &[DetailField] = &[DetailField {
    key: "problems",
    python: "problems",
    node: "problems",
    ty: FieldType::Json,
    doc: "Every problem, each `{path, message}` (`users[3].email`, `missing`).",
}];

const DRIFT: &[DetailField] = &[DetailField {
    key: "drift",
    python: "drift",
    node: "drift",
    ty: FieldType::Json,
    doc: "The report: `{operation, method, route, status, differences: [{kind, path, schema, expected, found, count}]}`.",
}];

const fn class(
    name: &'static str,
    parent: &'static str,
    kind: &'static str,
    doc: &'static str,
    fields: &'static [DetailField],
) -> ErrorClass {
    ErrorClass { name, parent: Some(parent), kind: Some(kind), builtin: None, doc, fields }
}

const fn abstract_class(name: &'static str, parent: Option<&'static str>, doc: &'static str) -> ErrorClass {
    ErrorClass { name, parent, kind: None, builtin: None, doc, fields: &[] }
}

const fn argument_class(name: &'static str, builtin: Builtin, doc: &'static str) -> ErrorClass {
    ErrorClass {
        name,
        parent: Some("ToriiError"),
        kind: Some("invalid_argument"),
        builtin: Some(builtin),
        doc,
        fields: ARGUMENT,
    }
}

pub const CATALOGUE: &[ErrorClass] = &[
    abstract_class("ToriiError", None, "Every error toriihq raises."),
    abstract_class("APIError", Some("ToriiError"), "The request was sent and the answer was an error, or never came."),
    class("APIStatusError", "APIError", "unexpected_status", "The API answered with a non-2xx status.", STATUS_FIELDS),
    class("BadRequestError", "APIStatusError", "bad_request", "400.", &[]),
    class(
        "AuthenticationError",
        "APIStatusError",
        "authentication",
        "401: the API key is missing, wrong or expired.",
        &[],
    ),
    class("PermissionDeniedError", "APIStatusError", "permission_denied", "403.", &[]),
    class("NotFoundError", "APIStatusError", "not_found", "404.", &[]),
    class(
        "ConflictError",
        "APIStatusError",
        "conflict",
        "409 (for example a custom-integration sync already running).",
        &[],
    ),
    class(
        "SyncInProgressError",
        "ConflictError",
        "sync_in_progress",
        "409 from a custom-integration sync: another sync is running (only one runs at a time).",
        &[],
    ),
    class("PayloadTooLargeError", "APIStatusError", "payload_too_large", "413.", &[]),
    class("UnprocessableEntityError", "APIStatusError", "unprocessable_entity", "422.", &[]),
    class("RateLimitError", "APIStatusError", "rate_limited", "429 after the retries.", RETRY_AFTER),
    class("InternalServerError", "APIStatusError", "server", "5xx after the retries.", &[]),
    class(
        "APIConnectionError",
        "APIError",
        "connection",
        "The API could not be reached, or the connection broke.",
        &[],
    ),
    class("APITimeoutError", "APIConnectionError", "timeout", "The request timed out (after the retries).", &[]),
    class(
        "APIResponseValidationError",
        "APIError",
        "decode",
        "A 2xx answer whose body is not what the spec describes.",
        &[],
    ),
    class(
        "SpecDriftError",
        "APIResponseValidationError",
        "spec_drift",
        "Strict mode \"error\": a 2xx answer that differs from the operation's response schema (see `drift`).",
        DRIFT,
    ),
    class("APIUserAbortError", "APIError", "aborted", "The caller cancelled the call.", &[]),
    argument_class(
        "InvalidArgumentError",
        Builtin::Value,
        "An argument with a value the spec does not allow; nothing was sent.",
    ),
    argument_class("ArgumentTypeError", Builtin::Type, "An argument of the wrong type; nothing was sent."),
    ErrorClass {
        name: "InvalidFileError",
        parent: Some("ToriiError"),
        kind: Some("invalid_file"),
        builtin: Some(Builtin::Value),
        doc: "A file that breaks its schema (the custom-integration file); nothing was sent.",
        fields: PROBLEMS,
    },
    class(
        "ConfigurationError",
        "ToriiError",
        "config",
        "The client could not be set up (no API key, a bad base URL).",
        &[],
    ),
    class("InternalError", "ToriiError", "internal", "A bug in toriihq; please report it.", &[]),
];
