//! `openedx-hooks`: the command-line compiler for Open edX event catalogs.
//!
//! A thin shell over the compiler crates: it parses arguments, calls the
//! shared core, prints, and maps outcomes to exit codes (0 success, 1 the
//! catalog is invalid, 2 usage or I/O error). It holds no compiler logic.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use openedx_hooks_schema::diag::{ColorChoice, render_json, render_text};
use openedx_hooks_schema::{Loader, Outcome};

#[derive(Parser)]
#[command(name = "openedx-hooks", version, about = "Compile Open edX event catalogs", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a catalog and report every problem
    Check {
        /// Catalog files, or directories of `*.yaml`/`*.yml` files
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format of the diagnostics
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail (exit 1) on warnings too
        #[arg(long)]
        deny_warnings: bool,
        /// Color the text output
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
    /// Print the resolved catalog (the IR) as JSON
    Inspect {
        /// Catalog files, or directories of `*.yaml`/`*.yml` files
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Color the diagnostics when the catalog is invalid
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    fn choice(self) -> ColorChoice {
        let tty = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        match self {
            Color::Always => ColorChoice::Always,
            Color::Auto if tty => ColorChoice::Always,
            _ => ColorChoice::Never,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            format,
            deny_warnings,
            color,
        } => check(&paths, format, deny_warnings, color.choice()),
        Command::Inspect { paths, color } => inspect(&paths, color.choice()),
    }
}

fn load(paths: &[PathBuf]) -> Result<Outcome, ExitCode> {
    Loader::new().load(paths).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

fn print_diagnostics(outcome: &Outcome, color: ColorChoice) {
    let mut err = std::io::stderr().lock();
    for d in &outcome.diagnostics {
        let _ = writeln!(err, "{}\n", render_text(d, &outcome.sources, color));
    }
    let dropped = outcome.diagnostics.dropped();
    if dropped > 0 {
        let noun = if dropped == 1 {
            "diagnostic"
        } else {
            "diagnostics"
        };
        let _ = writeln!(err, "note: {dropped} more {noun} not shown\n");
    }
}

fn plural(n: usize, word: &str) -> String {
    let suffix = match (n, word.ends_with('s')) {
        (1, _) => "",
        (_, true) => "es",
        _ => "s",
    };
    format!("{n} {word}{suffix}")
}

fn check(paths: &[PathBuf], format: Format, deny_warnings: bool, color: ColorChoice) -> ExitCode {
    let outcome = match load(paths) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let errors = outcome.diagnostics.error_count();
    let warnings = outcome.diagnostics.warning_count();
    let failed = errors > 0 || (deny_warnings && warnings > 0);
    match format {
        Format::Json => {
            let json = render_json(&outcome.diagnostics, &outcome.sources);
            match serde_json::to_string_pretty(&json) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("error: cannot write JSON: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        Format::Text => {
            print_diagnostics(&outcome, color);
            match &outcome.catalog {
                Some(c) if !failed => {
                    let events = c.events().count();
                    let types: usize = c.modules().iter().map(|m| m.types.len()).sum();
                    let scalars: usize = c.modules().iter().map(|m| m.scalars.len()).sum();
                    let enums: usize = c.modules().iter().map(|m| m.enums.len()).sum();
                    println!(
                        "ok: {}, {}, {}, {}, {} in {} ({})",
                        plural(c.modules().len(), "module"),
                        plural(events, "event"),
                        plural(types, "data class"),
                        plural(scalars, "scalar"),
                        plural(enums, "enum"),
                        plural(outcome.sources.len(), "file"),
                        plural(warnings, "warning"),
                    );
                }
                _ => {
                    let why = if errors > 0 {
                        format!(
                            "{} and {}",
                            plural(errors, "error"),
                            plural(warnings, "warning")
                        )
                    } else {
                        format!(
                            "{} (denied by --deny-warnings)",
                            plural(warnings, "warning")
                        )
                    };
                    eprintln!("error: the catalog is invalid: {why}");
                }
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn inspect(paths: &[PathBuf], color: ColorChoice) -> ExitCode {
    let outcome = match load(paths) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some(catalog) = &outcome.catalog else {
        print_diagnostics(&outcome, color);
        eprintln!(
            "error: the catalog is invalid: {}",
            plural(outcome.diagnostics.error_count(), "error")
        );
        return ExitCode::from(1);
    };
    match serde_json::to_string_pretty(&catalog.to_json()) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write JSON: {e}");
            ExitCode::from(2)
        }
    }
}
