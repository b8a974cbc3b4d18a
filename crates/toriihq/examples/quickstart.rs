//! The README's quickstart: the jobs IT and security engineers script against Torii. Reads TORII_API_KEY and
//! TORII_BASE_URL (`cargo xtask demo` points them at the local mock).

use futures::TryStreamExt;
use toriihq::{Client, Error, FilePart};

#[tokio::main]
async fn main() -> toriihq::Result<()> {
    let client = Client::from_env()?;
    println!("Torii API at {}", client.base_url());

    // Every managed app, every page; the filter is sent with each page.
    let managed: Vec<_> = client.get_apps_stream(|request| request.state("state 2").size(100)).try_collect().await?;
    println!("{} apps in state \"state 2\"", managed.len());

    // One page, with paging keys.
    let page = client.get_users().size(5).send().await?;
    println!(
        "first {} of {} users; next cursor {:?}",
        page.data.len(),
        page.total.unwrap_or_default(),
        page.next_cursor
    );

    // A contract: read it, rename it, read it back.
    let contract = client.get_contract().id_contract("1").send().await?;
    println!("contract 1 is {:?}", contract.name);
    let renamed =
        client.update_contract().id_contract("1").body_map(|b| b.name("Renewal 2027".to_string())).send().await?;
    println!("contract 1 is now {:?}", renamed.name);

    // Offboarding through SCIM: find the user, deactivate them.
    let user = client.list_scim_users().filter("userName eq \"user1@example.com\"").send().await?;
    if let Some(found) = user.resources.first().and_then(|u| u.id.clone()) {
        let patch = serde_json::json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": false}]
        });
        let patched = client
            .patch_scim_user()
            .id_user(found.clone())
            .body(serde_json::from_value::<toriihq::types::PatchScimUserBody>(patch).expect("a valid patch"))
            .send()
            .await?;
        println!("SCIM user {found} active: {:?}", patched.active);
    }

    // The latest audit entries.
    let audit = client.get_audit().size(3).send().await?;
    println!("{} audit entries on the first page", audit.data.len());

    // Upload a small file (checked against the 3 MiB limit before sending), then sync a custom integration.
    let upload = client.upload_file().file(FilePart::bytes("users.json", br#"{"users":[]}"#.to_vec())).send().await?;
    println!("uploaded file {:?}", upload.id);
    let sync = client.sync_custom_integration().body_map(|b| b.app_name("Payroll".to_string())).send().await?;
    println!("custom integration sync: {:?}", sync.status);

    // Typed errors: a contract that does not exist.
    match client.get_contract().id_contract("999999").send().await {
        Err(Error::NotFound(response)) => println!("contract 999999: not found ({})", response.status),
        other => println!("contract 999999: unexpected {other:?}"),
    }
    Ok(())
}
