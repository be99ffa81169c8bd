//! Text from the catalog (descriptions, names) made inert in each format:
//! it reads as written and can neither break a table nor become markup.

/// Paragraphs of a description: blank lines separate them; the lines of one
/// are joined with spaces, as a reader sees them.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// One line of text for a table cell or list item.
pub fn one_line(text: &str) -> String {
    paragraphs(text).join(" ")
}

/// reStructuredText: backslash-escape every character that can start or end
/// inline markup (`*`, `` ` ``, `|`, `_`, `\`, `[`, `<`, `:`), and block
/// markers at the start of the text (`..`, bullets, enumerators, `>>>`).
/// The text must be one line (see [`one_line`]).
pub fn rst(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // `_` only marks a reference at the end of a word (`name_`, `name__`);
        // inside `course_access_role` it is plain, as the seed writes it.
        let mut ends_word = || chars.peek().is_none_or(|n| !n.is_alphanumeric());
        if matches!(c, '\\' | '*' | '`' | '|' | '[' | ']' | '<' | '>' | ':')
            || (c == '_' && ends_word())
        {
            out.push('\\');
        }
        out.push(c);
    }
    if starts_block(out.trim_start()) {
        out.insert(0, '\\');
    }
    out.trim().to_owned()
}

/// Whether escaped one-line text would open a block construct: a bullet
/// (`- `, `+ `, `• `), an enumerator (`1. `, `(a) `, `#. `), a comment or
/// directive (`..`), a doctest (`>>>`), or a line of one repeated punctuation
/// character (a transition or section adornment).
fn starts_block(t: &str) -> bool {
    let first_word = t.split_whitespace().next().unwrap_or("");
    let bullet = matches!(first_word, "-" | "+" | "•" | "‣" | "⁃");
    let enumerator = first_word.len() <= 6 && {
        let w = first_word.strip_prefix('(').unwrap_or(first_word);
        w.strip_suffix(['.', ')']).is_some_and(|n| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
        })
    };
    let mut chars = t.chars();
    let adornment = chars
        .next()
        .is_some_and(|c| c.is_ascii_punctuation() && t.chars().all(|x| x == c) && t.len() >= 2);
    bullet || enumerator || t.starts_with("..") || t.starts_with(">>>") || adornment
}

/// Text in a reStructuredText inline literal (` ``...`` `): only a run of
/// backquotes could end it early, and inline literals cannot escape, so those
/// cases fall back to escaped plain text.
pub fn rst_literal(text: &str) -> String {
    if text.is_empty() || text.contains('`') || text.starts_with(' ') || text.ends_with(' ') {
        rst(text)
    } else {
        format!("``{text}``")
    }
}

/// GitHub-flavoured Markdown: backslash-escape what can open or close
/// inline markup (`` ` ``, `*`, `[`, `]`, `<`, `>`, `~`, `&`, `\`, `|` for
/// tables, `_` next to a non-word character), and a leading block marker
/// (`#`, `-`, `+`, `=`, `1.`). Intraword `_` and ordinary `.`/`-` stay as
/// written. The text must be one line.
pub fn markdown(text: &str) -> String {
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphanumeric())
        };
        let underscore = c == '_' && !(word(i.checked_sub(1)) && word(Some(i + 1)));
        if matches!(
            c,
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '&'
        ) || underscore
        {
            out.push('\\');
        }
        out.push(c);
    }
    // Block markers at the start: a heading, bullet, setext underline or
    // enumerator (`1.`/`1)`, escaped at its punctuation: digits cannot be).
    if out.starts_with(['#', '-', '+', '=']) {
        out.insert(0, '\\');
    } else {
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && out[digits..].starts_with(['.', ')']) {
            out.insert(digits, '\\');
        }
    }
    out
}

/// Text in a Markdown code span, fenced with more backquotes than it holds.
pub fn markdown_code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    if text.trim().is_empty() {
        return markdown(text);
    }
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(paragraphs("a\nb\n\n  c  \n"), ["a b", "c"]);
        assert!(paragraphs("  \n").is_empty());
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(rst("a *b* `c` |d| e_ f"), r"a \*b\* \`c\` \|d\| e\_ f");
        assert_eq!(
            rst("org.openedx.learning.course_access_role.added.v1"),
            "org.openedx.learning.course_access_role.added.v1"
        );
        assert_eq!(rst("x__"), r"x\_\_");
        assert_eq!(rst("- item"), r"\- item");
        assert_eq!(rst(".. directive::"), r"\.. directive\:\:");
        assert_eq!(rst("1. first"), r"\1. first");
        assert_eq!(rst("org.openedx.x.v1"), "org.openedx.x.v1");
        assert_eq!(rst("===="), r"\====");
        assert_eq!(rst("(a) first"), r"\(a) first");
        assert_eq!(markdown("a | b *c* <d>"), r"a \| b \*c\* \<d\>");
        assert_eq!(
            markdown("COURSE_ENROLLMENT_CREATED on 2021-09-02."),
            "COURSE_ENROLLMENT_CREATED on 2021-09-02."
        );
        assert_eq!(markdown("_x_ 1. - # y"), r"\_x\_ 1. - # y");
        assert_eq!(markdown("12. first"), r"12\. first");
        assert_eq!(markdown("- item"), r"\- item");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(rst_literal("org.openedx.x.v1"), "``org.openedx.x.v1``");
    }
}
