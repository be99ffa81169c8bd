//! `openedx-hooks compat`: the compatibility gate's command line.
//!
//! Loads the new catalog and a baseline (a path, or `git:REF[:SUBDIR]` read
//! with `git show`, no checkout), diffs them with `schema::diff`, applies the
//! ignore file, and prints text, JSON, GitHub annotations or Markdown.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use openedx_hooks_schema::diag::{ColorChoice, render_json, render_text_as, render_text_leveled};
use openedx_hooks_schema::diff::{Cause, Finding, IgnoreFile, Mode, Report, diff};
use openedx_hooks_schema::{Code, Diagnostic, Loader, Outcome, SourceMap};

/// Output formats of `compat`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum CompatFormat {
    /// rustc-like, with the new and the baseline location
    Text,
    /// an array of findings
    Json,
    /// GitHub workflow-command annotations
    Github,
    /// a pull-request comment, grouped by event
    Markdown,
}

/// `--mode` values.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum CompatMode {
    /// new consumers read old data and old consumers read new data
    Full,
    /// new consumers read old data
    Backward,
    /// old consumers read new data
    Forward,
}

impl From<CompatMode> for Mode {
    fn from(m: CompatMode) -> Mode {
        match m {
            CompatMode::Full => Mode::Full,
            CompatMode::Backward => Mode::Backward,
            CompatMode::Forward => Mode::Forward,
        }
    }
}

/// The gate's settings.
pub struct Args {
    pub paths: Vec<PathBuf>,
    /// Catalogs whose types both the new catalog and the baseline use.
    pub externs: Vec<PathBuf>,
    pub against: String,
    pub mode: Mode,
    pub format: CompatFormat,
    pub ignore: Option<PathBuf>,
    pub deny_warnings: bool,
    pub verbose: bool,
    pub color: ColorChoice,
}

