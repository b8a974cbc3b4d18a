//! `toriihq`: see the crate's documentation, or `toriihq --help`.

fn main() {
    std::process::exit(toriihq_cli::main(std::env::args_os()));
}
