//! `key_field`: a dotted path from the payload down to a scalar field.

use crate::ir::{DefKind, Field, Module, Primitive, Type};
use crate::suggest::did_you_mean;

/// Why a path does not resolve: message, index of the bad segment, help.
pub struct KeyFieldError {
    pub message: String,
    pub segment: usize,
    pub help: Option<String>,
}

/// Follows `path` through `payload`; `Ok` when it ends at a scalar field.
pub fn resolve(path: &[&str], payload: &[Field], modules: &[Module]) -> Result<(), KeyFieldError> {
    let mut fields = payload;
    let mut owner = "the payload".to_owned();
    for (i, seg) in path.iter().enumerate() {
        let Some(field) = fields.iter().find(|f| f.name == *seg) else {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            return Err(KeyFieldError {
                message: format!("`{seg}` is not a field of {owner}"),
                segment: i,
                help: Some(
                    did_you_mean(seg, names.iter().copied()).unwrap_or_else(|| {
                        format!("the fields of {owner} are: {}", names.join(", "))
                    }),
                ),
            });
        };
        if field.unresolved {
            // Its type error is already reported.
            return Ok(());
        }
        let so_far = path[..=i].join(".");
        let last = i + 1 == path.len();
        match field.ty.strip_optional() {
            Type::Named(r) if r.kind == DefKind::Record => {
                let rec = &modules[r.module_index].types[r.index];
                if last {
                    let example =
                        rec.fields.iter().find(|f| is_scalar(&f.ty)).map(|f| {
                            format!("choose one of its fields, e.g. `{so_far}.{}`", f.name)
                        });
                    return Err(KeyFieldError {
                        message: format!(
                            "`{so_far}` is the data class `{}`, not a scalar field",
                            r.name
                        ),
                        segment: i,
                        help: example,
                    });
                }
                fields = &rec.fields;
                owner = format!("`{}`", r.name);
            }
            ty if is_scalar(ty) => {
                if !last {
                    return Err(KeyFieldError {
                        message: format!(
                            "`{so_far}` is a scalar field and has no field `{}`",
                            path[i + 1]
                        ),
                        segment: i + 1,
                        help: Some(format!("end the key at `{so_far}`")),
                    });
                }
                return Ok(());
            }
            _ => {
                return Err(KeyFieldError {
                    message: format!(
                        "`{so_far}` is a list, map, json or bytes field; a key must be a single scalar value"
                    ),
                    segment: i,
                    help: None,
                });
            }
        }
    }
    Err(KeyFieldError {
        message: "key_field is empty".into(),
        segment: 0,
        help: None,
    })
}

fn is_scalar(ty: &Type) -> bool {
    match ty.strip_optional() {
        Type::Primitive(p) => !matches!(p, Primitive::Json | Primitive::Bytes),
        Type::Named(r) => r.kind != DefKind::Record,
        _ => false,
    }
}
