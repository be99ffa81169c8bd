//! The reference page of a module, written once for both formats: a
//! [`Markup`] supplies each format's headings, links, literals and lists.

use std::fmt::Write as _;

use openedx_hooks_schema::{Catalog, Field};

use super::escape::{one_line, paragraphs};
use super::{DocsOptions, example, inner_record, links, named_types, presence};

/// What differs between reStructuredText and Markdown pages.
pub(super) trait Markup {
    /// The first line, saying the page is generated from `what` (such as
    /// "the event catalog").
    fn generated(what: &str) -> String;
    /// Extension of the other reference pages, for links between them.
    const PAGE_EXT: &'static str;
    /// Whether a nested list needs blank lines around it.
    const NESTED_LIST_GAP: bool;

    /// Inline text, escaped.
    fn text(&self, s: &str) -> String;
    /// Inline code.
    fn code(&self, s: &str) -> String;
    /// A link.
    fn link(&self, text: &str, url: &str) -> String;
    /// The page title.
    fn title(&self, out: &mut String, text: &str);
    /// A section ("Events", "Data classes", ...).
    fn section(&self, out: &mut String, text: &str);
    /// An entry's anchor and heading.
    fn entry(&self, out: &mut String, module: &str, name: &str);
    /// One fact of an event ("Event type", "Version", ...).
    fn fact(&self, out: &mut String, label: &str, value: &str);
    /// A block of Rust code.
    fn rust_block(&self, out: &mut String, code: &str);
    /// The index page's heading (a title in Markdown, a section in RST,
    /// as the seed's index has it).
    fn index_heading(&self, out: &mut String, text: &str);
    /// What ends the index page's introduction (RST's table directive
    /// wants its own blank line).
    const INDEX_INTRO_END: &'static str;
    /// The index table.
    fn index_table(&self, catalog: &Catalog, options: &DocsOptions) -> String;
    /// A table (`widths` in relative units where the format has them).
    fn table(&self, widths: &[u8], header: &[&str], rows: &[Vec<String>]) -> String;
}

/// A hook's trigger as the page shows it: a link where there is a URL,
/// else code; `None` when there is no trigger.
fn trigger_shown<M: Markup>(m: &M, l: &super::Links) -> Option<String> {
    l.trigger.as_ref().map(|(text, url)| match url {
        Some(u) => m.link(text, u),
        None => m.code(text),
    })
}

/// The facts every hook's entry ends with: its trigger, the date it was
/// added and the line that defines it.
fn where_facts<M: Markup>(
    m: &M,
    out: &mut String,
    l: &super::Links,
    added: Option<&String>,
    file: &str,
    line: u32,
) {
    if let Some(shown) = trigger_shown(m, l) {
        m.fact(out, "Trigger", &shown);
    }
    if let Some(a) = added {
        m.fact(out, "Added", &m.text(a));
    }
    if let Some(url) = &l.definition {
        m.fact(out, "Definition", &m.link(&format!("{file}#L{line}"), url));
    }
}

/// The Index of Filters' table: name (linked to its entry), filter type,
/// date added, trigger.
fn filter_table<M: Markup>(m: &M, catalog: &Catalog, options: &DocsOptions) -> String {
    let mut rows = Vec::new();
    for (mi, mo) in catalog.own_modules() {
        for f in &mo.filters {
            let l = super::hook_links(
                catalog,
                mi,
                &f.name,
                f.span.line,
                f.trigger.as_ref(),
                options,
            );
            let url = format!(
                "reference/{}.{}#{}",
                mo.name,
                M::PAGE_EXT,
                super::anchor(&mo.name, &f.name)
            );
            rows.push(vec![
                m.link(&f.name, &url),
                m.text(&f.filter_type),
                f.added.as_deref().map_or("—".to_owned(), |a| m.text(a)),
                trigger_shown(m, &l).unwrap_or_else(|| "—".to_owned()),
            ]);
        }
    }
    m.table(
        &[30, 45, 12, 30],
        &["Name", "Type", "Date added", "Trigger"],
        &rows,
    )
}

/// Whether the catalog's own modules define events.
fn has_events(catalog: &Catalog) -> bool {
    catalog.own_modules().any(|(_, mo)| !mo.events.is_empty())
}

/// Whether the catalog's own modules define filters.
pub(super) fn has_filters(catalog: &Catalog) -> bool {
    catalog.own_modules().any(|(_, mo)| !mo.filters.is_empty())
}

/// The page's first lines: generated, from which kind of catalog (its own
/// modules' hooks decide: events, filters or both).
fn generated<M: Markup>(catalog: &Catalog) -> String {
    let what = match (has_events(catalog), has_filters(catalog)) {
        (_, false) => "the event catalog",
        (false, true) => "the filter catalog",
        (true, true) => "the hook catalog",
    };
    format!("{}\n\n", M::generated(what))
}

