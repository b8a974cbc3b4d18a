//! The typed peer: structs a careful user would write by hand for the answers the bench reads, with no map for
//! custom fields (undeclared keys are skipped) — the floor for decoding into types with serde. Fields are decoded,
//! not read: decoding is what is measured.
#![allow(dead_code)]

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsersPage {
    pub users: Vec<User>,
    pub next_cursor: Option<String>,
    pub count: Option<i64>,
    pub total: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: i64,
    pub id_org: Option<f64>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub creation_time: Option<String>,
    pub id_role: Option<f64>,
    pub role: Option<String>,
    pub lifecycle_status: Option<String>,
    pub is_deleted_in_identity_sources: Option<bool>,
    pub is_external: Option<bool>,
    pub active_apps_count: Option<i64>,
    pub additional_emails: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppsPage {
    pub apps: Vec<App>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct App {
    pub id: i64,
    pub name: Option<String>,
    pub is_hidden: Option<bool>,
    pub state: Option<String>,
    pub url: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
    pub tags: Option<String>,
    pub primary_owner: Option<Owner>,
    pub licenses: Option<Licenses>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    pub id: Option<i64>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub photo_url: Option<String>,
    pub lifecycle_status: Option<String>,
    pub is_deleted_in_identity_sources: Option<bool>,
    pub status: Option<String>,
}

#[derive(Deserialize)]
pub struct Licenses {
    pub summary: Option<Amounts>,
    pub types: Option<Vec<LicenseType>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Amounts {
    pub total_amount: Option<i64>,
    pub active_amount: Option<i64>,
    pub inactive_amount: Option<i64>,
    pub unassigned_amount: Option<i64>,
    pub price_per_license: Option<Money>,
    pub annual_cost: Option<Money>,
    pub potential_savings: Option<Money>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseType {
    pub name: Option<String>,
    pub total_amount: Option<i64>,
    pub active_amount: Option<i64>,
    pub inactive_amount: Option<i64>,
    pub unassigned_amount: Option<i64>,
    pub price_per_license: Option<Money>,
    pub annual_cost: Option<Money>,
    pub potential_savings: Option<Money>,
    pub price_per_license_in_org_currency: Option<Money>,
    pub annual_cost_in_org_currency: Option<Money>,
    pub potential_savings_in_org_currency: Option<Money>,
}

#[derive(Deserialize)]
pub struct Money {
    pub value: Option<f64>,
    pub currency: Option<String>,
}

#[derive(Deserialize)]
pub struct ContractAnswer {
    pub contract: Contract,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    pub id: i64,
    pub name: Option<String>,
    pub id_app: Option<i64>,
    pub status: Option<String>,
}
