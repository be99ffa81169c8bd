//! Recursive records (boxed), nested containers and non-trivial defaults.
#![deny(missing_docs, warnings)]
include!("generated/recursive.rs");

fn main() {
    use tree::*;
    // Defaults apply to absent fields.
    let node: Node = serde_json::from_str(r#"{"name": "root", "parent": null}"#).expect("decodes");
    assert_eq!(node.weight, 1.5);
    assert_eq!(node.labels["color"], "red");
    assert!(node.children.is_empty() && node.by_name.is_empty() && node.parent.is_none());
    let child = Node { name: "leaf".into(), parent: Some(std::boxed::Box::new(node.clone())), ..node.clone() };
    let json = serde_json::to_string(&child).expect("encodes");
    assert_eq!(serde_json::from_str::<Node>(&json).expect("round trip"), child);
    let other: Other = serde_json::from_str(r#"{"back": {"left": null, "right": null}}"#).expect("decodes");
    assert_eq!(other.when.to_string(), "2021-09-02T10:00:00Z");
    assert_eq!(other.day.map(|d| d.to_string()).as_deref(), Some("2021-09-02"));
    assert_eq!(other.blob, b"abc".to_vec());
    let payload: TreeChanged = serde_json::from_value(serde_json::json!({
        "root": {"name": "r"},
        "pair": {"left": {"back": {"left": null, "right": null}}, "right": null}
    }))
    .expect("decodes");
    assert_eq!(payload.count, 7);
    assert_eq!(TREE_CHANGED.minor_version(), 3);
    let _ = TREE_CHANGED.send_event(payload);
}
