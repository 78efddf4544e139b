use serde_json::json;
use serde_json::value::RawValue;

use super::*;
use crate::slack::inbound::InteractionForm;

fn raw(value: &serde_json::Value) -> Box<RawValue> {
    RawValue::from_string(value.to_string()).expect("valid JSON")
}

fn stored(envelope: Result<Envelope, Malformed>) -> InboundEvent {
    match envelope.expect("readable payload") {
        Envelope::Store(event) => event,
        Envelope::Ignore(what) => panic!("ignored {what}"),
        Envelope::Answer(answer) => panic!("answered {answer}"),
    }
}

fn same(a: &InboundEvent, b: &InboundEvent) {
    assert_eq!(a.source, b.source);
    assert_eq!(a.dedupe_key, b.dedupe_key);
    assert_eq!(a.kind, b.kind);
    assert_eq!(a.tenant, b.tenant);
    assert_eq!(
        String::from_utf8_lossy(&a.body),
        String::from_utf8_lossy(&b.body)
    );
}

#[test]
fn a_slash_command_over_socket_mode_is_the_row_of_its_http_twin() {
    let fields = sandbox::slash_command_fields("T1", "C1", "U1", "help me", "https://r/1");
    let http_body = serde_urlencoded::to_string(&fields).unwrap().into_bytes();
    let parsed: SlashCommand = serde_urlencoded::from_bytes(&http_body).unwrap();
    let over_http = command(&parsed, http_body);

    // The fields as a JSON object, in the order Slack sent them.
    let members: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{}", json!(k), json!(v)))
        .collect();
    let object = RawValue::from_string(format!("{{{}}}", members.join(","))).unwrap();
    let over_socket = stored(envelope("slash_commands", Some(&object)));
    same(&over_http, &over_socket);
    assert_eq!(over_socket.kind, "/zoom");
    assert_eq!(over_socket.tenant, "slack:T1");
}

#[test]
fn the_call_button_without_trigger_id_dedupes_on_the_same_body_hash() {
    let text = r#"{"team_id":"T1","channel_id":"C1","user_id":"U1","type":"video","response_url":"https://r/2"}"#;
    let over_socket = stored(envelope(
        "slash_commands",
        Some(&RawValue::from_string(text.into()).unwrap()),
    ));
    let http_body =
        b"team_id=T1&channel_id=C1&user_id=U1&type=video&response_url=https%3A%2F%2Fr%2F2".to_vec();
    let parsed: SlashCommand = serde_urlencoded::from_bytes(&http_body).unwrap();
    same(&command(&parsed, http_body), &over_socket);
    assert_eq!(over_socket.kind, "call:video");
}

#[test]
fn an_interaction_over_socket_mode_is_the_form_body_payload_json() {
    let payload = json!({
        "type": "block_actions",
        "trigger_id": "123.456.abc",
        "team": {"id": "T1", "domain": "t1"},
        "actions": [{"action_id": "zoom_call", "value": "x"}]
    });
    let text = payload.to_string();
    let http_body = serde_urlencoded::to_string([("payload", text.as_str())])
        .unwrap()
        .into_bytes();
    let form: InteractionForm = serde_urlencoded::from_bytes(&http_body).unwrap();
    let parsed: Interaction = serde_json::from_str(&form.payload).unwrap();
    let over_http = interaction(&parsed, http_body);
    let over_socket = stored(envelope("interactive", Some(&raw(&payload))));
    same(&over_http, &over_socket);
    assert_eq!(over_socket.dedupe_key, "slack:interaction:123.456.abc");
}

#[test]
fn an_event_over_socket_mode_is_the_event_callback_body() {
    let body = sandbox::slack_event_callback("T1", "Ev123", json!({"type": "link_shared"}));
    let over_http = event(
        "Ev123",
        Some("T1"),
        "link_shared".into(),
        body.to_string().into_bytes(),
    );
    let over_socket = stored(envelope("events_api", Some(&raw(&body))));
    same(&over_http, &over_socket);
    assert_eq!(over_socket.dedupe_key, "slack:event:Ev123");
}

#[test]
fn unknown_envelope_types_are_ignored_and_bad_payloads_refused() {
    let payload = raw(&json!({"x": 1}));
    assert!(matches!(
        envelope("something_new", Some(&payload)),
        Ok(Envelope::Ignore(_))
    ));
    assert!(matches!(
        envelope("events_api", None),
        Ok(Envelope::Ignore(_))
    ));
    assert!(envelope("events_api", Some(&payload)).is_err());
    assert!(envelope("slash_commands", Some(&raw(&json!([1, 2])))).is_err());
    let empty = raw(&json!({"type": "event_callback", "event_id": "", "event": {"type": "x"}}));
    assert!(envelope("events_api", Some(&empty)).is_err());
}

#[test]
fn an_invalid_view_submission_is_answered_with_its_errors_and_not_stored() {
    use zlack_domain::render::settings_modal::{CALLBACK_ID, CHOICE, block};
    let submission = |value: &str| {
        json!({
            "type": "view_submission",
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            "team": {"id": "T1"},
            "user": {"id": "U1"},
            "view": {
                "callback_id": CALLBACK_ID,
                "private_metadata": "{\"lang\":\"sv\"}",
                "state": {"values": {block::PASSCODE: {CHOICE: {
                    "type": "radio_buttons", "selected_option": {"value": value}
                }}}}
            }
        })
    };
    match envelope_at("interactive", Some(&raw(&submission("sometimes"))), 0) {
        Ok(Envelope::Answer(answer)) => {
            assert_eq!(answer["response_action"], "errors");
            let message = answer["errors"][block::PASSCODE].as_str().unwrap();
            assert!(message.contains("alternativen"), "{message}");
        }
        other => panic!("expected an answer, got {other:?}"),
    }
    let valid = stored(envelope_at("interactive", Some(&raw(&submission("on"))), 0));
    assert_eq!(valid.kind, "view_submission");
}
