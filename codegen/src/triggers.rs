//! Where each event is sent and each filter is run: a scan of Rust and
//! Python sources for `NAME.send_event(`, `send_event_with_metadata(` (and
//! Python's `send_event_with_custom_metadata(`), and `NAME.run_filter(`,
//! through `... as ALIAS` imports too.
//! Comments and string literals are blanked out first, so a commented-out
//! call or a docstring does not count. Pure: callers read the files.

use std::collections::{BTreeMap, HashMap};

use openedx_hooks_schema::Catalog;

use crate::TriggerLocation;

/// A source language the scanner knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// `.rs`
    Rust,
    /// `.py`
    Python,
}

impl Language {
    /// The language of a file name, by extension.
    pub fn of(path: &str) -> Option<Language> {
        if path.ends_with(".rs") {
            Some(Language::Rust)
        } else if path.ends_with(".py") {
            Some(Language::Python)
        } else {
            None
        }
    }
}

/// Every place each catalog event is sent from and each filter is run from,
/// by constant name (hooks used nowhere have no entry). `files` are `(path
/// relative to the scanned root, text)`; locations come out sorted.
pub fn find_triggers(
    catalog: &Catalog,
    files: &[(String, String)],
) -> BTreeMap<String, Vec<TriggerLocation>> {
    let names: HashMap<&str, &str> = catalog
        .events()
        .map(|(_, e)| (e.name.as_str(), e.name.as_str()))
        .chain(
            catalog
                .filters()
                .map(|(_, f)| (f.name.as_str(), f.name.as_str())),
        )
        .collect();
    let filters: Vec<&str> = catalog.filters().map(|(_, f)| f.name.as_str()).collect();
    let mut found: BTreeMap<String, Vec<TriggerLocation>> = BTreeMap::new();
    for (path, text) in files {
        let Some(lang) = Language::of(path) else {
            continue;
        };
        let code = blank_comments_and_strings(text, lang);
        let tokens = tokenize(&code);
        // `NAME as ALIAS`, in `use` or `from ... import` lines alike.
        let mut aliases: HashMap<&str, &str> = names.clone();
        for w in tokens.windows(3) {
            if let (Some(event), "as") = (names.get(w[0].0), w[1].0)
                && is_ident(w[2].0)
            {
                aliases.insert(w[2].0, event);
            }
        }
        for w in tokens.windows(4) {
            let Some(event) = aliases.get(w[0].0) else {
                continue;
            };
            let method = if filters.contains(event) {
                w[2].0 == "run_filter"
            } else {
                matches!(w[2].0, "send_event" | "send_event_with_metadata")
                    || (lang == Language::Python && w[2].0 == "send_event_with_custom_metadata")
            };
            // Whole tokens only: `NAME_OTHER` is not `NAME`; a module path
            // (`signals.NAME.send_event(`) still counts.
            if w[1].0 == "." && method && w[3].0 == "(" {
                found
                    .entry((*event).to_owned())
                    .or_default()
                    .push(TriggerLocation {
                        path: path.clone(),
                        line: w[0].1,
                    });
            }
        }
    }
    for v in found.values_mut() {
        v.sort();
        v.dedup();
    }
    found
}

fn is_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// Identifiers and the punctuation that matters, with 1-based lines.
fn tokenize(code: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut line = 1;
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
            {
                i += 1;
            }
            out.push((&code[start..i], line));
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else {
            // One punctuation character (ASCII, so a char boundary).
            out.push((&code[i..i + 1], line));
            i += 1;
        }
    }
    out
}

