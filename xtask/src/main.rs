//! `cargo xtask <command>`: the project's own commands.

use anyhow::{Result, bail};
use xtask::commands;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  generate [--check]   write every generated file from spec/ (--check: fail and show the diff when stale)
  demo                 build, start the local mock, run the quickstart against it
  test                 every check CI runs: generate --check, fmt, clippy, all tests
  test rust|python|node  one language's tests only (a quicker loop; CI runs all of `test`)
  dist                 build what we ship into dist/
  bench [--quick]      toriihq against the clients users would pick instead, as ratios (--quick: CI smoke)
  bench rust|python|node  one language's tables only (release, full rounds)
  bench --files        only the peak RSS of a 64 MiB and a 1 GiB upload, a 20,000- and a 200,000-user sync
  soak [--quick]       20,000 calls per package at 64 in flight, 5 % injected faults (--quick: 2,000, CI)
  fuzz [CASES]         the decoders against reference parsers on generated input (default 1,000,000 cases each),
                       then schemathesis against the mock of each spec version (100 examples per operation)
  fuzz --quick         schemathesis with 10 examples per operation (CI; the decoders run in `test`)
  spec-diff OLD NEW    what changed between two spec versions (folders of spec/torii/ or paths), as Markdown
  spec-add FILE|URL    a new spec version: its folder, the previous overlay beside it, generate, the diff
  drift REPORT...      strict-mode reports (TORII_STRICT_REPORT lines, or an error's drift) as draft overlay actions";

fn main() {
    if let Err(error) = run(std::env::args().skip(1).collect()) {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["generate"] => commands::generate::run(false),
        ["generate", "--check"] => commands::generate::run(true),
        ["test"] => commands::test::run_all(),
        ["test", part] => commands::test::run_part(part),
        ["demo"] => commands::demo::run_all(),
        ["dist"] => commands::dist::run_all(),
        ["bench"] => commands::bench::run(false, None),
        ["bench", "--quick"] => commands::bench::run(true, None),
        ["bench", language @ ("rust" | "python" | "node")] => commands::bench::run(false, Some(language)),
        ["bench", "--files"] => commands::bench::run_files(),
        ["soak"] => commands::soak::run(false),
        ["soak", "--quick"] => commands::soak::run(true),
        ["fuzz"] => commands::fuzz::run_all(commands::fuzz::Plan::full(commands::fuzz::DEFAULT_CASES)),
        ["fuzz", "--quick"] => commands::fuzz::run_all(commands::fuzz::Plan::quick()),
        ["fuzz", cases] => match cases.parse() {
            Ok(cases) => commands::fuzz::run_all(commands::fuzz::Plan::full(cases)),
            Err(_) => bail!("fuzz takes a number of cases, not {cases:?}"),
        },
        ["spec-diff", old, new] => commands::spec::diff(old, new),
        ["spec-add", source] => commands::spec::add(source),
        ["drift", files @ ..] => commands::drift::run(files),
        ["help"] | ["--help"] | ["-h"] | [] => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}
