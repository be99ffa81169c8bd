//! The bundled Open edX catalog (`generated/events/`) matches the facts of
//! openedx-events 10.5.0 (`fixtures/openedx-events-catalog.json`) field by
//! field: names, event types, versions, payload keys, data classes, field
//! order, types, optionality and defaults.

use std::collections::BTreeSet;

use openedx_hooks_schema::{Catalog, DefKind, Field, Loader, Primitive, Type, Value};
use serde_json::Value as J;

/// Upstream key fields that name a payload key the event does not have; the
/// YAML corrects them (see the comments there).
const CORRECTED_KEY_FIELDS: &[(&str, &str, &str)] = &[
    (
        "COURSE_IMPORT_COMPLETED",
        "catalog_info.course_key",
        "course.course_key",
    ),
    (
        "COURSE_RERUN_COMPLETED",
        "catalog_info.course_key",
        "course.course_key",
    ),
];

fn load() -> Catalog {
    let dir = openedx_hooks_tests::workspace_root().join("generated/events");
    let outcome = Loader::new().load(&[dir]).expect("catalog readable");
    assert!(
        outcome.diagnostics.is_empty(),
        "the bundled catalog has diagnostics:\n{}",
        openedx_hooks_tests::render_all(&outcome)
    );
    outcome.catalog.expect("valid")
}

fn reference() -> J {
    openedx_hooks_tests::upstream::reference()
}

#[test]
fn a_hook_added_to_the_bundled_catalog_fails_saying_which_fixture_to_update() {
    let mut ours: Vec<String> = openedx_hooks_tests::upstream::event_types()
        .into_iter()
        .collect();
    ours.push("org.openedx.learning.bookmark.created.v1".into());
    let panic = std::panic::catch_unwind(|| {
        openedx_hooks_tests::upstream::assert_same_events(ours, "events of generated/events")
    })
    .expect_err("differs");
    let msg = panic.downcast_ref::<String>().expect("message");
    assert!(
        msg.contains("not upstream: [\"org.openedx.learning.bookmark.created.v1\"]"),
        "{msg}"
    );
    assert!(
        msg.contains("add it to tests/fixtures/openedx-events-catalog.json"),
        "{msg}"
    );
    assert!(msg.contains("openedx-hooks-cli -- refresh"), "{msg}");
}

/// The reference's type notation, rendered in ours, resolving our IR types the same way.
fn ref_type(t: &J) -> String {
    match t {
        J::String(s) => match s.as_str() {
            "str" => "string".into(),
            "int" => "int".into(),
            "bool" => "bool".into(),
            "float" => "float".into(),
            "datetime" => "datetime".into(),
            "UUID" => "uuid".into(),
            "BinaryIO" => "bytes".into(),
            "any" => "json".into(),
            key => format!("scalar:{key}"),
        },
        J::Object(o) => {
            if let Some(r) = o.get("ref") {
                format!("record:{}", r.as_str().expect("ref"))
            } else if let Some(i) = o.get("list") {
                format!("list<{}>", ref_type(i))
            } else if let Some(i) = o.get("optional") {
                format!("{}?", ref_type(i))
            } else if let Some(d) = o.get("dict") {
                match d {
                    J::String(any) if any == "any" => "json".into(),
                    J::Array(kv) if kv[0] == "str" => format!("map<{}>", ref_type(&kv[1])),
                    other => panic!("unexpected dict notation {other}"),
                }
            } else {
                panic!("unexpected type notation {t}")
            }
        }
        other => panic!("unexpected type notation {other}"),
    }
}

fn our_type(t: &Type) -> String {
    match t {
        Type::Primitive(p) => p.name().into(),
        Type::List(i) => format!("list<{}>", our_type(i)),
        Type::Map(i) => format!("map<{}>", our_type(i)),
        Type::Optional(i) => format!("{}?", our_type(i)),
        Type::Named(r) => match r.kind {
            // Opaque keys are named by class; the module that holds them is ours to choose.
            DefKind::Scalar => format!("scalar:{}", r.name),
            DefKind::Enum => format!("enum:{}", r.name),
            DefKind::Record => format!("record:{}.{}", r.module, r.name),
            DefKind::Host => format!("host:{}", r.name),
        },
    }
}

/// Compares one field; `Err` says what differs.
fn compare_field(ours: &Field, reference: &J, owner: &str) {
    let name = reference["name"].as_str().expect("name");
    assert_eq!(ours.name, name, "{owner}: field order/name");
    let default = &reference["default"];
    let mut expected_type = ref_type(&reference["type"]);
    // `default: None` means the field may be absent or null: our `T?`.
    if default == "None" && !expected_type.ends_with('?') {
        expected_type.push('?');
    }
    assert_eq!(our_type(&ours.ty), expected_type, "{owner}.{name}: type");
    let expected_default = match default {
        J::Null => None,
        J::String(s) => match s.as_str() {
            "None" => None,
            "factory:list" => Some(Value::Seq(vec![])),
            "factory:dict" | "{}" => Some(Value::Map(vec![])),
            "factory:str" => Some(Value::Str(String::new())),
            "False" => Some(Value::Bool(false)),
            "True" => Some(Value::Bool(true)),
            other => panic!("{owner}.{name}: unexpected default notation {other}"),
        },
        other => panic!("{owner}.{name}: unexpected default {other}"),
    };
    assert_eq!(ours.default, expected_default, "{owner}.{name}: default");
}

