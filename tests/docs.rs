//! Documentation generation: reviewed snapshots for a small catalog, the
//! checked-in `docs/` of the Open edX catalog kept fresh, Markdown that
//! parses as CommonMark with the right tables, and a property test that
//! hostile descriptions never break a table or inject markup.

use std::path::Path;

use openedx_hooks_codegen::{DocFormat, DocsOptions, TriggerLocation, generate_docs};
use openedx_hooks_schema::Loader;
use openedx_hooks_tests::{load_fixture, load_relative, workspace_root};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn options(format: DocFormat) -> DocsOptions {
    DocsOptions::new(format)
}

#[test]
fn snapshots_of_the_docs_of_a_small_catalog() {
    let outcome = load_fixture(Path::new("fixtures/valid/inspect.yaml"));
    let catalog = outcome.catalog.expect("valid");
    for format in [DocFormat::Rst, DocFormat::Markdown] {
        for page in generate_docs(&catalog, &options(format)).expect("generates") {
            let name = page.path.replace('/', "__");
            insta::assert_snapshot!(name, page.text);
        }
    }
}

/// Where `.ci/run` and the README put them.
fn checked_in(format: DocFormat) -> &'static str {
    match format {
        DocFormat::Rst => "docs",
        DocFormat::Markdown => "docs/markdown",
    }
}

#[test]
fn the_checked_in_docs_are_fresh() {
    let outcome = load_relative(&workspace_root(), Path::new("generated/events"));
    let catalog = outcome.catalog.expect("valid");
    for format in [DocFormat::Rst, DocFormat::Markdown] {
        let dir = checked_in(format);
        for page in generate_docs(&catalog, &options(format)).expect("generates") {
            let path = workspace_root().join(dir).join(&page.path);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                current == page.text,
                "{} is stale: run `cargo run -p openedx-hooks-cli -- docs generated/events --format {} --out {dir}`",
                path.display(),
                match format {
                    DocFormat::Rst => "rst",
                    DocFormat::Markdown => "markdown",
                }
            );
        }
    }
}

/// Table rows (cells as plain text) of a Markdown document.
fn tables(markdown: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                if let Some(t) = tables.last_mut() {
                    t.push(Vec::new());
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(t), Some(c)) = (tables.last_mut(), cell.take())
                    && let Some(row) = t.last_mut()
                {
                    row.push(c);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
    }
    tables
}

#[test]
fn the_markdown_index_is_one_table_of_every_event() {
    let outcome = load_relative(&workspace_root(), Path::new("generated/events"));
    let catalog = outcome.catalog.expect("valid");
    let pages = generate_docs(&catalog, &options(DocFormat::Markdown)).expect("generates");
    let tables = tables(&pages[0].text);
    assert_eq!(tables.len(), 1);
    // A header and one row per event; the type column names each.
    openedx_hooks_tests::upstream::assert_same_events(
        tables[0][1..]
            .iter()
            .map(|row| row[1].trim_matches('`').to_owned()),
        "rows of the Markdown index",
    );
    assert_eq!(tables[0][0], ["Name", "Type", "Date added"]);
    assert!(tables[0].iter().all(|row| row.len() == 3));
    let registration = &tables[0]
        .iter()
        .find(|r| r[0] == "STUDENT_REGISTRATION_COMPLETED")
        .expect("row");
    assert_eq!(
        registration[1],
        "org.openedx.learning.student.registration.completed.v1"
    );
    assert_eq!(registration[2], "2021-09-02");
    // The link targets: the YAML line and the trigger.
    assert!(pages[0].text.contains("generated/events/learning.yaml#L"));
    assert!(pages[0].text.contains("(<https://github.com/openedx/edx-platform/blob/master/openedx/core/djangoapps/user_authn/views/register.py#L258>)"));
}

