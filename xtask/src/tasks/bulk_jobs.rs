//! The bulk runner at the rate limit, part of `cargo xtask soak`: the command line's `--from` against the mock
//! keeping the spec's limits on a clock sixty times fast (updateUser's 200 a minute is 200 a second).
//!
//! 1. 2,000 `users update`, paced: its time beside what the limit allows (a full bucket of 200, then 200 a
//!    second: 9 s), and the 429s that reached the caller (none may).
//! 2. The same job unpaced, 8 at a time without retries — a plain loop of 8 threads: its time and its 429s.
//! 3. A file of 1,000,000 lines (100,000 with `--quick`) through `users get`: resident memory sampled as it runs,
//!    which may not grow past a small slack from its first second to its end (inputs are read as workers free up).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::mock::{RunningMock, admin};
use super::{cargo, run, target_dir};
use crate::paths;

const KEY: &str = "bulk-key";
const JOB: u64 = 2_000;
/// What updateUser's limit allows for the job on the mock's clock: 200 at once, then 200 a second.
const ALLOWED: Duration = Duration::from_secs(9);
const RSS_SLACK_KB: u64 = 16 * 1024;

/// Runs the three and returns what failed.
pub fn run_all(mock_binary: &Path, profile: &str, quick: bool) -> Result<Vec<String>> {
    let mut build = vec!["build", "--quiet", "-p", "toriihq-cli"];
    if profile == "release" {
        build.push("--release");
    }
    run(&paths::root(), &cargo(), &build)?;
    let cli = target_dir().join(profile).join("toriihq");
    let dir = target_dir().join("bulk-jobs");
    std::fs::create_dir_all(&dir)?;
    let mut failures = Vec::new();

    let updates = dir.join("updates.csv");
    let rows = (1..=JOB).map(|id| format!("{id},offboarding\n")).collect::<String>();
    std::fs::write(&updates, format!("idUser,body.lifecycleStatus\n{rows}"))?;
    println!("\n**Bulk jobs at the rate limit** ({profile} build; the mock's minute lasts a second)\n");
    println!(
        "| job | time | requests sent again (after a 429) | 429s reaching the caller | items ok | resident memory |"
    );
    println!("|---|---:|---:|---:|---:|---|");
    let mut notes: Vec<String> = Vec::new();
    for (label, flags) in [
        ("2,000 × updateUser, paced (200/min → 200/s), 8 at a time", &["--rate", "200/s", "--concurrency", "8"][..]),
        (
            "the same, unpaced, no retries: a plain loop of 8 threads",
            &["--rate", "1000000/s", "--concurrency", "8", "--max-retries", "0"],
        ),
    ] {
        let mock = RunningMock::start_with(
            mock_binary,
            KEY,
            &format!("users={JOB}"),
            &["--rate-limit", "spec", "--time-scale", "60"],
        )?;
        let results = dir.join("results.ndjson");
        let started = Instant::now();
        let code = cli_job(&cli, &mock.url, &updates, &results, flags)?;
        let took = started.elapsed();
        let (ok, rate_limited) = tally(&results)?;
        let again = requests(&mock.url)?.saturating_sub(JOB);
        println!("| {label} | {:.2} s | {again} | {rate_limited} | {ok} | |", took.as_secs_f64());
        if flags.contains(&"200/s") {
            if code != 0 || rate_limited > 0 || ok != JOB {
                failures.push(format!("the paced job: exit {code}, {ok} ok, {rate_limited} × 429 reached the caller"));
            }
            let slower = took.as_secs_f64() / ALLOWED.as_secs_f64() - 1.0;
            notes.push(format!(
                "The paced job took {:+.1} % beyond the {} s the limit allows.",
                slower * 100.0,
                ALLOWED.as_secs()
            ));
            if !quick && slower > 0.05 {
                failures.push(format!(
                    "the paced job took {:.2} s, over 5 % beyond the {} s allowed",
                    took.as_secs_f64(),
                    ALLOWED.as_secs()
                ));
            }
        }
    }

    let lines: u64 = if quick { 100_000 } else { 1_000_000 };
    let big = dir.join("lookups.ndjson");
    let text: String = (0..lines).map(|i| format!("{{\"idUser\":{}}}\n", i % 1_000 + 1)).collect();
    std::fs::write(&big, text)?;
    let mock = RunningMock::start(mock_binary, KEY, "users=1000")?;
    let (seconds, first_second_kb, peak_kb, code) = sampled(&cli, &mock.url, &big)?;
    println!(
        "| {lines} × getUser from a file, 32 at a time | {seconds:.1} s ({:.0}/s) | | | | {} MiB after 1 s, peak {} MiB |",
        lines as f64 / seconds,
        first_second_kb / 1024,
        peak_kb / 1024
    );
    println!("\n{}", notes.join("\n"));
    if code != 0 {
        failures.push(format!("the {lines}-line job exited {code}"));
    }
    if peak_kb > first_second_kb + RSS_SLACK_KB {
        failures.push(format!("the {lines}-line job grew from {first_second_kb} KiB after 1 s to {peak_kb} KiB"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(failures)
}

fn cli_job(cli: &Path, url: &str, input: &Path, results: &Path, flags: &[&str]) -> Result<i32> {
    let status = Command::new(cli)
        .args(["--quiet", "--base-url", url, "users", "update", "--from"])
        .arg(input)
        .arg("--results")
        .arg(results)
        .args(flags)
        .env("TORII_API_KEY", KEY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("running the command line")?;
    Ok(status.code().unwrap_or(-1))
}

/// Items ok, and items that failed with a 429.
fn tally(results: &Path) -> Result<(u64, u64)> {
    let text = std::fs::read_to_string(results)?;
    let ok = text.lines().filter(|line| line.contains("\"status\":\"ok\"")).count() as u64;
    let limited = text.lines().filter(|line| line.contains("\"error\":\"rate_limited\"")).count() as u64;
    Ok((ok, limited))
}

fn requests(url: &str) -> Result<u64> {
    let (_, body) = admin(url, "GET", "requests")?;
    let log: serde_json::Value = serde_json::from_str(&body)?;
    Ok(log.as_array().map_or(0, |log| log.len() as u64))
}

/// Runs the lookups, sampling the process's resident memory: seconds, RSS after one second, peak, exit code.
fn sampled(cli: &Path, url: &str, input: &PathBuf) -> Result<(f64, u64, u64, i32)> {
    let started = Instant::now();
    let mut child = Command::new(cli)
        .args(["--quiet", "--base-url", url, "users", "get", "--from"])
        .arg(input)
        .args(["--results", "/dev/null", "--rate", "1000000/s", "--concurrency", "32"])
        .env("TORII_API_KEY", KEY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let status = format!("/proc/{}/status", child.id());
    let (mut first_second, mut peak) = (0, 0);
    let code = loop {
        if let Some(exit) = child.try_wait()? {
            break exit.code().unwrap_or(-1);
        }
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        let field = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        };
        if let Some(hwm) = field("VmHWM:") {
            peak = hwm;
        }
        if started.elapsed() < Duration::from_secs(1) {
            first_second = field("VmRSS:").unwrap_or(first_second);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if first_second == 0 {
        bail!("the job ended within a second: nothing to compare its memory with");
    }
    Ok((started.elapsed().as_secs_f64(), first_second, peak, code))
}
