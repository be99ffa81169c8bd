//! `docs` and `triggers`: documentation from the catalog, and where each
//! event is sent in a source tree.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use openedx_hooks_codegen::triggers::{Language, find_triggers};
use openedx_hooks_codegen::{DocFormat, DocsOptions, TriggerLocation, generate_docs, index_table};
use openedx_hooks_schema::Catalog;
use openedx_hooks_schema::diag::ColorChoice;

/// Documentation formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// reStructuredText
    Rst,
    /// GitHub-flavoured Markdown
    Markdown,
}

/// Output formats of `triggers`.
#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// One block per event
    Text,
    /// `{"events": [...], "unsent": [...]}`
    Json,
}

/// Directories never worth scanning.
const SKIP: &[&str] = &["target", "node_modules", "__pycache__", "venv", ".venv"];
/// Files larger than this are not source code.
const MAX_FILE: u64 = 8 << 20;

/// Reads every `.rs` and `.py` file under `root` (a file or a directory),
/// named relative to `root` with `/` separators, sorted.
fn read_sources(root: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let meta =
        std::fs::metadata(root).map_err(|e| format!("cannot read `{}`: {e}", root.display()))?;
    let base = if meta.is_dir() {
        root.to_path_buf()
    } else {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut stack = vec![root.to_path_buf()];
    let mut found = Vec::new();
    while let Some(p) = stack.pop() {
        let meta = std::fs::symlink_metadata(&p)
            .map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        if meta.is_dir() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if p != root && (name.starts_with('.') || SKIP.contains(&name.as_str())) {
                continue;
            }
            let entries =
                std::fs::read_dir(&p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
            for entry in entries.flatten() {
                stack.push(entry.path());
            }
        } else if meta.is_file() && meta.len() <= MAX_FILE {
            let rel = p.strip_prefix(&base).unwrap_or(&p);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if Language::of(&rel).is_some() {
                found.push((rel, p));
            }
        }
    }
    found.sort();
    for (rel, p) in found {
        let bytes = std::fs::read(&p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        out.push((rel, String::from_utf8_lossy(&bytes).into_owned()));
    }
    Ok(())
}

/// Trigger locations of every event found under `sources`.
pub fn scan(
    catalog: &Catalog,
    sources: &[PathBuf],
) -> Result<std::collections::BTreeMap<String, Vec<TriggerLocation>>, ExitCode> {
    let mut files = Vec::new();
    for s in sources {
        if let Err(e) = read_sources(s, &mut files) {
            eprintln!("error: {e}");
            return Err(ExitCode::from(2));
        }
    }
    Ok(find_triggers(catalog, &files))
}

pub fn triggers(
    sources: &[PathBuf],
    catalog_paths: &[PathBuf],
    externs: &[PathBuf],
    format: ReportFormat,
    color: ColorChoice,
) -> ExitCode {
    let loaded = match crate::load_valid(catalog_paths, externs, color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let catalog = &loaded;
    let found = match scan(catalog, sources) {
        Ok(f) => f,
        Err(code) => return code,
    };
    // The catalog's own hooks: extern catalogs are sent and run elsewhere.
    let unsent: Vec<&str> = catalog
        .own_events()
        .filter(|(_, e)| !found.contains_key(&e.name))
        .map(|(_, e)| e.name.as_str())
        .collect();
    let unrun: Vec<&str> = catalog
        .own_filters()
        .filter(|(_, f)| !found.contains_key(&f.name))
        .map(|(_, f)| f.name.as_str())
        .collect();
    let locations = |name: &str| -> Vec<serde_json::Value> {
        found
            .get(name)
            .into_iter()
            .flatten()
            .map(|l| serde_json::json!({"path": l.path, "line": l.line}))
            .collect()
    };
    match format {
        ReportFormat::Text => {
            for (_, e) in catalog.own_events() {
                if let Some(locations) = found.get(&e.name) {
                    outln!("{} ({})", e.name, e.event_type);
                    for l in locations {
                        outln!("  {}:{}", l.path, l.line);
                    }
                }
            }
            for (_, f) in catalog.own_filters() {
                if let Some(locations) = found.get(&f.name) {
                    outln!("{} ({})", f.name, f.filter_type);
                    for l in locations {
                        outln!("  {}:{}", l.path, l.line);
                    }
                }
            }
            if !unsent.is_empty() {
                eprintln!(
                    "warning: {} of {} events are not sent by any scanned file: {}",
                    unsent.len(),
                    catalog.own_events().count(),
                    unsent.join(", ")
                );
            }
            if !unrun.is_empty() {
                eprintln!(
                    "warning: {} of {} filters are not run by any scanned file: {}",
                    unrun.len(),
                    catalog.own_filters().count(),
                    unrun.join(", ")
                );
            }
        }
        ReportFormat::Json => {
            let events: Vec<serde_json::Value> = catalog
                .own_events()
                .map(|(_, e)| {
                    serde_json::json!({"name": e.name, "event_type": e.event_type, "locations": locations(&e.name)})
                })
                .collect();
            let filters: Vec<serde_json::Value> = catalog
                .own_filters()
                .map(|(_, f)| {
                    serde_json::json!({"name": f.name, "filter_type": f.filter_type, "locations": locations(&f.name)})
                })
                .collect();
            let report = serde_json::json!({"events": events, "unsent": unsent, "filters": filters, "unrun": unrun});
            outln!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
    }
    ExitCode::SUCCESS
}

pub struct DocsArgs {
    pub paths: Vec<PathBuf>,
    pub externs: Vec<PathBuf>,
    pub format: Format,
    pub out: Option<PathBuf>,
    pub triggers: Vec<PathBuf>,
    pub rust_crate: String,
    pub check: bool,
    pub color: ColorChoice,
}

pub fn docs(args: DocsArgs) -> ExitCode {
    let loaded = match crate::load_valid(&args.paths, &args.externs, args.color) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let catalog = &loaded;
    let mut options = DocsOptions::new(match args.format {
        Format::Rst => DocFormat::Rst,
        Format::Markdown => DocFormat::Markdown,
    })
    .rust_crate(args.rust_crate);
    if let Err(e) = options.validate() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    if !args.triggers.is_empty() {
        options = options.triggers(match scan(catalog, &args.triggers) {
            Ok(f) => f,
            Err(code) => return code,
        });
    }
    let Some(out) = args.out else {
        out!("{}", index_table(catalog, &options));
        return ExitCode::SUCCESS;
    };
    let files = match generate_docs(catalog, &options) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut stale = 0;
    for f in &files {
        let path = out.join(&f.path);
        let code = crate::write_output(&path, &f.text, args.check, "docs");
        if code != ExitCode::SUCCESS {
            if args.check && code == ExitCode::from(1) {
                stale += 1;
                continue;
            }
            return code;
        }
    }
    if stale > 0 {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