/// The Index of Filters: every filter of the catalog, with its type, the
/// date it was added and where the platform runs it.
pub(super) fn filter_index_page<M: Markup>(
    m: &M,
    catalog: &Catalog,
    options: &DocsOptions,
) -> String {
    let mut out = generated::<M>(catalog);
    m.index_heading(&mut out, "Index of Filters");
    out.push_str(
        "This list contains every filter of the catalog: a place in platform code whose\n\
         arguments pass through a configured pipeline of steps. The names link to their\n\
         reference entries; the triggers to where the platform runs them.\n\n",
    );
    out.push_str(M::INDEX_INTRO_END);
    out.push_str(&filter_table(m, catalog, options));
    out
}

/// The index page: the table of every event and links to the reference
/// pages, per module.
pub(super) fn index_page<M: Markup>(m: &M, catalog: &Catalog, options: &DocsOptions) -> String {
    let mut out = generated::<M>(catalog);
    if has_events(catalog) || !has_filters(catalog) {
        m.index_heading(&mut out, "Index of Events");
        out.push_str(
            "This list contains every event of the catalog. The provided links target the\n\
             definition of each event in its catalog file and the place where it is sent.\n\n",
        );
        out.push_str(M::INDEX_INTRO_END);
        out.push_str(&m.index_table(catalog, options));
        out.push('\n');
    } else {
        // A catalog of filters only: no empty table of events.
        m.index_heading(&mut out, "Index");
        out.push_str("This catalog defines filters and no events.\n\n");
    }
    out.push_str("Reference pages, per module:\n\n");
    for (_, mo) in catalog.own_modules() {
        let url = format!("reference/{}.{}", mo.name, M::PAGE_EXT);
        let _ = writeln!(out, "- {}", m.link(&mo.name, &url));
    }
    if has_filters(catalog) {
        let url = format!("filters.{}", M::PAGE_EXT);
        let _ = writeln!(out, "\nThe filters: {}.", m.link("Index of Filters", &url));
    }
    out
}

fn description<M: Markup>(m: &M, out: &mut String, text: Option<&String>) {
    for p in text.map(|d| paragraphs(d)).unwrap_or_default() {
        out.push_str(&m.text(&p));
        out.push_str("\n\n");
    }
}

/// A nested bullet list of fields; records expand in place (each once per
/// branch, four levels at most) and link to their entry.
fn tree<M: Markup>(
    m: &M,
    out: &mut String,
    catalog: &Catalog,
    module: &str,
    fields: &[Field],
    indent: usize,
    path: &mut Vec<(usize, usize)>,
) {
    let pad = " ".repeat(indent);
    for f in fields {
        let ty = f.ty.display_in(module);
        let mut line = format!(
            "{pad}- {} ({}, {})",
            m.code(&f.name),
            m.code(&ty),
            m.text(&presence(f))
        );
        if let Some(d) = &f.description {
            let _ = write!(line, ": {}", m.text(&one_line(d)));
        }
        let links: Vec<String> = named_types(&f.ty, module)
            .into_iter()
            .map(|(name, page, anchor)| {
                let page = page
                    .map(|p| format!("{p}.{}", M::PAGE_EXT))
                    .unwrap_or_default();
                m.link(name, &format!("{page}#{anchor}"))
            })
            .collect();
        if !links.is_empty() {
            let _ = write!(line, " (see {})", links.join(", "));
        }
        out.push_str(&line);
        out.push('\n');
        let record = inner_record(&f.ty).map(|r| (r, (r.module_index, r.index)));
        if let Some((r, id)) = record.filter(|(_, id)| !path.contains(id) && path.len() < 4) {
            if M::NESTED_LIST_GAP {
                out.push('\n');
            }
            path.push(id);
            tree(
                m,
                out,
                catalog,
                module,
                &catalog.record(r).fields,
                indent + 2,
                path,
            );
            path.pop();
            if M::NESTED_LIST_GAP {
                out.push('\n');
            }
        }
    }
}

fn fields<M: Markup>(
    m: &M,
    out: &mut String,
    catalog: &Catalog,
    module: &str,
    fields: &[Field],
    path: Vec<(usize, usize)>,
) {
    if fields.is_empty() {
        out.push_str("No fields.\n\n");
    } else {
        tree(m, out, catalog, module, fields, 0, &mut { path });
        out.push('\n');
    }
}

