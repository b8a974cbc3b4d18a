//! A nightly custom-integration sync from an HR export: one row per person (email, names, employment, last login,
//! licence) becomes Torii's users and licences, validated first, then uploaded and synced.
//!
//! usage: cargo run -p toriihq --example nightly_sync -- [HR_EXPORT_CSV] [ID_APP_ACCOUNT]

use std::collections::BTreeMap;
use std::time::Duration;

use toriihq::custom_integration::{
    CustomIntegrationFile, CustomIntegrationLicense, CustomIntegrationLicenseUser, CustomIntegrationUser,
    LicenseStatus, UserStatus,
};
use toriihq::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let export = args.next().unwrap_or_else(|| "examples/data/hr-export.csv".into());
    let id_app_account: i64 = args.next().unwrap_or_else(|| "1".into()).parse()?;
    let text = std::fs::read_to_string(&export)?;
    let mut lines = text.lines();
    let names: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let mut file = CustomIntegrationFile::default();
    let mut holders: BTreeMap<String, Vec<CustomIntegrationLicenseUser>> = BTreeMap::new();
    for line in lines {
        let row: BTreeMap<&str, &str> = names.iter().copied().zip(line.split(',')).collect();
        let active = row.get("employment") == Some(&"employed");
        let email = row.get("email").copied().unwrap_or_default().to_string();
        file.users.push(CustomIntegrationUser {
            email: email.clone(),
            first_name: row.get("first_name").map(|s| s.to_string()),
            last_name: row.get("last_name").map(|s| s.to_string()),
            status: Some(if active { UserStatus::Active } else { UserStatus::Deleted }),
            last_used_date: row.get("last_login").filter(|s| !s.is_empty()).map(|s| s.to_string()),
            ..Default::default()
        });
        if let Some(licence) = row.get("licence").filter(|s| !s.is_empty()) {
            let status = if active { LicenseStatus::Active } else { LicenseStatus::Inactive };
            let holder = CustomIntegrationLicenseUser { email, license_status: Some(status), ..Default::default() };
            holders.entry(licence.to_string()).or_default().push(holder);
        }
    }
    file.licenses = holders
        .into_iter()
        .map(|(name, users)| CustomIntegrationLicense { name, users, ..Default::default() })
        .collect();
    let (users, licences) = (file.users.len(), file.licenses.len());
    let client = Client::from_env()?;
    match client.sync_custom_integration_data(id_app_account, file, Some(Duration::from_secs(600))).await {
        Ok(outcome) => {
            println!("synced {users} users and {licences} licences (file {})", outcome.id_file);
            for warning in outcome.warnings {
                println!("warning: {warning}");
            }
            Ok(())
        }
        Err(Error::InvalidFile { problems }) => {
            for problem in problems {
                eprintln!("{problem}");
            }
            std::process::exit(2);
        }
        Err(other) => Err(other.into()),
    }
}
