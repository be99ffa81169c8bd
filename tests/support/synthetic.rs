//! A deterministic synthetic catalog for benchmarks and scale tests:
//! `events` events and `types` data classes of about ten fields each, spread
//! over modules of 1,000 events.

use std::fmt::Write;

/// `(file name, YAML text)` pairs of the synthetic catalog.
pub fn catalog(events: usize, types: usize) -> Vec<(String, String)> {
    catalog_in_modules(
        events,
        types,
        events.div_ceil(1000).max(types.div_ceil(1000)),
    )
}

/// The synthetic catalog spread over exactly `modules` files.
pub fn catalog_in_modules(events: usize, types: usize, modules: usize) -> Vec<(String, String)> {
    generate(events, types, modules, usize::MAX)
}

/// The catalog with every `every`-th data class changed compatibly (a new
/// optional field): the other side of a compatibility-gate comparison.
pub fn catalog_mutated(events: usize, types: usize, every: usize) -> Vec<(String, String)> {
    generate(
        events,
        types,
        events.div_ceil(1000).max(types.div_ceil(1000)),
        every,
    )
}

fn generate(events: usize, types: usize, modules: usize, every: usize) -> Vec<(String, String)> {
    let modules = modules.max(1);
    let mut files = Vec::new();
    for m in 0..modules {
        let mut y = String::new();
        let module = format!("mod{m:02}");
        let _ = writeln!(y, "module: {module}");
        if m == 0 {
            y.push_str("catalog:\n  type_prefix: org.example\n");
        }
        y.push_str("scalars:\n");
        let _ = writeln!(
            y,
            "  Key{m}: {{ description: \"Opaque key\", example: \"key-v1:{m}\" }}"
        );
        y.push_str("enums:\n");
        let _ = writeln!(y, "  Mode{m}: {{ values: [audit, verified, honor] }}");
        y.push_str("types:\n");
        let t_lo = m * types / modules;
        let t_hi = (m + 1) * types / modules;
        for t in t_lo..t_hi {
            let _ = writeln!(
                y,
                "  Data{t}:\n    description: \"Synthetic data class {t}.\"\n    fields:"
            );
            let _ = writeln!(
                y,
                "      id: int\n      name: string\n      key: Key{m}\n      mode: Mode{m}"
            );
            let _ = writeln!(
                y,
                "      active: {{ type: bool, default: false, description: \"Whether it is active.\" }}"
            );
            let _ = writeln!(
                y,
                "      created: datetime\n      ended: datetime?\n      tags: {{ type: list<string>, default: [] }}"
            );
            let _ = writeln!(y, "      extra: {{ type: map<int>, default: {{}} }}");
            if t % every == 0 {
                let _ = writeln!(y, "      added: int?");
            }
            // Link to an earlier type of the module so the graph is connected but acyclic.
            if t > t_lo {
                let _ = writeln!(y, "      parent: Data{}", t - 1);
            } else {
                let _ = writeln!(y, "      parent: Data{t}?");
            }
        }
        y.push_str("events:\n");
        let e_lo = m * events / modules;
        let e_hi = (m + 1) * events / modules;
        for e in e_lo..e_hi {
            let t = t_lo + (e - e_lo) % (t_hi - t_lo).max(1);
            let _ = writeln!(
                y,
                "  EVENT_{e}_HAPPENED:\n    type: org.example.{module}.subject{e}.thing.happened.v1\n    minor_version: 0\n    description: \"Synthetic event {e}.\"\n    added: 2021-09-02\n    key_field: data.id\n    payload:\n      data: Data{t}"
            );
        }
        files.push((format!("{module}.yaml"), y));
    }
    files
}

/// `(name, text)` borrowed from [`catalog`]'s output, as `Loader::load_texts` takes them.
pub fn as_refs(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect()
}
