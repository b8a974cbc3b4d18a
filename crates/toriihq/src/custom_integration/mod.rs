//! The custom-integration file (Torii's help article on custom integrations, and the facts' §2.13): its types with
//! Torii's exact field names, the rules it must keep, and the JSON Schema every package ships.
//!
//! [`validate`] reads a file as a stream, one user or licence at a time, and reports **every** problem with its
//! path (`users[3].email: missing`), so a 200,000-user file is checked without building it in memory.

mod report;
mod rules;
mod stream;
mod validate;

use serde::{Deserialize, Serialize};

pub use report::{Problem, Report};
pub use validate::{validate, validate_file, validate_reader};

/// The file's JSON Schema (draft 2020-12): the structural rules. Uniqueness and the cross-reference between
/// licence users and users are beyond JSON Schema; [`validate`] checks them too.
pub const SCHEMA: &str = include_str!("../../generated/custom-integration.schema.json");

/// The file a custom-integration sync reads: every user of the application (syncs are not incremental) and,
/// optionally, its licences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomIntegrationFile {
    pub users: Vec<CustomIntegrationUser>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<CustomIntegrationLicense>,
}

/// A user of the application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomIntegrationUser {
    /// The user's identifier in the application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Unique in the file, without regard to case.
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Only active users show as users of the application; Torii's default is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    /// The status as the application shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_status: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// An ISO 8601 date (`2021-07-05`) or date-time (`2021-07-05T20:43:14Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    Active,
    Deleted,
}

/// A licence of the application.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomIntegrationLicense {
    /// Unique in the file.
    pub name: String,
    /// How many licences no user holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unassigned_amount: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<CustomIntegrationLicenseUser>,
    /// In cents: $35.20 is 3520.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_per_user: Option<u64>,
}

/// A user holding a licence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomIntegrationLicenseUser {
    pub email: String,
    /// When absent, the user's status decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_status: Option<LicenseStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LicenseStatus {
    Active,
    Inactive,
    Deleted,
}

impl CustomIntegrationFile {
    /// The file as JSON, ready to upload.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}
