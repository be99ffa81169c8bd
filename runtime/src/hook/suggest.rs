//! "Did you mean" for names a user wrote: a configured step path, a JSON
//! key, a filter type.

/// `": did you mean `x`?"` with the candidate closest to `word` when it is
/// close enough to be a typo, or nothing.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!(": did you mean `{c}`?"))
        .unwrap_or_default()
}
