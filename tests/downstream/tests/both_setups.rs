use downstream::built::badges::{BADGE_SHOWCASED, BadgeData, BadgeShowcased};
use downstream::macroed::surveys::{SURVEY_SUBMITTED, SurveyData, SurveySubmitted};
use openedx_events::learning::{CourseKey, UserData, UserPersonalData};

fn user() -> UserData {
    UserData {
        id: 3,
        is_active: true,
        pii: UserPersonalData {
            username: "ada".into(),
            email: "ada@example.com".into(),
            name: String::new(),
        },
    }
}

#[test]
fn the_build_rs_event_reuses_open_edx_types_and_reaches_its_receiver() {
    let ok = BADGE_SHOWCASED.send_event(BadgeShowcased {
        badge: BadgeData {
            slug: "first-week".into(),
            user: user(),
        },
    });
    assert_eq!(ok.outcomes().len(), 1, "the #[receiver] ran: {ok}");
    assert!(ok.is_ok());
    let bad = BADGE_SHOWCASED.send_event(BadgeShowcased {
        badge: BadgeData {
            slug: String::new(),
            user: user(),
        },
    });
    assert!(!bad.is_ok(), "the receiver's error is reported: {bad}");
}

#[test]
fn the_macro_event_round_trips_through_the_registry() {
    let captured = openedx_hooks::testing::capture(&SURVEY_SUBMITTED);
    let payload = SurveySubmitted {
        survey: SurveyData {
            survey_id: "s1".into(),
            course_key: CourseKey::from("course-v1:edX+DemoX+Demo_Course"),
            answers: [("q1".to_owned(), 4)].into(),
        },
    };
    let json = serde_json::to_string(&payload).expect("serializes");
    let signal = openedx_hooks::signal_by_type("org.openedx.surveys.survey.response.submitted.v1")
        .expect("registered");
    assert!(signal.send_json(&json, None).expect("decodes").is_ok());
    assert_eq!(captured.payloads(), vec![payload]);
}
