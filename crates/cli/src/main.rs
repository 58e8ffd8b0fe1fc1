//! The `remit` binary: everything is in the library (`lib.rs`), which tests call in process.

fn main() -> std::process::ExitCode {
    remit_cli::main()
}
