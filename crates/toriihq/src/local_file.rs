//! Files a caller names — an upload, a custom-integration file, a command-line argument — are opened here and
//! nowhere else.
//!
//! Only a regular file is read. Anything else (a named pipe, a device, a socket, a directory) is refused with an
//! error naming the argument and the path, and the refusal comes before anything could block: on Unix the file is
//! opened with `O_NONBLOCK`, which returns at once even for a pipe nobody writes to (a plain `open` waits forever
//! there), and its type is read from the open descriptor, so the file checked is the file read. `O_NONBLOCK` means
//! nothing to a regular file's reads. Reads of a file handed to blocking code stop once the call that asked for
//! them is dropped (a deadline, Ctrl-C, an abort), so no thread is left reading for a call nobody waits for.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::{Error, Result};

/// A regular file, open for reading, with its size when opened.
#[derive(Debug)]
pub struct LocalFile {
    pub file: File,
    pub len: u64,
    pub path: PathBuf,
}

/// Opens `path` for the argument `field`, refusing anything but a regular file without blocking.
pub fn open(field: &str, path: &Path) -> Result<LocalFile> {
    let cannot = |e: std::io::Error| Error::invalid_argument(field, format!("cannot read {}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        // No O_NONBLOCK here: the type is checked by path first (a pipe is refused before its open).
        let metadata = std::fs::metadata(path).map_err(cannot)?;
        refuse_unless_regular(field, path, &metadata)?;
    }
    let file = options.open(path).map_err(cannot)?;
    let metadata = file.metadata().map_err(cannot)?;
    refuse_unless_regular(field, path, &metadata)?;
    Ok(LocalFile { file, len: metadata.len(), path: path.to_path_buf() })
}

/// As [`open`], off the async runtime's threads.
pub async fn open_async(field: &str, path: &Path) -> Result<LocalFile> {
    let (field_owned, path_owned) = (field.to_string(), path.to_path_buf());
    tokio::task::spawn_blocking(move || open(&field_owned, &path_owned))
        .await
        .map_err(|e| Error::Internal(format!("opening {} stopped: {e}", path.display())))?
}

/// The whole of a regular file as text (a command line's `--body @file`, a key file).
pub fn read_to_string(field: &str, path: &Path) -> Result<String> {
    let mut opened = open(field, path)?;
    let mut text = String::with_capacity(usize::try_from(opened.len).unwrap_or(0));
    opened
        .file
        .read_to_string(&mut text)
        .map_err(|e| Error::invalid_argument(field, format!("cannot read {}: {e}", path.display())))?;
    Ok(text)
}

fn refuse_unless_regular(field: &str, path: &Path, metadata: &std::fs::Metadata) -> Result<()> {
    if metadata.is_file() {
        return Ok(());
    }
    let kind = file_kind(metadata);
    Err(Error::invalid_argument(
        field,
        format!("{} is not a file ({kind}): only a regular file is read", path.display()),
    ))
}

fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Runs `work` on a blocking thread with a reader of `file` that fails once this future is dropped: the work
/// ends at its next read instead of reading a large file to the end for nobody.
pub(crate) async fn read_on_blocking_thread<T, F>(file: LocalFile, work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(StoppableReader) -> T + Send + 'static,
{
    let stopped = Arc::new(AtomicBool::new(false));
    let _stop_when_dropped = StopOnDrop(stopped.clone());
    let reader = StoppableReader { file: file.file, stopped };
    tokio::task::spawn_blocking(move || work(reader))
        .await
        .map_err(|e| Error::Internal(format!("reading {} stopped: {e}", file.path.display())))
}

/// A file reader that fails once its call is gone.
pub(crate) struct StoppableReader {
    file: File,
    stopped: Arc<AtomicBool>,
}

impl Read for StoppableReader {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if self.stopped.load(Ordering::Relaxed) {
            // Not `Interrupted`: readers retry that kind.
            return Err(std::io::Error::other("the call reading this file was cancelled"));
        }
        self.file.read(buffer)
    }
}

struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
        let dir = std::env::temp_dir().join(format!("toriihq-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let error = open("file", &fifo).unwrap_err();
        assert!(error.to_string().contains("named pipe"), "{error}");
        let error = open("file", &dir).unwrap_err();
        assert!(error.to_string().contains("a directory"), "{error}");
        let error = open("file", Path::new("/dev/null")).unwrap_err();
        assert!(error.to_string().contains("a device"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
