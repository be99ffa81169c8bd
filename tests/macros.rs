//! The proc-macros, compiled for real (trybuild): `include_catalog!` expands
//! catalogs (with extern catalogs and settings) to working code, and its
//! errors and `#[receiver]` misuse give the committed `.stderr` messages.

use openedx_hooks_tests::tests_dir;

#[test]
fn macros_compile_and_fail_as_documented() {
    // trybuild builds the cases from a copy under `target/`; the macro reads
    // catalogs relative to this override instead of that copy's manifest.
    // SAFETY: this binary's only test sets it before starting trybuild, and
    // no other thread of this process reads the environment meanwhile.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("OPENEDX_HOOKS_MANIFEST_DIR", tests_dir());
    }
    let t = trybuild::TestCases::new();
    t.pass(tests_dir().join("macros/pass/*.rs"));
    t.compile_fail(tests_dir().join("macros/fail/*.rs"));
}
