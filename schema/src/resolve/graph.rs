//! Whole-catalog checks over the type graph: cycles of required record
//! fields, and definitions no event reaches.

use std::collections::VecDeque;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::ir::{DefKind, Field, Module, Type, TypeRef};

type Node = (usize, usize); // (module index, record index)

/// The record a field holds directly and always (no `?`, list or map between).
/// A default does not help: the default value itself would have to be infinite.
fn required_record(f: &Field) -> Option<Node> {
    match &f.ty {
        Type::Named(TypeRef {
            kind: DefKind::Record,
            module_index,
            index,
            ..
        }) => Some((*module_index, *index)),
        _ => None,
    }
}

/// Reports every strongly connected component of the "requires" graph that
/// contains a cycle: no finite value of those types exists.
pub fn check_required_cycles(modules: &[Module], diags: &mut Diagnostics) {
    let graph = crate::scc::RecordGraph::new(modules, required_record);
    let (ids, edges) = (&graph.ids, &graph.edges);
    let index_of = |n: Node| graph.node(n);
    for scc in crate::scc::components(edges) {
        let start = *scc.iter().min().unwrap_or(&0);
        let cyclic = scc.len() > 1 || edges[start].contains(&start);
        if !cyclic {
            continue;
        }
        let cycle = shortest_cycle(edges, start, &scc);
        let rec = |i: usize| &modules[ids[i].0].types[ids[i].1];
        // Each step of the cycle: the field of cycle[k] that leads to cycle[k+1].
        let steps: Vec<&Field> = cycle
            .iter()
            .zip(cycle.iter().cycle().skip(1))
            .filter_map(|(&from, &to)| {
                rec(from)
                    .fields
                    .iter()
                    .find(|f| required_record(f).map(index_of) == Some(to))
            })
            .collect();
        let mut path: Vec<String> = cycle
            .iter()
            .zip(&steps)
            .map(|(&i, f)| format!("{}.{}", rec(i).name, f.name))
            .collect();
        path.push(rec(start).name.clone());
        let Some(first) = steps.first() else { continue };
        let mut d = Diagnostic::error(
            Code::RequiredCycle,
            first.span,
            format!(
                "type `{}` requires itself through required fields: {}",
                rec(start).name,
                path.join(" → ")
            ),
        )
        .with_label("this field starts the cycle")
        .with_help(
            "no finite value exists; make one of these fields optional (`T?`) or a `list<T>`",
        );
        for f in steps.iter().skip(1) {
            d = d.with_related(f.span, "part of the cycle");
        }
        diags.push(d);
    }
}

/// The shortest cycle through `start` inside `scc`, as node indices.
fn shortest_cycle(edges: &[Vec<usize>], start: usize, scc: &[usize]) -> Vec<usize> {
    let mut prev = vec![usize::MAX; edges.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for &next in &edges[n] {
            if next == start {
                let mut path = vec![n];
                let mut cur = n;
                while cur != start {
                    cur = prev[cur];
                    path.push(cur);
                }
                path.reverse();
                return path;
            }
            if prev[next] == usize::MAX && scc.contains(&next) {
                prev[next] = n;
                queue.push_back(next);
            }
        }
    }
    vec![start]
}

/// Warns about scalars, enums and types that no event payload reaches.
pub fn check_unused(modules: &[Module], diags: &mut Diagnostics) {
    let mut used: Vec<[Vec<bool>; 4]> = modules
        .iter()
        .map(|m| {
            [
                vec![false; m.scalars.len()],
                vec![false; m.enums.len()],
                vec![false; m.types.len()],
                vec![false; m.hosts.len()],
            ]
        })
        .collect();
    let slot = |k: DefKind| match k {
        DefKind::Scalar => 0,
        DefKind::Enum => 1,
        DefKind::Record => 2,
        DefKind::Host => 3,
    };
    // Roots: event payloads, filter arguments and exception parameters.
    let mut work: Vec<&Type> = modules
        .iter()
        .flat_map(|m| {
            m.events
                .iter()
                .flat_map(|e| e.payload.iter().map(|f| &f.ty))
                .chain(m.filters.iter().flat_map(|f| {
                    f.arguments
                        .iter()
                        .chain(f.exceptions.iter().flat_map(|x| &x.fields))
                        .map(|f| &f.ty)
                }))
        })
        .collect();
    while let Some(ty) = work.pop() {
        match ty {
            Type::Primitive(_) => {}
            Type::List(t) | Type::Map(t) | Type::Optional(t) => work.push(t),
            Type::Named(r) => {
                let seen = &mut used[r.module_index][slot(r.kind)][r.index];
                if !*seen {
                    *seen = true;
                    if r.kind == DefKind::Record {
                        work.extend(
                            modules[r.module_index].types[r.index]
                                .fields
                                .iter()
                                .map(|f| &f.ty),
                        );
                    }
                }
            }
        }
    }
    for (m, used) in modules.iter().zip(&used) {
        let defs = m
            .scalars
            .iter()
            .map(|s| ("scalar", &s.name, s.span))
            .zip(used[0].iter())
            .chain(
                m.enums
                    .iter()
                    .map(|e| ("enum", &e.name, e.span))
                    .zip(used[1].iter()),
            )
            .chain(
                m.types
                    .iter()
                    .map(|t| ("type", &t.name, t.span))
                    .zip(used[2].iter()),
            )
            .chain(
                m.hosts
                    .iter()
                    .map(|h| ("host type", &h.name, h.span))
                    .zip(used[3].iter()),
            );
        for ((what, name, span), &is_used) in defs {
            if !is_used {
                diags.push(
                    Diagnostic::warning(
                        Code::Unused,
                        span,
                        format!("{what} `{name}` is not used by any event or filter"),
                    )
                    .with_label("defined here")
                    .with_help("use it in an event payload or a filter's arguments, or remove it"),
                );
            }
        }
    }
}
