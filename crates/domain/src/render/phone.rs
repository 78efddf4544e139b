//! Zoom Phone: the `/zoom call` answer, the DMs about ended and missed
//! calls and phone recordings, and the strings of the call page.
//!
//! Phone notices are personal: they only ever go to the party's own DM,
//! never to a conversation. Times are Slack date tokens, so each reader
//! sees them in their own time zone.

use super::Message;
use super::blocks::{Button, actions, ephemeral, message, section};
use super::format::{format_date_time, format_duration, slack_date};
use super::limits;
use super::mrkdwn::{Md, clip, escape_mrkdwn, md, mention};
use crate::command::collapse_whitespace;
use crate::i18n::{Lang, Texts};
use crate::meeting::Timestamp;

/// The `action_id`s of the phone buttons (all links; Slack still sends a
/// `block_actions` payload, which only needs acknowledging).
pub mod phone_action {
    /// "Call with Zoom Phone" in the `/zoom call` answer.
    pub const CALL: &str = "phone.call";
    /// "Call back" in a missed-call DM.
    pub const CALL_BACK: &str = "phone.call_back";
    /// "Open the recording" in a phone recording DM.
    pub const RECORDING_OPEN: &str = "phone.recording.open";
}

/// Slack's date token format for the start of a call.
const WHEN_FORMAT: &str = "{date_short_pretty} {time}";

/// The other party of a call, as far as it is known.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PhoneParty<'a> {
    /// The Slack user, when the party is a linked colleague.
    pub slack_id: Option<&'a str>,
    /// The name Zoom gave (caller ID name, contact or colleague name).
    pub name: Option<&'a str>,
    /// The number or extension, as it should be shown.
    pub number: Option<&'a str>,
}

/// Which way a call went, seen from the person told about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallDirection {
    /// They placed the call.
    Outbound,
    /// They received it.
    Inbound,
}

/// How a call ended, seen from the person told about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallResult {
    /// Both sides talked.
    Answered,
    /// An outgoing call nobody answered.
    NotAnswered,
}

/// "Your call … ended".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallEnded<'a> {
    /// Who was on the other end.
    pub other: PhoneParty<'a>,
    /// Which way the call went.
    pub direction: CallDirection,
    /// When it started ringing.
    pub started: Timestamp,
    /// The reader's time zone, for the text that clients without date
    /// tokens show.
    pub tz: &'a str,
    /// Seconds from answer to hang-up; `None` when it was not answered.
    pub talked_secs: Option<i64>,
    /// The outcome.
    pub result: CallResult,
}

/// "Missed call from …".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissedCall<'a> {
    /// Who called.
    pub from: PhoneParty<'a>,
    /// When it rang.
    pub at: Timestamp,
    /// The reader's time zone (see [`CallEnded::tz`]).
    pub tz: &'a str,
    /// The call page that dials the caller back, when their number is known.
    pub call_back_url: Option<&'a str>,
}

/// "The recording of your call … is ready".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhoneRecording<'a> {
    /// Who was on the other end.
    pub other: PhoneParty<'a>,
    /// Which way the call went.
    pub direction: CallDirection,
    /// When the call started.
    pub at: Timestamp,
    /// The reader's time zone (see [`CallEnded::tz`]).
    pub tz: &'a str,
    /// Length of the recording in seconds, when known.
    pub duration_secs: Option<i64>,
    /// Where the recording opens (Zoom's web portal).
    pub open_url: &'a str,
}

/// Where the number of a `/zoom call @user` came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberSource {
    /// Their Zoom Phone number or extension.
    ZoomPhone,
    /// The phone field of their Slack profile.
    SlackProfile,
    /// The caller typed it.
    Typed,
}

/// The answer to `/zoom call …`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallPrompt<'a> {
    /// Who will be called (a Slack user), when the target was a mention.
    pub slack_id: Option<&'a str>,
    /// The number as shown.
    pub number: &'a str,
    /// Where the number came from.
    pub source: NumberSource,
    /// The call page on zlack.
    pub page_url: &'a str,
}

