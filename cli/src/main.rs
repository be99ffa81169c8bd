//! `openedx-hooks`: the command-line compiler for Open edX event catalogs.
//!
//! A thin shell over the compiler crates: it parses arguments, calls the
//! shared core, prints, and maps outcomes to exit codes (0 success, 1 the
//! catalog is invalid, 2 usage or I/O error). It holds no compiler logic.

/// `print!` to stdout that never panics: a closed pipe (`openedx-hooks
/// docs … | head`) ends the process quietly with the status a shell gives
/// SIGPIPE (141); another write error is reported and exits 2.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(::std::format_args!($($arg)*))
    };
}

/// `println!` through [`out!`].
macro_rules! outln {
    () => {
        out!("\n")
    };
    ($($arg:tt)*) => {
        out!("{}\n", ::std::format_args!($($arg)*))
    };
}

// Generating code builds and drops millions of small token and syntax-tree
// nodes: with glibc's allocator, allocation was a third of `generate`'s
// time on 10,000 events (perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bus;
mod compat;
mod docs;
mod emit;
mod payload;
mod refresh;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use openedx_hooks_codegen::{BuildError, Builder, Generated};
use openedx_hooks_schema::diag::{ColorChoice, render_json, render_text};
use openedx_hooks_schema::{Catalog, Diagnostics, Loader, Outcome, SourceMap};

