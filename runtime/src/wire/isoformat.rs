//! Datetimes as Python's `isoformat()` writes an aware UTC datetime
//! (`2026-11-24T10:30:05.000250+00:00`), formatted and parsed without the
//! general-purpose machinery: every enrollment event carries two of them,
//! and through jiff's formatter and parser they cost more than the rest of
//! the payload. Anything outside the fast path falls back to jiff.

use jiff::Timestamp;

/// The longest text the fast path writes: `YYYY-MM-DDTHH:MM:SS.fffffffff+00:00`.
pub const MAX_LEN: usize = 35;

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// Writes `ts` into `buf`; the length written, or `None` for years outside
/// 0000–9999 (left to the slow path).
pub fn format(ts: Timestamp, buf: &mut [u8; MAX_LEN]) -> Option<usize> {
    let mut secs = ts.as_second();
    let mut nanos = i64::from(ts.subsec_nanosecond());
    if nanos < 0 {
        secs -= 1;
        nanos += 1_000_000_000;
    }
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    if !(0..=9999).contains(&year) {
        return None;
    }
    let sod = secs.rem_euclid(86_400) as u32;
    digits(&mut buf[0..4], year as u32);
    buf[4] = b'-';
    digits(&mut buf[5..7], month);
    buf[7] = b'-';
    digits(&mut buf[8..10], day);
    buf[10] = b'T';
    digits(&mut buf[11..13], sod / 3600);
    buf[13] = b':';
    digits(&mut buf[14..16], sod / 60 % 60);
    buf[16] = b':';
    digits(&mut buf[17..19], sod % 60);
    let mut len = 19;
    let nanos = nanos as u32;
    if !nanos.is_multiple_of(1000) {
        buf[19] = b'.';
        digits(&mut buf[20..29], nanos);
        len = 29;
    } else if nanos != 0 {
        buf[19] = b'.';
        digits(&mut buf[20..26], nanos / 1000);
        len = 26;
    }
    buf[len..len + 6].copy_from_slice(b"+00:00");
    Some(len + 6)
}

/// Calls `f` with `ts` formatted: on the stack by the fast path (ASCII), or
/// by the general path for years it leaves (UTF-8).
#[inline]
pub fn with_formatted<R>(ts: Timestamp, f: impl FnOnce(&[u8]) -> R) -> R {
    let mut buf = [0u8; MAX_LEN];
    match format(ts, &mut buf) {
        Some(n) => f(&buf[..n]),
        None => {
            let mut s = String::with_capacity(40);
            format_slow(&mut s, ts);
            f(s.as_bytes())
        }
    }
}

/// The general path: jiff's formatter, for any year.
pub fn format_slow(out: &mut String, ts: Timestamp) {
    use std::fmt::Write as _;
    let dt = jiff::tz::Offset::UTC.to_datetime(ts);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    let nanos = dt.subsec_nanosecond();
    if nanos % 1000 != 0 {
        let _ = write!(out, ".{nanos:09}");
    } else if nanos != 0 {
        let _ = write!(out, ".{:06}", nanos / 1000);
    }
    out.push_str("+00:00");
}

/// Two ASCII digits at `b[i..i + 2]`.
#[inline]
fn two(b: &[u8], i: usize) -> Option<u32> {
    let (hi, lo) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
    (hi < 10 && lo < 10).then_some(u32::from(hi) * 10 + u32::from(lo))
}

/// (year, month, day) → days since 1970-01-01 (Howard Hinnant's
/// `days_from_civil`), for years 1–9999 in unsigned arithmetic: the fast
/// path's only range, so no Euclidean division fix-ups.
#[inline]
fn days_from_civil_ad(year: u32, month: u32, day: u32) -> i64 {
    let y = u64::from(if month <= 2 { year - 1 } else { year });
    let era = y / 400;
    let yoe = y % 400;
    let m = u64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + u64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe) as i64 - 719_468
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](+00:00|Z)`, or `None` (then the caller
/// tries jiff, which also knows other offsets and forms).
pub fn parse_fast(s: &str) -> Option<Timestamp> {
    parse_fast_bytes(s.as_bytes())
}

/// [`parse_fast`] on raw bytes: it accepts ASCII only, so the caller may
/// skip UTF-8 validation when it succeeds.
#[inline]
pub fn parse_fast_bytes(b: &[u8]) -> Option<Timestamp> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year = two(b, 0)? * 100 + two(b, 2)?;
    let (month, day) = (two(b, 5)?, two(b, 8)?);
    let (hour, minute, second) = (two(b, 11)?, two(b, 14)?, two(b, 17)?);
    if year == 0
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(i64::from(year), month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let [b'.', tail @ ..] = rest {
        let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        for &d in &tail[..n] {
            nanos = nanos * 10 + u32::from(d - b'0');
        }
        nanos *= 10u32.pow(9 - n as u32);
        rest = &tail[n..];
    }
    if rest != b"+00:00" && rest != b"Z" {
        return None;
    }
    let secs = days_from_civil_ad(year, month, day) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second);
    Timestamp::new(secs, nanos as i32).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic spread of instants over 0001–9999, with and without
    /// sub-second parts.
    fn instants() -> impl Iterator<Item = Timestamp> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..20_000).map(move |i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let secs = (x % 315_537_897_600) as i64 - 62_135_596_800; // 0001-01-01 ..= 9999-12-31
            let nanos = match i % 3 {
                0 => 0,
                1 => ((x >> 20) % 1_000_000) as i32 * 1000,
                _ => ((x >> 20) % 1_000_000_000) as i32,
            };
            Timestamp::new(secs, nanos).expect("in range")
        })
    }

    #[test]
    fn the_fast_paths_agree_with_jiff() {
        for ts in instants() {
            let mut slow = String::new();
            format_slow(&mut slow, ts);
            let mut buf = [0u8; MAX_LEN];
            let n = format(ts, &mut buf).expect("in range");
            assert_eq!(std::str::from_utf8(&buf[..n]), Ok(slow.as_str()), "{ts}");
            assert_eq!(parse_fast(&slow), Some(ts), "{slow}");
            assert_eq!(slow.parse::<Timestamp>().ok(), Some(ts), "{slow}");
        }
    }

    #[test]
    fn the_fast_parser_refuses_what_it_does_not_know() {
        for s in [
            "2026-02-29T00:00:00+00:00",
            "2026-13-01T00:00:00+00:00",
            "2026-11-24T24:00:00+00:00",
            "2026-11-24T10:00:60+00:00",
            "2026-11-24T10:00:00+01:00",
            "2026-11-24T10:00:00",
            "2026-11-24 10:00:00+00:00",
            "2026-11-24T10:00:00.+00:00",
            "2026-11-24T10:00:00.1234567891+00:00",
            "2026-11-24T10:00:00+00:00 ",
            "２０２６-11-24T10:00:00+00:00",
        ] {
            assert_eq!(parse_fast(s), None, "{s}");
        }
        assert_eq!(
            parse_fast("2024-02-29T23:59:59.5Z"),
            "2024-02-29T23:59:59.5Z".parse().ok()
        );
    }
}
