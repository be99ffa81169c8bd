//! The type expression mini-language: `string`, `list<T>`, `map<T>`, `T?`,
//! `Name`, `module.Name`.

use std::ops::Range;

use crate::ir::Primitive;

/// A parsed, not yet resolved, type expression. Ranges are byte offsets
/// inside the expression text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// A built-in type.
    Primitive(Primitive),
    /// `list<T>`.
    List(Box<TypeExpr>),
    /// `map<T>` (string keys).
    Map(Box<TypeExpr>),
    /// `T?`.
    Optional(Box<TypeExpr>),
    /// A named definition, optionally qualified by its module.
    Named {
        /// `Some((module, range))` for `module.Name`.
        module: Option<(String, Range<usize>)>,
        /// The definition name.
        name: String,
        /// Where the name stands.
        range: Range<usize>,
    },
}

/// Why an expression does not parse, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeExprError {
    /// What went wrong.
    pub message: String,
    /// Where, inside the expression.
    pub range: Range<usize>,
    /// A fix, when obvious.
    pub help: Option<String>,
}

/// Parses a type expression.
pub fn parse(src: &str) -> Result<TypeExpr, TypeExprError> {
    let mut p = P { src, pos: 0 };
    let ty = p.expr(0)?;
    p.ws();
    if p.pos < src.len() {
        return Err(p.err(p.pos..src.len(), "unexpected text after the type", None));
    }
    Ok(ty)
}

/// Nesting bound: the expression is tiny, but it is user input.
const MAX_NESTING: usize = 32;

struct P<'a> {
    src: &'a str,
    pos: usize,
}

impl P<'_> {
    fn err(&self, range: Range<usize>, msg: &str, help: Option<&str>) -> TypeExprError {
        TypeExprError {
            message: msg.to_owned(),
            range,
            help: help.map(str::to_owned),
        }
    }

    /// The range of the character at the cursor (empty at the end).
    fn next_char(&self) -> Range<usize> {
        let len = self.src[self.pos..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        self.pos..self.pos + len
    }

    fn ws(&mut self) {
        while self.src[self.pos..].starts_with([' ', '\t']) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.ws();
        if self.src[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<Range<usize>> {
        self.ws();
        let start = self.pos;
        let rest = &self.src[start..];
        let len = rest
            .char_indices()
            .take_while(|&(i, c)| {
                c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())
            })
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(start..start + len)
    }

    fn expr(&mut self, depth: usize) -> Result<TypeExpr, TypeExprError> {
        if depth > MAX_NESTING {
            return Err(self.err(self.pos..self.src.len(), "type nested too deeply", None));
        }
        let Some(first) = self.ident() else {
            let at = self.next_char();
            let what = if self.pos >= self.src.len() {
                "expected a type, found the end of the expression"
            } else {
                "expected a type name"
            };
            return Err(self.err(at, what, None));
        };
        let word = &self.src[first.clone()];
        let mut ty = match word {
            "list" | "map" if self.eat('<') => {
                let inner = self.expr(depth + 1)?;
                if !self.eat('>') {
                    let at = self.next_char();
                    return Err(self.err(at, &format!("expected `>` to close `{word}<`"), None));
                }
                if word == "list" {
                    TypeExpr::List(Box::new(inner))
                } else {
                    TypeExpr::Map(Box::new(inner))
                }
            }
            "list" | "map" => {
                return Err(self.err(
                    first,
                    &format!("`{word}` needs an item type"),
                    Some(&format!("write `{word}<string>` or another item type")),
                ));
            }
            "dict" | "array" | "vec" => {
                return Err(self.err(
                    first,
                    &format!("unknown type `{word}`"),
                    Some(if word == "dict" { "write `map<T>` for a mapping with string keys, or `json` for free-form data" } else { "write `list<T>`" }),
                ));
            }
            _ => {
                if self.src[self.pos..].starts_with('.') {
                    self.pos += 1;
                    let Some(name) = self.ident() else {
                        return Err(self.err(
                            self.pos..self.pos,
                            "expected a type name after `module.`",
                            None,
                        ));
                    };
                    TypeExpr::Named {
                        module: Some((word.to_owned(), first)),
                        name: self.src[name.clone()].to_owned(),
                        range: name,
                    }
                } else if let Some(p) = Primitive::from_name(word) {
                    TypeExpr::Primitive(p)
                } else {
                    TypeExpr::Named {
                        module: None,
                        name: word.to_owned(),
                        range: first,
                    }
                }
            }
        };
        if self.eat('?') {
            ty = TypeExpr::Optional(Box::new(ty));
            let q = self.pos - 1;
            if self.eat('?') {
                return Err(self.err(
                    q..self.pos,
                    "a type can be optional only once",
                    Some("remove one `?`"),
                ));
            }
        }
        Ok(ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            parse("list<map<learning.UserData?>>?").unwrap(),
            TypeExpr::Optional(Box::new(TypeExpr::List(Box::new(TypeExpr::Map(Box::new(
                TypeExpr::Optional(Box::new(TypeExpr::Named {
                    module: Some(("learning".into(), 9..17)),
                    name: "UserData".into(),
                    range: 18..26,
                }))
            ))))))
        );
        assert_eq!(parse(" int ").unwrap(), TypeExpr::Primitive(Primitive::Int));
    }

    #[test]
    fn reports_where_it_fails() {
        assert_eq!(parse("list<int").unwrap_err().range, 8..8);
        assert_eq!(parse("int??").unwrap_err().range, 3..5);
        assert_eq!(parse("list").unwrap_err().range, 0..4);
        assert_eq!(parse("int x").unwrap_err().range, 4..5);
        assert_eq!(parse("").unwrap_err().range, 0..0);
        assert!(parse(&"list<".repeat(100)).is_err());
    }
}
