//! Descriptions as rustdoc that never runs as a doctest.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes for `lines`: code fences in descriptions are marked
/// `text` and indentation is dropped, so no prose becomes a doctest.
pub fn attrs<I, S>(lines: I) -> TokenStream
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = TokenStream::new();
    let mut in_fence = false;
    for line in lines {
        if line.as_ref().is_empty() {
            // A paragraph break (`"".lines()` would yield nothing).
            out.extend(quote!(#[doc = ""]));
            continue;
        }
        for raw in line.as_ref().lines() {
            let trimmed = raw.trim_start();
            let text = if let Some(rest) = trimmed.strip_prefix("```") {
                let opening = !in_fence;
                in_fence = !in_fence;
                let _info = rest; // any info string (`rust`, none...) becomes `text`
                if opening {
                    "```text".to_owned()
                } else {
                    "```".to_owned()
                }
            } else if in_fence {
                raw.to_owned()
            } else {
                trimmed.to_owned()
            };
            let text = format!(" {text}");
            out.extend(quote!(#[doc = #text]));
        }
    }
    if in_fence {
        out.extend(quote!(#[doc = " ```"]));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn fences_become_text() {
        let t = super::attrs(["Use:\n```rust\nfn main() {}\n```\n    indented"]).to_string();
        assert!(t.contains("\" ```text\""), "{t}");
        assert!(!t.contains("```rust"), "{t}");
        assert!(t.contains("\" indented\""), "{t}");
    }
}
