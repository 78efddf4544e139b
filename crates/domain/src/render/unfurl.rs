//! Link unfurls: Zoom whiteboards, meetings and recordings pasted in Slack.
//! Each function returns one entry of `chat.unfurl`'s `unfurls` map:
//! `{"blocks": […]}`, plus a composer `preview` title.

use serde_json::{Value, json};

use super::blocks::{Button, actions, section};
use super::format::{format_date_time, format_duration, slack_date};
use super::limits;
use super::mrkdwn::{Md, clip, escape_mrkdwn, md};
use crate::command::collapse_whitespace;
use crate::i18n::{Lang, Texts};
use crate::meeting::Timestamp;
use crate::whiteboard::AccessNote;

/// `action_id`s of the unfurls' link buttons.
pub mod unfurl_action {
    /// "Open whiteboard".
    pub const WHITEBOARD_OPEN: &str = "whiteboard.open";
    /// "Connect Zoom to preview".
    pub const CONNECT: &str = "unfurl.connect";
    /// "Join" on a meeting unfurl.
    pub const MEETING_JOIN: &str = "unfurl.meeting.join";
    /// "Open the recording" on a recording unfurl.
    pub const RECORDING_OPEN: &str = "unfurl.recording.open";
}

/// What a whiteboard unfurl shows: only what the sharer may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WhiteboardView<'a> {
    /// The whiteboard's name (plain text).
    pub name: &'a str,
    /// Its owner's display name.
    pub owner: Option<&'a str>,
    /// Who changed it last.
    pub modified_by: Option<&'a str>,
    /// When it was changed last.
    pub modified_at: Option<Timestamp>,
    /// zlack's signed preview URL, when Zoom has a preview.
    pub preview_url: Option<&'a str>,
    /// Where "Open whiteboard" leads.
    pub open_url: &'a str,
    /// Who can open the board, when that is fewer than who sees the
    /// unfurl.
    pub access: Option<AccessNote>,
}

/// The longest name shown.
const NAME_MAX: usize = 150;

fn entry(blocks: Vec<Value>, title: &str) -> Value {
    json!({
        "blocks": blocks,
        "preview": {"title": {"type": "plain_text", "text": clip(title, NAME_MAX)}},
    })
}

fn shown_name(t: &Texts, lang: Lang, name: &str) -> String {
    let name = collapse_whitespace(name);
    if name.is_empty() {
        t.get(lang, "unfurl-whiteboard", &[])
    } else {
        clip(&name, NAME_MAX).into_owned()
    }
}

/// A whiteboard the sharer may read: name, owner, last change (who and
/// when, the time as a Slack date token in each reader's zone), the
/// preview image and an "Open whiteboard" button.
pub fn whiteboard_unfurl(t: &Texts, lang: Lang, view: &WhiteboardView) -> Value {
    let name = shown_name(t, lang, view.name);
    let mut lines = vec![
        format!("*{}*", escape_mrkdwn(&name)),
        escape_mrkdwn(&t.get(lang, "unfurl-whiteboard", &[])),
    ];
    if let Some(owner) = view
        .owner
        .map(collapse_whitespace)
        .filter(|o| !o.is_empty())
    {
        let owner = clip(&owner, limits::QUOTED_TEXT);
        lines.push(md(
            t,
            lang,
            "unfurl-whiteboard-owner",
            &[("owner", Md::Text(&owner))],
        ));
    }
    if let Some(at) = view.modified_at {
        let fallback = format_date_time(t, lang, at, "UTC");
        let when = slack_date(at, "{date_short_pretty} {time}", &fallback);
        let who = view
            .modified_by
            .map(collapse_whitespace)
            .filter(|w| !w.is_empty());
        lines.push(match who {
            Some(who) => {
                let who = clip(&who, limits::QUOTED_TEXT);
                md(
                    t,
                    lang,
                    "unfurl-whiteboard-modified",
                    &[("who", Md::Text(&who)), ("when", Md::Raw(&when))],
                )
            }
            None => md(
                t,
                lang,
                "unfurl-whiteboard-modified-when",
                &[("when", Md::Raw(&when))],
            ),
        });
    }
    if let Some(note) = view.access {
        let key = match note {
            AccessNote::InvitedOnly => "unfurl-whiteboard-access-invited",
            AccessNote::AccountOnly => "unfurl-whiteboard-access-account",
        };
        lines.push(format!("_{}_", escape_mrkdwn(&t.get(lang, key, &[]))));
    }
    let mut info = section("whiteboard", lines.join("\n"));
    if let Some(preview) = view.preview_url {
        info["accessory"] = json!({
            "type": "image",
            "image_url": preview,
            "alt_text": clip(&t.get(lang, "unfurl-whiteboard-preview-alt", &[]), 2000),
        });
    }
    let open = t.get(lang, "unfurl-whiteboard-open", &[]);
    let buttons = vec![Button::link(
        open,
        unfurl_action::WHITEBOARD_OPEN,
        view.open_url,
    )];
    entry(vec![info, actions("whiteboard.actions", buttons)], &name)
}