pub fn run(args: Args) -> ExitCode {
    let json = matches!(args.format, CompatFormat::Json);
    // An invalid catalog, new or baseline, is a usage error (exit 2), not a
    // breaking change (1); with `--format json` its diagnostics are the output.
    let new = match crate::load(&args.paths, &args.externs) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some(new_catalog) = &new.catalog else {
        return invalid(&new, "the new catalog is not valid", json, args.color);
    };
    if !json {
        crate::print_diagnostics(&new.diagnostics, &new.sources, args.color);
    }
    let old = match load_baseline(&args.against, &args.paths, &args.externs) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let Some(old_catalog) = &old.catalog else {
        let why = format!("the baseline `{}` is not a valid catalog", args.against);
        return invalid(&old, &why, json, args.color);
    };
    let mut report = diff(old_catalog, new_catalog, args.mode);
    if let Some(path) = &args.ignore {
        match IgnoreFile::load(path) {
            Ok(mut ignores) => ignores.apply(&mut report, &today()),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if !args.verbose {
        report.findings.retain(Finding::is_shown_by_default);
    }
    let failed = report.fails(args.deny_warnings);
    let (new, old) = (&new.sources, &old.sources);
    match args.format {
        CompatFormat::Text => text(&report, new, old, args.verbose, args.color),
        CompatFormat::Json => print_json(&report, new, old, args.verbose),
        CompatFormat::Github => github(&report, new, old),
        CompatFormat::Markdown => markdown(&report, new, old, args.verbose),
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reports an invalid catalog: its diagnostics (as JSON with `--format
/// json`, so tools see why), then exit 2.
fn invalid(outcome: &Outcome, why: &str, json: bool, color: ColorChoice) -> ExitCode {
    if json {
        let diagnostics = render_json(&outcome.diagnostics, &outcome.sources);
        let doc = serde_json::json!({ "error": why, "diagnostics": diagnostics });
        outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        crate::print_diagnostics(&outcome.diagnostics, &outcome.sources, color);
    }
    eprintln!("error: {why}");
    ExitCode::from(2)
}

// ----- baselines -----

/// The baseline catalog, with the same extern catalogs as the new one (read
/// from the working tree: they are another catalog's, gated on their own).
fn load_baseline(against: &str, paths: &[PathBuf], externs: &[PathBuf]) -> Result<Outcome, String> {
    let Some(spec) = against.strip_prefix("git:") else {
        return Loader::new()
            .load_with_externs(&[against], externs)
            .map_err(|e| e.to_string());
    };
    let (rev, subdirs): (&str, Vec<String>) = match spec.split_once(':') {
        Some((rev, dir)) => (rev, vec![dir.to_owned()]),
        None => (
            spec,
            paths
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
        ),
    };
    if rev.is_empty() {
        return Err(
            "`git:` needs a revision, e.g. `git:HEAD~1` or `git:v1.2.0:generated/events`".into(),
        );
    }
    git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|_| format!("git revision `{rev}` not found"))?;
    let mut files: Vec<(String, String)> = Vec::new();
    for dir in subdirs {
        // `./` makes the path relative to the current directory, as on the command line.
        let rel = format!("./{}", dir.trim_start_matches("./"));
        let kind = git(&["cat-file", "-t", &format!("{rev}:{rel}")])
            .map_err(|_| format!("`{dir}` does not exist at `{rev}`"))?;
        let names = if kind.trim() == "tree" {
            let listing = git(&["ls-tree", "--name-only", &format!("{rev}:{rel}")])?;
            let mut names: Vec<String> = listing
                .lines()
                .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
                .map(|n| format!("{}/{n}", dir.trim_end_matches('/')))
                .collect();
            names.sort();
            if names.is_empty() {
                return Err(format!(
                    "`{dir}` holds no `*.yaml` or `*.yml` file at `{rev}`"
                ));
            }
            names
        } else {
            vec![dir.clone()]
        };
        for name in names {
            let text = git(&[
                "show",
                &format!("{rev}:./{}", name.trim_start_matches("./")),
            ])?;
            files.push((format!("git:{rev}:{name}"), text));
        }
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    // Extern catalogs as the working tree has them, one catalog each, as
    // `Loader::load_with_externs` reads them for the new catalog.
    let mut extern_files: Vec<Vec<(String, String)>> = Vec::new();
    for e in externs {
        let mut texts = Vec::new();
        for f in Loader::collect_files(&[e]).map_err(|e| e.to_string())? {
            let text = std::fs::read_to_string(&f)
                .map_err(|e| format!("cannot read `{}`: {e}", f.display()))?;
            texts.push((f.display().to_string(), text));
        }
        extern_files.push(texts);
    }
    let mut catalogs: Vec<Vec<(&str, &str)>> = vec![refs];
    catalogs.extend(extern_files.iter().map(|texts| {
        texts
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect()
    }));
    let groups: Vec<&[(&str, &str)]> = catalogs.iter().map(Vec::as_slice).collect();
    Ok(Loader::new().load_text_catalogs(&groups))
}

fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("git {} printed non-UTF-8", args.join(" ")))
}

fn today() -> String {
    // OPENEDX_HOOKS_TODAY pins the date for reproducible tests.
    std::env::var("OPENEDX_HOOKS_TODAY").unwrap_or_else(|_| {
        jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .date()
            .to_string()
    })
}

// ----- output -----

fn location(f: &Finding, new: &SourceMap, old: &SourceMap) -> (String, u32, u32) {
    match (f.new, f.old) {
        (Some(s), _) => (new.file(s.file).name().to_owned(), s.line, s.column),
        (None, Some(s)) => (old.file(s.file).name().to_owned(), s.line, s.column),
        (None, None) => (String::new(), 0, 0),
    }
}

fn title(f: &Finding) -> String {
    format!("{}: {}", f.hook.name, f.message)
}

/// The hooks a cause reaches, past the first: `B (`x.y`), C (`z`)`.
fn also_affects(c: &Cause<'_>) -> Option<String> {
    let rest: Vec<String> = c.affected[1..]
        .iter()
        .map(|f| format!("{} (`{}`)", f.hook.name, f.path))
        .collect();
    (!rest.is_empty()).then(|| rest.join(", "))
}

fn text(report: &Report, new: &SourceMap, old: &SourceMap, verbose: bool, color: ColorChoice) {
    for c in report.causes() {
        let f = c.finding;
        let (span, sources, other) = match (f.new, f.old) {
            (Some(n), o) => (n, new, o.map(|o| (o, old))),
            (None, Some(o)) => (o, old, None),
            (None, None) => continue,
        };
        // The code is replaced by the rule id when rendering; only warnings
        // print as `warning[…]`, so the summary's counts match what is shown.
        let (d, level) = match f.severity() {
            "error" => (Diagnostic::error(Code::InvalidValue, span, title(f)), None),
            "warning" => (
                Diagnostic::warning(Code::InvalidValue, span, title(f)),
                None,
            ),
            other => (
                Diagnostic::warning(Code::InvalidValue, span, title(f)),
                Some(other),
            ),
        };
        outln!(
            "{}",
            render_text_leveled(
                &d.with_help(f.hint.clone()),
                level,
                f.rule.id(),
                sources,
                color
            )
        );
        if let Some((o, old_sources)) = other {
            outln!(
                "  = note: in the baseline at {}:{}:{}",
                old_sources.file(o.file).name(),
                o.line,
                o.column
            );
        }
        if let Some(rest) = also_affects(&c) {
            outln!(
                "  = note: the same change reaches {} more event(s): {rest}",
                c.affected.len() - 1
            );
        }
        outln!();
    }
    for p in &report.ignore_problems {
        let d = if p.fails {
            Diagnostic::error(Code::InvalidValue, p.span, &p.message)
        } else {
            Diagnostic::warning(Code::InvalidValue, p.span, &p.message)
        };
        outln!("{}\n", render_text_as(&d, "IGNORE_FILE", &p.sources, color));
    }
    if verbose {
        for c in openedx_hooks_schema::diff::causes(&report.ignored) {
            outln!(
                "ignored[{}]: {} ({} event(s))",
                c.finding.rule,
                title(c.finding),
                c.affected.len()
            );
        }
    }
    outln!("{}", report.summary());
}

fn cause_json(c: &Cause<'_>, new: &SourceMap, old: &SourceMap, ignored: bool) -> serde_json::Value {
    let f = c.finding;
    let (file, line, column) = location(f, new, old);
    let old_loc = f.old.map(|s| serde_json::json!({"file": old.file(s.file).name(), "line": s.line, "column": s.column}));
    let events: Vec<serde_json::Value> = c
        .affected
        .iter()
        .map(|a| serde_json::json!({"event": a.hook.name, "event_type": a.hook.hook_type, "kind": a.hook.kind, "path": a.path}))
        .collect();
    let severity = if ignored { "ignored" } else { f.severity() };
    serde_json::json!({
        "rule": f.rule.id(), "severity": severity, "verdict": f.verdict, "event": f.hook.name,
        "event_type": f.hook.hook_type, "path": f.path, "message": f.message, "hint": f.hint,
        "file": file, "line": line, "column": column, "old": old_loc, "events": events,
    })
}

fn print_json(report: &Report, new: &SourceMap, old: &SourceMap, verbose: bool) {
    let mut items: Vec<serde_json::Value> = report
        .causes()
        .iter()
        .map(|c| cause_json(c, new, old, false))
        .collect();
    if verbose {
        items.extend(
            openedx_hooks_schema::diff::causes(&report.ignored)
                .iter()
                .map(|c| cause_json(c, new, old, true)),
        );
    }
    items.extend(report.ignore_problems.iter().map(|p| {
        serde_json::json!({
            "rule": "IGNORE_FILE", "severity": if p.fails { "error" } else { "warning" }, "message": p.message,
            "file": p.sources.file(p.span.file).name(), "line": p.span.line, "column": p.span.column,
        })
    }));
    outln!(
        "{}",
        serde_json::to_string_pretty(&items).unwrap_or_default()
    );
}

fn github(report: &Report, new: &SourceMap, old: &SourceMap) {
    // Workflow commands: data escapes %, CR and LF; properties also , and :.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    for c in report.causes() {
        let f = c.finding;
        let (file, line, column) = location(f, new, old);
        let level = match f.severity() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        let reach = also_affects(&c)
            .map(|r| format!(" (also reaches {r})"))
            .unwrap_or_default();
        outln!(
            "::{level} file={},line={line},col={column},title={}::{}",
            prop(&file),
            prop(f.rule.id()),
            data(&format!("{}{reach} — {}", title(f), f.hint))
        );
    }
    for p in &report.ignore_problems {
        let level = if p.fails { "error" } else { "warning" };
        outln!(
            "::{level} file={},line={},title=IGNORE_FILE::{}",
            prop(p.sources.file(p.span.file).name()),
            p.span.line,
            data(&p.message)
        );
    }
    outln!("::notice title=compat::{}", data(&report.summary()));
}

fn markdown(report: &Report, new: &SourceMap, old: &SourceMap, verbose: bool) {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    outln!("## Event compatibility\n\n{}\n", report.summary());
    let causes = report.causes();
    if !causes.is_empty() {
        outln!(
            "| rule | severity | events (path) | change | fix | where |\n|---|---|---|---|---|---|"
        );
    }
    for c in &causes {
        let f = c.finding;
        let (file, line, _) = location(f, new, old);
        let events: Vec<String> = c
            .affected
            .iter()
            .map(|a| match a.path.as_str() {
                "" => format!("`{}`", a.hook.name),
                path => format!("`{}` (`{}`)", a.hook.name, cell(path)),
            })
            .collect();
        outln!(
            "| `{}` | {} | {} | {} | {} | `{}:{}` |",
            f.rule,
            f.severity(),
            events.join("<br>"),
            cell(&f.message),
            cell(&f.hint),
            cell(&file),
            line
        );
    }
    if !causes.is_empty() {
        outln!();
    }
    if verbose {
        for c in openedx_hooks_schema::diff::causes(&report.ignored) {
            outln!(
                "- ignored: `{}` {}",
                c.finding.rule,
                cell(&title(c.finding))
            );
        }
    }
    for p in &report.ignore_problems {
        outln!("- ignore file: {}", cell(&p.message));
    }
}
