//! Offboard everyone in a CSV of leavers (a column `email`), and write what happened to each.
//!
//! usage: cargo run -p toriihq --example offboard_leavers -- [LEAVERS_CSV] [RESULTS_CSV]

use std::io::Write;

use toriihq::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let leavers = args.next().unwrap_or_else(|| "examples/data/leavers.csv".into());
    let results = args.next().unwrap_or_else(|| "offboarded.csv".into());
    let client = Client::from_env()?; // TORII_API_KEY, TORII_BASE_URL
    let text = std::fs::read_to_string(&leavers)?;
    let mut lines = text.lines();
    let column =
        lines.next().unwrap_or_default().split(',').position(|name| name == "email").ok_or("no email column")?;
    let mut report = std::fs::File::create(&results)?;
    writeln!(report, "email,outcome,id_user,apps_still_held")?;
    let mut failed = false;
    for line in lines {
        let email = line.split(',').nth(column).unwrap_or_default().trim();
        match client.offboard_user(email).await {
            Ok(user) => {
                let id = user.id.unwrap_or_default();
                let apps = client.list_user_apps().id_user(id).send().await?.apps.map_or(0, |apps| apps.len());
                let status = serde_json::to_value(user.lifecycle_status)?;
                writeln!(report, "{email},{},{id},{apps}", status.as_str().unwrap_or_default())?;
            }
            Err(Error::NotFound(_)) => writeln!(report, "{email},not in Torii,,")?,
            Err(error) => {
                failed = true;
                writeln!(report, "{email},failed: {},,", error.kind())?;
            }
        }
    }
    println!("wrote {results}");
    std::process::exit(i32::from(failed));
}
