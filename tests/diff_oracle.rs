//! An independent oracle for the compatibility gate: a reader/writer schema
//! resolution check (in the spirit of Avro's), written against the IR without
//! any of the diff code, and a property test over randomly mutated catalogs.
//! Whenever the gate says "no breaking change" under a mode, resolution must
//! succeed in that mode's directions, and the other way round.

use openedx_hooks_schema::diff::{Mode, Verdict, diff};
use openedx_hooks_schema::{Catalog, DefKind, Field, Loader, Primitive, Type};

// ----- the oracle -----

/// Can a reader with `r` decode data written with `w`?
fn reads(rc: &Catalog, r: &Type, wc: &Catalog, w: &Type, depth: usize) -> bool {
    if depth > 64 {
        return true; // recursive types: deeper levels repeat what was checked
    }
    match (r, w) {
        (Type::Optional(r), Type::Optional(w)) => reads(rc, r, wc, w, depth),
        (Type::Optional(r), w) => reads(rc, r, wc, w, depth),
        (_, Type::Optional(_)) => false, // the writer may send null
        (Type::Primitive(a), Type::Primitive(b)) => {
            a == b || (*a == Primitive::Float && *b == Primitive::Int)
        }
        (Type::List(r), Type::List(w)) | (Type::Map(r), Type::Map(w)) => {
            reads(rc, r, wc, w, depth + 1)
        }
        (Type::Named(a), Type::Named(b)) if a.kind == b.kind && a.name == b.name => match a.kind {
            DefKind::Enum => {
                let (re, we) = (rc.enumeration(a), wc.enumeration(b));
                we.values
                    .iter()
                    .all(|v| re.values.iter().any(|x| x.name == v.name))
            }
            DefKind::Scalar => rc.scalar(a).base == wc.scalar(b).base,
            // Never on the wire: the same host reads as itself.
            DefKind::Host => true,
            DefKind::Record => record_reads(
                rc,
                &rc.record(a).fields,
                wc,
                &wc.record(b).fields,
                depth + 1,
            ),
        },
        _ => false,
    }
}

fn record_reads(rc: &Catalog, r: &[Field], wc: &Catalog, w: &[Field], depth: usize) -> bool {
    r.iter()
        .all(|rf| match w.iter().find(|wf| wf.name == rf.name) {
            Some(wf) => reads(rc, &rf.ty, wc, &wf.ty, depth),
            // Missing in the data: the reader needs a default (`T?` reads null).
            None => rf.ty.is_optional() || rf.default.is_some(),
        })
}

fn oracle(old: &Catalog, new: &Catalog, mode: Mode) -> bool {
    old.events().all(|(_, oe)| {
        let Some((_, ne)) = new.event_by_type(&oe.event_type) else {
            return false;
        };
        let backward = record_reads(new, &ne.payload, old, &oe.payload, 0);
        let forward = record_reads(old, &oe.payload, new, &ne.payload, 0);
        match mode {
            Mode::Backward => backward,
            Mode::Forward => forward,
            Mode::Full => backward && forward,
        }
    })
}

