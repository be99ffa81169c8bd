//! Hostile input fails cleanly: a clear diagnostic, no panic, no stack
//! overflow, no runaway memory. (Speed is measured by the benches, not here.)

use std::io::Write;

use openedx_hooks_schema::{Code, Limits, Loader, Outcome};

fn codes(o: &Outcome) -> Vec<Code> {
    o.diagnostics.iter().map(|d| d.code).collect()
}

fn load_bytes(bytes: &[u8]) -> Outcome {
    let dir = std::env::temp_dir().join(format!("openedx-hooks-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("f{}.yaml", bytes.len()));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(bytes))
        .expect("write");
    let outcome = Loader::new().load(&[&path]).expect("readable");
    let _ = std::fs::remove_file(&path);
    outcome
}

#[test]
fn non_utf8_bytes_are_located() {
    let o = load_bytes(b"module: learning\ntypes:\n  Caf\xe9Data:\n    fields: {}\n");
    assert_eq!(codes(&o), [Code::InvalidUtf8]);
    let span = o
        .diagnostics
        .iter()
        .next()
        .and_then(|d| d.span)
        .expect("span");
    assert_eq!((span.line, span.column), (3, 6));
    assert!(o.catalog.is_none());
}

#[test]
fn ten_thousand_deep_flow_nesting_hits_the_depth_limit() {
    let deep = format!("types: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let o = Loader::new().load_str("deep.yaml", &deep);
    assert_eq!(codes(&o), [Code::YamlLimit]);
}

#[test]
fn ten_thousand_deep_block_nesting_hits_the_depth_limit() {
    // `- - - x` nests block sequences on one line.
    let deep = format!("types:\n  {}x\n", "- ".repeat(10_000));
    let o = Loader::new().load_str("deep.yaml", &deep);
    assert_eq!(codes(&o), [Code::YamlLimit]);
    // Indented block mappings: 200 levels already take 20,000 spaces.
    let mut maps = String::from("types:\n");
    for i in 0..200 {
        maps.push_str(&" ".repeat(i + 2));
        maps.push_str("k:\n");
    }
    let o = Loader::new().load_str("deep.yaml", &maps);
    assert_eq!(codes(&o), [Code::YamlLimit]);
    let flow_maps = format!("types: {}1{}\n", "{a: ".repeat(10_000), "}".repeat(10_000));
    let o = Loader::new().load_str("deep.yaml", &flow_maps);
    assert_eq!(codes(&o), [Code::YamlLimit]);
}

#[test]
fn billion_laughs_is_stopped_by_the_alias_budget() {
    let mut y = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i", "j"])
    {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        y.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let o = Loader::new().load_str("lol.yaml", &y);
    assert_eq!(codes(&o), [Code::YamlLimit]);
    assert!(
        o.diagnostics
            .iter()
            .next()
            .is_some_and(|d| d.message.contains("aliases"))
    );
}

#[test]
fn a_fifty_megabyte_file_is_refused_before_reading() {
    let big = vec![b'#'; 50 * 1024 * 1024];
    let o = load_bytes(&big);
    assert_eq!(codes(&o), [Code::FileTooLarge]);
    assert!(
        o.diagnostics
            .iter()
            .next()
            .is_some_and(|d| d.message.contains("50.0 MiB"))
    );
}

#[test]
fn millions_of_problems_keep_a_bounded_report() {
    // Every line repeats a key: half a million duplicate-key errors, 1,000 kept.
    let y = "types:\n".to_owned() + &"  A: {}\n".repeat(500_000);
    let o = Loader::new().load_str("dups.yaml", &y);
    assert!(o.diagnostics.error_count() >= 499_999);
    assert_eq!(
        o.diagnostics.len(),
        openedx_hooks_schema::diag::MAX_DIAGNOSTICS
    );
    assert!(o.diagnostics.dropped() > 0);
}

#[test]
fn node_budget_stops_huge_flat_documents() {
    let limits = Limits {
        max_nodes: 1_000,
        ..Limits::default()
    };
    let y = format!("types: [{}]\n", vec!["x"; 5_000].join(", "));
    let o = Loader::new().limits(limits).load_str("flat.yaml", &y);
    assert_eq!(codes(&o), [Code::YamlLimit]);
}

#[test]
fn deeply_nested_type_expressions_are_rejected() {
    let ty = format!("{}int{}", "list<".repeat(5_000), ">".repeat(5_000));
    let y = format!("types:\n  D:\n    fields:\n      a: \"{ty}\"\n");
    let o = Loader::new().load_str("ty.yaml", &y);
    assert!(codes(&o).contains(&Code::InvalidTypeExpr));
}

#[test]
fn the_honest_ten_thousand_event_catalog_fits_the_default_limits() {
    let files = openedx_hooks_tests::synthetic::catalog(10_000, 10_000);
    let refs = openedx_hooks_tests::synthetic::as_refs(&files);
    let o = Loader::new().load_texts(&refs);
    assert!(
        o.diagnostics.is_empty(),
        "{}",
        openedx_hooks_tests::render_all(&o)
    );
    let c = o.catalog.expect("valid");
    assert_eq!(c.events().count(), 10_000);
    assert_eq!(
        c.modules().iter().map(|m| m.types.len()).sum::<usize>(),
        10_000
    );
    // The same catalog as a single file: what one file may honestly hold.
    let one = openedx_hooks_tests::synthetic::catalog_in_modules(10_000, 10_000, 1);
    let o = Loader::new().load_str(&one[0].0, &one[0].1);
    assert!(
        o.diagnostics.is_empty(),
        "{}",
        openedx_hooks_tests::render_all(&o)
    );
    assert_eq!(o.catalog.map(|c| c.events().count()), Some(10_000));
}

#[test]
fn arbitrary_garbage_never_panics() {
    // A cheap deterministic sweep; the cargo-fuzz target explores further.
    let seeds: [&[u8]; 8] = [
        b"{",
        b"[",
        b"&a *a",
        b"? ? ? ?",
        b"a: *b",
        b"- &x\n- *x\n- *x",
        b"\t\t:",
        b"%YAML 1.2\n---\n",
    ];
    let mut state = 0x2545F4914F6CDD1Du64;
    for seed in seeds {
        for _ in 0..200 {
            let mut s = seed.to_vec();
            for _ in 0..(state % 16) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let pos = (state as usize) % (s.len() + 1);
                s.insert(pos, b"{}[]:-&*!?|>'\"#,\n a1"[(state >> 32) as usize % 20]);
            }
            let text = String::from_utf8_lossy(&s);
            let _ = Loader::new().load_str("fuzz.yaml", &text);
        }
    }
}
