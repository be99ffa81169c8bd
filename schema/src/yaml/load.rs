//! Events → [`Node`] tree, iteratively and within [`Limits`].

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use super::{Entry, Node, NodeKind, Style};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, SourceMap, Span};

/// Resource budgets for one file. The defaults admit a 10,000-event catalog
/// in one file (about 500,000 nodes) and stop hostile input in well under a
/// second and a few hundred MB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes in one file, counting every node an alias expands to.
    pub max_nodes: usize,
    /// Most nodes aliases may copy in one file. Catalogs rarely use aliases;
    /// this bounds the memory an alias bomb can claim.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 32 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 1_000_000,
            max_alias_nodes: 100_000,
        }
    }
}

enum Frame {
    Seq {
        start: Span,
        /// Where this sequence's items start on the shared item stack.
        base: usize,
        anchor: usize,
        size: usize,
    },
    Map {
        start: Span,
        /// Where this mapping's entries start on the shared entry stack.
        base: usize,
        /// The key waiting for its value; `false` drops the pair (bad or repeated key).
        pending: Option<(String, Span, bool)>,
        /// Key → entry index, built only once the mapping outgrows a linear scan.
        index: Option<HashMap<String, usize>>,
        anchor: usize,
        size: usize,
    },
}

struct Builder<'s> {
    file: FileId,
    /// In an ASCII file the parser's character index is the byte offset.
    ascii: bool,
    sources: &'s SourceMap,
    limits: Limits,
    stack: Vec<Frame>,
    // Children of all open containers, shared so that each finished
    // container gets one exactly-sized allocation instead of regrowing.
    items: Vec<Node>,
    entries: Vec<Entry>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    alias_nodes: usize,
    root: Option<Node>,
    diags: &'s mut Diagnostics,
}

/// Parses one file into a node tree: `Ok(None)` for an empty document,
/// `Err(())` (with diagnostics recorded) when the file is not usable YAML.
#[allow(clippy::result_unit_err)]
pub fn load_document(
    sources: &SourceMap,
    file: FileId,
    limits: Limits,
    diags: &mut Diagnostics,
) -> Result<Option<Node>, ()> {
    let text = sources.file(file).text();
    let mut b = Builder {
        file,
        ascii: text.is_ascii(),
        sources,
        limits,
        stack: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
        root: None,
        diags,
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, yspan) = match next {
            Ok(ev) => ev,
            Err(e) => {
                let m = e.marker();
                let span = b.point(m.line(), m.col());
                if e.info().contains("recursion limit") {
                    // The scanner looks ahead through flow collections and
                    // meets its own nesting bound before our depth check.
                    let message = format!("nesting deeper than {} levels", b.limits.max_depth);
                    b.limit_error(
                        span,
                        message,
                        "flatten the structure; catalogs need a few levels only",
                    )?;
                }
                b.diags.push(
                    Diagnostic::error(
                        Code::YamlSyntax,
                        span,
                        format!("invalid YAML: {}", e.info()),
                    )
                    .with_label("the parser stopped here"),
                );
                return Err(());
            }
        };
        let span = b.span(yspan);
        let flow = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    b.diags.push(
                        Diagnostic::error(
                            Code::YamlUnsupported,
                            span,
                            "a catalog file holds exactly one YAML document",
                        )
                        .with_help("move this document into a file of its own"),
                    );
                    return Err(());
                }
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                b.reject_tag(tag.is_some(), span);
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    _ => Style::Quoted,
                };
                b.count(1, span).map(|()| {
                    let node = Node {
                        span,
                        kind: NodeKind::Scalar(text.into_owned(), style),
                    };
                    if anchor != 0 {
                        b.anchors.insert(anchor, (node.clone(), 1));
                    }
                    b.push_value(node, 1);
                })
            }
            Event::SequenceStart(anchor, tag) => {
                b.reject_tag(tag.is_some(), span);
                b.open(span).map(|()| {
                    b.stack.push(Frame::Seq {
                        start: span,
                        base: b.items.len(),
                        anchor,
                        size: 1,
                    })
                })
            }
            Event::MappingStart(anchor, tag) => {
                b.reject_tag(tag.is_some(), span);
                b.open(span).map(|()| {
                    b.stack.push(Frame::Map {
                        start: span,
                        base: b.entries.len(),
                        pending: None,
                        index: None,
                        anchor,
                        size: 1,
                    })
                })
            }
            Event::SequenceEnd | Event::MappingEnd => {
                b.close(span);
                Ok(())
            }
            Event::Alias(id) => match b.anchors.get(&id).map(|(_, size)| *size) {
                // Charge the budget before copying anything.
                Some(size) => b
                    .count_alias(size, span)
                    .and_then(|()| b.count(size, span))
                    .map(|()| {
                        if let Some((node, _)) = b.anchors.get(&id) {
                            // The copy points at the alias, where the reader looks.
                            let node = Node {
                                span,
                                ..node.clone()
                            };
                            b.push_value(node, size);
                        }
                    }),
                None => {
                    b.diags
                        .push(Diagnostic::error(Code::YamlSyntax, span, "unknown alias"));
                    Err(())
                }
            },
        };
        flow?;
    }
    Ok(b.root)
}