/// Why `/zoom call` cannot place the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallRefusal {
    /// The caller's Zoom account has no Zoom Phone.
    PhoneUnavailable,
    /// The mentioned user has no number zlack can find.
    NoNumber {
        /// The Slack user.
        slack_id: String,
    },
    /// The text is not a number or extension zlack can dial.
    InvalidNumber {
        /// What the user typed, clipped for quoting.
        typed: String,
    },
    /// A national number, but zlack does not know which country's.
    NeedsCountryCode,
    /// An emergency or premium-rate number: a call link can be passed on,
    /// so zlack leaves these to the person's own phone.
    Restricted,
}

fn party(t: &Texts, lang: Lang, party: &PhoneParty) -> String {
    let name = party
        .name
        .map(collapse_whitespace)
        .filter(|n| !n.is_empty())
        .map(|n| escape_mrkdwn(&clip(&n, limits::QUOTED_TEXT)));
    let number = party
        .number
        .filter(|n| !n.trim().is_empty())
        .map(|n| escape_mrkdwn(&clip(n, limits::QUOTED_TEXT)));
    match (party.slack_id, name, number) {
        (Some(id), _, Some(number)) => format!("{} ({number})", mention(id)),
        (Some(id), _, None) => mention(id),
        (None, Some(name), Some(number)) if name != number => format!("{name} ({number})"),
        (None, Some(name), _) => name,
        (None, None, Some(number)) => number,
        (None, None, None) => escape_mrkdwn(&t.get(lang, "phone-unknown-party", &[])),
    }
}

fn when(t: &Texts, lang: Lang, at: Timestamp, tz: &str) -> String {
    let fallback = format_date_time(t, lang, at, tz);
    slack_date(at, WHEN_FORMAT, &fallback)
}

/// The answer to `/zoom call`: who and which number, and a "Call with
/// Zoom Phone" button that opens the call page.
pub fn call_prompt(t: &Texts, lang: Lang, prompt: &CallPrompt) -> Message {
    let number = escape_mrkdwn(&clip(prompt.number, limits::QUOTED_TEXT));
    let mut lines = vec![match prompt.slack_id {
        Some(id) => md(
            t,
            lang,
            "phone-call-prompt-user",
            &[("who", Md::Raw(&mention(id))), ("number", Md::Raw(&number))],
        ),
        None => md(
            t,
            lang,
            "phone-call-prompt-number",
            &[("number", Md::Raw(&number))],
        ),
    }];
    match prompt.source {
        NumberSource::ZoomPhone => lines.push(md(t, lang, "phone-call-source-zoom", &[])),
        NumberSource::SlackProfile => lines.push(md(t, lang, "phone-call-source-profile", &[])),
        NumberSource::Typed => {}
    }
    lines.push(md(t, lang, "phone-call-note", &[]));
    let text = lines.join("\n");
    let button = t.get(lang, "phone-call-button", &[]);
    ephemeral(
        text.clone(),
        vec![
            section("phone.prompt", text),
            actions(
                "phone.actions",
                vec![Button::link(button, phone_action::CALL, prompt.page_url).primary(true)],
            ),
        ],
    )
}

/// The one-line explanation when `/zoom call` cannot place the call.
pub fn call_refusal(t: &Texts, lang: Lang, refusal: &CallRefusal) -> Message {
    let text = match refusal {
        CallRefusal::PhoneUnavailable => md(t, lang, "error-phone-unavailable", &[]),
        CallRefusal::NoNumber { slack_id } => md(
            t,
            lang,
            "error-phone-no-number",
            &[("who", Md::Raw(&mention(slack_id)))],
        ),
        CallRefusal::InvalidNumber { typed } => {
            let typed = collapse_whitespace(typed);
            let typed = clip(&typed, limits::QUOTED_TEXT);
            md(
                t,
                lang,
                "error-phone-invalid-number",
                &[("typed", Md::Text(&typed))],
            )
        }
        CallRefusal::NeedsCountryCode => md(t, lang, "error-phone-needs-country", &[]),
        CallRefusal::Restricted => md(t, lang, "error-phone-restricted", &[]),
    };
    ephemeral(text.clone(), vec![section("phone.error", text)])
}

