//! The `build.rs` entry point, in the style of `prost_build::Config`; also
//! the core of `include_catalog!` (which calls [`Builder::read_and_generate`]).

use std::fmt;
use std::path::{Path, PathBuf};

use openedx_hooks_schema::diag::{ColorChoice, render_text};
use openedx_hooks_schema::{Catalog, Diagnostics, LoadError, Loader, Severity, SourceMap};

use crate::{RustError, RustOptions};

/// Compiles catalogs to Rust at build time.
///
/// ```no_run
/// // build.rs, in `fn main`:
/// openedx_hooks_codegen::Builder::new()
///     .catalog("events/")
///     .out_file("events.rs")
///     .compile()
///     .unwrap_or_else(|e| e.exit());
/// // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/events.rs"));
/// ```
#[derive(Debug, Clone)]
pub struct Builder {
    catalogs: Vec<PathBuf>,
    extern_catalogs: Vec<(PathBuf, String)>,
    options: RustOptions,
    out_file: PathBuf,
    out_dir: Option<PathBuf>,
    base_dir: Option<PathBuf>,
    rerun_if_changed: bool,
    parallel: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            catalogs: Vec::new(),
            extern_catalogs: Vec::new(),
            options: RustOptions::default(),
            out_file: PathBuf::from("events.rs"),
            out_dir: None,
            base_dir: None,
            rerun_if_changed: true,
            parallel: true,
        }
    }
}

/// What [`Builder::read_and_generate`] produced.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Generated {
    /// The formatted Rust code.
    pub code: String,
    /// The catalog it was generated from (own and extern modules), for
    /// the other outputs of the same read.
    pub catalog: Catalog,
    /// Every catalog file read (own and extern), as read from disk.
    pub files: Vec<PathBuf>,
    /// Every directory whose listing chose files: adding a file there
    /// changes the catalog.
    pub dirs: Vec<PathBuf>,
    /// The catalog's warnings, with the files they point into.
    pub report: CatalogReport,
}

/// A catalog's diagnostics with the files they point into.
#[derive(Debug, Clone)]
pub struct CatalogReport {
    /// The files read.
    pub sources: SourceMap,
    /// Errors and warnings.
    pub diagnostics: Diagnostics,
}

impl CatalogReport {
    /// Each diagnostic rendered without colour: message, `file:line:column`,
    /// snippet and help.
    pub fn rendered(&self) -> Vec<String> {
        self.diagnostics
            .iter()
            .map(|d| render_text(d, &self.sources, ColorChoice::Never))
            .collect()
    }

    /// The warnings, one line each (`file:line:column: warning[code]: message`),
    /// as Cargo's `cargo:warning=` wants them.
    pub fn warning_lines(&self) -> Vec<String> {
        self.lines(Severity::Warning)
    }

    /// The errors, one line each (`file:line:column: error[code]: message`,
    /// with the help when there is one), as Cargo's `cargo::error=` wants them.
    pub fn error_lines(&self) -> Vec<String> {
        self.lines(Severity::Error)
    }

    fn lines(&self, severity: Severity) -> Vec<String> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .map(|d| one_line(d, &self.sources))
            .collect()
    }
}

/// Why a build-time generation failed.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A catalog path could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The catalog has errors; rendering shows every one.
    #[error("{}", render_catalog(.0))]
    Catalog(Box<CatalogReport>),
    /// The options do not fit the catalog.
    #[error("cannot generate Rust: {0}")]
    Rust(RustError),
    /// `OUT_DIR` is unset and no [`Builder::out_dir`] was given.
    #[error("OUT_DIR is not set: run from a build script, or call `Builder::out_dir`")]
    NoOutDir,
    /// The output could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

// `unwrap()` and `?` in `main` print Debug: show the rendered report there too.
impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl BuildError {
    /// Prints the report to stderr and exits with status 1: a failed build
    /// shows the diagnostics, not a panic backtrace.
    pub fn exit(self) -> ! {
        eprintln!("{self}");
        std::process::exit(1)
    }
}

fn render_catalog(e: &CatalogReport) -> String {
    let mut out = e.rendered().join("\n\n");
    let errors = e.diagnostics.error_count();
    out.push_str(&format!(
        "\n\nerror: the catalog has {errors} error{}",
        if errors == 1 { "" } else { "s" }
    ));
    out
}

impl Builder {
    /// A builder with the default options, writing `events.rs` into `OUT_DIR`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds catalog files or directories (every `*.yaml`/`*.yml` directly inside).
    pub fn catalog(mut self, path: impl AsRef<Path>) -> Self {
        self.catalogs.push(path.as_ref().to_owned());
        self
    }

    /// Adds another crate's catalog (files or a directory): its types can be
    /// used, and every module in it is taken from `crate_path::<module>`
    /// instead of being generated. For the Open edX catalog,
    /// `std::env::var("DEP_OPENEDX_EVENTS_CATALOG_DIR")` and `::openedx_events`.
    pub fn extern_catalog(mut self, path: impl AsRef<Path>, crate_path: impl Into<String>) -> Self {
        self.extern_catalogs
            .push((path.as_ref().to_owned(), crate_path.into()));
        self
    }

