//! `refresh`: writes (or, with `--check`, verifies) every checked-in output
//! of a repository's catalogs, as its manifest (`openedx-hooks.toml`) lists
//! them, from one read of each catalog. The maintainer's one command: edit
//! the YAML, `refresh`, `compat`, test.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use openedx_hooks_codegen::{Builder, DocFormat, DocsOptions, generate_docs};
use openedx_hooks_schema::diag::ColorChoice;
use serde::Deserialize;

/// The manifest: which catalogs have which checked-in outputs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// One entry per catalog.
    outputs: Vec<Outputs>,
}

/// A catalog and where its outputs are checked in (paths relative to the
/// manifest's directory).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Outputs {
    /// Catalog files or directories.
    catalog: Vec<PathBuf>,
    /// The generated Rust file.
    rust: Option<PathBuf>,
    /// The reStructuredText documentation directory.
    docs: Option<PathBuf>,
    /// The Markdown documentation directory.
    docs_markdown: Option<PathBuf>,
    /// The directory the Python package is written under.
    python: Option<PathBuf>,
    /// The Python package's name (default `openedx_events`).
    #[serde(default)]
    python_package: Option<String>,
    /// The Rust crate path used in the documentation's examples.
    #[serde(default)]
    rust_crate: Option<String>,
    /// Catalogs whose types this one uses, from the crates that generate them.
    #[serde(default, rename = "extern")]
    externs: Vec<Extern>,
}

/// An extern catalog: `{ catalog = "generated/events", crate = "::openedx_events" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Extern {
    catalog: PathBuf,
    #[serde(rename = "crate")]
    krate: String,
}

pub fn run(manifest: &Path, check: bool, color: ColorChoice) -> ExitCode {
    let text = match std::fs::read_to_string(manifest) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", manifest.display());
            return ExitCode::from(2);
        }
    };
    let parsed: Manifest = match toml::from_str(&text) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: invalid manifest `{}`: {e}", manifest.display());
            return ExitCode::from(2);
        }
    };
    let base = manifest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut stale = 0;
    for outputs in &parsed.outputs {
        match refresh(base, outputs, check, color) {
            Ok(n) => stale += n,
            Err(code) => return code,
        }
    }
    if stale > 0 {
        eprintln!(
            "error: {stale} checked-in file(s) are stale; run `openedx-hooks refresh` and commit the result"
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// One catalog's outputs; the number of stale files (with `check`).
fn refresh(base: &Path, o: &Outputs, check: bool, color: ColorChoice) -> Result<usize, ExitCode> {
    let builder = o
        .catalog
        .iter()
        .fold(Builder::new().base_dir(base), |b, p| b.catalog(p));
    let builder = o
        .externs
        .iter()
        .fold(builder, |b, e| b.extern_catalog(&e.catalog, &e.krate));
    let generated = crate::read_and_generate(&builder, color)?;
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    if let Some(rust) = &o.rust {
        files.push((rust.clone(), generated.code.clone()));
    }
    for (dir, format) in [
        (&o.docs, DocFormat::Rst),
        (&o.docs_markdown, DocFormat::Markdown),
    ] {
        let Some(dir) = dir else { continue };
        let mut options = DocsOptions::new(format);
        if let Some(c) = &o.rust_crate {
            options = options.rust_crate(c);
        }
        let pages = generate_docs(&generated.catalog, &options).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
        files.extend(pages.into_iter().map(|p| (dir.join(p.path), p.text)));
    }
    if let Some(dir) = &o.python {
        let package = o.python_package.as_deref().unwrap_or("openedx_events");
        let python =
            openedx_hooks_codegen::generate_python(&generated.catalog, package).map_err(|e| {
                eprintln!("error: {e}");
                ExitCode::from(1)
            })?;
        files.extend(python.into_iter().map(|f| (dir.join(f.path), f.text)));
    }
    let mut stale = 0;
    for (path, text) in files {
        // `./generated/…` would be noise in every line printed.
        let at = if base == Path::new(".") {
            path
        } else {
            base.join(path)
        };
        match crate::write_output(&at, &text, check, "refresh") {
            c if c == ExitCode::SUCCESS => {}
            c if check && c == ExitCode::from(1) => stale += 1,
            c => return Err(c),
        }
    }
    Ok(stale)
}