/// The code with comments and string literals replaced by spaces, newlines
/// kept (so lines still count).
fn blank_comments_and_strings(text: &str, lang: Language) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (lang, c, next) {
            (Language::Rust, '/', Some('/')) | (Language::Python, '#', _) => {
                while i < chars.len() && chars[i] != '\n' {
                    out.push(' ');
                    i += 1;
                }
            }
            (Language::Rust, '/', Some('*')) => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        out.push_str("  ");
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        out.push_str("  ");
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        blank(&mut out, chars[i]);
                        i += 1;
                    }
                }
            }
            (Language::Rust, 'r', Some('"' | '#')) if i == 0 || !is_ident_char(chars[i - 1]) => {
                // A raw string: r"..." or r#"..."#.
                let mut j = i + 1;
                let mut hashes = 0;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    out.push(c);
                    i += 1;
                    continue;
                }
                let closing: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                j += 1;
                while j < chars.len() && !chars[j..].starts_with(&closing) {
                    j += 1;
                }
                let end = (j + closing.len()).min(chars.len());
                for &ch in &chars[i..end] {
                    blank(&mut out, ch);
                }
                i = end;
            }
            (Language::Rust, '\'', _) => {
                // A char literal ('"', '\'') or a lifetime ('a): skip the former whole.
                if next == Some('\\') {
                    let mut j = i + 2;
                    while j < chars.len() && chars[j] != '\'' && chars[j] != '\n' {
                        j += 1;
                    }
                    for &ch in &chars[i..(j + 1).min(chars.len())] {
                        blank(&mut out, ch);
                    }
                    i = j + 1;
                } else if chars.get(i + 2) == Some(&'\'') {
                    out.push_str("   ");
                    i += 3;
                } else {
                    out.push(c);
                    i += 1;
                }
            }
            (_, '"', _) | (Language::Python, '\'', _) => {
                let triple =
                    lang == Language::Python && next == Some(c) && chars.get(i + 2) == Some(&c);
                let quote_len = if triple { 3 } else { 1 };
                let mut j = i + quote_len;
                loop {
                    if j >= chars.len() {
                        break;
                    }
                    if chars[j] == '\\' {
                        j += 2;
                        continue;
                    }
                    if triple {
                        if chars[j] == c
                            && chars.get(j + 1) == Some(&c)
                            && chars.get(j + 2) == Some(&c)
                        {
                            j += 3;
                            break;
                        }
                    } else if chars[j] == c || (lang == Language::Python && chars[j] == '\n') {
                        j += 1;
                        break;
                    }
                    j += 1;
                }
                let end = j.min(chars.len());
                for &ch in &chars[i..end] {
                    blank(&mut out, ch);
                }
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_strings_are_blanked_lines_kept() {
        let code =
            "a // X.send_event(\nb /* X.send_event( */ c \"X.send_event(\" r#\"X\"# '\"' d\n";
        let blanked = blank_comments_and_strings(code, Language::Rust);
        assert_eq!(blanked.lines().count(), 2);
        assert!(!blanked.contains('X'), "{blanked}");
        assert!(blanked.contains('d'));
        let py = "x = '''\nX.send_event(\n'''  # X.send_event(\ny = \"X\"\n";
        let blanked = blank_comments_and_strings(py, Language::Python);
        assert!(!blanked.contains('X'), "{blanked}");
        assert_eq!(blanked.lines().count(), 4);
    }

    #[test]
    fn filters_are_found_where_they_are_run() {
        let yaml = "hosts:\n  User: {}\nfilters:\n  LOGIN_REQUESTED:\n    type: org.example.learning.student.login.requested.v1\n    arguments:\n      user: User\n";
        let catalog = openedx_hooks_schema::Loader::new()
            .load_str("learning.yaml", yaml)
            .catalog
            .expect("valid");
        let files = vec![
            (
                "views.py".to_owned(),
                "from f import LOGIN_REQUESTED as LR\n# LOGIN_REQUESTED.run_filter(user)\nLR.run_filter(user=u)\nLOGIN_REQUESTED.send_event(u)\n".to_owned(),
            ),
            (
                "login.rs".to_owned(),
                "let u = filters::LOGIN_REQUESTED.run_filter(args)?;\n".to_owned(),
            ),
        ];
        let found = find_triggers(&catalog, &files);
        let at: Vec<(&str, usize)> = found["LOGIN_REQUESTED"]
            .iter()
            .map(|l| (l.path.as_str(), l.line))
            .collect();
        // Not the comment, not `send_event` on a filter.
        assert_eq!(at, [("login.rs", 1), ("views.py", 3)]);
    }
}