/// A whiteboard pasted by someone who has not connected Zoom: nothing
/// about the board, only a way to connect. The unfurl is seen by the whole
/// conversation, so its button carries no link: whoever presses it gets
/// their own authorize prompt.
pub fn whiteboard_connect(t: &Texts, lang: Lang) -> Value {
    let title = t.get(lang, "unfurl-whiteboard", &[]);
    let text = format!(
        "*{}*\n{}",
        escape_mrkdwn(&title),
        escape_mrkdwn(&t.get(lang, "unfurl-connect", &[]))
    );
    let label = t.get(lang, "unfurl-connect-button", &[]);
    let buttons = vec![Button::action(label, unfurl_action::CONNECT, "connect").primary(true)];
    entry(
        vec![
            section("whiteboard", text),
            actions("whiteboard.actions", buttons),
        ],
        &title,
    )
}

/// A whiteboard the sharer may not read, or that is gone: "Zoom
/// Whiteboard" and nothing else about it.
pub fn whiteboard_neutral(t: &Texts, lang: Lang) -> Value {
    let title = t.get(lang, "unfurl-whiteboard", &[]);
    entry(
        vec![section(
            "whiteboard",
            format!("*{}*", escape_mrkdwn(&title)),
        )],
        &title,
    )
}

/// Whether a meeting is running, still ahead or over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingStatus {
    /// Zoom says `started`.
    Live,
    /// Not started; with the start time of a scheduled meeting.
    Scheduled(Option<Timestamp>),
    /// Over (Zoom no longer lists it as upcoming).
    Ended,
}

/// A meeting the sharer may read: topic, status and time, and "Join".
pub fn meeting_unfurl(
    t: &Texts,
    lang: Lang,
    topic: &str,
    status: MeetingStatus,
    join_url: &str,
) -> Value {
    let topic = super::meeting::shown_topic(t, lang, topic);
    let status_line = match status {
        MeetingStatus::Live => escape_mrkdwn(&t.get(lang, "unfurl-meeting-live", &[])),
        MeetingStatus::Scheduled(Some(at)) => {
            let fallback = format_date_time(t, lang, at, "UTC");
            let when = slack_date(at, "{date_short_pretty} {time}", &fallback);
            md(
                t,
                lang,
                "unfurl-meeting-scheduled",
                &[("when", Md::Raw(&when))],
            )
        }
        MeetingStatus::Scheduled(None) => {
            escape_mrkdwn(&t.get(lang, "unfurl-meeting-waiting", &[]))
        }
        MeetingStatus::Ended => escape_mrkdwn(&t.get(lang, "unfurl-meeting-ended", &[])),
    };
    let text = format!("*{}*\n{status_line}", escape_mrkdwn(&topic));
    let mut blocks = vec![section("meeting", text)];
    if status != MeetingStatus::Ended {
        let join = t.get(lang, "meeting-join-button", &[]);
        blocks.push(actions(
            "meeting.actions",
            vec![Button::link(join, unfurl_action::MEETING_JOIN, join_url).primary(true)],
        ));
    }
    entry(blocks, &topic)
}

