//! Documentation: the "Index of Events" table (the seed's shape) and a
//! reference page per module, in reStructuredText or Markdown, as strings.
//! Links come from the catalog's settings and the IR's spans, so they are
//! right by construction: the definition link is `definition_base_url` +
//! the YAML file + `#L<line>`, the date links to `trigger_base_url` +
//! `trigger` (or to a location `openedx-hooks triggers` found).

mod escape;
mod example;
mod markdown;
mod page;
mod rst;

use std::collections::BTreeMap;

use openedx_hooks_schema::{Catalog, EventDef, Field};

pub use example::{filter_step_examples, rust_examples};

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    /// reStructuredText (docutils/Sphinx).
    Rst,
    /// GitHub-flavoured Markdown.
    Markdown,
}

impl DocFormat {
    /// `rst` or `md`.
    pub fn extension(self) -> &'static str {
        match self {
            DocFormat::Rst => "rst",
            DocFormat::Markdown => "md",
        }
    }
}

/// Where an event is sent from, as `openedx-hooks triggers` finds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TriggerLocation {
    /// The file, relative to the scanned root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
}

/// Settings of the documentation generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocsOptions {
    /// The format.
    pub(crate) format: DocFormat,
    /// The Rust path of the generated events in examples (`openedx_events`).
    pub(crate) rust_crate: String,
    /// Found trigger locations by event name; they replace the catalog's
    /// hand-written `trigger` for the "Date added" links.
    pub(crate) triggers: BTreeMap<String, Vec<TriggerLocation>>,
}

impl DocsOptions {
    /// The defaults in `format`: examples use `openedx_events`, dates link
    /// to the catalog's own `trigger`.
    pub fn new(format: DocFormat) -> Self {
        DocsOptions {
            format,
            ..Self::default()
        }
    }

    /// The Rust path of the generated events in examples.
    pub fn rust_crate(mut self, path: impl Into<String>) -> Self {
        self.rust_crate = path.into();
        self
    }

    /// Found trigger locations by event name (from [`crate::triggers`]):
    /// they replace the catalog's hand-written `trigger` in date links.
    pub fn triggers(mut self, found: BTreeMap<String, Vec<TriggerLocation>>) -> Self {
        self.triggers = found;
        self
    }

    /// Adds one found trigger location of `event` (its constant name).
    pub fn trigger(mut self, event: impl Into<String>, location: TriggerLocation) -> Self {
        self.triggers
            .entry(event.into())
            .or_default()
            .push(location);
        self
    }

    /// The format.
    pub fn format(&self) -> DocFormat {
        self.format
    }

    /// Checks the settings: `rust_crate` must be a Rust path.
    pub fn validate(&self) -> Result<(), crate::RustError> {
        self.crate_path().map(|_| ())
    }

    fn crate_path(&self) -> Result<syn::Path, crate::RustError> {
        syn::parse_str(&self.rust_crate).map_err(|_| crate::RustError::InvalidOption {
            option: "rust crate",
            value: self.rust_crate.clone(),
            reason: "not a Rust path (e.g. `openedx_events` or `::my_crate::events`)".to_owned(),
        })
    }
}

impl Default for DocsOptions {
    fn default() -> Self {
        DocsOptions {
            format: DocFormat::Rst,
            rust_crate: "openedx_events".to_owned(),
            triggers: BTreeMap::new(),
        }
    }
}

/// One generated page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFile {
    /// Relative path: `index.rst`, `reference/learning.rst`.
    pub path: String,
    /// The page.
    pub text: String,
}

/// The index page and one reference page per module, in definition order.
pub fn generate_docs(
    catalog: &Catalog,
    options: &DocsOptions,
) -> Result<Vec<DocFile>, crate::RustError> {
    let krate = options.crate_path()?;
    let ext = options.format.extension();
    let mut files = vec![DocFile {
        path: format!("index.{ext}"),
        text: match options.format {
            DocFormat::Rst => page::index_page(&rst::Rst, catalog, options),
            DocFormat::Markdown => page::index_page(&markdown::Markdown, catalog, options),
        },
    }];
    if page::has_filters(catalog) {
        files.push(DocFile {
            path: format!("filters.{ext}"),
            text: match options.format {
                DocFormat::Rst => page::filter_index_page(&rst::Rst, catalog, options),
                DocFormat::Markdown => {
                    page::filter_index_page(&markdown::Markdown, catalog, options)
                }
            },
        });
    }
    for (mi, m) in catalog.own_modules() {
        files.push(DocFile {
            path: format!("reference/{}.{ext}", m.name),
            text: match options.format {
                DocFormat::Rst => page::module_page(&rst::Rst, catalog, mi, options, &krate),
                DocFormat::Markdown => {
                    page::module_page(&markdown::Markdown, catalog, mi, options, &krate)
                }
            },
        });
    }
    for f in &mut files {
        f.text = tidy(&f.text);
    }
    Ok(files)
}

