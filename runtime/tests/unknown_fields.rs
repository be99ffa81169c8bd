//! JSON payloads with keys their type does not know: an error naming the
//! path and the nearest field, unless configuration accepts them. Its own
//! binary: configuration is process-wide.

use openedx_hooks::__private_v3::{EVENTS, linkme};
use openedx_hooks::{AnySignal, Config, Signal, configure, signal_by_type};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, openedx_hooks::Avro)]
struct Pii {
    pub username: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, openedx_hooks::Avro)]
struct User {
    pub pii: Pii,
    pub tags: Vec<Pii>,
}

static USER_SEEN: Signal<User> = Signal::new("org.example.test.user.seen.v1", "USER_SEEN", 1, 0);

#[linkme::distributed_slice(EVENTS)]
#[linkme(crate = openedx_hooks::__private_v3::linkme)]
static USER_SEEN_ENTRY: &'static dyn AnySignal = &USER_SEEN;

#[test]
fn a_misspelled_field_is_an_error_unless_unknown_fields_are_allowed() {
    let signal = signal_by_type("org.example.test.user.seen.v1").expect("linked");
    // `nmae` would otherwise decode as `name: None`, silently.
    let typo = r#"{"pii": {"username": "ada", "nmae": "Ada"}, "tags": []}"#;
    let err = signal.send_json(typo, None).expect_err("unknown key");
    assert_eq!(err.path, "pii.nmae");
    assert_eq!(err.message, "unknown field `nmae`: did you mean `name`?");
    let err = signal
        .json_to_avro(typo)
        .expect_err("the same for encoding");
    assert_eq!(err.path, "pii.nmae");
    let in_list =
        r#"{"pii": {"username": "ada"}, "tags": [{"username": "b"}, {"username": "c", "zzz": 1}]}"#;
    let err = signal
        .send_json(in_list, None)
        .expect_err("unknown key in a list");
    assert_eq!(
        (err.path.as_str(), err.message.as_str()),
        ("tags[1].zzz", "unknown field `zzz`")
    );
    let exact = r#"{"pii": {"username": "ada", "name": null}, "tags": []}"#;
    signal
        .send_json(exact, None)
        .expect("known keys")
        .assert_ok();

    configure(Config::new().allow_unknown_fields(true));
    signal.send_json(typo, None).expect("accepted").assert_ok();
    configure(Config::new());
    assert!(signal.send_json(typo, None).is_err());
}
