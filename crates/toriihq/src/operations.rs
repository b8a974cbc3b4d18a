//! Every operation of the spec this crate was generated from, as `cargo xtask generate` described them, and the
//! one place a name becomes what it calls: an operation or a workflow, looked up once per call (a paged list once
//! for all its pages), in an index built on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use toriihq_spec::Operation;

use crate::{Error, Result};
use toriihq_spec::sdk::workflows::{Returns, WORKFLOWS, WorkflowSpec};

const DESCRIPTION: &str = include_str!("../generated/operations.json");

/// Every operation of the spec this crate was generated from.
pub fn operations() -> &'static [Operation] {
    static OPERATIONS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPERATIONS.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct Description {
            operations: Vec<Operation>,
        }
        serde_json::from_str::<Description>(DESCRIPTION).map(|d| d.operations).unwrap_or_default()
    })
}

/// What a name calls: one operation of the spec, or one workflow of the core.
#[derive(Clone, Copy, Debug)]
pub enum Callable {
    Operation(&'static Operation),
    Workflow(&'static WorkflowSpec),
}

impl Callable {
    /// The operation or workflow named `name`: an operationId (`getApps`), its snake-case (`get_apps`) or
    /// camel-case spelling, or a workflow's name in snake or camel case (`offboard_user`, `offboardUser`).
    /// `cargo xtask generate` refuses a spec where a workflow and an operation share a spelling, so whichever is
    /// found is the only one.
    pub fn resolve(name: &str) -> Result<Callable> {
        index()
            .get(name)
            .copied()
            .ok_or_else(|| Error::invalid_argument("operation", format!("no operation named `{name}`")))
    }

    /// Whether its answer is raw bytes (a download, or an operation that redirects to a file's bytes), not JSON.
    pub fn answers_bytes(&self) -> bool {
        match self {
            Callable::Operation(op) => op.answers_with_redirect(),
            Callable::Workflow(workflow) => workflow.returns == Returns::Bytes,
        }
    }

    /// The operation of the spec named `name`, where a workflow cannot stand in: a workflow's name is an invalid
    /// argument, `why` saying what only an operation has.
    pub fn operation(name: &str, why: &str) -> Result<&'static Operation> {
        match Callable::resolve(name)? {
            Callable::Operation(op) => Ok(op),
            Callable::Workflow(_) => {
                Err(Error::invalid_argument("operation", format!("{name} is a workflow of several requests; {why}")))
            }
        }
    }
}

/// An operation by its operationId (`getApps`), Rust/Python name (`get_apps`) or Node name.
pub fn operation(name: &str) -> Option<&'static Operation> {
    match index().get(name) {
        Some(Callable::Operation(op)) => Some(op),
        _ => None,
    }
}

/// Every spelling of every callable name. Built once: a by-name call asks it once, where it used to scan the
/// operations several times per request.
fn index() -> &'static HashMap<String, Callable> {
    static INDEX: OnceLock<HashMap<String, Callable>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = HashMap::new();
        for op in operations() {
            for name in [&op.id, &op.snake_name, &op.camel_name] {
                index.insert(name.clone(), Callable::Operation(op));
            }
        }
        for workflow in WORKFLOWS {
            for name in [workflow.name.to_string(), camel_case(workflow.name)] {
                index.insert(name, Callable::Workflow(workflow));
            }
        }
        index
    })
}

/// `offboard_user` as `offboardUser`.
pub(crate) fn camel_case(snake: &str) -> String {
    let mut camel = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                camel.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => camel.push(c),
        }
    }
    camel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_resolves_to_its_one_callable() {
        for op in operations() {
            for name in [&op.id, &op.snake_name, &op.camel_name] {
                assert!(
                    matches!(Callable::resolve(name), Ok(Callable::Operation(found)) if found.id == op.id),
                    "{name}"
                );
            }
        }
        for workflow in WORKFLOWS {
            for name in [workflow.name.to_string(), camel_case(workflow.name)] {
                let found = Callable::resolve(&name);
                assert!(matches!(found, Ok(Callable::Workflow(w)) if w.name == workflow.name), "{name}");
            }
        }
        assert!(Callable::resolve("noSuchThing").is_err());
        assert!(Callable::operation("offboardUser", "").is_err(), "a workflow is not an operation");
    }

    /// The generator refuses a spec where this would fail; this says so for the spec the crate was built from.
    #[test]
    fn no_workflow_shares_a_spelling_with_an_operation() {
        for workflow in WORKFLOWS {
            for name in [workflow.name.to_string(), camel_case(workflow.name)] {
                let clash = operations().iter().find(|op| [&op.id, &op.snake_name, &op.camel_name].contains(&&name));
                assert!(clash.is_none(), "the workflow {name} is spelled like an operation");
            }
        }
    }
}
