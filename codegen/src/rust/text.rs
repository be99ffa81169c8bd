//! Items written as text rather than through syn and prettyplease.
//!
//! Formatting is most of generation's time, and a struct's Avro impl and
//! type descriptor are three quarters of the generated text: measured on
//! the 10,000-event synthetic catalog, `generate` took 2.07 s with them
//! formatted and 0.54–0.81 s without them. Their shape never varies, so they are
//! written here with a fixed layout; the module's token stream holds a
//! marker item where each goes, and the driver puts the text in place after
//! formatting (at the marker's indentation).

use std::cell::RefCell;
use std::fmt::Write;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::quote;

/// The marker's macro name: no catalog name starts with `__openedx`.
const MARKER: &str = "__openedx_hooks_text";

/// Texts of the items of the module piece being generated, by marker index.
#[derive(Default)]
pub(crate) struct Texts(RefCell<Vec<String>>);

impl Texts {
    /// A marker item standing for `text` (written at column 0, indented
    /// where the marker is).
    pub(crate) fn marker(&self, text: String) -> TokenStream {
        let mut texts = self.0.borrow_mut();
        let n = proc_macro2::Literal::usize_unsuffixed(texts.len());
        texts.push(text);
        let name = proc_macro2::Ident::new(MARKER, proc_macro2::Span::call_site());
        quote!(#name!(#n);)
    }

    /// The texts collected since the last call.
    pub(crate) fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// `formatted` with each marker line replaced by its text, indented as the
/// marker was; `None` when a marker names no text.
pub(crate) fn substitute(formatted: &str, texts: &[String]) -> Option<String> {
    let mut out =
        String::with_capacity(formatted.len() + texts.iter().map(String::len).sum::<usize>());
    let open = format!("{MARKER}!(");
    for line in formatted.lines() {
        let trimmed = line.trim_start();
        match trimmed
            .strip_prefix(open.as_str())
            .and_then(|rest| rest.strip_suffix(");"))
        {
            Some(n) => {
                let text = texts.get(n.parse::<usize>().ok()?)?;
                let pad = &line[..line.len() - trimmed.len()];
                for l in text.lines() {
                    if !l.is_empty() {
                        out.push_str(pad);
                        out.push_str(l);
                    }
                    out.push('\n');
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Some(out)
}

/// Tokens of a type or a simple expression as Rust text, spaced as rustfmt
/// spaces them (`Option<Box<Data2>>`, `__Field::new("x", &__Ty::List(…))`):
/// a space between two words, after a comma and around `=` and `+`, none
/// elsewhere.
pub(crate) fn tokens(ts: &TokenStream) -> String {
    let mut out = String::new();
    write_tokens(ts.clone(), &mut out);
    out
}

fn write_tokens(ts: TokenStream, out: &mut String) {
    // Whether the last token was a word (an identifier or a literal), and
    // whether the last punctuation asked for a space after it.
    let mut word = false;
    let mut space = false;
    let mut joint_quote = false;
    for tt in ts {
        match tt {
            TokenTree::Ident(i) => {
                if (word || space) && !joint_quote {
                    out.push(' ');
                }
                let _ = write!(out, "{i}");
                word = true;
                space = false;
                joint_quote = false;
            }
            TokenTree::Literal(l) => {
                if word || space {
                    out.push(' ');
                }
                let _ = write!(out, "{l}");
                word = true;
                space = false;
            }
            TokenTree::Punct(p) => {
                let c = p.as_char();
                // `=` and `+` (a sum, bounds) stand between spaces.
                let binary = (c == '=' || c == '+') && p.spacing() == Spacing::Alone;
                if (space || binary) && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push(c);
                space = c == ',' || binary;
                joint_quote = c == '\'';
                word = false;
            }
            TokenTree::Group(g) => {
                if space {
                    out.push(' ');
                }
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(g.stream(), out);
                out.push_str(close);
                word = true;
                space = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_descriptors_read_as_rustfmt_writes_them() {
        let cases = [
            (quote!(Option<Box<Data2>>), "Option<Box<Data2>>"),
            (
                quote!(::std::collections::BTreeMap<String, Vec<i64>>),
                "::std::collections::BTreeMap<String, Vec<i64>>",
            ),
            (
                quote!(
                    __Field::new("tags", &__Ty::List(&__Ty::Named(__leaf::<String>)))
                        .or(__rt::reflect::empty)
                ),
                "__Field::new(\"tags\", &__Ty::List(&__Ty::Named(__leaf::<String>))).or(__rt::reflect::empty)",
            ),
            (
                quote!(&__Ty::Named(<Data2 as __rt::reflect::Reflect>::ty)),
                "&__Ty::Named(<Data2 as __rt::reflect::Reflect>::ty)",
            ),
            (quote!(&'static str), "&'static str"),
            (
                quote!(24 + <T as __Avro>::MIN_SIZE),
                "24 + <T as __Avro>::MIN_SIZE",
            ),
            (quote!(r#type), "r#type"),
        ];
        for (ts, text) in cases {
            assert_eq!(tokens(&ts), text);
        }
    }

    #[test]
    fn markers_become_their_text_at_their_indentation() {
        let texts = Texts::default();
        let m = texts.marker("impl A {\n    fn f() {}\n}\n".into());
        assert_eq!(m.to_string(), "__openedx_hooks_text ! (0) ;");
        let formatted = "pub mod m {\n    struct A;\n    __openedx_hooks_text!(0);\n}\n";
        assert_eq!(
            substitute(formatted, &texts.take()).as_deref(),
            Some("pub mod m {\n    struct A;\n    impl A {\n        fn f() {}\n    }\n}\n")
        );
        assert!(substitute("    __openedx_hooks_text!(3);\n", &[]).is_none());
    }
}