pub(super) fn module_page<M: Markup>(
    m: &M,
    catalog: &Catalog,
    mi: usize,
    options: &DocsOptions,
    krate: &syn::Path,
) -> String {
    let module = &catalog.modules()[mi];
    let name = &module.name;
    let mut out = generated::<M>(catalog);
    m.title(&mut out, &format!("Module {name}"));
    let file = catalog.sources().file(module.file).name();
    let _ = writeln!(out, "Defined in {}.\n", m.code(file));
    let examples = example::rust_examples_for_module(catalog, mi, krate);
    if !module.events.is_empty() {
        m.section(&mut out, "Events");
    }
    for (e, code) in module.events.iter().zip(examples) {
        m.entry(&mut out, name, &e.name);
        description(m, &mut out, e.description.as_ref());
        let l = links(catalog, mi, e, options);
        m.fact(&mut out, "Event type", &m.code(&e.event_type));
        let constant = format!(
            "{}::{}::{}",
            options.rust_crate,
            crate::rust::module_ident(name),
            e.name
        );
        m.fact(&mut out, "Constant", &m.code(&constant));
        m.fact(
            &mut out,
            "Version",
            &format!("major {}, minor {}", e.major_version, e.minor_version),
        );
        if let Some(k) = &e.key_field {
            m.fact(&mut out, "Key field", &m.code(&k.dotted()));
        }
        where_facts(m, &mut out, &l, e.added.as_ref(), file, e.span.line);
        out.push_str("\n**Payload**\n\n");
        fields(m, &mut out, catalog, name, &e.payload, Vec::new());
        out.push_str("**Receiving and sending** (Rust)\n\n");
        m.rust_block(&mut out, &code);
    }
    if !module.filters.is_empty() {
        m.section(&mut out, "Filters");
    }
    for f in &module.filters {
        m.entry(&mut out, name, &f.name);
        description(m, &mut out, f.description.as_ref());
        let l = super::hook_links(
            catalog,
            mi,
            &f.name,
            f.span.line,
            f.trigger.as_ref(),
            options,
        );
        m.fact(&mut out, "Filter type", &m.code(&f.filter_type));
        let module_ident = crate::rust::module_ident(name);
        let constant = format!("{}::{module_ident}::{}", options.rust_crate, f.name);
        m.fact(&mut out, "Constant", &m.code(&constant));
        // The class `openedx-hooks python` writes in the module's `filters.py`.
        m.fact(&mut out, "Python class", &m.code(&f.python.class));
        m.fact(&mut out, "Version", &format!("major {}", f.major_version));
        where_facts(m, &mut out, &l, f.added.as_ref(), file, f.span.line);
        out.push_str("\n**Arguments**\n\n");
        fields(m, &mut out, catalog, name, &f.arguments, Vec::new());
        let returned: Vec<String> = f
            .returns
            .iter()
            .map(|&i| m.code(&f.arguments[i].name))
            .collect();
        let _ = writeln!(
            out,
            "**Returns**: {}, in this order.\n",
            returned.join(", ")
        );
        if !f.exceptions.is_empty() {
            out.push_str("**Exceptions** (a step raises one to halt the action)\n\n");
            for x in &f.exceptions {
                let params: Vec<String> = x.fields.iter().map(|p| m.code(&p.name)).collect();
                let mut line = format!("- {}", m.code(&x.name));
                if !params.is_empty() {
                    let _ = write!(line, " ({})", params.join(", "));
                }
                if let Some(d) = &x.description {
                    let _ = write!(line, ": {}", m.text(&one_line(d)));
                }
                out.push_str(&line);
                out.push('\n');
            }
            out.push('\n');
        }
        let step = example::filter_step_example(&options.rust_crate, name, &f.name);
        out.push_str("**A pipeline step** (Rust)\n\n");
        m.rust_block(&mut out, &step);
    }
    if !module.hosts.is_empty() {
        m.section(&mut out, "Host types");
    }
    for h in &module.hosts {
        m.entry(&mut out, name, &h.name);
        description(m, &mut out, h.description.as_ref());
        if let Some(p) = &h.python {
            let _ = writeln!(out, "The platform's {}.\n", m.code(p));
        }
        let _ = writeln!(
            out,
            "Never on the wire. In Rust, the type the generating crate binds it to ({} by default).\n",
            m.code("JsonValue")
        );
    }
    if !module.types.is_empty() {
        m.section(&mut out, "Data classes");
    }
    for (ti, t) in module.types.iter().enumerate() {
        m.entry(&mut out, name, &t.name);
        description(m, &mut out, t.description.as_ref());
        fields(m, &mut out, catalog, name, &t.fields, vec![(mi, ti)]);
    }
    if !module.scalars.is_empty() {
        m.section(&mut out, "Scalars");
    }
    for s in &module.scalars {
        m.entry(&mut out, name, &s.name);
        description(m, &mut out, s.description.as_ref());
        let _ = writeln!(
            out,
            "A string on the wire; in Rust a newtype over {}.\n",
            m.code("String")
        );
        if let Some(ex) = &s.example {
            let _ = writeln!(out, "Example: {}\n", m.code(ex));
        }
    }
    if !module.enums.is_empty() {
        m.section(&mut out, "Enums");
    }
    for en in &module.enums {
        m.entry(&mut out, name, &en.name);
        description(m, &mut out, en.description.as_ref());
        let values: Vec<String> = en.values.iter().map(|v| m.code(&v.name)).collect();
        let _ = writeln!(out, "Values: {}.\n", values.join(", "));
    }
    out
}