#[test]
fn the_rst_index_has_the_seed_shape() {
    let outcome = load_relative(&workspace_root(), Path::new("generated/events"));
    let catalog = outcome.catalog.expect("valid");
    let pages = generate_docs(&catalog, &options(DocFormat::Rst)).expect("generates");
    let index = &pages[0].text;
    assert!(index.contains(".. list-table::\n   :widths: 35 50 20\n\n   * - *Name*\n     - *Type*\n     - *Date added*\n"));
    let (_, event) = catalog
        .event_by_type("org.openedx.learning.student.registration.completed.v1")
        .expect("event");
    let row = format!(
        "   * - `STUDENT_REGISTRATION_COMPLETED <https://github.com/openedx-hooks/openedx-hooks/blob/main/generated/events/learning.yaml#L{}>`_\n     - org.openedx.learning.student.registration.completed.v1\n     - `2021-09-02 <https://github.com/openedx/edx-platform/blob/master/openedx/core/djangoapps/user_authn/views/register.py#L258>`__\n",
        event.span.line
    );
    assert!(index.contains(&row), "{index}");
    // The linked line is the event's definition.
    let yaml = std::fs::read_to_string(workspace_root().join("generated/events/learning.yaml"))
        .expect("yaml");
    let line = yaml
        .lines()
        .nth(event.span.line as usize - 1)
        .expect("line");
    assert_eq!(line.trim(), "STUDENT_REGISTRATION_COMPLETED:");
}

#[test]
fn found_triggers_replace_the_hand_written_ones() {
    let outcome = load_fixture(Path::new("fixtures/valid/inspect.yaml"));
    let catalog = outcome.catalog.expect("valid");
    let opts = options(DocFormat::Markdown).trigger(
        "COURSE_ENROLLMENT_CREATED",
        TriggerLocation {
            path: "lms/enroll.py".into(),
            line: 12,
        },
    );
    let index = &generate_docs(&catalog, &opts).expect("generates")[0].text;
    assert!(
        index.contains("[2021-09-02](<https://example.com/platform/lms/enroll.py#L12>)"),
        "{index}"
    );
}

/// A tiny deterministic generator, so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "|", "`", "``", "*", "**", "_", "__", "<", ">", "<b>", "&amp;", "\n", "\n\n", "[", "]",
            "](x)", "#", "- ", "1. ", ".. ", "::", ":", "\\", "=", "====", "!", "(", ")", "é", "✓",
            " ", "a", "word", "x_", "_y", "|a|", "$", "{", "}", "~~", ">>> ",
        ];
        let n = 1 + self.next() % 12;
        (0..n)
            .map(|_| PIECES[(self.next() as usize) % PIECES.len()])
            .collect()
    }
}

/// The plain text of the first paragraph after the heading `heading`.
fn paragraph_after(markdown: &str, heading: &str) -> Option<String> {
    // Escapes split text into several events: gather a heading's text whole.
    let mut heading_text: Option<String> = None;
    let mut seen = false;
    let mut text: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading_text = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                seen = heading_text.take().as_deref() == Some(heading);
            }
            Event::Start(Tag::Paragraph) if seen && text.is_none() => text = Some(String::new()),
            Event::End(TagEnd::Paragraph) if text.is_some() => return text,
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading_text.as_mut() {
                    h.push_str(&t);
                } else if let Some(s) = text.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(s) = text.as_mut() {
                    s.push(' ');
                }
            }
            _ => {}
        }
    }
    text
}

/// Removes reStructuredText backslash escapes.
fn rst_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn hostile_descriptions_neither_break_tables_nor_inject_markup() {
    let out_dir = workspace_root().join("target/docs-property");
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).expect("dir");
    let mut rng = Lcg(0x5eed);
    for case in 0..300 {
        let description = rng.text();
        let field_doc = rng.text();
        // Lines trimmed and joined with one space (inner runs of spaces stay).
        let one_line = |s: &str| {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        // JSON strings are YAML double-quoted scalars.
        let yaml = format!(
            "module: shop\ncatalog:\n  definition_base_url: https://example.com/defs/\n  trigger_base_url: https://example.com/src/\ntypes:\n  Order:\n    description: {d}\n    fields:\n      id: {{ type: int, description: {f} }}\nevents:\n  ORDER_PLACED:\n    type: org.example.shop.order.placed.v1\n    description: {d}\n    added: 2026-11-24\n    trigger: shop/views.py#L3\n    payload:\n      order: Order\n",
            d = serde_json::to_string(&description).expect("json"),
            f = serde_json::to_string(&field_doc).expect("json"),
        );
        let outcome = Loader::new().load_str("shop.yaml", &yaml);
        let Some(catalog) = outcome.catalog else {
            panic!("case {case}: the catalog does not load:\n{yaml}");
        };
        let expected = one_line(&description);
        let md = generate_docs(&catalog, &options(DocFormat::Markdown)).expect("generates");
        let t = tables(&md[0].text);
        assert_eq!(t.len(), 1, "case {case}: {description:?}");
        assert_eq!(t[0].len(), 2, "case {case}: a header and one row");
        assert!(t[0].iter().all(|r| r.len() == 3), "case {case}");
        let page = &md[1].text;
        if !expected.is_empty() {
            // Paragraph breaks become separate paragraphs: compare the first.
            let first = description
                .split("\n\n")
                .map(one_line)
                .find(|p| !p.is_empty())
                .unwrap_or_default();
            assert_eq!(
                paragraph_after(page, "ORDER_PLACED").as_deref(),
                Some(first.as_str()),
                "case {case}: {description:?}\n{page}"
            );
        }
        // reStructuredText: every description line unescapes to the text and
        // leaves no markup character bare.
        let rst = generate_docs(&catalog, &options(DocFormat::Rst)).expect("generates");
        let module_page = &rst[1].text;
        for paragraph in description
            .split("\n\n")
            .map(one_line)
            .filter(|p| !p.is_empty())
        {
            let rendered = module_page
                .lines()
                .find(|l| rst_unescape(l) == paragraph)
                .unwrap_or_else(|| {
                    panic!(
                        "case {case}: paragraph {paragraph:?} not rendered verbatim\n{module_page}"
                    )
                });
            let bare = rendered
                .char_indices()
                .any(|(i, c)| matches!(c, '*' | '`' | '|') && !rendered[..i].ends_with('\\'));
            assert!(!bare, "case {case}: unescaped markup in {rendered:?}");
        }
        for (i, page) in rst.iter().enumerate() {
            std::fs::write(out_dir.join(format!("case{case:03}-{i}.rst")), &page.text)
                .expect("write");
        }
    }
}

