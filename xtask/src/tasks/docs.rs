//! `cargo xtask test docs`: every fenced code block of the README, `docs/`, `CONTRIBUTING.md` and the package and
//! crate READMEs, run against the mock, so the docs cannot drift from the packages.
//!
//! - `python`: the blocks of one page run in order in one interpreter of the package's venv (later blocks use what
//!   earlier ones made), the page's block and line named on failure;
//! - `js`: each block is an ES module of its own, run with `node` in a folder where `toriihq` is the package;
//! - `sh`: each block runs with `bash -euo pipefail`, the debug `toriihq` first on the `PATH`;
//! - `rust`: compiled (and run, unless `no_run`) as doctests of the `toriihq-tests` crate, which includes every page
//!   (`tests/src/docs.rs`; a test there checks the list is the pages on disk);
//! - `text`, `json`, `jsonc` are output and data, not code: `json` blocks must parse.
//!
//! A block that cannot run has `<!-- not run: <reason> -->` on the line above it, and is counted as such. Each page
//! runs in `target/docs-run/` holding the files the pages name, against a mock reset before each page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::mock::RunningMock;
use super::{cargo, mock_binary, node, python, run, target_dir};
use crate::paths;

const KEY: &str = "docs-key";
/// Enough of everything for every page's examples: users 1…12, apps, contracts, files.
const SEED: &str = "apps=20,users=12,contracts=5";
/// The marker that exempts the block below it, with its reason.
const NOT_RUN: &str = "<!-- not run: ";

/// A fenced block: its page, the line its fence opens on, its language and its text.
#[derive(Debug, Clone)]
pub struct Block {
    pub page: PathBuf,
    pub line: usize,
    pub language: String,
    pub code: String,
    /// The reason it is not run, when marked.
    pub not_run: Option<String>,
}

/// The pages whose blocks run: the README, every page of `docs/` (the generated API reference has none), the
/// contributors' guide and the package and crate READMEs.
pub fn pages() -> Result<Vec<PathBuf>> {
    let root = paths::root();
    let mut pages = vec![root.join("README.md"), root.join("CONTRIBUTING.md"), root.join("examples/README.md")];
    let mut docs = markdown_under(&root.join("docs"))?;
    docs.sort();
    pages.extend(docs);
    for readme in ["bindings/python/README.md", "bindings/node/README.md"] {
        pages.push(root.join(readme));
    }
    for entry in std::fs::read_dir(root.join("crates"))? {
        let readme = entry?.path().join("README.md");
        if readme.exists() {
            pages.push(readme);
        }
    }
    pages.retain(|page| page.exists());
    pages.sort();
    Ok(pages)
}

fn markdown_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(markdown_under(&path)?);
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
    Ok(found)
}

/// Every fenced block of `text` (the page `page`).
pub fn blocks(page: &Path, text: &str) -> Result<Vec<Block>> {
    let mut blocks = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].strip_prefix("```") else {
            i += 1;
            continue;
        };
        let language = info.split([',', ' ']).next().unwrap_or_default().trim().to_string();
        let opened = i;
        let mut code = String::new();
        i += 1;
        while i < lines.len() && lines[i].trim_end() != "```" {
            code.push_str(lines[i]);
            code.push('\n');
            i += 1;
        }
        if i == lines.len() {
            bail!("{}:{}: a fenced block that never closes", page.display(), opened + 1);
        }
        let not_run = opened
            .checked_sub(1)
            .and_then(|above| lines[above].trim().strip_prefix(NOT_RUN))
            .map(|rest| rest.trim_end_matches("-->").trim().to_string());
        if language.is_empty() && not_run.is_none() {
            bail!("{}:{}: a fenced block without a language", page.display(), opened + 1);
        }
        blocks.push(Block { page: page.to_path_buf(), line: opened + 1, language, code, not_run });
        i += 1;
    }
    Ok(blocks)
}

/// What a language's blocks are, for the count and for running them.
fn kind(language: &str) -> Option<&'static str> {
    match language {
        "python" | "py" => Some("python"),
        "js" | "javascript" | "mjs" => Some("js"),
        "sh" | "bash" | "shell" => Some("sh"),
        "rust" => Some("rust"),
        "text" | "json" | "jsonc" | "console" | "toml" | "yaml" => None,
        _ => Some("unknown"),
    }
}