impl Builder<'_> {
    fn point(&self, line: usize, col: usize) -> Span {
        let off = self.sources.file(self.file).offset_of(line, col);
        Span {
            file: self.file,
            start: off as u32,
            end: off as u32,
            line: line.max(1) as u32,
            column: col as u32 + 1,
        }
    }

    fn offset(&self, m: saphyr_parser::Marker) -> usize {
        if self.ascii {
            m.index()
        } else {
            self.sources.file(self.file).offset_of(m.line(), m.col())
        }
    }

    fn span(&self, s: YSpan) -> Span {
        let f = self.sources.file(self.file);
        let start = self.offset(s.start);
        let end = self.offset(s.end).max(start);
        // Quoted and block scalars end after trailing blanks; point at the text.
        let end = start + f.text()[start..end].trim_end().len();
        Span {
            file: self.file,
            start: start as u32,
            end: end as u32,
            line: s.start.line().max(1) as u32,
            column: s.start.col() as u32 + 1,
        }
    }

    fn reject_tag(&mut self, tagged: bool, span: Span) {
        if tagged {
            self.diags.push(
                Diagnostic::error(Code::YamlUnsupported, span, "YAML tags are not supported")
                    .with_help("remove the `!tag`; types are given by the `type` key"),
            );
        }
    }

    fn count(&mut self, n: usize, span: Span) -> Result<(), ()> {
        let limit = self.limits.max_nodes;
        if charge(&mut self.nodes, n, limit) {
            return Ok(());
        }
        self.limit_error(
            span,
            format!("the file expands to more than {limit} YAML nodes"),
            "split the catalog into several files",
        )
    }

    fn count_alias(&mut self, n: usize, span: Span) -> Result<(), ()> {
        let limit = self.limits.max_alias_nodes;
        if charge(&mut self.alias_nodes, n, limit) {
            return Ok(());
        }
        self.limit_error(
            span,
            format!("aliases in this file expand to more than {limit} YAML nodes"),
            "write the content out instead of nesting aliases",
        )
    }

    fn limit_error(&mut self, span: Span, message: String, help: &str) -> Result<(), ()> {
        self.diags.push(
            Diagnostic::error(Code::YamlLimit, span, message)
                .with_label("limit reached here")
                .with_help(help),
        );
        Err(())
    }

    fn open(&mut self, span: Span) -> Result<(), ()> {
        if self.stack.len() >= self.limits.max_depth {
            let message = format!("nesting deeper than {} levels", self.limits.max_depth);
            return self.limit_error(
                span,
                message,
                "flatten the structure; catalogs need a few levels only",
            );
        }
        self.count(1, span)
    }

    fn close(&mut self, end: Span) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (start, kind, anchor, size) = match frame {
            Frame::Seq {
                start,
                base,
                anchor,
                size,
            } => (
                start,
                NodeKind::Seq(self.items.drain(base..).collect()),
                anchor,
                size,
            ),
            Frame::Map {
                start,
                base,
                anchor,
                size,
                ..
            } => (
                start,
                NodeKind::Map(self.entries.drain(base..).collect()),
                anchor,
                size,
            ),
        };
        // Flow collections end at their `]`/`}`; block ones at their last
        // child (the end event sits on the next token, often lines later).
        let text = self.sources.file(self.file).text();
        let closes_flow = matches!(
            text.get(end.start as usize..)
                .and_then(|t| t.chars().next()),
            Some(']' | '}')
        );
        let last_child = match &kind {
            NodeKind::Seq(items) => items.last().map(|n| n.span.end),
            NodeKind::Map(entries) => entries.last().map(|e| e.value.span.end),
            NodeKind::Scalar(..) => None,
        };
        let stop = if closes_flow {
            end.start + 1
        } else {
            last_child.unwrap_or(end.end)
        };
        let span = Span {
            end: stop.max(start.start),
            ..start
        };
        let node = Node { span, kind };
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        self.push_value(node, size);
    }

    fn push_value(&mut self, node: Node, size: usize) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { size: s, .. }) => {
                *s += size;
                self.items.push(node);
            }
            Some(Frame::Map {
                base,
                pending,
                index,
                size: s,
                ..
            }) => {
                *s += size;
                match pending.take() {
                    Some((key, key_span, true)) => {
                        if let Some(index) = index {
                            index.insert(key.clone(), self.entries.len() - *base);
                        }
                        self.entries.push(Entry {
                            key,
                            key_span,
                            value: node,
                        });
                    }
                    Some((_, _, false)) => {}
                    None => {
                        let key = match node.kind {
                            NodeKind::Scalar(text, _) => text,
                            _ => {
                                self.diags.push(Diagnostic::error(
                                    Code::YamlUnsupported,
                                    node.span,
                                    "mapping keys must be plain strings",
                                ));
                                *pending = Some((String::new(), node.span, false));
                                return;
                            }
                        };
                        if let Some(first) = find_key(&self.entries[*base..], index, &key) {
                            self.diags.push(
                                Diagnostic::error(
                                    Code::DuplicateKey,
                                    node.span,
                                    format!("duplicate key `{key}`"),
                                )
                                .with_label("defined again here")
                                .with_related(first, "first defined here")
                                .with_help(
                                    "each key may appear once; remove or rename one of them",
                                ),
                            );
                            // Later checks see the first definition only.
                            *pending = Some((key, node.span, false));
                        } else {
                            *pending = Some((key, node.span, true));
                        }
                    }
                }
            }
        }
    }
}

/// Mappings up to this size are searched linearly for duplicate keys.
const LINEAR_KEYS: usize = 16;

/// The span of an earlier key equal to `key`, if any.
fn find_key(
    entries: &[Entry],
    index: &mut Option<HashMap<String, usize>>,
    key: &str,
) -> Option<Span> {
    if index.is_none() && entries.len() > LINEAR_KEYS {
        *index = Some(
            entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key.clone(), i))
                .collect(),
        );
    }
    match index {
        Some(map) => map.get(key).map(|&i| entries[i].key_span),
        None => entries.iter().find(|e| e.key == key).map(|e| e.key_span),
    }
}

/// Adds `n` to a budget counter; `false` once it exceeds `limit`.
fn charge(used: &mut usize, n: usize, limit: usize) -> bool {
    *used = used.saturating_add(n);
    *used <= limit
}
