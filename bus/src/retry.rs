//! What every backend's retries share: the backoff.

use std::time::Duration;

/// The delay before attempt `n` (1-based): `initial`, doubled each time,
/// at most `max`.
pub(crate) fn backoff(initial: Duration, max: Duration, attempt: u32) -> Duration {
    let factor = 1u32 << attempt.saturating_sub(1).min(16);
    initial.saturating_mul(factor).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let ms = Duration::from_millis;
        let got: Vec<_> = (1..=6).map(|n| backoff(ms(100), ms(1000), n)).collect();
        assert_eq!(
            got,
            [ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)]
        );
        assert_eq!(backoff(ms(100), ms(1000), 60), ms(1000));
    }
}
