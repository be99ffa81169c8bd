//! The compatibility rules, table-driven: for each rule an old/new catalog
//! pair, the finding it must produce (rule, event, path) and its verdict
//! under backward, forward and full mode.

use openedx_hooks_schema::diff::{Mode, Rule, Verdict, diff};
use openedx_hooks_schema::{Catalog, Loader};

const BASE: &str = r#"
module: learning
scalars:
  CourseKey: { description: "course key" }
enums:
  Mode: { values: [audit, verified] }
types:
  UserPersonalData:
    fields:
      username: string
      email: string
      name: { type: string, default: "" }
  UserData:
    fields:
      id: int
      is_active: bool
      pii: UserPersonalData
      nickname: string?
      mode: Mode
      course: CourseKey
      score: int
events:
  STUDENT_REGISTRATION_COMPLETED:
    type: org.openedx.learning.student.registration.completed.v1
    minor_version: 0
    description: "Sent after registration."
    key_field: user.id
    payload:
      user: UserData
  SESSION_LOGIN_COMPLETED:
    type: org.openedx.learning.auth.session.login.completed.v1
    payload:
      user: UserData
hosts:
  User: { description: "A Django user." }
filters:
  CERTIFICATE_REQUESTED:
    type: org.openedx.learning.certificate.creation.requested.v1
    description: "Runs before a certificate is created."
    arguments:
      user: User
      mode: Mode
      grade: float
    returns: [user, mode]
    exceptions:
      PreventCertificate:
        fields:
          message: string
"#;

fn load(yaml: &str) -> Catalog {
    let o = Loader::new().load_str("learning.yaml", yaml);
    if o.catalog.is_none() {
        panic!("{}", openedx_hooks_tests::render_all(&o));
    }
    o.catalog.expect("checked above")
}

/// Applies `(from, to)` replacements to the base catalog, each of which must match.
fn edit(edits: &[(&str, &str)]) -> String {
    let mut s = BASE.to_owned();
    for (from, to) in edits {
        assert!(s.contains(from), "edit does not apply: {from}");
        s = s.replacen(from, to, 1);
    }
    s
}

use Verdict::{Breaking as B, Minor as M, Safe as S, Violation as V};

/// (rule, edits, event, path, verdicts under [backward, forward, full]).
type Case = (
    Rule,
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
    [Verdict; 3],
);

const FILTER: &str = "CERTIFICATE_REQUESTED";

