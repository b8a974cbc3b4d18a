//! The workflows the packages offer beside the spec's operations: jobs of several calls whose logic lives in the
//! core. Each binding's methods for them are generated from this table (`cargo xtask generate`), and they are
//! called by name like operations (`Client::call("offboard_user", …)`).
//!
//! Plain data with no imports: the generator reads this same file (it cannot depend on the crate it writes).

pub struct WorkflowSpec {
    /// In snake case; bindings spell it their way (`offboardUser`).
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [WorkflowParam],
    /// The schema of what it returns, by its name in the generated types.
    pub returns: &'static str,
    /// Whether it may find nothing (`None` / `null`) instead of returning one.
    pub returns_optional: bool,
    /// The operations it calls: a spec without them gets no method for it.
    pub needs: &'static [&'static str],
}

pub struct WorkflowParam {
    pub name: &'static str,
    pub ty: ParamType,
    pub required: bool,
    pub doc: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamType {
    Text,
}

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
        returns: "User",
        returns_optional: false,
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
        returns: "ScimUser",
        returns_optional: true,
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
        returns: "ScimUser",
        returns_optional: false,
        needs: &["listScimUsers", "createScimUser"],
    },
    WorkflowSpec {
        name: "deactivate_scim_user",
        summary: "Deactivate a Torii user over SCIM: find them by userName and PATCH active to false; an unknown (or \
              already deactivated) userName is a NotFound error naming it",
        params: &[WorkflowParam { name: "user_name", ty: ParamType::Text, required: true, doc: "The userName." }],
        returns: "ScimUser",
        returns_optional: false,
        needs: &["listScimUsers", "patchScimUser", "getScimUser"],
    },
];
