//! The workflows the packages offer beside the spec's operations: jobs of several calls whose logic lives in the
//! core. Each binding's methods for them are generated from this table (`cargo xtask generate`), and they are
//! called by name like operations (`Client::call("offboard_user", …)`).

#[derive(Debug)]
pub struct WorkflowSpec {
    /// In snake case; bindings spell it their way (`offboardUser`).
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [WorkflowParam],
    pub returns: Returns,
    /// Whether it takes a progress callback (told bytes sent and the total as a file uploads).
    pub progress: bool,
    /// The operations it calls: a spec without them gets no method for it.
    pub needs: &'static [&'static str],
}

#[derive(Debug)]
pub struct WorkflowParam {
    pub name: &'static str,
    pub ty: ParamType,
    pub required: bool,
    pub doc: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamType {
    Text,
    Integer,
    /// A duration in seconds, 0 or more.
    Seconds,
    /// A file: a path, or bytes (which bindings pass beside the JSON arguments).
    File,
    /// A list of the named type (a type of the generated ones, or of the workflows' own schemas).
    ListOf(&'static str),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Returns {
    /// A value of the named type.
    Type(&'static str),
    /// A value of the named type, or nothing when none was found.
    Optional(&'static str),
    /// Raw bytes (a downloaded file), not JSON.
    Bytes,
}

const FILE_TYPES: &str = "attachment, expenseReport, customIntegrationData or plugin";

/// The custom-integration data, a file or users (and licences): what validating and syncing both take.
const CUSTOM_INTEGRATION_FILE: WorkflowParam =
    WorkflowParam { name: "file", ty: ParamType::File, required: false, doc: "The JSON file: a path or its bytes." };
const CUSTOM_INTEGRATION_USERS: WorkflowParam = WorkflowParam {
    name: "users",
    ty: ParamType::ListOf("CustomIntegrationUser"),
    required: false,
    doc: "The users, instead of a file.",
};
const CUSTOM_INTEGRATION_LICENSES: WorkflowParam = WorkflowParam {
    name: "licenses",
    ty: ParamType::ListOf("CustomIntegrationLicense"),
    required: false,
    doc: "The licences, with `users`.",
};

pub const WORKFLOWS: &[WorkflowSpec] = &[
    WorkflowSpec {
        name: "offboard_user",
        summary: "Offboard a user: find them by email and set their lifecycle status to offboarding. A user already \
              offboarding or offboarded is returned as is; an unknown email is a NotFound error naming it",
        params: &[WorkflowParam {
            name: "email",
            ty: ParamType::Text,
            required: true,
            doc: "The user's email (matched without regard to case, additional emails included).",
        }],
        returns: Returns::Type("User"),
        progress: false,
        needs: &["getUsers", "updateUser"],
    },
    WorkflowSpec {
        name: "find_scim_user",
        summary: "Find a Torii user over SCIM by userName or by email (give one): the filter is built and quoted for \
              you (RFC 7644). Torii lists active users only, so a deactivated user is not found",
        params: &[
            WorkflowParam { name: "user_name", ty: ParamType::Text, required: false, doc: "The userName (an email)." },
            WorkflowParam { name: "email", ty: ParamType::Text, required: false, doc: "One of the user's emails." },
        ],
        returns: Returns::Optional("ScimUser"),
        progress: false,
        needs: &["listScimUsers"],
    },
    WorkflowSpec {
        name: "provision_scim_user",
        summary: "Provision a Torii user over SCIM: an active user with this userName is returned as is; otherwise the \
              user is created, or reactivated if they were deactivated (Torii reactivates on POST)",
        params: &[
            WorkflowParam { name: "user_name", ty: ParamType::Text, required: true, doc: "The userName: an email." },
            WorkflowParam { name: "given_name", ty: ParamType::Text, required: false, doc: "The first name." },
            WorkflowParam { name: "family_name", ty: ParamType::Text, required: false, doc: "The last name." },
            WorkflowParam {
                name: "user_type",
                ty: ParamType::Text,
                required: false,
                doc: "A Torii role name, such as Admin or Read Only.",
            },
        ],
        returns: Returns::Type("ScimUser"),
        progress: false,
        needs: &["listScimUsers", "createScimUser"],
    },
    WorkflowSpec {
        name: "deactivate_scim_user",
        summary: "Deactivate a Torii user over SCIM: find them by userName and PATCH active to false; an unknown (or \
              already deactivated) userName is a NotFound error naming it",
        params: &[WorkflowParam { name: "user_name", ty: ParamType::Text, required: true, doc: "The userName." }],
        returns: Returns::Type("ScimUser"),
        progress: false,
        needs: &["listScimUsers", "patchScimUser", "getScimUser"],
    },
    WorkflowSpec {
        name: "upload",
        summary: "Upload a file of any size and return its id: up to 3 MiB in one request, larger ones through a \
              presigned URL (streamed from disk, sent without the Torii key, retried while the URL is valid, a fresh \
              URL once if it expired)",
        params: &[
            WorkflowParam { name: "file", ty: ParamType::File, required: true, doc: "A path, or the bytes." },
            WorkflowParam { name: "file_type", ty: ParamType::Text, required: true, doc: FILE_TYPES },
            WorkflowParam {
                name: "name",
                ty: ParamType::Text,
                required: false,
                doc: "The file name Torii records (default: the path's file name).",
            },
            WorkflowParam {
                name: "content_type",
                ty: ParamType::Text,
                required: false,
                doc: "The content type of a large file's PUT (default: from the name's extension).",
            },
        ],
        returns: Returns::Type("FileId"),
        progress: true,
        needs: &["uploadFile", "getFileUploadUrl", "storeFile"],
    },
    WorkflowSpec {
        name: "download",
        summary: "Download a file's bytes: follows the download's redirect to the file's host without the Torii key",
        params: &[WorkflowParam { name: "id", ty: ParamType::Integer, required: true, doc: "The file's id." }],
        returns: Returns::Bytes,
        progress: false,
        needs: &["downloadFile"],
    },
    WorkflowSpec {
        name: "download_to",
        summary: "Download a file to a path, streamed (memory stays flat), and return its size in bytes: follows the \
              download's redirect to the file's host without the Torii key",
        params: &[
            WorkflowParam { name: "id", ty: ParamType::Integer, required: true, doc: "The file's id." },
            WorkflowParam {
                name: "path",
                ty: ParamType::Text,
                required: true,
                doc: "Where to write it (through `<path>.part`, renamed when complete).",
            },
        ],
        returns: Returns::Type("DownloadedFile"),
        progress: false,
        needs: &["downloadFile"],
    },
    WorkflowSpec {
        name: "validate_custom_integration",
        summary: "Check a custom-integration file (a file, or users and licenses) offline and report every problem \
              with its path; nothing is sent",
        params: &[CUSTOM_INTEGRATION_FILE, CUSTOM_INTEGRATION_USERS, CUSTOM_INTEGRATION_LICENSES],
        returns: Returns::Type("ValidationReport"),
        progress: false,
        needs: &["syncCustomIntegration"],
    },
    WorkflowSpec {
        name: "sync_custom_integration_data",
        summary: "Sync an app account's users and licences in one call: validate (every problem, before any byte is \
              sent), upload (any size) and PUT /services/sync/custom. A sync already running is a SyncInProgress \
              error, unless `wait_seconds` allows waiting for it",
        params: &[
            WorkflowParam {
                name: "id_app_account",
                ty: ParamType::Integer,
                required: true,
                doc: "The custom integration's app account id.",
            },
            CUSTOM_INTEGRATION_FILE,
            CUSTOM_INTEGRATION_USERS,
            CUSTOM_INTEGRATION_LICENSES,
            WorkflowParam {
                name: "wait_seconds",
                ty: ParamType::Seconds,
                required: false,
                doc: "How long to wait, retrying with backoff, while another sync runs (default: no wait).",
            },
        ],
        returns: Returns::Type("CustomIntegrationSyncResult"),
        progress: true,
        needs: &["uploadFile", "getFileUploadUrl", "storeFile", "syncCustomIntegration"],
    },
];
