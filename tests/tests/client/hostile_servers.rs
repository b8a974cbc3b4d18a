//! Servers that break the rules of HTTP answers on purpose: a body past the client's limit, a body that never
//! ends, a body that trickles. Each ends in a typed error with memory bounded, never a hang.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use toriihq::Error;

/// A server on a port the OS picks that reads a request and answers with `head` then `body(chunk)` forever (or until
/// it returns `None`), pausing `pause` between chunks.
async fn serve(head: &'static str, pause: Duration, body: fn(u64) -> Option<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut index = 0;
                while let Some(chunk) = body(index) {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    index += 1;
                    tokio::time::sleep(pause).await;
                }
            });
        }
    });
    format!("http://{address}")
}

fn client(url: &str, configure: impl FnOnce(toriihq::ClientBuilder) -> toriihq::ClientBuilder) -> toriihq::Client {
    configure(toriihq::Client::builder().api_key("k").base_url(url).max_retries(0)).build().unwrap()
}

const CHUNKED: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";

/// One chunk of chunked encoding holding 64 KiB of a JSON array's elements.
fn endless(index: u64) -> Option<Vec<u8>> {
    let data = if index == 0 { b"{\"apps\":[".to_vec() } else { b"{\"id\":1},".repeat(64 * 1024 / 9) };
    let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
    chunk.extend_from_slice(&data);
    chunk.extend_from_slice(b"\r\n");
    Some(chunk)
}

#[tokio::test]
async fn an_endless_body_stops_at_the_clients_limit_as_a_decode_error() {
    let url = serve(CHUNKED, Duration::ZERO, endless).await;
    let client = client(&url, |b| b.max_response_bytes(1024 * 1024));
    for outcome in
        [client.get_apps().send().await.map(drop), client.call("getApps", &serde_json::Value::Null).await.map(drop)]
    {
        match outcome {
            Err(Error::Decode { what, .. }) => assert!(what.contains("max_response_bytes"), "{what}"),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_body_over_the_limit_with_its_length_announced_is_refused_too() {
    const HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 3000000\r\n\r\n";
    let url = serve(HEAD, Duration::ZERO, |i| (i < 100).then(|| vec![b' '; 30_000])).await;
    let client = client(&url, |b| b.max_response_bytes(1_000_000));
    let outcome = client.call("getApps", &serde_json::Value::Null).await;
    assert!(matches!(&outcome, Err(Error::Decode { what, .. }) if what.contains("1000000")), "{outcome:?}");
}

#[tokio::test]
async fn a_body_that_trickles_a_byte_a_second_hits_the_timeout() {
    let url = serve(CHUNKED, Duration::from_secs(1), |_| Some(b"1\r\n \r\n".to_vec())).await;
    let client = client(&url, |b| b.timeout(Duration::from_millis(1500)));
    let started = Instant::now();
    let outcome = client.call("getApps", &serde_json::Value::Null).await;
    assert!(matches!(outcome, Err(Error::Timeout)), "{outcome:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "no hang: {:?}", started.elapsed());
}