pub fn test() -> Result<()> {
    let mut all = Vec::new();
    for page in pages()? {
        let text = std::fs::read_to_string(&page).with_context(|| format!("reading {}", page.display()))?;
        all.extend(blocks(&page, &text)?);
    }
    if let Some(block) = all.iter().find(|b| b.not_run.is_none() && kind(&b.language) == Some("unknown")) {
        bail!("{}:{}: no runner for ```{} blocks", shown(&block.page), block.line, block.language);
    }
    for block in all.iter().filter(|b| b.language == "json" && b.not_run.is_none()) {
        serde_json::from_str::<serde_json::Value>(&block.code)
            .with_context(|| format!("{}:{}: the JSON block does not parse", shown(&block.page), block.line))?;
    }
    python::develop()?;
    node::build(false)?;
    run(&paths::root(), &cargo(), &["build", "--quiet", "--package", "toriihq-cli", "--bin", "toriihq"])?;
    let mock = RunningMock::start(&mock_binary()?, KEY, SEED)?;
    let scratch = scratch()?;
    let mut ran: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_page: BTreeMap<&Path, Vec<&Block>> = BTreeMap::new();
    for block in all.iter().filter(|b| b.not_run.is_none()) {
        by_page.entry(block.page.as_path()).or_default().push(block);
    }
    for (page, blocks) in &by_page {
        for language in ["python", "js", "sh"] {
            let these: Vec<&Block> = blocks.iter().copied().filter(|b| kind(&b.language) == Some(language)).collect();
            if these.is_empty() {
                continue;
            }
            super::mock::admin(&mock.url, "POST", "reset")?;
            match language {
                "python" => run_python(page, &these, &scratch, &mock.url)?,
                "js" => these.iter().try_for_each(|block| run_js(block, &scratch, &mock.url))?,
                _ => these.iter().try_for_each(|block| run_sh(block, &scratch, &mock.url))?,
            }
            *ran.entry(language).or_default() += these.len();
        }
    }
    let examples = run_examples(&scratch, &mock.url)?;
    drop(mock);
    let rust = all.iter().filter(|b| b.language == "rust" && b.not_run.is_none()).count();
    run_rust_doctests()?;
    ran.insert("rust", rust);
    let exempt: Vec<String> = all
        .iter()
        .filter_map(|b| b.not_run.as_ref().map(|why| format!("  {}:{} ({why})", shown(&b.page), b.line)))
        .collect();
    let counts: Vec<String> = ran.iter().map(|(language, n)| format!("{language} {n}")).collect();
    println!(
        "docs: {} pages with code; blocks run: {}; not run, each with its reason:",
        by_page.len(),
        counts.join(", ")
    );
    println!("{}", exempt.join("\n"));
    println!("examples/: {examples} whole jobs ran (each in Python, Node and Rust)");
    Ok(())
}

/// The jobs of `examples/`: each language's version of each, against the mock, from `scratch` (where
/// `examples/data/` is copied, so the defaults find their input); each must end well and write its output.
const JOBS: [(&str, &str); 4] = [
    ("offboard_leavers", "offboarded.csv"),
    ("nightly_sync", ""),
    ("audit_to_csv", "audit.csv"),
    ("access_review", "access-review.csv"),
];

fn run_examples(scratch: &Path, url: &str) -> Result<usize> {
    let root = paths::root();
    let data = scratch.join("examples/data");
    std::fs::create_dir_all(&data)?;
    for entry in std::fs::read_dir(root.join("examples/data"))? {
        let path = entry?.path();
        std::fs::copy(&path, data.join(path.file_name().unwrap_or_default()))?;
    }
    run(&root, &cargo(), &["build", "--quiet", "--package", "toriihq", "--examples"])?;
    for (job, output) in JOBS {
        let node_script = format!("{}.mjs", job.replace('_', "-"));
        std::fs::copy(root.join("examples/node").join(&node_script), scratch.join(&node_script))?;
        let runs: [(&str, Command); 3] = [
            ("Python", {
                let mut c = Command::new(python::venv().join("bin/python"));
                c.arg(root.join("examples/python").join(format!("{job}.py")));
                c
            }),
            ("Node", {
                let mut c = Command::new("node");
                c.arg(&node_script);
                c
            }),
            ("Rust", Command::new(target_dir().join("debug/examples").join(job))),
        ];
        for (language, mut command) in runs {
            if !output.is_empty() {
                let _ = std::fs::remove_file(scratch.join(output));
            }
            command.current_dir(scratch);
            environment(&mut command, url);
            println!("$ {language} example {job}");
            let status = command.status().with_context(|| format!("running the {language} example {job}"))?;
            if !status.success() {
                bail!("the {language} example {job} failed ({status})");
            }
            if !output.is_empty() {
                let written = std::fs::read_to_string(scratch.join(output)).unwrap_or_default();
                if written.lines().count() < 2 {
                    bail!("the {language} example {job} wrote no rows to {output}");
                }
            }
        }
    }
    Ok(JOBS.len())
}

