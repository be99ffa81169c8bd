//! `openedx-hooks compat`: baselines from paths and from git, formats, the
//! ignore file, and exit codes (0 compatible, 1 violations, 2 could not run).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OLD: &str = "module: learning
types:
  UserData:
    fields:
      id: int
      email: string
events:
  USER_CREATED:
    type: org.openedx.learning.user.account.created.v1
    payload:
      user: UserData
";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openedx-hooks"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("OPENEDX_HOOKS_TODAY", "2026-11-24")
        .output()
        .expect("runs")
}

/// Runs the gate of `events/` against `old.yaml` in `dir`, with `extra` flags.
fn gate(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["compat", "events", "--against", "old.yaml"];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "openedx-hooks-compat-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("events")).expect("dir");
    dir
}

use openedx_hooks_tests::{git, output_text as text};

#[test]
fn path_baselines_formats_and_exit_codes() {
    let dir = scratch("path");
    std::fs::write(dir.join("old.yaml"), OLD).expect("write");
    std::fs::write(dir.join("events/learning.yaml"), OLD).expect("write");
    let same = gate(&dir, &[]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    assert!(text(&same).contains("0 breaking, 0 minor, 0 warnings"));

    std::fs::write(
        dir.join("events/learning.yaml"),
        OLD.replace("      email: string\n", ""),
    )
    .expect("write");
    let o = gate(&dir, &[]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(
        t.contains("error[FIELD_REMOVED]: USER_CREATED: required field `user.email` was removed"),
        "{t}"
    );
    assert!(
        t.contains("--> old.yaml:6:7"),
        "the removed field is shown where it was: {t}"
    );
    assert!(t.contains("1 breaking, 0 minor, 0 warnings, 0 additions — requires: new major version for 1 events, minor bump for 0"), "{t}");

    let o = gate(&dir, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v[0]["rule"], "FIELD_REMOVED");
    assert_eq!(v[0]["path"], "user.email");
    assert_eq!(v[0]["severity"], "error");
    assert_eq!(
        (v[0]["file"].as_str(), v[0]["line"].as_u64()),
        (Some("old.yaml"), Some(6))
    );

    let o = gate(&dir, &["--format", "github"]);
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .starts_with("::error file=old.yaml,line=6,col=7,title=FIELD_REMOVED::USER_CREATED")
    );
    let o = gate(&dir, &["--format", "markdown"]);
    let md = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        md.contains("| `FIELD_REMOVED` | error | `USER_CREATED` (`user.email`) |"),
        "{md}"
    );

    // Under backward mode a removed field is only a minor change (which was not bumped).
    let o = gate(&dir, &["--mode", "backward"]);
    assert!(
        text(&o).contains("MINOR_VERSION_NOT_BUMPED"),
        "{}",
        text(&o)
    );

    // Could not run: exit 2.
    assert_eq!(
        run_in(&dir, &["compat", "events", "--against", "missing.yaml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(gate(&dir, &["--mode", "sideways"]).status.code(), Some(2));
    std::fs::write(dir.join("bad.yaml"), "events: [").expect("write");
    assert_eq!(
        run_in(&dir, &["compat", "events", "--against", "bad.yaml"])
            .status
            .code(),
        Some(2)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn git_baselines_are_read_without_a_checkout() {
    let dir = scratch("git");
    git(&dir, &["init", "-q"]);
    std::fs::write(dir.join("events/learning.yaml"), OLD).expect("write");
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "v1"]);
    git(&dir, &["tag", "v1.0.0"]);
    // Compatible change with a minor bump, in the working tree only.
    let new = OLD
        .replace(
            "      email: string\n",
            "      email: string\n      nickname: string?\n",
        )
        .replace("    payload:", "    minor_version: 1\n    payload:");
    std::fs::write(dir.join("events/learning.yaml"), &new).expect("write");
    for against in ["git:HEAD", "git:v1.0.0", "git:v1.0.0:events"] {
        let o = run_in(&dir, &["compat", "events", "--against", against]);
        assert_eq!(o.status.code(), Some(0), "{against}: {}", text(&o));
        assert!(
            text(&o).contains("0 breaking, 1 minor, 0 warnings"),
            "{against}: {}",
            text(&o)
        );
    }
    let o = run_in(&dir, &["compat", "events", "--against", "git:no-such-tag"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("git revision `no-such-tag` not found"));
    let o = run_in(&dir, &["compat", "events", "--against", "git:HEAD:nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes `ignore.yaml` and runs the gate of `events/` against `old.yaml` with it.
fn gate_with_ignore(dir: &Path, ignore: &str) -> Output {
    std::fs::write(dir.join("ignore.yaml"), ignore).expect("write");
    gate(dir, &["--ignore", "ignore.yaml"])
}

#[test]
fn the_ignore_file_approves_changes_with_a_reason_until_it_expires() {
    let dir = scratch("ignore");
    std::fs::write(dir.join("old.yaml"), OLD).expect("write");
    std::fs::write(
        dir.join("events/learning.yaml"),
        OLD.replace("      email: string\n", ""),
    )
    .expect("write");
    let o = gate_with_ignore(
        &dir,
        "- rule: FIELD_REMOVED\n  event: USER_*\n  path: user.email\n  reason: the email moved to the profile service (ticket 123)\n  expires: 2027-01-01\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // Expired: the entry itself fails the gate, and the finding is back.
    let o = gate_with_ignore(
        &dir,
        "- rule: FIELD_REMOVED\n  event: org.openedx.learning.user.*\n  reason: temporary\n  expires: 2026-01-01\n- rule: ENUM_VALUE_ADDED\n  event: '*'\n  reason: planned\n  expires: 2027-01-01\n",
    );
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(
        t.contains("expired on 2026-01-01") && t.contains("FIELD_REMOVED]"),
        "{t}"
    );
    assert!(
        t.contains("ENUM_VALUE_ADDED on `*` matches no finding"),
        "unused entries are reported: {t}"
    );

    // A reason is required; rules are checked.
    let o = gate_with_ignore(
        &dir,
        "- rule: FIELD_REMOVED\n  event: '*'\n  reason: ''\n  expires: 2027-01-01\n",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("`reason` must say why"), "{}", text(&o));
    let o = gate_with_ignore(
        &dir,
        "- rule: FIELD_GONE\n  event: '*'\n  reason: x\n  expires: 2027-01-01\n",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown rule `FIELD_GONE`"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two events reach one data class: a change to it is one cause.
const SHARED: &str = "module: learning
types:
  UserData:
    fields:
      id: int
      email: string
      name: string
events:
  USER_CREATED:
    type: org.openedx.learning.user.account.created.v1
    payload:
      user: UserData
  USER_UPDATED:
    type: org.openedx.learning.user.account.updated.v1
    payload:
      account: UserData
";

#[test]
fn invalid_catalogs_exit_2_with_their_diagnostics_in_every_format() {
    let dir = scratch("invalid");
    std::fs::write(dir.join("old.yaml"), OLD).expect("write");
    // The new catalog is invalid: exit 2, not 1 (the code of a breaking change).
    std::fs::write(
        dir.join("events/learning.yaml"),
        OLD.replace("id: int", "id: integer"),
    )
    .expect("write");
    let o = gate(&dir, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("unknown-type"), "{}", text(&o));
    let o = gate(&dir, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["error"], "the new catalog is not valid");
    assert_eq!(v["diagnostics"][0]["code"], "unknown-type", "{v}");
    assert_eq!(v["diagnostics"][0]["line"], 5);
    // The baseline is invalid: the same, naming it.
    std::fs::write(dir.join("events/learning.yaml"), OLD).expect("write");
    std::fs::write(
        dir.join("old.yaml"),
        OLD.replace("email: string", "email: strng"),
    )
    .expect("write");
    let o = gate(&dir, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["error"], "the baseline `old.yaml` is not a valid catalog");
    assert_eq!(v["diagnostics"][0]["file"], "old.yaml");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn additions_are_information_shown_by_default_in_every_format() {
    let dir = scratch("additions");
    std::fs::write(dir.join("old.yaml"), OLD).expect("write");
    let added = OLD.to_owned()
        + "  USER_DELETED:\n    type: org.openedx.learning.user.account.deleted.v1\n    payload:\n      user: UserData\n";
    std::fs::write(dir.join("events/learning.yaml"), added).expect("write");
    let o = gate(&dir, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("info[EVENT_ADDED]: USER_DELETED: event `USER_DELETED`"),
        "{t}"
    );
    assert!(
        t.contains("0 breaking, 0 minor, 0 warnings, 1 additions"),
        "{t}"
    );
    // "0 warnings", and nothing printed as one.
    assert!(!t.contains("warning["), "{t}");
    let v: serde_json::Value =
        serde_json::from_slice(&gate(&dir, &["--format", "json"]).stdout).expect("json");
    assert_eq!(
        (v[0]["rule"].as_str(), v[0]["severity"].as_str()),
        (Some("EVENT_ADDED"), Some("info"))
    );
    let gh = String::from_utf8_lossy(&gate(&dir, &["--format", "github"]).stdout).into_owned();
    assert!(
        gh.contains("::notice file=events/learning.yaml") && gh.contains("EVENT_ADDED"),
        "{gh}"
    );
    let md = String::from_utf8_lossy(&gate(&dir, &["--format", "markdown"]).stdout).into_owned();
    assert!(
        md.contains("| `EVENT_ADDED` | info | `USER_DELETED` |") && md.contains("1 additions"),
        "{md}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_change_reached_by_many_events_is_one_cause_and_the_ignore_file_is_counted() {
    let dir = scratch("causes");
    std::fs::write(dir.join("old.yaml"), SHARED).expect("write");
    std::fs::write(
        dir.join("events/learning.yaml"),
        SHARED
            .replace("      email: string\n", "")
            .replace("      name: string\n", ""),
    )
    .expect("write");
    let o = gate(&dir, &[]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    // Two edits: two causes, each listing the second event it reaches.
    assert_eq!(t.matches("error[FIELD_REMOVED]").count(), 2, "{t}");
    assert!(
        t.contains("the same change reaches 1 more event(s): USER_UPDATED (`account.email`)"),
        "{t}"
    );
    assert!(t.contains("2 breaking, 0 minor"), "{t}");
    let v: serde_json::Value =
        serde_json::from_slice(&gate(&dir, &["--format", "json"]).stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(2), "{v}");
    assert_eq!(v[0]["events"][1]["path"], "account.email");

    // Ignoring one cause: counted, listed with --verbose; an unused entry
    // is a counted warning; an unknown rule gets a did-you-mean.
    std::fs::write(
        dir.join("ignore.yaml"),
        "- rule: FIELD_REMOVED\n  event: '*'\n  path: '*.name'\n  reason: names moved to profiles\n  expires: 2027-01-01\n- rule: ENUM_VALUE_ADDED\n  event: '*'\n  reason: planned\n  expires: 2027-01-01\n",
    )
    .expect("write");
    let o = gate(&dir, &["--ignore", "ignore.yaml"]);
    let t = text(&o);
    assert!(
        t.contains("1 breaking, 0 minor, 1 warnings, 0 additions, 1 ignored"),
        "{t}"
    );
    assert_eq!(t.matches("warning[IGNORE_FILE]").count(), 1, "{t}");
    assert!(!t.contains("ignored[FIELD_REMOVED]"), "{t}");
    let o = gate(&dir, &["--ignore", "ignore.yaml", "--verbose"]);
    assert!(text(&o).contains("ignored[FIELD_REMOVED]: USER_CREATED: required field `user.name` was removed (2 event(s))"), "{}", text(&o));
    std::fs::write(
        dir.join("ignore.yaml"),
        "- rule: FIELD_REMOVD\n  event: '*'\n  reason: x\n  expires: 2027-01-01\n",
    )
    .expect("write");
    let o = gate(&dir, &["--ignore", "ignore.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("unknown rule `FIELD_REMOVD`: did you mean `FIELD_REMOVED`?"),
        "{}",
        text(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
