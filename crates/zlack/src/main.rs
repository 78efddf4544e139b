use std::process::ExitCode;

fn main() -> ExitCode {
    zlack::cli::main()
}