fn shown(page: &Path) -> String {
    page.strip_prefix(paths::root()).unwrap_or(page).display().to_string()
}

/// `target/docs-run/`, fresh, with the files the pages name and `toriihq` resolvable from JavaScript.
fn scratch() -> Result<PathBuf> {
    let dir = target_dir().join("docs-run");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("node_modules"))?;
    let root = paths::root();
    std::fs::copy(root.join("tests/scenarios/files/custom-integration.json"), dir.join("users.json"))?;
    let spreadsheet: Vec<u8> = (0..20_000u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(dir.join("expenses.xlsx"), spreadsheet)?;
    std::fs::write(dir.join("leavers.csv"), "email\nuser1@example.com\nUSER2@example.com\nnobody@example.com\n")?;
    std::fs::write(dir.join("contract.json"), "{\"name\": \"Renewal 2027\"}\n")?;
    let tls = super::tls_fixture::write()?;
    std::fs::copy(tls.join("ca.pem"), dir.join("corp-root.pem"))?;
    #[cfg(unix)]
    std::os::unix::fs::symlink(node::node_dir(), dir.join("node_modules/toriihq"))?;
    Ok(dir)
}

/// The environment every block runs in: the mock's key and URL, nothing of the caller's Torii settings.
fn environment(command: &mut Command, url: &str) {
    command
        .env("TORII_API_KEY", KEY)
        .env("TORII_BASE_URL", url)
        .env_remove("TORII_LOG")
        .env_remove("TORII_STRICT")
        .env_remove("TORII_STRICT_REPORT");
}

fn run_python(page: &Path, blocks: &[&Block], scratch: &Path, url: &str) -> Result<()> {
    let listed: Vec<serde_json::Value> = blocks
        .iter()
        .map(|b| serde_json::json!({"where": format!("{}:{}", shown(page), b.line), "code": b.code}))
        .collect();
    let script = format!(
        "import json, sys, traceback\nblocks = json.loads({:?})\nnamespace = {{'__name__': '__main__'}}\n\
         for block in blocks:\n    try:\n        exec(compile(block['code'], block['where'], 'exec'), namespace)\n\
         \x20   except BaseException:\n        traceback.print_exc()\n        sys.exit(f\"{{block['where']}} failed\")\n",
        serde_json::to_string(&listed)?
    );
    let mut command = Command::new(python::venv().join("bin/python"));
    command.args(["-c", &script]).current_dir(scratch);
    environment(&mut command, url);
    let status = command.status().context("running python")?;
    if !status.success() {
        bail!("a Python block of {} failed ({status})", shown(page));
    }
    Ok(())
}

fn run_js(block: &Block, scratch: &Path, url: &str) -> Result<()> {
    let file = scratch.join(format!("block-{}.mjs", block.line));
    std::fs::write(&file, &block.code)?;
    let mut command = Command::new("node");
    command.arg(&file).current_dir(scratch);
    environment(&mut command, url);
    let status = command.status().context("running node")?;
    if !status.success() {
        bail!("{}:{}: the JavaScript block failed ({status})", shown(&block.page), block.line);
    }
    Ok(())
}

fn run_sh(block: &Block, scratch: &Path, url: &str) -> Result<()> {
    let bin = target_dir().join("debug");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut command = Command::new("bash");
    command.args(["-euo", "pipefail", "-c", &block.code]).current_dir(scratch).env("PATH", path);
    environment(&mut command, url);
    let status = command.status().context("running bash")?;
    if !status.success() {
        bail!("{}:{}: the shell block failed ({status})", shown(&block.page), block.line);
    }
    Ok(())
}

/// The Rust blocks, as doctests of `toriihq-tests` (which includes every page).
fn run_rust_doctests() -> Result<()> {
    run(&paths::root(), &cargo(), &["test", "--doc", "--quiet", "--package", "toriihq-tests"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_with_their_language_line_and_exemption() {
        let text = "# Page\n\n```python\nprint(1)\n```\n\n<!-- not run: needs a tenant -->\n```sh\nrm -rf /\n```\n";
        let found = blocks(Path::new("page.md"), text).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].language.as_str(), found[0].line, found[0].code.as_str()), ("python", 3, "print(1)\n"));
        assert_eq!(found[0].not_run, None);
        assert_eq!(found[1].not_run.as_deref(), Some("needs a tenant"));
        assert!(blocks(Path::new("page.md"), "```\nx\n```\n").is_err(), "a block must say its language");
        assert!(blocks(Path::new("page.md"), "```python\nx\n").is_err(), "a block must close");
    }
}
