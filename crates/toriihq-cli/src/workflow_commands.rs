//! Where the core's workflows sit on the command line. Their flags come from the workflow table
//! ([`toriihq::workflows::table::WORKFLOWS`]); this says only which group and action each takes and which of its
//! parameters are positional.

use toriihq::workflows::table::{WORKFLOWS, WorkflowSpec};
use toriihq_spec::Operation;

pub struct WorkflowCommand {
    pub group: &'static str,
    pub action: &'static str,
    pub workflow: &'static str,
    /// Parameters given in this order without a flag (`toriihq files upload FILE`).
    pub positional: &'static [&'static str],
    /// A parameter's flag when it is not the parameter's name in kebab case (`file_type` → `--type`).
    pub flags: &'static [(&'static str, &'static str)],
}

pub const WORKFLOW_COMMANDS: &[WorkflowCommand] = &[
    WorkflowCommand {
        group: "files",
        action: "upload",
        workflow: "upload",
        positional: &["file"],
        flags: &[("file_type", "type")],
    },
    WorkflowCommand {
        group: "files",
        action: "download",
        workflow: "download_to",
        positional: &["id", "path"],
        flags: &[],
    },
    WorkflowCommand {
        group: "sync",
        action: "custom",
        workflow: "sync_custom_integration_data",
        positional: &["file"],
        flags: &[("id_app_account", "app-account")],
    },
    WorkflowCommand {
        group: "users",
        action: "offboard",
        workflow: "offboard_user",
        positional: &["email"],
        flags: &[],
    },
    WorkflowCommand {
        group: "scim",
        action: "provision",
        workflow: "provision_scim_user",
        positional: &["user_name"],
        flags: &[],
    },
    WorkflowCommand {
        group: "scim",
        action: "deactivate",
        workflow: "deactivate_scim_user",
        positional: &["user_name"],
        flags: &[],
    },
    WorkflowCommand { group: "scim", action: "find", workflow: "find_scim_user", positional: &[], flags: &[] },
];

impl WorkflowCommand {
    pub fn spec(&self) -> Option<&'static WorkflowSpec> {
        WORKFLOWS.iter().find(|w| w.name == self.workflow)
    }

    pub fn flag(&self, param: &str) -> String {
        self.flags
            .iter()
            .find(|(name, _)| *name == param)
            .map_or_else(|| param.replace('_', "-"), |(_, f)| f.to_string())
    }
}

/// The workflow commands whose operations the spec has.
pub fn available(operations: &[Operation]) -> Vec<&'static WorkflowCommand> {
    WORKFLOW_COMMANDS
        .iter()
        .filter(|command| {
            command.spec().is_some_and(|spec| spec.needs.iter().all(|id| operations.iter().any(|op| op.id == *id)))
        })
        .collect()
}
