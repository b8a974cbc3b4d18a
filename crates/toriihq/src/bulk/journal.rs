//! The journal that makes a bulk job resumable: an append-only file of JSON lines, one line per event, each
//! written whole with one `write` so a tool tailing it never reads half a record.
//!
//! ```text
//! {"journal":1,"operation":"updateUser"}
//! {"key":"u-17","event":"sent"}
//! {"key":"u-17","event":"ok"}
//! {"key":"u-18","event":"sent"}
//! {"key":"u-18","event":"failed","kind":"not_found","status":404,"message":"…"}
//! ```
//!
//! "sent" reaches the disk before the request goes (`fdatasync`, shared by every item that waits at the same
//! moment: a group commit), so a job killed at any point knows which items may have been applied. Outcomes are
//! written without waiting; the next group commit, or the end of the job, makes them durable.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use crate::{Error, Result};

const FORMAT: u64 = 1;

/// What an earlier run recorded of a key, by its last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Earlier {
    /// Answered with success: not sent again.
    Done,
    /// Refused with a status that says nothing was applied (4xx but 408 and 429) or before sending: sent again.
    Refused,
    /// Failed in a way that may have applied it (a 5xx, a timeout, a dropped connection).
    Uncertain,
    /// Sent, and no outcome recorded: the process stopped mid-request.
    SentOnly,
}

pub(crate) struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    /// By the key's 64-bit fingerprint, not the key: resuming a journal of 1,000,000 short keys peaked at 149 MiB
    /// with the keys as strings, 124 MiB with 128-bit fingerprints (hashbrown pads those buckets to 32 bytes).
    earlier: HashMap<u64, Earlier>,
    /// Records written, and how many of them are known to be on the disk.
    written: AtomicU64,
    synced: AtomicU64,
    commit: tokio::sync::Mutex<()>,
}

impl Journal {
    /// Opens (or creates) the journal at `path` for a job of `operation`. One of another operation is refused,
    /// as is a file that is not a journal.
    pub(crate) fn open(path: &Path, operation: &str) -> Result<Journal> {
        let problem = |what: String| Error::invalid_argument("journal", format!("{}: {what}", path.display()));
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| problem(e.to_string()))?;
        let mut earlier = HashMap::new();
        let mut lines = BufReader::new(&file).lines();
        match lines.next() {
            None => {
                let header = json!({ "journal": FORMAT, "operation": operation });
                writeln!(file, "{header}").map_err(|e| problem(e.to_string()))?;
                file.sync_data().map_err(|e| problem(e.to_string()))?;
            }
            Some(first) => {
                let header: Value = first
                    .ok()
                    .and_then(|line| serde_json::from_str(&line).ok())
                    .ok_or_else(|| problem("is not a journal of toriihq (its first line is no header)".into()))?;
                if header["journal"] != json!(FORMAT) {
                    return Err(problem("is not a journal of toriihq (its first line is no header)".into()));
                }
                let recorded = header["operation"].as_str().unwrap_or_default();
                if recorded != operation {
                    return Err(problem(format!("is the journal of a `{recorded}` job, not `{operation}`")));
                }
                // A last line cut short (the process died mid-write) is skipped: its item counts as not recorded.
                for line in lines.map_while(std::result::Result::ok) {
                    if let Ok(record) = serde_json::from_str::<Record>(&line)
                        && let Some(event) = Earlier::of(&record)
                    {
                        earlier.insert(fingerprint(&record.key), event);
                    }
                }
                end_with_newline(&mut file).map_err(|e| problem(e.to_string()))?;
            }
        }
        Ok(Journal {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            earlier,
            written: AtomicU64::new(0),
            synced: AtomicU64::new(0),
            commit: tokio::sync::Mutex::new(()),
        })
    }

    pub(crate) fn earlier(&self, key: &str) -> Option<Earlier> {
        self.earlier.get(&fingerprint(key)).copied()
    }

    /// Records that `key` is about to be sent, and returns once that is on the disk.
    pub(crate) async fn sent(&self, key: &str) -> Result<()> {
        let mine = self.append(&json!({ "key": key, "event": "sent" }))?;
        if self.synced.load(Ordering::Acquire) >= mine {
            return Ok(());
        }
        let _turn = self.commit.lock().await;
        if self.synced.load(Ordering::Acquire) >= mine {
            return Ok(()); // another item's commit carried this record too
        }
        let upto = self.written.load(Ordering::Acquire);
        let file = self.handle()?;
        tokio::task::spawn_blocking(move || file.sync_data())
            .await
            .map_err(|e| self.problem(e.to_string()))?
            .map_err(|e| self.problem(e.to_string()))?;
        self.synced.fetch_max(upto, Ordering::AcqRel);
        Ok(())
    }

    /// Records how `key` ended.
    pub(crate) fn outcome(&self, key: &str, outcome: std::result::Result<(), &Error>) -> Result<()> {
        let record = match outcome {
            Ok(()) => json!({ "key": key, "event": "ok" }),
            Err(error) => json!({
                "key": key,
                "event": "failed",
                "kind": error.kind(),
                "status": error.status().map(|s| s.as_u16()),
                "message": error.to_string(),
            }),
        };
        self.append(&record).map(|_| ())
    }

    /// Makes everything written durable: at the end of a job.
    pub(crate) fn sync(&self) -> Result<()> {
        self.handle()?.sync_data().map_err(|e| self.problem(e.to_string()))
    }

    /// Writes one record as one line; returns its number.
    fn append(&self, record: &Value) -> Result<u64> {
        let mut line = record.to_string();
        line.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        file.write_all(line.as_bytes()).map_err(|e| self.problem(e.to_string()))?;
        Ok(self.written.fetch_add(1, Ordering::AcqRel) + 1)
    }

    fn handle(&self) -> Result<File> {
        let file = self.file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        file.try_clone().map_err(|e| self.problem(e.to_string()))
    }

    fn problem(&self, what: String) -> Error {
        Error::invalid_argument("journal", format!("{}: {what}", self.path.display()))
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        let _ = self.sync();
    }
}

