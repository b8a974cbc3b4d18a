//! Export the admin audit log to CSV, every page, one row per event.
//!
//! usage: cargo run -p toriihq --example audit_to_csv -- [OUTPUT_CSV]

use std::io::Write;

use futures::TryStreamExt;
use toriihq::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let output = std::env::args().nth(1).unwrap_or_else(|| "audit.csv".into());
    let client = Client::from_env()?;
    let mut sink = std::io::BufWriter::new(std::fs::File::create(&output)?);
    writeln!(sink, "time,email,type,method,path")?;
    let mut events = client.get_audit_stream(|request| request.size(1000));
    let mut rows = 0;
    while let Some(event) = events.try_next().await? {
        let details = event.request_details.unwrap_or_default();
        writeln!(
            sink,
            "{},{},{},{},{}",
            event.creation_time.map(|t| t.to_rfc3339()).unwrap_or_default(),
            event.performed_by_email.unwrap_or_default(),
            event.type_.unwrap_or_default(),
            details.method.unwrap_or_default(),
            details.path.unwrap_or_default(),
        )?;
        rows += 1;
    }
    sink.flush()?;
    println!("wrote {rows} events to {output}");
    Ok(())
}
