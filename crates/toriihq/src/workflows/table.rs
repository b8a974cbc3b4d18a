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

pub const WORKFLOWS: &[WorkflowSpec] = &[WorkflowSpec {
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
    needs: &["getUsers", "updateUser"],
}];
