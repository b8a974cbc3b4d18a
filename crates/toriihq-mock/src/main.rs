//! `toriihq-mock [--spec FILE|DIR] [--port 0] [--host 127.0.0.1] [--api-key KEY] [--seed apps=500,users=100000]
//! [--rate-limit 100/min] [--threads 1]
//! [--sync-seconds 2] [--presigned-ttl 300]`

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use toriihq_mock::{MockConfig, MockServer, Seed};

const USAGE: &str =
    "usage: toriihq-mock [--spec FILE|DIR] [--port N] [--host ADDR] [--api-key KEY] [--seed SPEC] [--rate-limit N/min] [--time-scale N] [--threads N] [--sync-seconds N] [--presigned-ttl N] [--chaos N]

  --spec FILE|DIR     an OpenAPI document, or a spec folder with openapi.yaml and overlay.yaml
                      (default: the spec this build embeds)
  --port N            port to listen on; 0 (the default) lets the OS choose
  --host ADDR         address to bind (default 127.0.0.1)
  --api-key KEY       the bearer key clients must send (default: $TORII_API_KEY, else toriihq-mock-key)
  --seed SPEC         items per collection: `apps=500,users=100000`, a number for all, or `none` (default 10)
  --rate-limit N/min  per operation (or `spec`: each operation's stated limit); beyond it answers 429 with Retry-After
  --time-scale N      the rate limits' windows pass N times faster (60: a minute lasts a second)
  --threads N         worker threads (default 1)
  --sync-seconds N    how long a custom-integration sync runs (another meanwhile answers 409; default 2)
  --presigned-ttl N   seconds a presigned upload URL stays valid (default 300)
  --chaos N           N % of API requests get a random fault: 503, 429, reset, delay, truncated (default 0)";

fn main() {
    let threads = thread_count();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("toriihq-mock: cannot start the runtime: {e}");
            std::process::exit(2);
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => {}
        Err(message) => {
            eprintln!("toriihq-mock: {message}");
            std::process::exit(2);
        }
    }
}

/// `--threads N` (default 1: on a small machine the client under test needs the other cores more).
fn thread_count() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1)
}

async fn run() -> Result<(), String> {
    let mut config = MockConfig::default();
    if let Ok(key) = std::env::var("TORII_API_KEY")
        && !key.trim().is_empty()
    {
        config.api_key = key.trim().to_string();
    }
    let mut host: IpAddr = [127, 0, 0, 1].into();
    let mut port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"));
        match flag.as_str() {
            "--spec" => config.spec = Some(load_spec(&value()?)?),
            "--port" => port = value()?.parse().map_err(|_| "--port takes a number".to_string())?,
            "--host" => host = value()?.parse().map_err(|_| "--host takes an IP address".to_string())?,
            "--api-key" => config.api_key = value()?,
            "--seed" => config.seed = Seed::parse(&value()?)?,
            "--rate-limit" => config.rate_limit = Some(value()?),
            "--time-scale" => {
                config.time_scale = value()?
                    .parse::<f64>()
                    .ok()
                    .filter(|scale| scale.is_finite() && *scale > 0.0)
                    .ok_or_else(|| "--time-scale takes a positive number".to_string())?;
            }
            "--sync-seconds" => config.sync_duration = seconds(&flag, &value()?)?,
            "--presigned-ttl" => config.presigned_ttl = seconds(&flag, &value()?)?,
            "--chaos" => {
                config.chaos_percent = value()?.parse().map_err(|_| "--chaos takes a percentage".to_string())?;
            }
            "--threads" => {
                value()?; // read before the runtime started
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    config.address = SocketAddr::new(host, port);
    let server = MockServer::start(config).await.map_err(|e| e.to_string())?;
    println!("listening on {}", server.url());
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
    server.stop();
    Ok(())
}

fn seconds(flag: &str, value: &str) -> Result<std::time::Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(std::time::Duration::from_secs_f64)
        .ok_or_else(|| format!("{flag} takes a number of seconds"))
}

fn load_spec(path: &str) -> Result<toriihq_spec::LoadedSpec, String> {
    let path = Path::new(path);
    if path.is_dir() {
        return toriihq_spec::load_dir(path).map_err(|e| e.to_string());
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toriihq_spec::load_str(&text, None).map_err(|e| e.to_string())
}