#[derive(Parser)]
#[command(name = "openedx-hooks", version, about = "Compile Open edX event catalogs", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The catalog a subcommand reads (shared by every subcommand).
#[derive(clap::Args)]
struct CatalogArgs {
    /// Catalog files, or directories of `*.yaml`/`*.yml` files
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Catalogs whose types the catalog uses (`--extern-catalog CATALOG[=CRATE]`,
/// repeatable): loaded with it, each with its own settings.
#[derive(clap::Args)]
struct ExternArgs {
    /// Another catalog (file or directory) whose types this one uses; the
    /// `=CRATE` part (the crate that generates it) is needed by `build` only
    #[arg(long = "extern-catalog", value_name = "CATALOG[=CRATE]")]
    externs: Vec<String>,
}

impl ExternArgs {
    /// `(catalog path, crate path if given)`.
    fn parsed(&self) -> Vec<(PathBuf, Option<String>)> {
        self.externs
            .iter()
            .map(|e| match e.split_once('=') {
                Some((c, k)) => (PathBuf::from(c), Some(k.to_owned())),
                None => (PathBuf::from(e), None),
            })
            .collect()
    }

    fn paths(&self) -> Vec<PathBuf> {
        self.parsed().into_iter().map(|(p, _)| p).collect()
    }
}

/// `--color` (shared by every subcommand).
#[derive(clap::Args)]
struct ColorArg {
    /// Color the diagnostics and text output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

impl ColorArg {
    fn choice(&self) -> ColorChoice {
        self.color.choice()
    }
}

/// The event and payload encoding of `encode` and `decode`.
#[derive(clap::Args)]
struct EventArgs {
    /// The event: its type string or its constant name
    #[arg(long)]
    event: String,
    /// The payload's encoding on the binary side (`json` checks and normalizes)
    #[arg(long, value_enum, default_value_t = payload::WireFormat::Avro)]
    format: payload::WireFormat,
    /// Accept (and drop) JSON keys the event's payload does not have, for
    /// payloads from newer senders; by default such a key is an error that
    /// names its path and the nearest field
    #[arg(long)]
    allow_unknown_fields: bool,
}

impl EventArgs {
    fn options(&self) -> openedx_hooks_codec::Options {
        openedx_hooks_codec::Options::new().allow_unknown_fields(self.allow_unknown_fields)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Validate a catalog and report every problem
    Check {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        /// Output format of the diagnostics
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail (exit 1) on warnings too
        #[arg(long)]
        deny_warnings: bool,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Generate Rust payload types and signals
    Generate {
        #[command(flatten)]
        catalog: CatalogArgs,
        /// The Rust file to write (only rewritten when its content changes)
        #[arg(long)]
        out: PathBuf,
        /// Write nothing; exit 1 with a diff when `--out` is stale, 0 when fresh
        #[arg(long)]
        check: bool,
        /// Path of the runtime crate in generated code
        #[arg(long, default_value = "::openedx_hooks")]
        runtime_crate: String,
        /// Extra derive for every generated type (a path; repeatable)
        #[arg(long = "derive", value_name = "PATH")]
        derives: Vec<String>,
        /// `SELECTOR=#[attribute]`: add the attribute to the selected types
        /// (`.`, `module` or `module.Name`; repeatable)
        #[arg(long = "type-attribute", value_name = "SELECTOR=ATTR", value_parser = key_value)]
        type_attributes: Vec<(String, String)>,
        /// `MODULE=RUST_PATH`: use that module's types from another crate instead of generating them (repeatable)
        #[arg(long = "extern-module", value_name = "MODULE=PATH", value_parser = key_value)]
        extern_modules: Vec<(String, String)>,
        /// `MODULE.NAME=RUST_TYPE`: the Rust type a host type stands for
        /// (default: the runtime's JSON value; repeatable)
        #[arg(long = "host-type", value_name = "HOST=TYPE", value_parser = key_value)]
        host_types: Vec<(String, String)>,
        /// `CATALOG=CRATE_PATH`: another crate's catalog (file or directory)
        /// whose modules are used from `CRATE_PATH::<module>` (repeatable)
        #[arg(long = "extern-catalog", value_name = "CATALOG=CRATE", value_parser = key_value)]
        extern_catalogs: Vec<(String, String)>,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Fail on breaking payload changes against a baseline catalog
    Compat {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        /// The baseline: a path, or `git:REF[:SUBDIR]` read from git without a checkout
        #[arg(long)]
        against: String,
        /// Which consumers must keep working
        #[arg(long, value_enum, default_value_t = compat::CompatMode::Full)]
        mode: compat::CompatMode,
        /// Output format
        #[arg(long, value_enum, default_value_t = compat::CompatFormat::Text)]
        format: compat::CompatFormat,
        /// YAML list of approved changes (`rule`, `event`, `path`, `reason`, `expires`)
        #[arg(long)]
        ignore: Option<PathBuf>,
        /// Fail on warnings too
        #[arg(long)]
        deny_warnings: bool,
        /// Also report documentation-only changes
        #[arg(long)]
        verbose: bool,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Write wire schemas: Avro (`.avsc`) or JSON Schema, one file per event
    Schema {
        /// Which schemas
        #[arg(value_enum)]
        kind: emit::SchemaKind,
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        /// The directory to write into (files are only rewritten when they change)
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Encode one event payload read as JSON on stdin; write it to stdout
    Encode {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        #[command(flatten)]
        event: EventArgs,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Decode one event payload read on stdin; print it as JSON
    Decode {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        #[command(flatten)]
        event: EventArgs,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Generate the Python package the platform imports: per module, attrs data classes (`data.py`), signals (`signals.py`) and filters (`filters.py`)
    Python {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        /// The directory the package is written under (`DIR/NAME/…`)
        #[arg(long)]
        out: PathBuf,
        /// The package name (dotted for a subpackage)
        #[arg(long, default_value = "openedx_events")]
        package: String,
        /// Write nothing; exit 1 with a diff when a file is stale, 0 when fresh
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Send, tail and inspect events on the event bus (Redis Streams, Kafka)
    Bus {
        #[command(subcommand)]
        command: bus::BusCommand,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Write every output (Rust, Avro, JSON Schema, docs, Python) from one read of the catalog
    Build {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        /// The directory to write into (`rust/`, `avro/`, `json-schema/`, `docs/`, `python/`)
        #[arg(long)]
        out: PathBuf,
        /// The Python package's name under `python/` (`openedx_filters` for a
        /// filters catalog)
        #[arg(long, default_value = "openedx_events")]
        python_package: String,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Generate documentation: the Index of Events and a reference page per module
    Docs {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = docs::Format::Rst)]
        format: docs::Format,
        /// Directory for `index.<ext>` and `reference/<module>.<ext>`; without
        /// it, the index table is printed
        #[arg(long)]
        out: Option<PathBuf>,
        /// Source trees to scan for trigger locations (see `triggers`); found
        /// locations replace the catalog's `trigger` in links
        #[arg(long = "triggers", value_name = "SRC")]
        triggers: Vec<PathBuf>,
        /// Rust path of the generated events in examples
        #[arg(long, default_value = "openedx_events")]
        rust_crate: String,
        /// Write nothing; exit 1 with a diff when a page under `--out` is stale
        #[arg(long, requires = "out")]
        check: bool,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Find where each catalog event is sent in Rust and Python source trees
    Triggers {
        /// Source trees or files to scan (`*.rs`, `*.py`)
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// The catalog: files, or directories of `*.yaml`/`*.yml` files
        #[arg(long, required = true, num_args = 1..)]
        catalog: Vec<PathBuf>,
        #[command(flatten)]
        externs: ExternArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = docs::ReportFormat::Text)]
        format: docs::ReportFormat,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Regenerate every checked-in output the manifest lists (Rust, docs in
    /// both formats), from one read of each catalog
    Refresh {
        /// The manifest: which catalogs have which checked-in outputs
        #[arg(long, default_value = "openedx-hooks.toml")]
        manifest: PathBuf,
        /// Write nothing; exit 1 with a diff for each stale file
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Print the resolved catalog (the IR) as JSON
    Inspect {
        #[command(flatten)]
        catalog: CatalogArgs,
        #[command(flatten)]
        externs: ExternArgs,
        #[command(flatten)]
        color: ColorArg,
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
            catalog: CatalogArgs { paths },
            externs,
            format,
            deny_warnings,
            color,
        } => check(
            &paths,
            &externs.paths(),
            format,
            deny_warnings,
            color.choice(),
        ),
        Command::Inspect {
            catalog: CatalogArgs { paths },
            externs,
            color,
        } => inspect(&paths, &externs.paths(), color.choice()),
        Command::Docs {
            catalog: CatalogArgs { paths },
            externs,
            format,
            out,
            triggers,
            rust_crate,
            check,
            color,
        } => docs::docs(docs::DocsArgs {
            paths,
            externs: externs.paths(),
            format,
            out,
            triggers,
            rust_crate,
            check,
            color: color.choice(),
        }),
        Command::Refresh {
            manifest,
            check,
            color,
        } => refresh::run(&manifest, check, color.choice()),
        Command::Triggers {
            sources,
            catalog,
            externs,
            format,
            color,
        } => docs::triggers(&sources, &catalog, &externs.paths(), format, color.choice()),
        Command::Schema {
            kind,
            catalog: CatalogArgs { paths },
            externs,
            out,
            color,
        } => emit::schema(kind, &paths, &externs.paths(), &out, color.choice()),
        Command::Build {
            catalog: CatalogArgs { paths },
            externs,
            out,
            python_package,
            color,
        } => emit::build(
            &paths,
            &externs.parsed(),
            &out,
            &python_package,
            color.choice(),
        ),
        Command::Encode {
            catalog: CatalogArgs { paths },
            externs,
            event,
            color,
        } => payload::run(
            payload::Direction::Encode,
            &paths,
            &externs.paths(),
            &event.event,
            event.format,
            event.options(),
            color.choice(),
        ),
        Command::Bus { command, color } => bus::run(command, color.choice()),
        Command::Python {
            catalog: CatalogArgs { paths },
            externs,
            out,
            package,
            check,
            color,
        } => python(
            &paths,
            &externs.paths(),
            &out,
            &package,
            check,
            color.choice(),
        ),
        Command::Decode {
            catalog: CatalogArgs { paths },
            externs,
            event,
            color,
        } => payload::run(
            payload::Direction::Decode,
            &paths,
            &externs.paths(),
            &event.event,
            event.format,
            event.options(),
            color.choice(),
        ),
        Command::Compat {
            catalog: CatalogArgs { paths },
            externs,
            against,
            mode,
            format,
            ignore,
            deny_warnings,
            verbose,
            color,
        } => compat::run(compat::Args {
            paths,
            externs: externs.paths(),
            against,
            mode: mode.into(),
            format,
            ignore,
            deny_warnings,
            verbose,
            color: color.choice(),
        }),
        Command::Generate {
            catalog: CatalogArgs { paths },
            out,
            check,
            runtime_crate,
            derives,
            type_attributes,
            extern_modules,
            host_types,
            extern_catalogs,
            color,
        } => {
            let mut builder = Builder::new().runtime_crate(runtime_crate);
            for p in &paths {
                builder = builder.catalog(p);
            }
            for d in derives {
                builder = builder.derive(d);
            }
            for (selector, attr) in type_attributes {
                builder = builder.type_attribute(selector, attr);
            }
            for (module, path) in extern_modules {
                builder = builder.extern_module(module, path);
            }
            for (host, path) in host_types {
                builder = builder.host_type(host, path);
            }
            for (catalog, crate_path) in extern_catalogs {
                builder = builder.extern_catalog(catalog, crate_path);
            }
            generate(&builder, &out, check, color.choice())
        }
    }
}

/// Loads a catalog, with the extern catalogs whose types it uses (each
/// with its own settings).
fn load(paths: &[PathBuf], externs: &[PathBuf]) -> Result<Outcome, ExitCode> {
    Loader::new()
        .load_with_externs(paths, externs)
        .map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })
}

fn print_diagnostics(diagnostics: &Diagnostics, sources: &SourceMap, color: ColorChoice) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "{}\n", render_text(d, sources, color));
    }
    let dropped = diagnostics.dropped();
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

fn check(
    paths: &[PathBuf],
    externs: &[PathBuf],
    format: Format,
    deny_warnings: bool,
    color: ColorChoice,
) -> ExitCode {
    let outcome = match load(paths, externs) {
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
                Ok(s) => outln!("{s}"),
                Err(e) => {
                    eprintln!("error: cannot write JSON: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        Format::Text => {
            print_diagnostics(&outcome.diagnostics, &outcome.sources, color);
            match &outcome.catalog {
                Some(c) if !failed => {
                    // The catalog's own definitions: extern catalogs are
                    // checked on their own.
                    let own: Vec<_> = c.own_modules().map(|(_, m)| m).collect();
                    let count = |f: fn(&openedx_hooks_schema::Module) -> usize| -> usize {
                        own.iter().map(|m| f(m)).sum()
                    };
                    let files = own
                        .iter()
                        .map(|m| m.file)
                        .collect::<std::collections::BTreeSet<_>>()
                        .len();
                    let filters = count(|m| m.filters.len());
                    let hooks = if filters > 0 {
                        format!(
                            ", {}, {}",
                            plural(filters, "filter"),
                            plural(count(|m| m.hosts.len()), "host type")
                        )
                    } else {
                        String::new()
                    };
                    outln!(
                        "ok: {}, {}, {}, {}, {}{hooks} in {} ({})",
                        plural(own.len(), "module"),
                        plural(count(|m| m.events.len()), "event"),
                        plural(count(|m| m.types.len()), "data class"),
                        plural(count(|m| m.scalars.len()), "scalar"),
                        plural(count(|m| m.enums.len()), "enum"),
                        plural(files, "file"),
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

fn inspect(paths: &[PathBuf], externs: &[PathBuf], color: ColorChoice) -> ExitCode {
    let loaded = match load_valid(paths, externs, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let catalog = &loaded;
    match serde_json::to_string_pretty(&catalog.to_json()) {
        Ok(s) => {
            outln!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write JSON: {e}");
            ExitCode::from(2)
        }
    }
}

/// The one way a subcommand loads the catalog it works on: prints the
/// diagnostics (warnings included) to stderr; `Err` is the exit code (1
/// for an invalid catalog, 2 when it cannot be read).
fn load_valid(
    paths: &[PathBuf],
    externs: &[PathBuf],
    color: ColorChoice,
) -> Result<Catalog, ExitCode> {
    let outcome = load(paths, externs)?;
    print_diagnostics(&outcome.diagnostics, &outcome.sources, color);
    match outcome.catalog {
        Some(catalog) => Ok(catalog),
        None => {
            eprintln!(
                "error: the catalog is invalid: {}",
                plural(outcome.diagnostics.error_count(), "error")
            );
            Err(ExitCode::from(1))
        }
    }
}

/// `generate` and `build` are shells over the same [`Builder`] `build.rs`
/// scripts use, so all give byte-identical code. Prints the diagnostics;
/// `Err` is the exit code.
fn read_and_generate(builder: &Builder, color: ColorChoice) -> Result<Generated, ExitCode> {
    match builder.read_and_generate() {
        Ok(generated) => {
            print_diagnostics(
                &generated.report.diagnostics,
                &generated.report.sources,
                color,
            );
            Ok(generated)
        }
        Err(BuildError::Catalog(report)) => {
            print_diagnostics(&report.diagnostics, &report.sources, color);
            eprintln!(
                "error: cannot generate Rust: {}",
                plural(report.diagnostics.error_count(), "error")
            );
            Err(ExitCode::from(1))
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(2))
        }
    }
}

fn generate(builder: &Builder, out: &Path, check: bool, color: ColorChoice) -> ExitCode {
    match read_and_generate(builder, color) {
        Ok(generated) => write_output(out, &generated.code, check, "generate"),
        Err(code) => code,
    }
}

fn write_stdout(args: std::fmt::Arguments<'_>) {
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(2);
    }
}

/// `KEY=VALUE`, split at the first `=`.
fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("expected KEY=VALUE, got `{s}`")),
    }
}

/// `python`: the catalog's Python package under `out`.
fn python(
    paths: &[PathBuf],
    externs: &[PathBuf],
    out: &Path,
    package: &str,
    check: bool,
    color: ColorChoice,
) -> ExitCode {
    let catalog = match load_valid(paths, externs, color) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let files = match openedx_hooks_codegen::generate_python(&catalog, package) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let mut worst = ExitCode::SUCCESS;
    for f in &files {
        let code = write_output(&out.join(&f.path), &f.text, check, "python");
        if code != ExitCode::SUCCESS {
            worst = code;
        }
    }
    worst
}

/// Writes `content` to `path` unless it is already there; with `check`, only
/// compares (exit 1 and a unified diff when stale).
fn write_output(path: &Path, content: &str, check: bool, command: &str) -> ExitCode {
    let current = match std::fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    if current.as_deref() == Some(content) {
        if check {
            outln!("fresh: {}", path.display());
        }
        return ExitCode::SUCCESS;
    }
    if check {
        let old = current.unwrap_or_default();
        let diff = similar::TextDiff::from_lines(old.as_str(), content);
        let name = path.display().to_string();
        out!(
            "{}",
            diff.unified_diff()
                .context_radius(3)
                .header(&name, &format!("{name} (generated)"))
        );
        eprintln!("error: `{name}` is stale; run `openedx-hooks {command}` without --check");
        return ExitCode::from(1);
    }
    // The file differs (or is missing): the shared writer creates its directory.
    match openedx_hooks_codegen::write_if_changed(path, content) {
        Ok(_) => {
            outln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
