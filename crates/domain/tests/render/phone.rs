//! Zoom Phone messages: the `/zoom call` answer and refusals, and the DMs
//! about ended and missed calls and recordings.

use serde_json::Value;
use zlack_domain::meeting::Timestamp;
use zlack_domain::render::{
    self, CallDirection, CallEnded, CallPrompt, CallRefusal, CallResult, Message, MissedCall,
    NumberSource, PhoneParty, PhoneRecording,
};
use zlack_domain::{Lang, Texts};

use crate::catalog::Inputs;

const PAGE: &str = "https://zlack.example.com/call/eyJuIjoiKzQ2In0.c2ln";
const PORTAL: &str = "https://zoom.us/pbx/page/telephone/callLog#/recording-list";

/// 2026-11-27 15:00 UTC plus `secs`.
fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_795_791_600 + secs).unwrap()
}

fn zone(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "America/New_York",
        Lang::Sv => "Europe/Stockholm",
    }
}

/// Every phone message, named, rendered from `i`.
pub fn messages(t: &Texts, lang: Lang, i: &Inputs) -> Vec<(&'static str, Message)> {
    let stranger = PhoneParty {
        slack_id: None,
        name: Some(i.display_name),
        number: Some("+46 8 123 456 78"),
    };
    let colleague = PhoneParty {
        slack_id: Some(i.user),
        name: Some(i.display_name),
        number: Some("1002"),
    };
    let unknown = PhoneParty::default();
    let ended = CallEnded {
        other: colleague,
        direction: CallDirection::Outbound,
        started: at(0),
        tz: zone(lang),
        talked_secs: Some(5 * 60 + 12),
        result: CallResult::Answered,
    };
    vec![
        (
            "phone_call_prompt_user",
            render::call_prompt(
                t,
                lang,
                &CallPrompt {
                    slack_id: Some(i.user),
                    number: "+46 8 123 456 78",
                    source: NumberSource::ZoomPhone,
                    page_url: PAGE,
                },
            ),
        ),
        (
            "phone_call_prompt_profile",
            render::call_prompt(
                t,
                lang,
                &CallPrompt {
                    slack_id: Some(i.user),
                    number: "+46 70 123 45 67",
                    source: NumberSource::SlackProfile,
                    page_url: PAGE,
                },
            ),
        ),
        (
            "phone_call_prompt_number",
            render::call_prompt(
                t,
                lang,
                &CallPrompt {
                    slack_id: None,
                    number: "+1 415-555-0132",
                    source: NumberSource::Typed,
                    page_url: PAGE,
                },
            ),
        ),
        (
            "phone_refused_unavailable",
            render::call_refusal(t, lang, &CallRefusal::PhoneUnavailable),
        ),
        (
            "phone_refused_no_number",
            render::call_refusal(
                t,
                lang,
                &CallRefusal::NoNumber {
                    slack_id: i.user.to_owned(),
                },
            ),
        ),
        (
            "phone_refused_invalid",
            render::call_refusal(
                t,
                lang,
                &CallRefusal::InvalidNumber {
                    typed: i.word.to_owned(),
                },
            ),
        ),
        (
            "phone_refused_country",
            render::call_refusal(t, lang, &CallRefusal::NeedsCountryCode),
        ),
        (
            "phone_refused_restricted",
            render::call_refusal(t, lang, &CallRefusal::Restricted),
        ),
        ("phone_ended_outbound", render::call_ended(t, lang, &ended)),
        (
            "phone_ended_inbound_stranger",
            render::call_ended(
                t,
                lang,
                &CallEnded {
                    other: stranger,
                    direction: CallDirection::Inbound,
                    ..ended
                },
            ),
        ),
        (
            "phone_not_answered_unknown",
            render::call_ended(
                t,
                lang,
                &CallEnded {
                    other: unknown,
                    talked_secs: None,
                    result: CallResult::NotAnswered,
                    ..ended
                },
            ),
        ),
        (
            "phone_missed",
            render::missed_call(
                t,
                lang,
                &MissedCall {
                    from: stranger,
                    at: at(0),
                    tz: zone(lang),
                    call_back_url: Some(PAGE),
                },
            ),
        ),
        (
            "phone_missed_without_number",
            render::missed_call(
                t,
                lang,
                &MissedCall {
                    from: unknown,
                    at: at(0),
                    tz: "Nowhere/Unknown",
                    call_back_url: None,
                },
            ),
        ),
        (
            "phone_recording",
            render::phone_recording(
                t,
                lang,
                &PhoneRecording {
                    other: stranger,
                    direction: CallDirection::Inbound,
                    at: at(0),
                    tz: zone(lang),
                    duration_secs: Some(61),
                    open_url: PORTAL,
                },
            ),
        ),
    ]
}

/// The call page's strings.
pub fn strings(t: &Texts, lang: Lang) -> Value {
    let page = render::call_page(t, lang, "+46 8 123 456 78");
    let (title, body) = render::call_page_expired(t, lang);
    serde_json::json!({
        "title": page.title, "lead": page.lead, "open_zoom": page.open_zoom,
        "open_tel": page.open_tel, "open_callto": page.open_callto, "copy": page.copy,
        "copied": page.copied, "number_label": page.number_label, "help": page.help,
        "android": page.android, "expired_title": title, "expired_body": body,
    })
}