/// A line of the journal as it is read back: only what decides the key's state, borrowed where it can be.
#[derive(serde::Deserialize)]
struct Record<'a> {
    #[serde(borrow)]
    key: std::borrow::Cow<'a, str>,
    event: &'a str,
    #[serde(default)]
    kind: Option<&'a str>,
    #[serde(default)]
    status: Option<u16>,
}

impl Earlier {
    fn of(record: &Record<'_>) -> Option<Earlier> {
        match record.event {
            "sent" => Some(Earlier::SentOnly),
            "ok" => Some(Earlier::Done),
            "failed" => {
                let refused_before_sending = matches!(record.kind, Some("invalid_argument" | "invalid_file"));
                let refused = record.status.is_some_and(|s| (400..500).contains(&s) && s != 408 && s != 429);
                Some(if refused || refused_before_sending { Earlier::Refused } else { Earlier::Uncertain })
            }
            _ => None,
        }
    }
}

/// A key's SipHash (fixed keys: the same in every run of one build). Two keys of a job of a million sharing one
/// is a chance of about 1 in 37 million; the journal is read again on each run, so nothing depends on the hash
/// staying the same across builds.
fn fingerprint(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// Appends a newline when the file's last byte is not one (a line cut short by a crash).
fn end_with_newline(file: &mut File) -> std::io::Result<()> {
    let length = file.metadata()?.len();
    if length == 0 {
        return Ok(());
    }
    file.seek(SeekFrom::Start(length - 1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    if last[0] != b'\n' {
        file.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("toriihq-journal-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        dir
    }

    #[tokio::test]
    async fn a_second_run_reads_what_the_first_recorded() {
        let path = scratch("second-run");
        {
            let journal = Journal::open(&path, "updateUser").unwrap();
            journal.sent("a").await.unwrap();
            journal.outcome("a", Ok(())).unwrap();
            journal.sent("b").await.unwrap();
            journal.sent("c").await.unwrap();
            journal.outcome("c", Err(&Error::invalid_argument("id_user", "is required"))).unwrap();
            journal.sent("d").await.unwrap();
            journal.outcome("d", Err(&Error::Timeout)).unwrap();
        }
        // A record cut short by a crash is ignored, and the next one starts on a line of its own.
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"key\":\"e\",\"ev").unwrap();
        let journal = Journal::open(&path, "updateUser").unwrap();
        assert_eq!(journal.earlier("a"), Some(Earlier::Done));
        assert_eq!(journal.earlier("b"), Some(Earlier::SentOnly));
        assert_eq!(journal.earlier("c"), Some(Earlier::Refused));
        assert_eq!(journal.earlier("d"), Some(Earlier::Uncertain));
        assert_eq!(journal.earlier("e"), None);
        journal.sent("e").await.unwrap();
        drop(journal);
        let text = std::fs::read_to_string(&path).unwrap();
        // Key order follows serde_json's features in the build, so the record is compared as JSON.
        let last = text.strip_suffix('\n').and_then(|body| body.lines().last()).expect("a last line, ended");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(last).ok(),
            Some(serde_json::json!({"key": "e", "event": "sent"})),
            "{text}"
        );
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_journal_of_another_job_or_another_file_is_refused() {
        let path = scratch("other-job");
        drop(Journal::open(&path, "updateUser").unwrap());
        let error = Journal::open(&path, "deleteUser").err().unwrap().to_string();
        assert!(error.contains("`updateUser` job, not `deleteUser`"), "{error}");
        std::fs::write(&path, "name,email\n").unwrap();
        assert!(Journal::open(&path, "updateUser").err().unwrap().to_string().contains("not a journal"));
        let _ = std::fs::remove_file(&path);
    }
}