#[test]
fn filters_get_an_index_and_reference_entries_in_both_formats() {
    let outcome = load_fixture(Path::new("fixtures/filters/valid.yaml"));
    let catalog = outcome.catalog.expect("valid");
    let md = generate_docs(&catalog, &options(DocFormat::Markdown)).expect("generates");
    let paths: Vec<&str> = md.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["index.md", "filters.md", "reference/learning.md"]);
    let index = &md[1].text;
    let t = tables(index);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0][0], ["Name", "Type", "Date added", "Trigger"]);
    let names: Vec<&str> = t[0][1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "CERTIFICATE_CREATION_REQUESTED",
            "COURSE_ABOUT_RENDER_STARTED"
        ]
    );
    assert_eq!(t[0][1][2], "2022-06-14");
    assert!(
        md[0].text.contains("[Index of Filters](<filters.md>)"),
        "{}",
        md[0].text
    );
    // This catalog has events and filters: every page says so.
    for p in &md {
        assert!(
            p.text
                .starts_with("<!-- Generated by openedx-hooks from the hook catalog;"),
            "{}: {}",
            p.path,
            p.text
        );
    }
    let page = &md[2].text;
    for needle in [
        "## Filters",
        "<a id=\"learning-certificate-creation-requested\"></a>",
        "**Returns**: `user`, `course_key`, `mode`, `grade`, in this order.",
        "- `PreventCertificateCreation` (`message`, `redirect_to`)",
        "#[openedx_hooks::pipeline_step(CERTIFICATE_CREATION_REQUESTED)]",
        "## Host types",
        "<a id=\"learning-user\"></a>",
        "The platform's `django.contrib.auth.models.User`.",
    ] {
        assert!(page.contains(needle), "{needle}\n{page}");
    }
    // The same pages in reStructuredText; CI builds them with docutils.
    let rst = generate_docs(&catalog, &options(DocFormat::Rst)).expect("generates");
    assert!(
        rst[1]
            .text
            .contains(".. list-table::\n   :widths: 30 45 12 30")
    );
    assert!(
        rst[2]
            .text
            .contains(".. _learning.CERTIFICATE_CREATION_REQUESTED:")
    );
    // Its own directory: the property test clears `target/docs-property`.
    let out = workspace_root().join("target/docs-filters");
    for f in &rst {
        let path = out.join(&f.path);
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(path, &f.text).expect("write");
    }
    // A catalog without filters has no Index of Filters and no link to one.
    let events = load_fixture(Path::new("fixtures/valid/inspect.yaml"))
        .catalog
        .expect("valid");
    let pages = generate_docs(&events, &options(DocFormat::Markdown)).expect("generates");
    assert!(pages.iter().all(|p| p.path != "filters.md"));
    assert!(!pages[0].text.contains("Index of Filters"));
    assert!(
        pages[0]
            .text
            .starts_with("<!-- Generated by openedx-hooks from the event catalog;")
    );
}