const CASES: &[Case] = &[
    (
        Rule::FilterRemoved,
        &[(
            "  CERTIFICATE_REQUESTED:\n    type: org.openedx.learning.certificate.creation.requested.v1\n    description: \"Runs before a certificate is created.\"\n    arguments:\n      user: User\n      mode: Mode\n      grade: float\n    returns: [user, mode]\n    exceptions:\n      PreventCertificate:\n        fields:\n          message: string\n",
            "  OTHER_REQUESTED:\n    type: org.openedx.learning.other.thing.requested.v1\n    arguments:\n      user: User\n",
        )],
        FILTER,
        "",
        [B, B, B],
    ),
    (
        Rule::FilterAdded,
        &[(
            "filters:\n",
            "filters:\n  OTHER_REQUESTED:\n    type: org.openedx.learning.other.thing.requested.v1\n    arguments:\n      user: User\n",
        )],
        "OTHER_REQUESTED",
        "",
        [S, S, S],
    ),
    (
        Rule::FilterNameChanged,
        &[(
            "  CERTIFICATE_REQUESTED:",
            "  CERTIFICATE_CREATION_REQUESTED:",
        )],
        "CERTIFICATE_CREATION_REQUESTED",
        "",
        [B, B, B],
    ),
    (
        Rule::FilterArgumentAdded,
        &[(
            "      grade: float\n",
            "      grade: float\n      score: int\n",
        )],
        FILTER,
        "score",
        [B, B, B],
    ),
    (
        Rule::FilterArgumentRemoved,
        &[("      grade: float\n", "")],
        FILTER,
        "grade",
        [B, B, B],
    ),
    (
        Rule::FilterArgumentsReordered,
        &[(
            "      user: User\n      mode: Mode\n",
            "      mode: Mode\n      user: User\n",
        )],
        FILTER,
        "",
        [B, B, B],
    ),
    (
        Rule::FilterArgumentTypeChanged,
        &[("      grade: float\n", "      grade: int\n")],
        FILTER,
        "grade",
        [B, B, B],
    ),
    (
        Rule::FilterReturnsChanged,
        &[("    returns: [user, mode]", "    returns: [user]")],
        FILTER,
        "",
        [B, B, B],
    ),
    (
        Rule::FilterExceptionRemoved,
        &[(
            "      PreventCertificate:\n        fields:\n          message: string\n",
            "      RefuseCertificate: {}\n",
        )],
        FILTER,
        "PreventCertificate",
        [B, B, B],
    ),
    (
        Rule::FilterExceptionChanged,
        &[(
            "          message: string\n",
            "          message: string\n          redirect_to: string\n",
        )],
        FILTER,
        "PreventCertificate",
        [B, B, B],
    ),
    (
        Rule::FilterExceptionAdded,
        &[(
            "          message: string\n",
            "          message: string\n      RefuseCertificate: {}\n",
        )],
        FILTER,
        "RefuseCertificate",
        [S, S, S],
    ),
    (
        Rule::FilterPythonChanged,
        &[(
            "    returns: [user, mode]",
            "    returns: [user, mode]\n    python: { return_access: index }",
        )],
        FILTER,
        "",
        [B, B, B],
    ),
    (
        Rule::EventRemoved,
        &[(
            "  SESSION_LOGIN_COMPLETED:\n    type: org.openedx.learning.auth.session.login.completed.v1\n    payload:\n      user: UserData\n",
            "",
        )],
        "SESSION_LOGIN_COMPLETED",
        "",
        [B, B, B],
    ),
    (
        Rule::EventAdded,
        &[(
            "events:\n",
            "events:\n  COURSE_STARTED:\n    type: org.openedx.learning.course.run.started.v1\n    payload:\n      user: UserData\n",
        )],
        "COURSE_STARTED",
        "",
        [S, S, S],
    ),
    (
        Rule::EventNameChanged,
        &[("  SESSION_LOGIN_COMPLETED:", "  LOGIN_COMPLETED:")],
        "LOGIN_COMPLETED",
        "",
        [B, B, B],
    ),
    (
        Rule::TypeRenamed,
        &[
            ("  UserPersonalData:", "  PersonalData:"),
            ("      pii: UserPersonalData", "      pii: PersonalData"),
        ],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.pii",
        [B, B, B],
    ),
    (
        Rule::FieldRemoved,
        &[("      email: string\n", "")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.pii.email",
        [M, B, B],
    ),
    (
        Rule::OptionalFieldRemoved,
        &[("      nickname: string?\n", "")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.nickname",
        [M, M, M],
    ),
    (
        Rule::FieldAddedRequired,
        &[("      score: int\n", "      score: int\n      age: int\n")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.age",
        [B, M, B],
    ),
    (
        Rule::FieldAddedOptional,
        &[("      score: int\n", "      score: int\n      age: int?\n")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.age",
        [M, M, M],
    ),
    (
        Rule::FieldTypeChanged,
        &[("      score: int\n", "      score: string\n")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.score",
        [B, B, B],
    ),
    (
        Rule::FieldMadeRequired,
        &[("      nickname: string?", "      nickname: string")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.nickname",
        [B, M, B],
    ),
    (
        Rule::FieldMadeOptional,
        &[("      email: string", "      email: string?")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.pii.email",
        [M, B, B],
    ),
    (
        Rule::FieldDefaultChanged,
        &[("default: \"\"", "default: \"anonymous\"")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.pii.name",
        [M, M, M],
    ),
    (
        Rule::EnumValueAdded,
        &[(
            "values: [audit, verified]",
            "values: [audit, verified, honor]",
        )],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.mode",
        [M, B, B],
    ),
    (
        Rule::EnumValueRemoved,
        &[("values: [audit, verified]", "values: [audit]")],
        "STUDENT_REGISTRATION_COMPLETED",
        "user.mode",
        [B, M, B],
    ),
    (
        Rule::KeyFieldChanged,
        &[("key_field: user.id", "key_field: user.pii.username")],
        "STUDENT_REGISTRATION_COMPLETED",
        "",
        [B, B, B],
    ),
    (
        Rule::DocsChanged,
        &[("Sent after registration.", "Sent once a user registers.")],
        "STUDENT_REGISTRATION_COMPLETED",
        "",
        [S, S, S],
    ),
];

fn verdicts_of(old: &Catalog, new: &Catalog, rule: Rule, event: &str, path: &str) -> Vec<Verdict> {
    [Mode::Backward, Mode::Forward, Mode::Full]
        .into_iter()
        .map(|mode| {
            let report = diff(old, new, mode);
            let f = report
                .findings
                .iter()
                .find(|f| f.rule == rule && f.hook.name == event && f.path == path)
                .unwrap_or_else(|| {
                    panic!(
                        "{rule} at {event}: {path} not found under {mode:?}: {:#?}",
                        report.findings
                    )
                });
            f.verdict
        })
        .collect()
}

#[test]
fn every_rule_under_every_mode() {
    let old = load(BASE);
    assert!(
        diff(&old, &old, Mode::Full).findings.is_empty(),
        "a catalog is compatible with itself"
    );
    let mut covered = vec![];
    for (rule, edits, event, path, expected) in CASES {
        let new = load(&edit(edits));
        assert_eq!(
            verdicts_of(&old, &new, *rule, event, path),
            expected.to_vec(),
            "{rule}"
        );
        covered.push(*rule);
    }
    // Minor version rules.
    let bumped_base = edit(&[("minor_version: 0", "minor_version: 3")]);
    let old3 = load(&bumped_base);
    let lowered = load(&edit(&[("minor_version: 0", "minor_version: 2")]));
    assert_eq!(
        verdicts_of(
            &old3,
            &lowered,
            Rule::MinorVersionDecreased,
            "STUDENT_REGISTRATION_COMPLETED",
            ""
        ),
        [V, V, V]
    );
    covered.push(Rule::MinorVersionDecreased);
    let added_optional = load(&edit(&[(
        "      score: int\n",
        "      score: int\n      age: int?\n",
    )]));
    assert_eq!(
        verdicts_of(
            &old,
            &added_optional,
            Rule::MinorVersionNotBumped,
            "STUDENT_REGISTRATION_COMPLETED",
            ""
        ),
        [V, V, V]
    );
    covered.push(Rule::MinorVersionNotBumped);
    // Bumped: no violation.
    let bumped = load(&edit(&[
        ("      score: int\n", "      score: int\n      age: int?\n"),
        ("minor_version: 0", "minor_version: 1"),
    ]));
    let r = diff(&old, &bumped, Mode::Full);
    assert!(
        !r.findings
            .iter()
            .any(|f| f.rule == Rule::MinorVersionNotBumped
                && f.hook.name == "STUDENT_REGISTRATION_COMPLETED")
    );
    // Scalar base changes cannot be expressed yet (scalars are string-based);
    // the rule exists for when the language admits other bases.
    covered.push(Rule::ScalarBaseChanged);
    covered.sort();
    covered.dedup();
    assert_eq!(covered.len(), Rule::ALL.len(), "a rule without a case");
}

#[test]
fn a_class_change_is_reported_once_per_event_with_the_full_path() {
    let old = load(BASE);
    let new = load(&edit(&[("      email: string\n", "")]));
    let r = diff(&old, &new, Mode::Full);
    let removed: Vec<(&str, &str)> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::FieldRemoved)
        .map(|f| (f.hook.name.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        removed,
        [
            ("STUDENT_REGISTRATION_COMPLETED", "user.pii.email"),
            ("SESSION_LOGIN_COMPLETED", "user.pii.email")
        ]
    );
    let f = &r.findings[0];
    assert_eq!(
        f.old.map(|s| (s.line, s.column)),
        Some((11, 7)),
        "points at the old field"
    );
    assert!(f.new.is_none());
    assert!(r.fails(false));
    // One cause, reaching two events: counted once.
    assert_eq!(r.causes().len(), 1);
    assert_eq!(r.causes()[0].affected.len(), 2);
    assert_eq!(
        r.summary(),
        "1 breaking, 0 minor, 0 warnings, 0 additions — requires: new major version for 2 events, minor bump for 0"
    );
}

#[test]
fn a_new_major_version_is_an_addition_not_a_break() {
    let old = load(BASE);
    let v2 = BASE.replacen(
        "events:\n",
        "events:\n  STUDENT_REGISTRATION_COMPLETED_V2:\n    type: org.openedx.learning.student.registration.completed.v2\n    payload:\n      user: UserData\n      source: string\n",
        1,
    );
    let r = diff(&old, &load(&v2), Mode::Full);
    let rules: Vec<(Rule, Verdict, &str)> = r
        .findings
        .iter()
        .map(|f| (f.rule, f.verdict, f.hook.name.as_str()))
        .collect();
    assert_eq!(
        rules,
        [(
            Rule::EventAdded,
            Verdict::Safe,
            "STUDENT_REGISTRATION_COMPLETED_V2"
        )]
    );
    assert!(!r.fails(true));
    assert!(r.summary().contains(", 1 additions"), "{}", r.summary());
}

#[test]
fn warnings_fail_only_when_denied_and_widening_is_backward_compatible() {
    let old = load(BASE);
    // Both events reach the field: both need their minor version bumped.
    let only_one = load(&edit(&[
        ("default: \"\"", "default: \"anonymous\""),
        ("minor_version: 0", "minor_version: 1"),
    ]));
    let r = diff(&old, &only_one, Mode::Full);
    assert_eq!(r.violations(), 1, "{:#?}", r.findings);
    assert!(r.fails(false));
    let new = load(&edit(&[
        ("default: \"\"", "default: \"anonymous\""),
        ("minor_version: 0", "minor_version: 1"),
        (
            "    type: org.openedx.learning.auth.session.login.completed.v1\n",
            "    type: org.openedx.learning.auth.session.login.completed.v1\n    minor_version: 1\n",
        ),
    ]));
    let r = diff(&old, &new, Mode::Full);
    assert_eq!(r.warnings(), 2, "{:#?}", r.findings); // one per event reaching the field
    assert!(!r.fails(false));
    assert!(r.fails(true));
    let widened = load(&edit(&[("      score: int\n", "      score: float\n")]));
    assert_eq!(
        verdicts_of(
            &old,
            &widened,
            Rule::FieldTypeChanged,
            "STUDENT_REGISTRATION_COMPLETED",
            "user.score"
        ),
        [M, B, B]
    );
    // float → int is the reverse: old float readers take new ints.
    let base_float = edit(&[("      score: int\n", "      score: float\n")]);
    let narrowed = load(BASE);
    assert_eq!(
        verdicts_of(
            &load(&base_float),
            &narrowed,
            Rule::FieldTypeChanged,
            "STUDENT_REGISTRATION_COMPLETED",
            "user.score"
        ),
        [B, M, B]
    );
}

#[test]
fn recursive_types_terminate() {
    let yaml = "types:\n  Node:\n    fields:\n      name: string\n      parent: Node?\n      children: list<Node>\nevents:\n  TREE_CHANGED:\n    type: org.example.learning.tree.node.changed.v1\n    payload:\n      root: Node\n";
    let old = load(yaml);
    let new = load(&yaml.replace(
        "      name: string\n",
        "      name: string\n      size: int?\n",
    ));
    let r = diff(&old, &new, Mode::Full);
    let paths: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == Rule::FieldAddedOptional)
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(paths, ["root.size"]);
    // Renaming a recursive class with the same shape is a rename, found through the cycle.
    let renamed = load(&yaml.replace("Node", "TreeNode"));
    let r = diff(&old, &renamed, Mode::Full);
    assert_eq!(
        r.findings
            .iter()
            .map(|f| (f.rule, f.path.as_str()))
            .collect::<Vec<_>>(),
        [(Rule::TypeRenamed, "root")]
    );
}

#[test]
fn the_bundled_catalog_is_compatible_with_itself() {
    let dir = openedx_hooks_tests::workspace_root().join("generated/events");
    let c = Loader::new()
        .load(&[dir])
        .expect("readable")
        .catalog
        .expect("valid");
    let r = diff(&c, &c, Mode::Full);
    assert!(r.findings.is_empty());
    assert_eq!(
        r.summary(),
        "0 breaking, 0 minor, 0 warnings, 0 additions — requires: new major version for 0 events, minor bump for 0"
    );
}