/// A recording of a meeting zlack announced, pasted by its host: topic and
/// length, and "Open the recording" (never the passcode).
pub fn recording_unfurl(
    t: &Texts,
    lang: Lang,
    topic: &str,
    duration_secs: i64,
    share_url: &str,
) -> Value {
    let topic = super::meeting::shown_topic(t, lang, topic);
    let length = format_duration(t, lang, duration_secs);
    let line = md(
        t,
        lang,
        "unfurl-recording",
        &[("duration", Md::Text(&length))],
    );
    let text = format!("*{}*\n{line}", escape_mrkdwn(&topic));
    let open = t.get(lang, "recording-open-button", &[]);
    entry(
        vec![
            section("recording", text),
            actions(
                "recording.actions",
                vec![Button::link(open, unfurl_action::RECORDING_OPEN, share_url)],
            ),
        ],
        &topic,
    )
}

/// A collaborator's role on a whiteboard (Zoom's `role`: 0 owner,
/// 1 co-owner, 2 editor, 3 commenter, 4 viewer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WhiteboardRole {
    /// 0.
    Owner,
    /// 1.
    CoOwner,
    /// 2.
    Editor,
    /// 3.
    Commenter,
    /// 4.
    Viewer,
}

impl WhiteboardRole {
    /// Zoom's role, sent as a number or as its name.
    pub fn from_zoom(value: &Value) -> Option<WhiteboardRole> {
        let name = match value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().to_ascii_lowercase().replace(['-', ' '], "_"),
            _ => return None,
        };
        Some(match name.as_str() {
            "0" | "owner" => WhiteboardRole::Owner,
            "1" | "co_owner" | "coowner" => WhiteboardRole::CoOwner,
            "2" | "editor" => WhiteboardRole::Editor,
            "3" | "commenter" => WhiteboardRole::Commenter,
            "4" | "viewer" => WhiteboardRole::Viewer,
            _ => return None,
        })
    }

    /// The stable name, for keys and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            WhiteboardRole::Owner => "owner",
            WhiteboardRole::CoOwner => "co_owner",
            WhiteboardRole::Editor => "editor",
            WhiteboardRole::Commenter => "commenter",
            WhiteboardRole::Viewer => "viewer",
        }
    }
}

/// A whiteboard shared with the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WhiteboardShare<'a> {
    /// Who shared it, as a Slack user, when known.
    pub by_slack_id: Option<&'a str>,
    /// Who shared it, as Zoom names them, otherwise.
    pub by_name: Option<&'a str>,
    /// The board's name, when the reader may read it.
    pub name: Option<&'a str>,
    /// The reader's role.
    pub role: Option<WhiteboardRole>,
    /// Where "Open whiteboard" leads.
    pub open_url: &'a str,
}

/// The DM telling someone a whiteboard was shared with them: who, which
/// board, what role, and "Open whiteboard".
pub fn whiteboard_shared(t: &Texts, lang: Lang, share: &WhiteboardShare) -> super::Message {
    let by = match (share.by_slack_id, share.by_name.map(collapse_whitespace)) {
        (Some(id), _) => super::mrkdwn::mention(id),
        (None, Some(name)) if !name.is_empty() => escape_mrkdwn(&clip(&name, limits::QUOTED_TEXT)),
        _ => escape_mrkdwn(&t.get(lang, "whiteboard-someone", &[])),
    };
    let name = share
        .name
        .map(|n| shown_name(t, lang, n))
        .unwrap_or_else(|| t.get(lang, "unfurl-whiteboard", &[]));
    let text = match share.role {
        Some(role) => {
            let role = t.get(
                lang,
                "whiteboard-role",
                &[("role", crate::i18n::FluentArgValue::Str(role.as_str()))],
            );
            md(
                t,
                lang,
                "whiteboard-shared-role",
                &[
                    ("by", Md::Raw(&by)),
                    ("name", Md::Text(&name)),
                    ("role", Md::Text(&role)),
                ],
            )
        }
        None => md(
            t,
            lang,
            "whiteboard-shared",
            &[("by", Md::Raw(&by)), ("name", Md::Text(&name))],
        ),
    };
    let open = t.get(lang, "unfurl-whiteboard-open", &[]);
    let blocks = vec![
        section("whiteboard.shared", text.clone()),
        actions(
            "whiteboard.actions",
            vec![Button::link(open, unfurl_action::WHITEBOARD_OPEN, share.open_url).primary(true)],
        ),
    ];
    super::blocks::message(text, blocks)
}
