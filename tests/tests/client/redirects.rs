//! Redirects never carry the key off the API's origin. For any spelling of another origin a `Location` can use
//! (scheme-relative, backslashes, userinfo, other names and numeric forms of the same address, upper-case schemes),
//! an operation whose answer is not a documented redirect does not follow it at all, and the download that is one
//! follows it without the key.

use proptest::prelude::*;
use toriihq_tests::RecordingServer;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128)
}

/// A `Location` naming the other server (`port`) some way a URL parser accepts, then any path.
fn location(port: u16) -> impl Strategy<Value = String> {
    let origin = prop_oneof![
        Just(format!("http://127.0.0.1:{port}")),
        Just(format!("HTTP://127.0.0.1:{port}")),
        Just(format!("//127.0.0.1:{port}")),
        Just(format!("/\\127.0.0.1:{port}")),
        Just(format!("\\\\127.0.0.1:{port}")),
        Just(format!("http://user:password@127.0.0.1:{port}")),
        Just(format!("http://localhost:{port}")),
        Just(format!("http://127.1:{port}")),
        Just(format!("http://0x7f.0.0.1:{port}")),
        Just(format!("http://2130706433:{port}")),
        Just(format!("http:127.0.0.1:{port}")),
        Just(format!(" http://127.0.0.1:{port}")),
    ];
    let path = prop::collection::vec(prop_oneof![Just("/".to_string()), Just("..".to_string()), "[a-z%.]{0,4}"], 0..4)
        .prop_map(|parts| parts.concat());
    (origin, path).prop_map(|(origin, path)| format!("{origin}/{path}"))
}

/// The API and the other origin, on a runtime of their own that outlives every case.
struct Servers {
    runtime: tokio::runtime::Runtime,
    api: RecordingServer,
    elsewhere: RecordingServer,
}

fn servers() -> &'static Servers {
    static SERVERS: std::sync::OnceLock<Servers> = std::sync::OnceLock::new();
    SERVERS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let (api, elsewhere) =
            runtime.block_on(async { (RecordingServer::start().await, RecordingServer::start().await) });
        Servers { runtime, api, elsewhere }
    })
}

fn elsewhere_port() -> u16 {
    servers().elsewhere.url.rsplit(':').next().and_then(|port| port.parse().ok()).expect("a port")
}

const KEY: &str = "redirect-test-key-SECRET";

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_key_never_follows_a_redirect_to_another_origin(target in location(elsewhere_port())) {
        let Servers { runtime, api, elsewhere } = servers();
        runtime.block_on(async {
            api.answer_with(format!("HTTP/1.1 302 Found\r\nlocation: {target}\r\ncontent-length: 0\r\n\r\n"));
            let client = toriihq::Client::builder().api_key(KEY).base_url(&api.url).max_retries(0).build().unwrap();
            let _ = client.get_contract().id_contract(1).send().await;
            let _ = client.call_raw("getContract", &serde_json::json!({"idContract": 1})).await;
            assert!(elsewhere.take_heads().is_empty(), "an operation that does not redirect followed {target:?}");
            let _ = client.download_file().id(1).send().await;
            let _ = client.call_raw("downloadFile", &serde_json::json!({"id": 1})).await;
            let _ = client.download(1).await;
            for head in elsewhere.take_heads() {
                let lower = head.to_ascii_lowercase();
                assert!(!lower.contains("authorization") && !head.contains(KEY), "the key followed {target:?}:\n{head}");
            }
            for head in api.take_heads() {
                assert!(head.contains(&format!("Bearer {KEY}")), "a request to the API lacked the key:\n{head}");
            }
        });
    }
}

#[tokio::test]
async fn the_documented_redirect_is_followed_there_without_the_key() {
    let (api, elsewhere) = (RecordingServer::start().await, RecordingServer::start().await);
    let location = format!("{}/bucket/file?X-Signature=abc", elsewhere.url);
    api.answer_with(format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n"));
    let client = toriihq::Client::builder().api_key(KEY).base_url(&api.url).max_retries(0).build().unwrap();
    let bytes = client.call_raw("downloadFile", &serde_json::json!({"id": 1})).await.unwrap();
    assert_eq!(&bytes[..], b"{}");
    client.download_file().id(1).send().await.unwrap();
    assert_eq!(&client.download(1).await.unwrap()[..], b"{}");
    let followed = elsewhere.take_heads();
    assert_eq!(followed.len(), 3, "{followed:?}");
    for head in &followed {
        assert!(head.starts_with("GET /bucket/file?X-Signature=abc HTTP/1.1"), "{head}");
        assert!(!head.to_ascii_lowercase().contains("authorization"), "{head}");
    }
    assert_eq!(api.take_heads().len(), 3);
}
