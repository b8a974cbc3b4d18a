//! Peak RSS of toriihq's file jobs against the size of the file: an upload (the 3-step way, streamed from disk)
//! and a custom-integration sync (validated as a stream, then uploaded). Flat memory means the larger file costs
//! about what the smaller one does.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::report::{Measured, Table, Unit};
use super::setup::{Subjects, bench_dir};
use super::{Language, Run, measure};

const MIB: u64 = 1024 * 1024;

pub fn memory_against_size(subjects: &Subjects, quick: bool, url: &str) -> Result<Vec<Table>> {
    let (small, large) = if quick { (8 * MIB, 64 * MIB) } else { (64 * MIB, 1024 * MIB) };
    let uploads = [sparse_file(small)?, sparse_file(large)?];
    let (few, many) = if quick { (2_000, 20_000) } else { (20_000, 200_000) };
    let syncs = [users_file(few)?, users_file(many)?];
    let mut account = 0;
    let mut table = |scenario: &'static str, files: &[(PathBuf, String)], title: &'static str| -> Result<Table> {
        let id = if scenario == "upload" { "upload_memory" } else { "sync_memory" };
        let mut rows = Vec::new();
        for language in [Language::Python, Language::Node, Language::Rust] {
            for (file, label) in files {
                account += 1;
                let run = Run {
                    language,
                    scenario,
                    client: "toriihq",
                    seconds: 0.0,
                    users: 0,
                    file: Some((file.as_path(), account)),
                };
                let mut measured = Measured::new(&format!("{} {label}", language.name()));
                measured.samples.push(measure(subjects, &run, url)?);
                rows.push(measured);
            }
        }
        Ok(Table::new(id, title, "all", Unit::PeakRss, rows))
    };
    Ok(vec![
        table("upload", &uploads, "toriihq's peak RSS uploading a file (3-step, streamed from disk)")?,
        table("sync", &syncs, "toriihq's peak RSS syncing a custom-integration file (validated, uploaded)")?,
    ])
}

/// A file of `size` zero bytes that takes no disk (its blocks are never written).
fn sparse_file(size: u64) -> Result<(PathBuf, String)> {
    let path = bench_dir().join(format!("upload-{}MiB.bin", size / MIB));
    std::fs::create_dir_all(bench_dir())?;
    let file = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    file.set_len(size)?;
    Ok((path, format!("{} MiB", size / MIB)))
}

/// A custom-integration file of `count` users (and one licence), written as it is generated.
fn users_file(count: u64) -> Result<(PathBuf, String)> {
    let path = bench_dir().join(format!("custom-integration-{count}.json"));
    if !path.exists() {
        write_users(&path, count).with_context(|| format!("writing {}", path.display()))?;
    }
    let size = std::fs::metadata(&path)?.len();
    Ok((path, format!("{count} users ({:.1} MB)", size as f64 / 1e6)))
}

fn write_users(path: &Path, count: u64) -> Result<()> {
    std::fs::create_dir_all(bench_dir())?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    out.write_all(b"{\"users\": [")?;
    for i in 0..count {
        let separator = if i == 0 { "" } else { "," };
        write!(
            out,
            "{separator}{{\"id\": \"{i}\", \"email\": \"user{i}@example.com\", \"firstName\": \"First{i}\", \
             \"lastName\": \"Last{i}\", \"status\": \"active\", \"roles\": [\"Member\"], \
             \"lastUsedDate\": \"2026-11-{:02}T08:00:00Z\"}}",
            1 + i % 28
        )?;
    }
    write!(out, "], \"licenses\": [{{\"name\": \"Pro\", \"pricePerUser\": 3520, \"unassignedAmount\": 3}}]}}")?;
    out.flush()?;
    Ok(())
}
