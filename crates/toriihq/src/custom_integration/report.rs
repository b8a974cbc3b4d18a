//! What validating a custom-integration file finds: each problem with its path, errors apart from warnings.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One problem: where (`users[3].email`; empty for the whole file) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "the file" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

/// What [`super::validate`] found: errors (Torii would refuse the file) and warnings (it would take it, perhaps not as
/// meant).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}
