//! `schema avro|json-schema` and `build`: writing the compiler's outputs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;
use openedx_hooks_codegen::{
    Builder, DocFormat, DocsOptions, SchemaFile, generate_avro, generate_docs,
    generate_json_schema, generate_python, write_if_changed,
};
use openedx_hooks_schema::Catalog;
use openedx_hooks_schema::diag::ColorChoice;

/// The wire schema kinds.
#[derive(Clone, Copy, ValueEnum)]
pub enum SchemaKind {
    /// One `<event_type>.avsc` per event (the `openedx` profile: the schema
    /// openedx-events' `schema_from_signal` builds)
    Avro,
    /// One `<event_type>.schema.json` per event payload (JSON Schema 2020-12)
    JsonSchema,
}

/// Files written and left alone.
#[derive(Default)]
struct Tally {
    written: usize,
    unchanged: usize,
}

impl Tally {
    fn write(&mut self, path: &Path, text: &str) -> Result<(), ExitCode> {
        match write_if_changed(path, text) {
            Ok(true) => self.written += 1,
            Ok(false) => self.unchanged += 1,
            Err(e) => {
                eprintln!("error: {e}");
                return Err(ExitCode::from(2));
            }
        }
        Ok(())
    }

    fn files(&mut self, dir: &Path, files: &[SchemaFile]) -> Result<(), ExitCode> {
        for f in files {
            self.write(&dir.join(&f.file_name), &f.text)?;
        }
        Ok(())
    }
}

pub fn schema(
    kind: SchemaKind,
    paths: &[PathBuf],
    externs: &[PathBuf],
    out: &Path,
    color: ColorChoice,
) -> ExitCode {
    let loaded = match crate::load_valid(paths, externs, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let catalog = &loaded;
    let files = match kind {
        SchemaKind::Avro => generate_avro(catalog),
        SchemaKind::JsonSchema => generate_json_schema(catalog),
    };
    let mut tally = Tally::default();
    if let Err(code) = tally.files(out, &files) {
        return code;
    }
    outln!(
        "{} schemas in {}: {} written, {} unchanged",
        files.len(),
        out.display(),
        tally.written,
        tally.unchanged
    );
    ExitCode::SUCCESS
}

/// Every output from one read of the catalog, through the same `Builder`
/// as `generate` and `build.rs` scripts (so `rust/events.rs` is
/// byte-identical to theirs).
pub fn build(
    paths: &[PathBuf],
    externs: &[(PathBuf, Option<String>)],
    out: &Path,
    python_package: &str,
    color: ColorChoice,
) -> ExitCode {
    let started = Instant::now();
    let mut builder = paths.iter().fold(Builder::new(), |b, p| b.catalog(p));
    for (catalog, krate) in externs {
        let Some(krate) = krate else {
            eprintln!(
                "error: `--extern-catalog {}` needs the crate that generates it: `{}=::crate_path`",
                catalog.display(),
                catalog.display()
            );
            return ExitCode::from(2);
        };
        builder = builder.extern_catalog(catalog, krate);
    }
    let generated = match crate::read_and_generate(&builder, color) {
        Ok(g) => g,
        Err(code) => return code,
    };
    let catalog = &generated.catalog;
    let events = catalog.events().count();
    outln!(
        "catalog  {} file(s), {events} events, checked and compiled to Rust in {:.2?}",
        catalog.sources().len(),
        started.elapsed()
    );
    match build_outputs(catalog, &generated.code, out, python_package) {
        Ok(tally) => {
            outln!(
                "built    {} in {:.2?}: {} file(s) written, {} unchanged",
                out.display(),
                started.elapsed(),
                tally.written,
                tally.unchanged
            );
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn build_outputs(
    catalog: &Catalog,
    rust: &str,
    out: &Path,
    python_package: &str,
) -> Result<Tally, ExitCode> {
    let mut tally = Tally::default();
    let step = |name: &str, path: &Path, count: usize, t: Instant| {
        outln!(
            "{name:<8} {} ({count} file(s), {:.2?})",
            path.display(),
            t.elapsed()
        );
    };

    let t = Instant::now();
    let rust_path = out.join("rust/events.rs");
    tally.write(&rust_path, rust)?;
    step("rust", &rust_path, 1, t);

    for (name, dir, files) in [
        ("avro", out.join("avro"), generate_avro(catalog)),
        (
            "json",
            out.join("json-schema"),
            generate_json_schema(catalog),
        ),
    ] {
        let t = Instant::now();
        tally.files(&dir, &files)?;
        step(name, &dir, files.len(), t);
    }
    let t = Instant::now();
    let dir = out.join("python");
    let python = generate_python(catalog, python_package).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(1)
    })?;
    for f in &python {
        tally.write(&dir.join(&f.path), &f.text)?;
    }
    step("python", &dir, python.len(), t);
    for (name, dir, format) in [
        ("docs", out.join("docs"), DocFormat::Rst),
        ("docs-md", out.join("docs/markdown"), DocFormat::Markdown),
    ] {
        let t = Instant::now();
        let options = DocsOptions::new(format);
        // The default options are valid.
        let pages = generate_docs(catalog, &options).map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })?;
        for page in &pages {
            tally.write(&dir.join(&page.path), &page.text)?;
        }
        step(name, &dir, pages.len(), t);
    }
    Ok(tally)
}