    /// Takes one module's types from `rust_path` instead of generating them.
    pub fn extern_module(
        mut self,
        module: impl Into<String>,
        rust_path: impl Into<String>,
    ) -> Self {
        self.options = self.options.extern_module(module, rust_path);
        self
    }

    /// Adds a derive (a path, e.g. `::schemars::JsonSchema`) to every generated type.
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.options = self.options.derive(path);
        self
    }

    /// Adds an attribute (`#[...]`) to the types `selector` names: `.`, a
    /// module, or `module.Name`.
    pub fn type_attribute(
        mut self,
        selector: impl Into<String>,
        attribute: impl Into<String>,
    ) -> Self {
        self.options = self.options.type_attribute(selector, attribute);
        self
    }

    /// Binds a host type (`learning.User`) to the Rust type it stands for
    /// (default: the runtime's `types::JsonValue`).
    pub fn host_type(mut self, host: impl Into<String>, rust_path: impl Into<String>) -> Self {
        self.options = self.options.host_type(host, rust_path);
        self
    }

    /// The runtime crate's path in generated code (default `::openedx_hooks`).
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.options = self.options.runtime_crate(path);
        self
    }

    /// The output file, relative to the output directory (default `events.rs`).
    pub fn out_file(mut self, path: impl AsRef<Path>) -> Self {
        self.out_file = path.as_ref().to_owned();
        self
    }

    /// The output directory (default: `OUT_DIR`).
    pub fn out_dir(mut self, path: impl AsRef<Path>) -> Self {
        self.out_dir = Some(path.as_ref().to_owned());
        self
    }

    /// Resolves relative catalog paths against `dir` instead of the current
    /// directory; diagnostics still name files as written.
    pub fn base_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.base_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// Whether [`compile`](Self::compile) prints `cargo:rerun-if-changed`
    /// for every file and directory read (default: yes).
    pub fn emit_rerun_if_changed(mut self, yes: bool) -> Self {
        self.rerun_if_changed = yes;
        self
    }

    /// Generates on the calling thread only. Proc-macros must: inside one,
    /// proc-macro2 uses the compiler's token API, which exists only on the
    /// macro's own thread (the output is the same either way).
    pub fn single_threaded(mut self) -> Self {
        self.parallel = false;
        self
    }

    /// The settings the generator will use.
    pub fn options(&self) -> &RustOptions {
        &self.options
    }

    /// Every catalog file the builder reads (own and extern), as read from
    /// disk, and the directories whose listing chose them.
    pub fn inputs(&self) -> Result<(Vec<PathBuf>, Vec<PathBuf>), LoadError> {
        let inputs = self.collect()?;
        Ok((
            inputs.files.into_iter().map(|(_, f)| f).collect(),
            inputs.dirs,
        ))
    }

    fn collect(&self) -> Result<Inputs<'_>, LoadError> {
        if self.catalogs.is_empty() {
            return Err(LoadError::NoPaths);
        }
        let mut inputs = Inputs {
            files: Vec::new(),
            dirs: Vec::new(),
            extern_files: Vec::new(),
        };
        let own = self.catalogs.iter().map(|p| (p, None));
        let externs = self
            .extern_catalogs
            .iter()
            .map(|(p, c)| (p, Some(c.as_str())));
        for (given, crate_path) in own.chain(externs) {
            let real = match &self.base_dir {
                Some(base) => base.join(given),
                None => given.clone(),
            };
            if real.is_dir() {
                inputs.dirs.push(real.clone());
            }
            for file in Loader::collect_files(&[&real])? {
                // Named as written: `events/learning.yaml`, not the absolute path.
                let name = match &self.base_dir {
                    Some(base) if given.is_relative() => {
                        file.strip_prefix(base).unwrap_or(&file).to_owned()
                    }
                    _ => file.clone(),
                };
                if let Some(c) = crate_path {
                    inputs.extern_files.push((name.clone(), c));
                }
                if !inputs.files.iter().any(|(_, f)| *f == file) {
                    inputs.files.push((name, file));
                }
            }
        }
        Ok(inputs)
    }

    /// Reads, checks and generates, without writing or printing anything.
    pub fn read_and_generate(&self) -> Result<Generated, BuildError> {
        let Inputs {
            files,
            dirs,
            extern_files,
        } = self.collect()?;
        // One group per catalog: ours first, then each extern catalog, so
        // each catalog's settings govern only its own files.
        let mut crates: Vec<&str> = Vec::new();
        let mut groups: Vec<Vec<(&Path, &Path)>> = vec![Vec::new()];
        for (name, file) in &files {
            let group = match extern_files.iter().find(|(n, _)| n == name) {
                None => 0,
                Some((_, c)) => match crates.iter().position(|x| x == c) {
                    Some(i) => i + 1,
                    None => {
                        crates.push(c);
                        groups.push(Vec::new());
                        crates.len()
                    }
                },
            };
            groups[group].push((name.as_path(), file.as_path()));
        }
        let groups: Vec<&[(&Path, &Path)]> = groups.iter().map(Vec::as_slice).collect();
        let mut outcome = Loader::new().load_catalogs(&groups)?;
        let Some(catalog) = outcome.catalog.take() else {
            return Err(BuildError::Catalog(Box::new(CatalogReport {
                sources: outcome.sources,
                diagnostics: outcome.diagnostics,
            })));
        };
        let mut options = self.options.clone();
        for m in catalog.modules() {
            let file = Path::new(catalog.sources().file(m.file).name());
            if let Some((_, c)) = extern_files.iter().find(|(n, _)| n == file) {
                let module = crate::rust::module_ident(&m.name);
                options
                    .extern_modules
                    .push((m.name.clone(), format!("{c}::{module}")));
            }
        }
        let code = match crate::rust::generate_rust_on(&catalog, &options, self.parallel) {
            Ok(code) => code,
            Err(RustError::Names(diagnostics)) => {
                return Err(BuildError::Catalog(Box::new(CatalogReport {
                    sources: outcome.sources,
                    diagnostics,
                })));
            }
            Err(e) => return Err(BuildError::Rust(e)),
        };
        Ok(Generated {
            code,
            catalog,
            files: files.into_iter().map(|(_, f)| f).collect(),
            dirs,
            report: CatalogReport {
                sources: outcome.sources,
                diagnostics: outcome.diagnostics,
            },
        })
    }

    /// Generates into the output file, writing it only when its content
    /// changes (so dependent crates are not rebuilt for nothing), and prints
    /// `cargo:rerun-if-changed` lines and the catalog's warnings for Cargo.
    /// Returns the output path.
    pub fn compile(&self) -> Result<PathBuf, BuildError> {
        self.compile_to(&mut std::io::stdout().lock())
    }

    /// Like [`compile`](Self::compile), writing Cargo's instructions
    /// (`cargo:rerun-if-changed=...`, `cargo:warning=...`) to `cargo`: for
    /// tools that wrap a build script and tests that read them.
    pub fn compile_to(&self, cargo: &mut dyn std::io::Write) -> Result<PathBuf, BuildError> {
        let mut say = |line: String| {
            // Cargo reads these from stdout; a closed stdout is not our error to report.
            let _ = writeln!(cargo, "{line}");
        };
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        // Every input is announced, after a catalog error too: fixing any
        // input (or adding a file to a directory) reruns the build script.
        let inputs = if self.rerun_if_changed {
            let (files, dirs) = self.inputs()?;
            dirs.into_iter().chain(files).collect()
        } else {
            Vec::new()
        };
        let generated = match self.read_and_generate() {
            Ok(g) => g,
            Err(BuildError::Catalog(report)) => {
                // `cargo::error` lines are shown first, above Cargo's dump of
                // the script's output: the problems, not a screen of
                // `rerun-if-changed` lines. The full rendering goes to stderr.
                for line in report.error_lines() {
                    say(format!("cargo::error={line}"));
                }
                for p in &inputs {
                    say(format!("cargo:rerun-if-changed={}", p.display()));
                }
                return Err(BuildError::Catalog(report));
            }
            Err(e) => return Err(e),
        };
        for p in &inputs {
            say(format!("cargo:rerun-if-changed={}", p.display()));
        }
        for w in generated.report.warning_lines() {
            say(format!("cargo:warning={w}"));
        }
        let path = out_dir.join(&self.out_file);
        write_if_changed(&path, &generated.code)?;
        Ok(path)
    }
}

