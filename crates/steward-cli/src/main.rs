//! The `steward` command. Thin: parse arguments, run a command, map the outcome to an exit
//! code (0 clean, 1 findings at or above `--fail-on`, 2 usage, connection or IO error).

/// `print!` for commands: a write error (a closed pipe) is returned with `?` instead of
/// panicking; `main` ends quietly on a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => {
        std::io::Write::write_fmt(&mut std::io::stdout(), format_args!($($arg)*))?
    };
}

/// `println!` for commands, as [`out!`].
macro_rules! outln {
    () => {
        out!("\n")
    };
    ($($arg:tt)*) => {
        out!("{}\n", format_args!($($arg)*))
    };
}

mod cli;
mod commands;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        // `steward rules | head`: the reader has all it wanted.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("steward: error: {error:#}");
            ExitCode::from(2)
        }
    }
}