#[test]
fn catalog_matches_openedx_events_field_by_field() {
    let catalog = load();
    let reference = reference();

    let signals = reference["signals"].as_array().expect("signals");
    openedx_hooks_tests::upstream::assert_same_events(
        catalog.events().map(|(_, e)| e.event_type.clone()),
        "events of generated/events",
    );
    for s in signals {
        let name = s["name"].as_str().expect("name");
        let module = s["subdomain"].as_str().expect("subdomain");
        let event = catalog
            .module(module)
            .and_then(|m| m.events.iter().find(|e| e.name == name))
            .unwrap_or_else(|| panic!("{module}.{name} missing"));
        assert_eq!(
            event.event_type,
            s["event_type"].as_str().expect("type"),
            "{name}: type"
        );
        assert_eq!(
            u64::from(event.minor_version),
            s["minor_version"].as_u64().expect("minor"),
            "{name}"
        );
        assert_eq!(
            u64::from(event.major_version),
            1,
            "{name}: every upstream event is v1"
        );
        let payload = s["payload"].as_object().expect("payload");
        let keys: Vec<&str> = event.payload.iter().map(|f| f.name.as_str()).collect();
        let ref_keys: Vec<&str> = payload.keys().map(String::as_str).collect();
        assert_eq!(keys, ref_keys, "{name}: payload keys in order");
        for f in &event.payload {
            assert_eq!(
                our_type(&f.ty),
                ref_type(&payload[&f.name]),
                "{name}.{}",
                f.name
            );
            assert!(
                f.default.is_none(),
                "{name}.{}: payload keys have no default",
                f.name
            );
        }
        let ref_key = s.get("key_field").and_then(J::as_str);
        let corrected = CORRECTED_KEY_FIELDS.iter().find(|(n, _, _)| *n == name);
        let expected_key = match (ref_key, corrected) {
            (Some(k), Some((_, wrong, right))) => {
                assert_eq!(k, *wrong, "{name}: the upstream key field we correct");
                Some(right.to_string())
            }
            (k, _) => k.map(str::to_owned),
        };
        assert_eq!(
            event.key_field.as_ref().map(|k| k.dotted()),
            expected_key,
            "{name}: key_field"
        );
        assert_eq!(
            event.added.as_deref(),
            s.get("added").and_then(J::as_str),
            "{name}: added"
        );
        assert_eq!(
            event.trigger.as_deref(),
            s.get("trigger").and_then(J::as_str),
            "{name}: trigger"
        );
        assert!(
            event.description.as_deref().is_some_and(|d| !d.is_empty()),
            "{name}: description"
        );
    }

    let classes = reference["data_classes"].as_object().expect("classes");
    assert_eq!(classes.len(), 49);
    let ours: BTreeSet<String> = catalog
        .modules()
        .iter()
        .flat_map(|m| {
            m.types
                .iter()
                .map(move |t| format!("{}.{}", m.name, t.name))
        })
        .collect();
    let theirs: BTreeSet<String> = classes.keys().cloned().collect();
    assert_eq!(ours, theirs, "the same data classes, in the same modules");
    for (key, class) in classes {
        let (module, name) = key.split_once('.').expect("module.Class");
        let record = catalog
            .module(module)
            .and_then(|m| m.types.iter().find(|t| t.name == name))
            .expect("present");
        let fields = class["fields"].as_array().expect("fields");
        assert_eq!(record.fields.len(), fields.len(), "{key}: field count");
        for (ours, theirs) in record.fields.iter().zip(fields) {
            compare_field(ours, theirs, key);
        }
        assert!(
            record.description.as_deref().is_some_and(|d| !d.is_empty()),
            "{key}: description"
        );
    }

    // Opaque keys are scalars with a realistic example.
    for m in catalog.modules() {
        for s in &m.scalars {
            assert_eq!(s.base, Primitive::String);
            assert!(
                s.example.as_deref().is_some_and(|e| e.contains(':')),
                "{}: example",
                s.name
            );
        }
    }
}

#[test]
fn definition_order_follows_the_reference() {
    let catalog = load();
    let reference = reference();
    for m in catalog.modules() {
        let ours: Vec<&str> = m.events.iter().map(|e| e.name.as_str()).collect();
        let theirs: Vec<&str> = reference["signals"]
            .as_array()
            .expect("signals")
            .iter()
            .filter(|s| s["subdomain"] == m.name.as_str())
            .map(|s| s["name"].as_str().expect("name"))
            .collect();
        assert_eq!(ours, theirs, "event order of {}", m.name);
    }
}

#[test]
fn the_crate_ships_the_same_files() {
    // openedx-events embeds the YAML; it must be the files on disk, in load order.
    let dir = openedx_hooks_tests::workspace_root().join("generated");
    for (name, text) in openedx_events::CATALOG_FILES {
        assert_eq!(std::fs::read_to_string(dir.join(name)).expect("file"), text);
    }
    let outcome = Loader::new().load_texts(&openedx_events::CATALOG_FILES);
    assert!(outcome.catalog.is_some());
}