/// The files to read: `(name in diagnostics, path on disk)`.
struct Inputs<'a> {
    files: Vec<(PathBuf, PathBuf)>,
    dirs: Vec<PathBuf>,
    /// Files of extern catalogs (by name), with their crate path.
    extern_files: Vec<(PathBuf, &'a str)>,
}

fn one_line(d: &openedx_hooks_schema::Diagnostic, sources: &SourceMap) -> String {
    let place = match (d.span, d.file) {
        (Some(s), _) => format!("{}:{}:{}: ", sources.file(s.file).name(), s.line, s.column),
        (None, Some(f)) => format!("{}: ", sources.file(f).name()),
        (None, None) => String::new(),
    };
    let level = match d.severity {
        Severity::Error => "error",
        _ => "warning",
    };
    let help = match (&d.severity, &d.help) {
        (Severity::Error, Some(h)) => format!(" ({})", h.replace('\n', " ")),
        _ => String::new(),
    };
    format!(
        "{place}{level}[{}]: {}{help}",
        d.code.as_str(),
        d.message.replace('\n', " ")
    )
}

/// Writes `content` unless the file already holds exactly it.
pub fn write_if_changed(path: &Path, content: &str) -> Result<bool, BuildError> {
    // Only a file of the same length can be the same: the others are not
    // read (a generated file can be tens of megabytes).
    let same_len = std::fs::metadata(path).is_ok_and(|m| m.len() == content.len() as u64);
    if same_len && std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(false);
    }
    let fail = |source| BuildError::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, content).map_err(fail)?;
    Ok(true)
}