/// The DM when a call ended: the other party, direction, start, how long
/// they talked, and whether it was answered.
pub fn call_ended(t: &Texts, lang: Lang, call: &CallEnded) -> Message {
    let who = party(t, lang, &call.other);
    let key = match (call.direction, call.result) {
        (CallDirection::Outbound, CallResult::Answered) => "phone-ended-outbound",
        (CallDirection::Outbound, CallResult::NotAnswered) => "phone-not-answered",
        (CallDirection::Inbound, _) => "phone-ended-inbound",
    };
    let mut lines = vec![md(t, lang, key, &[("who", Md::Raw(&who))])];
    let started = when(t, lang, call.started, call.tz);
    lines.push(md(t, lang, "phone-started", &[("when", Md::Raw(&started))]));
    if let Some(secs) = call.talked_secs {
        let duration = format_duration(t, lang, secs);
        lines.push(md(
            t,
            lang,
            "phone-duration",
            &[("duration", Md::Text(&duration))],
        ));
    }
    let text = lines.join("\n");
    message(text.clone(), vec![section("phone.ended", text)])
}

/// The DM for a missed call, with "Call back" when the number is known.
pub fn missed_call(t: &Texts, lang: Lang, call: &MissedCall) -> Message {
    let who = party(t, lang, &call.from);
    let at = when(t, lang, call.at, call.tz);
    let text = [
        md(t, lang, "phone-missed", &[("who", Md::Raw(&who))]),
        md(t, lang, "phone-started", &[("when", Md::Raw(&at))]),
    ]
    .join("\n");
    let mut blocks = vec![section("phone.missed", text.clone())];
    if let Some(url) = call.call_back_url {
        let label = t.get(lang, "phone-call-back", &[]);
        blocks.push(actions(
            "phone.actions",
            vec![Button::link(label, phone_action::CALL_BACK, url).primary(true)],
        ));
    }
    message(text, blocks)
}

/// The DM when a phone recording is ready: never posted anywhere else.
pub fn phone_recording(t: &Texts, lang: Lang, rec: &PhoneRecording) -> Message {
    let who = party(t, lang, &rec.other);
    let key = match rec.direction {
        CallDirection::Outbound => "phone-recording-outbound",
        CallDirection::Inbound => "phone-recording-inbound",
    };
    let at = when(t, lang, rec.at, rec.tz);
    let mut lines = vec![
        md(t, lang, key, &[("who", Md::Raw(&who))]),
        md(t, lang, "phone-started", &[("when", Md::Raw(&at))]),
    ];
    if let Some(secs) = rec.duration_secs {
        let duration = format_duration(t, lang, secs);
        lines.push(md(
            t,
            lang,
            "phone-duration",
            &[("duration", Md::Text(&duration))],
        ));
    }
    lines.push(md(t, lang, "phone-recording-where", &[]));
    let text = lines.join("\n");
    let open = t.get(lang, "phone-recording-open", &[]);
    message(
        text.clone(),
        vec![
            section("phone.recording", text),
            actions(
                "phone.actions",
                vec![Button::link(open, phone_action::RECORDING_OPEN, rec.open_url).primary(true)],
            ),
        ],
    )
}

/// The strings of the call page, as plain text (the server escapes them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallPageText {
    /// `<title>` and heading.
    pub title: String,
    /// "Calling +46 8 …"
    pub lead: String,
    /// The main button.
    pub open_zoom: String,
    /// The `tel:` fallback.
    pub open_tel: String,
    /// The `callto:` fallback.
    pub open_callto: String,
    /// "Copy number".
    pub copy: String,
    /// Shown after copying.
    pub copied: String,
    /// The label of the number field.
    pub number_label: String,
    /// What to do when nothing opened.
    pub help: String,
    /// The note for Android.
    pub android: String,
}

/// The call page's strings for `number` (as shown).
pub fn call_page(t: &Texts, lang: Lang, number: &str) -> CallPageText {
    let get = |key: &str| t.get(lang, key, &[]);
    CallPageText {
        title: get("call-page-title"),
        lead: t.get(
            lang,
            "call-page-lead",
            &[("number", crate::i18n::FluentArgValue::Str(number))],
        ),
        open_zoom: get("call-page-open-zoom"),
        open_tel: get("call-page-open-tel"),
        open_callto: get("call-page-open-callto"),
        copy: get("call-page-copy"),
        copied: get("call-page-copied"),
        number_label: get("call-page-number"),
        help: get("call-page-help"),
        android: get("call-page-android"),
    }
}

/// The call page's `(title, body)` when its link is tampered with or expired.
pub fn call_page_expired(t: &Texts, lang: Lang) -> (String, String) {
    (
        t.get(lang, "call-page-expired-title", &[]),
        t.get(lang, "call-page-expired-body", &[]),
    )
}