/// At most one blank line in a row, one newline at the end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
            out.push('\n');
        } else {
            blank = 0;
            out.push_str(line);
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Just the "Index of Events" table.
pub fn index_table(catalog: &Catalog, options: &DocsOptions) -> String {
    match options.format {
        DocFormat::Rst => rst::index_table(catalog, options),
        DocFormat::Markdown => markdown::index_table(catalog, options),
    }
}

/// The facts a page shows about an event's links.
struct Links {
    /// `definition_base_url` + file + `#L<line>`.
    definition: Option<String>,
    /// The trigger's text and URL (the URL only with `trigger_base_url`).
    trigger: Option<(String, Option<String>)>,
}

fn links(catalog: &Catalog, module: usize, event: &EventDef, options: &DocsOptions) -> Links {
    hook_links(
        catalog,
        module,
        &event.name,
        event.span.line,
        event.trigger.as_ref(),
        options,
    )
}

/// The links of any hook (an event, a filter): its definition line and
/// its trigger, found in scanned sources or as the catalog writes it.
fn hook_links(
    catalog: &Catalog,
    module: usize,
    name: &str,
    line: u32,
    trigger: Option<&String>,
    options: &DocsOptions,
) -> Links {
    let settings = catalog.module_settings(module);
    let file = catalog.sources().file(catalog.modules()[module].file);
    let base_name = file
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.name().to_owned());
    let definition = settings
        .definition_base_url
        .as_ref()
        .map(|base| format!("{base}{base_name}#L{line}"));
    let found = options.triggers.get(name).and_then(|v| v.first());
    let trigger_text = match found {
        Some(loc) => Some(format!("{}#L{}", loc.path, loc.line)),
        None => trigger.cloned(),
    };
    let trigger = trigger_text.map(|t| {
        let url = settings
            .trigger_base_url
            .as_ref()
            .map(|b| format!("{b}{t}"));
        (t, url)
    });
    Links {
        definition,
        trigger,
    }
}

/// The index's "Date added" cell.
enum DateCell<'a> {
    /// The text links to the trigger: the date, or `trigger` when there is none.
    Linked(&'a str, &'a str),
    /// The date, with no trigger URL to link to.
    Plain(&'a str),
    /// Neither a date nor a trigger URL: rendered as a dash, never a broken link.
    Empty,
}

fn date_cell<'a>(added: Option<&'a String>, links: &'a Links) -> DateCell<'a> {
    match (added, &links.trigger) {
        (Some(a), Some((_, Some(url)))) => DateCell::Linked(a, url),
        (Some(a), _) => DateCell::Plain(a),
        (None, Some((_, Some(url)))) => DateCell::Linked("trigger", url),
        (None, _) => DateCell::Empty,
    }
}

/// How a field's presence reads: `required`, `optional`, or its default.
fn presence(f: &Field) -> String {
    match (&f.default, f.ty.is_optional()) {
        (Some(d), _) => format!(
            "default {}",
            serde_json::to_string(&d.to_json()).unwrap_or_default()
        ),
        (None, true) => "optional".to_owned(),
        (None, false) => "required".to_owned(),
    }
}

/// The anchor of a definition: `learning-userdata` (docutils' id for the
/// target `learning.UserData`; Markdown pages use the same ids).
fn anchor(module: &str, name: &str) -> String {
    let mut id = String::new();
    for c in format!("{module}-{name}").chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_matches('-').to_owned()
}

/// The record a field expands into, through `?`, lists and maps.
fn inner_record(ty: &openedx_hooks_schema::Type) -> Option<&openedx_hooks_schema::TypeRef> {
    use openedx_hooks_schema::{DefKind, Type};
    match ty {
        Type::List(i) | Type::Map(i) | Type::Optional(i) => inner_record(i),
        Type::Named(r) if r.kind == DefKind::Record => Some(r),
        _ => None,
    }
}

/// The named types a type mentions, as `(name, page module if not this
/// one, anchor)`, for each format to turn into links.
fn named_types<'t>(
    ty: &'t openedx_hooks_schema::Type,
    from_module: &str,
) -> Vec<(&'t str, Option<&'t str>, String)> {
    use openedx_hooks_schema::Type;
    let mut out = Vec::new();
    let mut stack = vec![ty];
    while let Some(t) = stack.pop() {
        match t {
            Type::List(i) | Type::Map(i) | Type::Optional(i) => stack.push(i),
            Type::Primitive(_) => {}
            Type::Named(r) => {
                let page = (r.module != from_module).then_some(r.module.as_str());
                out.push((r.name.as_str(), page, anchor(&r.module, &r.name)));
            }
        }
    }
    out
}
