// A plugin catalog that reuses `openedx_events::learning::UserData` instead
// of generating it, with an extra derive and a type attribute.
mod events {
    openedx_hooks::include_catalog!(
        "macros/catalogs/plugin.yaml",
        extern_catalog("../generated/events", "::openedx_events"),
        derive = "::core::default::Default",
        type_attribute("webhooks.DeliveryData", "#[serde(deny_unknown_fields)]"),
    );
}

use openedx_hooks::AnySignal;
use events::webhooks::{DeliveryData, WEBHOOK_DELIVERY_FAILED, WebhookDeliveryFailed};

fn main() {
    let user: Option<openedx_events::learning::UserData> = None;
    let payload = WebhookDeliveryFailed {
        delivery: DeliveryData {
            url: "http://127.0.0.1/hook".into(),
            event_type: "org.openedx.learning.student.registration.completed.v1".into(),
            attempts: 3,
            status: Some(500),
        },
        user,
    };
    assert_eq!(WebhookDeliveryFailed::default().delivery, DeliveryData::default());
    // deny_unknown_fields reached the data class.
    let bad = r#"{"delivery": {"url": "", "event_type": "", "attempts": 1, "extra": 1}}"#;
    assert!(WEBHOOK_DELIVERY_FAILED.send_json(bad, None).is_err());
    assert!(WEBHOOK_DELIVERY_FAILED.send_event(payload).is_ok());
    // The extern module was not generated a second time.
    assert!(openedx_hooks::all_events().iter().filter(|e| e.name() == "STUDENT_REGISTRATION_COMPLETED").count() == 1);
}
