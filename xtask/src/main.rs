//! `cargo xtask <command>`: the project's own commands. Each is a function of `xtask::tasks`; this file only reads
//! the command line.

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use xtask::tasks;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "The project's own commands",
    disable_version_flag = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write every generated file from spec/
    Generate {
        /// Fail and show the diff when a generated file is stale
        #[arg(long)]
        check: bool,
    },
    /// Build, start the local mock, run the quickstart against it
    Demo,
    /// Every check CI runs: generate --check, fmt, clippy, all tests (or one part, a quicker loop)
    Test { part: Option<TestPart> },
    /// Build what we ship into dist/
    Dist,
    /// toriihq against the clients users would pick instead, as ratios
    Bench {
        /// CI's smoke run
        #[arg(long, conflicts_with_all = ["files", "language"])]
        quick: bool,
        /// Only the peak RSS of a 64 MiB and a 1 GiB upload, a 20,000- and a 200,000-user sync
        #[arg(long, conflicts_with = "language")]
        files: bool,
        /// One language's tables only (release, full rounds)
        language: Option<Language>,
    },
    /// 20,000 calls per package at 64 in flight, 5 % injected faults, and the churn runs
    Soak {
        /// 2,000 calls and short churn runs (CI)
        #[arg(long)]
        quick: bool,
    },
    /// The decoders against reference parsers on generated input, then schemathesis against the mock
    Fuzz {
        /// Schemathesis with 10 examples per operation (CI; the decoders run in `test`)
        #[arg(long, conflicts_with = "cases")]
        quick: bool,
        /// Cases per decoder
        #[arg(default_value_t = tasks::fuzz::DEFAULT_CASES)]
        cases: u64,
    },
    /// What changed between two spec versions (folders of spec/torii/ or paths), as Markdown
    SpecDiff { old: String, new: String },
    /// A new spec version from a file or URL: its folder, the previous overlay beside it, generate, the diff
    SpecAdd { source: String },
    /// Strict-mode reports (TORII_STRICT_REPORT lines, or an error's drift) as draft overlay actions
    Drift {
        #[arg(required = true)]
        reports: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum TestPart {
    Rust,
    Python,
    Node,
    Docs,
}

#[derive(Clone, Copy, ValueEnum)]
enum Language {
    Rust,
    Python,
    Node,
}

fn main() {
    if let Err(error) = run(Cli::parse().command) {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

fn run(command: Command) -> Result<()> {
    match command {
        Command::Generate { check } => tasks::generate::run(check),
        Command::Demo => tasks::demo::run_all(),
        Command::Test { part: None } => tasks::test::run_all(),
        Command::Test { part: Some(part) } => tasks::test::run_part(match part {
            TestPart::Rust => "rust",
            TestPart::Python => "python",
            TestPart::Node => "node",
            TestPart::Docs => "docs",
        }),
        Command::Dist => tasks::dist::run_all(),
        Command::Bench { files: true, .. } => tasks::bench::run_files(),
        Command::Bench { quick, language, .. } => tasks::bench::run(
            quick,
            language.map(|language| match language {
                Language::Rust => "rust",
                Language::Python => "python",
                Language::Node => "node",
            }),
        ),
        Command::Soak { quick } => tasks::soak::run(quick),
        Command::Fuzz { quick: true, .. } => tasks::fuzz::run_all(tasks::fuzz::Plan::quick()),
        Command::Fuzz { cases, .. } => tasks::fuzz::run_all(tasks::fuzz::Plan::full(cases)),
        Command::SpecDiff { old, new } => tasks::spec::diff(&old, &new),
        Command::SpecAdd { source } => tasks::spec::add(&source),
        Command::Drift { reports } => {
            let reports: Vec<&str> = reports.iter().map(String::as_str).collect();
            tasks::drift::run(&reports)
        }
    }
}
