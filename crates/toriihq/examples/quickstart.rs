//! The README's quickstart: the jobs IT and security engineers script against Torii. Reads TORII_API_KEY and
//! TORII_BASE_URL (`cargo xtask demo` points them at the local mock).

use futures::TryStreamExt;
use serde_json::json;
use std::time::Duration;
use toriihq::types::{self, UpdateContract};

use toriihq::custom_integration::{CustomIntegrationFile, CustomIntegrationLicense, CustomIntegrationUser};
use toriihq::{Client, Error, FilePart, Upload};

#[tokio::main]
async fn main() -> toriihq::Result<()> {
    let client = Client::from_env()?;
    println!("Torii API at {}", client.base_url());

    // Every app, every page (1,000 at a time), with the owner asked for.
    let apps: Vec<types::App> =
        client.get_apps_stream(|request| request.fields("id,name,state,primaryOwner").size(1000)).try_collect().await?;
    println!("{} apps; the first is {:?}", apps.len(), apps.first().and_then(|a| a.name.as_deref()));

    // Any field is a filter (`state=Discovered`, custom fields too): by name, undeclared filters go under
    // extra_query. Shadow IT: the apps Torii discovered that nobody manages yet.
    let discovered: Vec<serde_json::Value> = client
        .call_stream("getApps", json!({"size": 1000, "extra_query": {"state": "Discovered"}}))
        .try_collect()
        .await?;
    println!("{} apps discovered, not yet managed", discovered.len());

    // One page of users, with the paging keys.
    let page = client.get_users().size(5).send().await?;
    let users = page.users.map(|u| u.0).unwrap_or_default();
    println!("first {} of {} users; next cursor {:?}", users.len(), page.total.unwrap_or_default(), page.next_cursor);

    // Offboarding: mark a leaver as offboarding, then list the apps they still have.
    if let Some(leaver) = users.first().and_then(|u| u.id) {
        let offboarding = types::EditableUser { lifecycle_status: types::EditableUserLifecycleStatus::Offboarding };
        let updated = client.update_user().id_user(leaver).body(offboarding).send().await?;
        println!("user {leaver} is now {:?}", updated.user.and_then(|u| u.lifecycle_status));
        let their_apps = client.list_user_apps().id_user(leaver).send().await?;
        println!("user {leaver} has {} apps", their_apps.apps.map(|a| a.0.len()).unwrap_or_default());
    }

    // A contract: read it, rename it (any contract field goes by its system key).
    let contract = client.get_contract().id_contract(1).send().await?;
    println!("contract 1 is {:?}", contract.contract.and_then(|c| c.name));
    let rename: UpdateContract = serde_json::from_value(json!({"name": "Renewal 2027"})).expect("a contract update");
    let renamed = client.update_contract().id_contract(1).body(rename).send().await?;
    println!("contract 1 is now {:?}", renamed.contract.and_then(|c| c.name));

    // Deprovisioning through SCIM: find the user by userName, deactivate them.
    let found = client.list_scim_users().filter("userName eq \"user1@example.com\"").send().await?;
    let scim_id = found.resources.and_then(|r| r.0.into_iter().next()).and_then(|u| u.id);
    if let Some(scim_id) = scim_id.and_then(|id| id.parse::<i64>().ok()) {
        let patch = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": false}]
        });
        let patch: types::ScimPatchRequest = serde_json::from_value(patch).expect("a valid patch");
        client.patch_scim_user().id_user(scim_id).body(patch).send().await?;
        let after = client.get_scim_user().id_user(scim_id).send().await?;
        println!("SCIM user {scim_id} active: {:?}", after.active);
    }

    // The latest audit entries.
    let audit = client.get_audit().size(3).send().await?;
    println!("{} audit entries on the first page", audit.audit.map(|a| a.0.len()).unwrap_or_default());

    // Push an app's users and licences into Torii: validated first (every problem, with its path), uploaded (any
    // size), synced; a sync already running is waited for, up to 30 s.
    let ada =
        CustomIntegrationUser { email: "ada@example.com".into(), roles: vec!["Admin".into()], ..Default::default() };
    let pro = CustomIntegrationLicense { name: "Pro".into(), price_per_user: Some(3520), ..Default::default() };
    let data = CustomIntegrationFile { users: vec![ada], licenses: vec![pro] };
    let synced = client.sync_custom_integration_data(1, data, Some(Duration::from_secs(30))).await?;
    println!("custom integration sync: {} (file {})", synced.success, synced.id_file);

    // A file of any size: over 3 MiB it goes through a presigned URL, streamed, without the Torii key.
    let report = FilePart::bytes("expenses.csv", vec![b'x'; 4 * 1024 * 1024]);
    let job = Upload::new(report, "expenseReport").on_progress(|sent, total| {
        if sent == total {
            println!("uploaded {sent} of {total} bytes");
        }
    });
    let id = client.upload(job).await?;
    println!("file {id} holds {} bytes", client.download(id).await?.len());

    // Typed errors: a contract that does not exist.
    match client.get_contract().id_contract(999_999).send().await {
        Err(Error::NotFound(response)) => println!("contract 999999: not found ({})", response.status),
        other => println!("contract 999999: unexpected {other:?}"),
    }
    Ok(())
}
