// `#[receiver]` misuse: each gives one readable error where the mistake is.
use openedx_events::learning::{STUDENT_REGISTRATION_COMPLETED, SessionLoginCompleted, StudentRegistrationCompleted};
use openedx_hooks::{BoxError, EventMetadata};

static NOT_A_SIGNAL: i32 = 1;

#[openedx_hooks::receiver(NOT_A_SIGNAL)]
fn on_number(_: &StudentRegistrationCompleted, _: &EventMetadata) -> Result<(), BoxError> {
    Ok(())
}

#[openedx_hooks::receiver(STUDENT_REGISTRATION_COMPLETED)]
fn on_wrong_payload(_: &SessionLoginCompleted, _: &EventMetadata) -> Result<(), BoxError> {
    Ok(())
}

#[openedx_hooks::receiver("STUDENT_REGISTRATION_COMPLETED")]
fn on_string(_: &StudentRegistrationCompleted, _: &EventMetadata) -> Result<(), BoxError> {
    Ok(())
}

#[openedx_hooks::receiver]
fn on_nothing(_: &StudentRegistrationCompleted, _: &EventMetadata) -> Result<(), BoxError> {
    Ok(())
}

#[openedx_hooks::receiver(STUDENT_REGISTRATION_COMPLETED)]
fn on_one_arg(_: &StudentRegistrationCompleted) -> Result<(), BoxError> {
    Ok(())
}

#[openedx_hooks::receiver(STUDENT_REGISTRATION_COMPLETED)]
async fn on_async(_: &StudentRegistrationCompleted, _: &EventMetadata) -> Result<(), BoxError> {
    Ok(())
}

#[openedx_hooks::receiver(STUDENT_REGISTRATION_COMPLETED)]
fn on_no_result(_: &StudentRegistrationCompleted, _: &EventMetadata) {}

#[openedx_hooks::receiver(STUDENT_REGISTRATION_COMPLETED)]
struct NotAFunction;

fn main() {}
