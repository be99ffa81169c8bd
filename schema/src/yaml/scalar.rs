//! YAML 1.2 core-schema resolution of plain scalars.
//!
//! Deliberately not YAML 1.1: `yes`, `on` and `2021-09-02` stay strings.

use serde::Serialize;

/// A plain data value read from YAML.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Value>),
    /// A mapping, in written order.
    #[serde(serialize_with = "ser_map")]
    Map(Vec<(String, Value)>),
}

fn ser_map<S: serde::Serializer>(m: &[(String, Value)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl Value {
    /// A human word for the value's kind.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a sequence",
            Value::Map(_) => "a mapping",
        }
    }

    /// Converts to JSON (non-finite floats become strings, as JSON has none).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or_else(|| J::String(f.to_string()), J::Number)
            }
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(v) => J::Array(v.iter().map(Value::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

/// The kind a plain scalar resolves to, without building the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainKind {
    /// `null`, `~` or nothing.
    Null,
    /// Anything that is not a string.
    Other,
    /// A string.
    Str,
}

/// Classifies a plain scalar like [`resolve_plain`] does, without allocating.
pub fn plain_kind(s: &str) -> PlainKind {
    // Core-schema non-strings start with one of these; most names do not.
    let first = s.as_bytes().first().copied();
    if !matches!(
        first,
        None | Some(
            b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F'
        )
    ) {
        return PlainKind::Str;
    }
    match resolve_plain(s) {
        Value::Null => PlainKind::Null,
        Value::Str(_) => PlainKind::Str,
        _ => PlainKind::Other,
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
pub fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(s) {
        return Value::Int(i);
    }
    if is_float(s)
        && let Ok(f) = s.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::Str(s.to_owned())
}

fn parse_int(s: &str) -> Option<i64> {
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    if let Some(h) = s.strip_prefix("0x") {
        return digits(h, 16)
            .then(|| i64::from_str_radix(h, 16).ok())
            .flatten();
    }
    if let Some(o) = s.strip_prefix("0o") {
        return digits(o, 8)
            .then(|| i64::from_str_radix(o, 8).ok())
            .flatten();
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits(body, 10) {
        return s.parse::<i64>().ok();
    }
    None
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_schema() {
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("False"), Value::Bool(false));
        assert_eq!(resolve_plain("-12"), Value::Int(-12));
        assert_eq!(resolve_plain("0x1F"), Value::Int(31));
        assert_eq!(resolve_plain("1.5e3"), Value::Float(1500.0));
        assert_eq!(resolve_plain(".5"), Value::Float(0.5));
        assert_eq!(resolve_plain("yes"), Value::Str("yes".into()));
        assert_eq!(resolve_plain("2021-09-02"), Value::Str("2021-09-02".into()));
        assert_eq!(resolve_plain("1e"), Value::Str("1e".into()));
        assert_eq!(resolve_plain("."), Value::Str(".".into()));
        for s in [
            "",
            "~",
            "null",
            "true",
            "False",
            "12",
            "-3",
            ".5",
            ".inf",
            "nope",
            "name",
            "Tree",
            "2021-09-02",
            "-x",
            "+",
        ] {
            let expected = match resolve_plain(s) {
                Value::Null => PlainKind::Null,
                Value::Str(_) => PlainKind::Str,
                _ => PlainKind::Other,
            };
            assert_eq!(plain_kind(s), expected, "{s:?}");
        }
        // Too large for i64: still a number, read as a float.
        assert_eq!(resolve_plain("99999999999999999999"), Value::Float(1e20));
    }
}
