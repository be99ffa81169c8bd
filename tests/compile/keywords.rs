//! Keywords and std names as type, field and enum-value names.
#![deny(missing_docs, warnings)]
include!("generated/keywords.rs");

fn main() {
    use learning::*;
    let r = Result {
        r#type: "t".into(),
        r#match: 1,
        self_: true,
        crate_: String::from("c"),
        r#fn: Option::SelfValue,
        r#async: vec![],
        r#where: None,
    };
    let json = serde_json::to_value(&r).expect("serializes");
    assert_eq!(json["self"], true);
    assert_eq!(json["type"], "t");
    assert_eq!(json["fn"], "self");
    assert_eq!(json["crate"], "c");
    let back: Result = serde_json::from_value(json).expect("deserializes");
    assert_eq!(back, r);
    let _ = TYPE_MATCHED.send_event(TypeMatched { r#type: r.clone(), self_: Box { r#box: Some(r) }, super_: Default::default() });
}
