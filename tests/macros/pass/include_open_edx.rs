// The whole Open edX catalog through the macro: the same 73 events as the
// checked-in `openedx-events` crate (not linked here, so no duplicates).
openedx_hooks::include_catalog!("../generated/events");

fn main() {
    let events = openedx_hooks::all_events();
    assert_eq!(events.len(), 73);
    let registration = openedx_hooks::signal_by_type("org.openedx.learning.student.registration.completed.v1")
        .expect("registered");
    assert_eq!(registration.name(), "STUDENT_REGISTRATION_COMPLETED");
    let _: &openedx_hooks::Signal<learning::StudentRegistrationCompleted> = &learning::STUDENT_REGISTRATION_COMPLETED;
}
