//! Whether a literal (a `default` or `example`) is a value of a type.

use crate::ir::{DefKind, Module, Primitive, Type};
use crate::yaml::Value;

/// `Err` explains the first mismatch, with its path inside the literal.
pub fn check(v: &Value, ty: &Type, modules: &[Module]) -> Result<(), String> {
    check_at(v, ty, modules, &mut String::new())
}

fn check_at(v: &Value, ty: &Type, modules: &[Module], path: &mut String) -> Result<(), String> {
    let mismatch = |expected: &str| {
        let at = if path.is_empty() {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        Err(format!("expected {expected}{at}, found {}", describe(v)))
    };
    match (ty, v) {
        (Type::Optional(_), Value::Null) => Ok(()),
        (Type::Optional(t), _) => check_at(v, t, modules, path),
        (Type::Primitive(p), _) => check_primitive(*p, v).or_else(|e| mismatch(&e)),
        (Type::List(t), Value::Seq(items)) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check_at(item, t, modules, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Type::List(_), _) => mismatch("a sequence (`[]` for an empty list)"),
        (Type::Map(t), Value::Map(entries)) => {
            for (k, item) in entries {
                let len = path.len();
                path.push_str(&format!("[{k:?}]"));
                check_at(item, t, modules, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Type::Map(_), _) => mismatch("a mapping (`{}` for an empty map)"),
        (Type::Named(r), _) => {
            let m = &modules[r.module_index];
            match r.kind {
                DefKind::Host => mismatch(&format!(
                    "nothing: `{}` is a host type, which has no literal values",
                    r.name
                )),
                DefKind::Scalar => match v {
                    Value::Str(_) => Ok(()),
                    _ => mismatch(&format!("a string (`{}` is a string type)", r.name)),
                },
                DefKind::Enum => {
                    let e = &m.enums[r.index];
                    match v {
                        Value::Str(s) if e.values.iter().any(|x| &x.name == s) => Ok(()),
                        _ => {
                            let values: Vec<&str> =
                                e.values.iter().map(|x| x.name.as_str()).collect();
                            mismatch(&format!(
                                "one of the values of `{}`: {}",
                                r.name,
                                values.join(", ")
                            ))
                        }
                    }
                }
                DefKind::Record => {
                    let rec = &m.types[r.index];
                    let Value::Map(entries) = v else {
                        return mismatch(&format!("a mapping of the fields of `{}`", r.name));
                    };
                    for (k, item) in entries {
                        let Some(f) = rec.fields.iter().find(|f| &f.name == k) else {
                            let at = if path.is_empty() {
                                String::new()
                            } else {
                                format!(" at `{path}`")
                            };
                            return Err(format!("`{}` has no field `{k}`{at}", r.name));
                        };
                        let len = path.len();
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(k);
                        check_at(item, &f.ty, modules, path)?;
                        path.truncate(len);
                    }
                    if let Some(missing) = rec
                        .fields
                        .iter()
                        .find(|f| !f.is_optional() && !entries.iter().any(|(k, _)| k == &f.name))
                    {
                        return Err(format!(
                            "the value of `{}` lacks its required field `{}`",
                            r.name, missing.name
                        ));
                    }
                    Ok(())
                }
            }
        }
    }
}

fn check_primitive(p: Primitive, v: &Value) -> Result<(), String> {
    let ok = match (p, v) {
        (Primitive::Json, _) => true,
        (Primitive::String | Primitive::Bytes, Value::Str(_)) => true,
        (Primitive::Int, Value::Int(_)) => true,
        (Primitive::Float, Value::Int(_) | Value::Float(_)) => true,
        (Primitive::Bool, Value::Bool(_)) => true,
        (Primitive::Datetime, Value::Str(s)) => s.parse::<jiff::Timestamp>().is_ok(),
        (Primitive::Date, Value::Str(s)) => parse_date(s).is_some(),
        (Primitive::Uuid, Value::Str(s)) => uuid::Uuid::try_parse(s).is_ok(),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(match p {
        Primitive::String => "a string".into(),
        Primitive::Bytes => "a string (its UTF-8 bytes)".into(),
        Primitive::Int => "an integer".into(),
        Primitive::Float => "a number".into(),
        Primitive::Bool => "`true` or `false`".into(),
        Primitive::Datetime => "an RFC 3339 date-time such as \"2021-09-02T10:00:00Z\"".into(),
        Primitive::Date => "a date such as \"2021-09-02\"".into(),
        Primitive::Uuid => "a UUID such as \"1b4e28ba-2fa1-11d2-883f-0016d3cca427\"".into(),
        Primitive::Json => unreachable_json(),
    })
}

// `json` accepts every value, so its error text is never shown.
fn unreachable_json() -> String {
    "any value".into()
}

/// A strict `YYYY-MM-DD` calendar date.
pub fn parse_date(s: &str) -> Option<jiff::civil::Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    s.parse().ok()
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Int(i) => format!("the integer `{i}`"),
        Value::Float(f) => format!("the number `{f}`"),
        Value::Str(s) if s.chars().count() > 40 => "a string".into(),
        Value::Str(s) => format!("the string {s:?}"),
        other => other.kind_name().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2021-09-02").is_some());
        assert!(parse_date("2021-02-30").is_none());
        assert!(parse_date("2021-9-2").is_none());
        assert!(parse_date("20210902").is_none());
    }

    #[test]
    fn primitives() {
        assert!(check_primitive(Primitive::Float, &Value::Int(1)).is_ok());
        assert!(check_primitive(Primitive::Int, &Value::Float(1.0)).is_err());
        assert!(
            check_primitive(
                Primitive::Datetime,
                &Value::Str("2021-09-02T10:00:00Z".into())
            )
            .is_ok()
        );
        assert!(check_primitive(Primitive::Datetime, &Value::Str("yesterday".into())).is_err());
        assert!(check_primitive(Primitive::Uuid, &Value::Str("nope".into())).is_err());
        assert!(check_primitive(Primitive::Json, &Value::Seq(vec![])).is_ok());
    }
}