// ----- random catalogs -----

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Clone)]
enum T {
    P(&'static str),
    Enum,
    Rec(usize),
    List(Box<T>),
    Map(Box<T>),
}

#[derive(Clone)]
struct F {
    name: String,
    ty: T,
    optional: bool,
}

#[derive(Clone)]
struct Model {
    values: Vec<&'static str>,
    /// Records only refer to later records, so there is no required cycle.
    records: Vec<Vec<F>>,
    payload: Vec<F>,
}

const PRIMS: [&str; 4] = ["int", "float", "string", "bool"];
const VALUES: [&str; 4] = ["audit", "verified", "honor", "masters"];

fn random_type(rng: &mut Rng, after: usize, records: usize) -> T {
    match rng.below(7) {
        0..=2 => T::P(PRIMS[rng.below(4)]),
        3 => T::Enum,
        4 if after < records => T::Rec(after + rng.below(records - after)),
        5 => T::List(Box::new(T::P(PRIMS[rng.below(4)]))),
        _ => T::Map(Box::new(T::P(PRIMS[rng.below(4)]))),
    }
}

fn random_fields(rng: &mut Rng, after: usize, records: usize) -> Vec<F> {
    (0..1 + rng.below(4))
        .map(|i| F {
            name: format!("f{i}"),
            ty: random_type(rng, after, records),
            optional: rng.below(3) == 0,
        })
        .collect()
}

fn random_model(rng: &mut Rng) -> Model {
    let n = 1 + rng.below(3);
    Model {
        values: VALUES[..2 + rng.below(2)].to_vec(),
        records: (0..n).map(|i| random_fields(rng, i + 1, n)).collect(),
        payload: random_fields(rng, 0, n),
    }
}

fn render_type(t: &T) -> String {
    match t {
        T::P(p) => (*p).to_owned(),
        T::Enum => "Mode".into(),
        T::Rec(i) => format!("Rec{i}"),
        T::List(t) => format!("list<{}>", render_type(t)),
        T::Map(t) => format!("map<{}>", render_type(t)),
    }
}

fn render(m: &Model) -> String {
    let fields = |fs: &[F], indent: &str| {
        fs.iter()
            .map(|f| {
                format!(
                    "{indent}{}: \"{}{}\"\n",
                    f.name,
                    render_type(&f.ty),
                    if f.optional { "?" } else { "" }
                )
            })
            .collect::<String>()
    };
    let mut y = format!(
        "module: learning\nenums:\n  Mode: {{ values: [{}] }}\ntypes:\n",
        m.values.join(", ")
    );
    for (i, r) in m.records.iter().enumerate() {
        y.push_str(&format!("  Rec{i}:\n    fields:\n{}", fields(r, "      ")));
    }
    y.push_str("events:\n  THING_HAPPENED:\n    type: org.example.learning.thing.it.happened.v1\n    payload:\n");
    y.push_str(&fields(&m.payload, "      "));
    y
}

/// One random wire-level change somewhere in the model.
fn mutate(rng: &mut Rng, m: &mut Model) {
    let n = m.records.len();
    let target = rng.below(n + 1);
    let after = if target == n { 0 } else { target + 1 };
    if rng.below(6) == 0 {
        // Enum values come and go.
        if rng.below(2) == 0 && m.values.len() < VALUES.len() {
            m.values.push(VALUES[m.values.len()]);
        } else if m.values.len() > 1 {
            m.values.pop();
        }
        return;
    }
    let fields = if target == n {
        &mut m.payload
    } else {
        &mut m.records[target]
    };
    match rng.below(5) {
        0 if fields.len() > 1 => {
            let i = rng.below(fields.len());
            fields.remove(i);
        }
        1 => {
            let ty = random_type(rng, after, n);
            fields.push(F {
                name: format!("g{}", rng.below(1000)),
                ty,
                optional: rng.below(2) == 0,
            });
        }
        2 => {
            let i = rng.below(fields.len());
            fields[i].optional = !fields[i].optional;
        }
        _ => {
            let i = rng.below(fields.len());
            fields[i].ty = random_type(rng, after, n);
        }
    }
}

fn load(yaml: &str) -> Option<Catalog> {
    Loader::new().load_str("learning.yaml", yaml).catalog
}

#[test]
fn the_gate_agrees_with_an_independent_resolution_check() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut checked = 0;
    for _ in 0..600 {
        let base = random_model(&mut rng);
        let mut changed = base.clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut changed);
        }
        let (Some(old), Some(new)) = (load(&render(&base)), load(&render(&changed))) else {
            continue; // a mutation produced a duplicate name; skip
        };
        for mode in [Mode::Backward, Mode::Forward, Mode::Full] {
            let report = diff(&old, &new, mode);
            let gate_ok = !report
                .findings
                .iter()
                .any(|f| f.verdict == Verdict::Breaking);
            assert_eq!(
                gate_ok,
                oracle(&old, &new, mode),
                "mode {mode:?}\n--- old\n{}\n--- new\n{}\n--- findings\n{:#?}",
                render(&base),
                render(&changed),
                report.findings
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "too few comparisons ran: {checked}");
}
