//! An access review: every app with its users (who, their status in the app, when they last used it), to CSV.
//!
//! usage: cargo run -p toriihq --example access_review -- [OUTPUT_CSV]

use std::io::Write;

use futures::TryStreamExt;
use toriihq::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let output = std::env::args().nth(1).unwrap_or_else(|| "access-review.csv".into());
    let client = Client::from_env()?;
    let mut sink = std::io::BufWriter::new(std::fs::File::create(&output)?);
    writeln!(sink, "app,email,status,last_visit,lifecycle")?;
    let mut rows = 0;
    let mut apps = client.get_apps_stream(|request| request.fields("id,name,state").size(1000));
    while let Some(app) = apps.try_next().await? {
        let (Some(id), name) = (app.id, app.name.unwrap_or_default()) else { continue };
        let mut users = client.list_app_users_stream(move |request| request.id_app(id).size(1000));
        while let Some(user) = users.try_next().await? {
            let status = serde_json::to_value(user.status)?;
            let lifecycle = serde_json::to_value(user.lifecycle_status)?;
            writeln!(
                sink,
                "{name},{},{},{},{}",
                user.email.unwrap_or_default(),
                status.as_str().unwrap_or_default(),
                user.last_visit_time.map(|t| t.to_rfc3339()).unwrap_or_default(),
                lifecycle.as_str().unwrap_or_default(),
            )?;
            rows += 1;
        }
    }
    sink.flush()?;
    println!("wrote {rows} app users to {output}");
    Ok(())
}
