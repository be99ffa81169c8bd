//! `openedx-hooks compat`: the compatibility gate's command line.
//!
//! Loads the new catalog and a baseline (a path, or `git:REF[:SUBDIR]` read
//! with `git show`, no checkout), diffs them with `schema::diff`, applies the
//! ignore file, and prints text, JSON, GitHub annotations or Markdown.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use openedx_hooks_schema::diag::{ColorChoice, render_text, render_text_as};
use openedx_hooks_schema::diff::ignore::{IgnoreFile, IgnoreProblem as Problem};
use openedx_hooks_schema::diff::{Finding, Mode, Report, Verdict, diff};
use openedx_hooks_schema::{Code, Diagnostic, Loader, Outcome, SourceMap};

use crate::load_valid;

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
    pub against: String,
    pub mode: Mode,
    pub format: CompatFormat,
    pub ignore: Option<PathBuf>,
    pub deny_warnings: bool,
    pub verbose: bool,
    pub color: ColorChoice,
}

pub fn run(args: Args) -> ExitCode {
    let new = match load_valid(&args.paths, args.color) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let old = match load_baseline(&args.against, &args.paths) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let new_catalog = &new.catalog;
    let Some(old_catalog) = &old.catalog else {
        for d in &old.diagnostics {
            eprintln!("{}\n", render_text(d, &old.sources, args.color));
        }
        eprintln!(
            "error: the baseline `{}` is not a valid catalog",
            args.against
        );
        return ExitCode::from(2);
    };
    let mut report = diff(old_catalog, new_catalog, args.mode);
    let mut problems = Vec::new();
    if let Some(path) = &args.ignore {
        match IgnoreFile::load(path) {
            Ok(mut ignores) => problems = ignores.apply(&mut report, &today()),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if !args.verbose {
        report.findings.retain(|f| f.verdict != Verdict::Safe);
    }
    let failed =
        report.fails(args.deny_warnings) || problems.iter().any(|p| p.fails || args.deny_warnings);
    match args.format {
        CompatFormat::Text => text(&report, &new.sources, &old.sources, &problems, args.color),
        CompatFormat::Json => json(&report, &new.sources, &old.sources, &problems),
        CompatFormat::Github => github(&report, &new.sources, &old.sources, &problems),
        CompatFormat::Markdown => markdown(&report, &new.sources, &old.sources, &problems),
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

// ----- baselines -----

fn load_baseline(against: &str, paths: &[PathBuf]) -> Result<Outcome, String> {
    let Some(spec) = against.strip_prefix("git:") else {
        return Loader::new().load(&[against]).map_err(|e| e.to_string());
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
    Ok(Loader::new().load_texts(&refs))
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

fn severity(f: &Finding) -> &'static str {
    match f.verdict {
        Verdict::Breaking | Verdict::Violation => "error",
        _ if f.warning => "warning",
        Verdict::Minor => "minor",
        Verdict::Safe => "safe",
    }
}

fn location(f: &Finding, new: &SourceMap, old: &SourceMap) -> (String, u32, u32) {
    match (f.new, f.old) {
        (Some(s), _) => (new.file(s.file).name().to_owned(), s.line, s.column),
        (None, Some(s)) => (old.file(s.file).name().to_owned(), s.line, s.column),
        (None, None) => (String::new(), 0, 0),
    }
}

fn title(f: &Finding) -> String {
    let minor = if f.verdict == Verdict::Minor && !f.warning {
        "minor change: "
    } else {
        ""
    };
    format!("{}: {minor}{}", f.hook.name, f.message)
}

fn text(
    report: &Report,
    new: &SourceMap,
    old: &SourceMap,
    problems: &[Problem],
    color: ColorChoice,
) {
    for f in &report.findings {
        let (span, sources, other) = match (f.new, f.old) {
            (Some(n), o) => (n, new, o.map(|o| (o, old))),
            (None, Some(o)) => (o, old, None),
            (None, None) => continue,
        };
        // The code is replaced by the rule id when rendering.
        let d = if f.verdict == Verdict::Breaking || f.verdict == Verdict::Violation {
            Diagnostic::error(Code::InvalidValue, span, title(f))
        } else {
            Diagnostic::warning(Code::InvalidValue, span, title(f))
        };
        println!(
            "{}",
            render_text_as(&d.with_help(f.hint.clone()), f.rule.id(), sources, color)
        );
        if let Some((o, old_sources)) = other {
            println!(
                "  = note: in the baseline at {}:{}:{}",
                old_sources.file(o.file).name(),
                o.line,
                o.column
            );
        }
        println!();
    }
    for p in problems {
        let d = if p.fails {
            Diagnostic::error(Code::InvalidValue, p.span, &p.message)
        } else {
            Diagnostic::warning(Code::InvalidValue, p.span, &p.message)
        };
        println!("{}\n", render_text_as(&d, "IGNORE_FILE", &p.sources, color));
    }
    println!("{}", report.summary());
}

fn json(report: &Report, new: &SourceMap, old: &SourceMap, problems: &[Problem]) {
    let mut items: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            let (file, line, column) = location(f, new, old);
            let old_loc = f.old.map(|s| serde_json::json!({"file": old.file(s.file).name(), "line": s.line, "column": s.column}));
            serde_json::json!({
                "rule": f.rule.id(), "severity": severity(f), "verdict": f.verdict, "event": f.hook.name,
                "event_type": f.hook.hook_type, "path": f.path, "message": f.message, "hint": f.hint,
                "file": file, "line": line, "column": column, "old": old_loc,
            })
        })
        .collect();
    items.extend(problems.iter().map(|p| {
        serde_json::json!({
            "rule": "IGNORE_FILE", "severity": if p.fails { "error" } else { "warning" }, "message": p.message,
            "file": p.sources.file(p.span.file).name(), "line": p.span.line, "column": p.span.column,
        })
    }));
    println!(
        "{}",
        serde_json::to_string_pretty(&items).unwrap_or_default()
    );
}

fn github(report: &Report, new: &SourceMap, old: &SourceMap, problems: &[Problem]) {
    // Workflow commands: data escapes %, CR and LF; properties also , and :.
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    for f in &report.findings {
        let (file, line, column) = location(f, new, old);
        let level = match severity(f) {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        println!(
            "::{level} file={},line={line},col={column},title={}::{}",
            prop(&file),
            prop(f.rule.id()),
            data(&format!("{} — {}", title(f), f.hint))
        );
    }
    for p in problems {
        let level = if p.fails { "error" } else { "warning" };
        println!(
            "::{level} file={},line={},title=IGNORE_FILE::{}",
            prop(p.sources.file(p.span.file).name()),
            p.span.line,
            data(&p.message)
        );
    }
    println!("{}", report.summary());
}

fn markdown(report: &Report, new: &SourceMap, old: &SourceMap, problems: &[Problem]) {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    println!("## Event compatibility\n\n{}\n", report.summary());
    let mut events: Vec<&str> = Vec::new();
    for f in &report.findings {
        if !events.contains(&f.hook.name.as_str()) {
            events.push(&f.hook.name);
        }
    }
    for e in events {
        let first = report
            .findings
            .iter()
            .find(|f| f.hook.name == e)
            .map(|f| f.hook.hook_type.as_str())
            .unwrap_or("");
        println!(
            "### `{e}` (`{first}`)\n\n| rule | verdict | path | change | fix | where |\n|---|---|---|---|---|---|"
        );
        for f in report.findings.iter().filter(|f| f.hook.name == e) {
            let (file, line, _) = location(f, new, old);
            println!(
                "| `{}` | {} | `{}` | {} | {} | `{}:{}` |",
                f.rule,
                severity(f),
                cell(&f.path),
                cell(&f.message),
                cell(&f.hint),
                cell(&file),
                line
            );
        }
        println!();
    }
    for p in problems {
        println!("- ignore file: {}", cell(&p.message));
    }
}
