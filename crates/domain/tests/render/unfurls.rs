//! Link unfurls as `chat.unfurl` entries, for the catalog's checks.

use serde_json::Value;
use zlack_domain::meeting::Timestamp;
use zlack_domain::render::{self, MeetingStatus, WhiteboardView};
use zlack_domain::whiteboard::AccessNote;
use zlack_domain::{Lang, Texts};

use crate::catalog::Inputs;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

pub fn messages(t: &Texts, lang: Lang, i: &Inputs) -> Vec<(&'static str, Value)> {
    let board = WhiteboardView {
        name: i.topic,
        owner: Some(i.display_name),
        modified_by: Some(i.display_name),
        modified_at: Some(at("2026-11-27T15:04:00Z")),
        preview_url: Some("https://zlack.example.com/preview/v1.abc.def"),
        open_url: "https://us05whiteboard.zoom.us/wb/db/6iktP8hJT3e5qaCuwFuAGg",
        access: None,
    };
    let invite_only = WhiteboardView {
        access: Some(AccessNote::InvitedOnly),
        ..board
    };
    let account_only = WhiteboardView {
        access: Some(AccessNote::AccountOnly),
        ..board
    };
    let bare = WhiteboardView {
        owner: None,
        modified_by: None,
        modified_at: None,
        preview_url: None,
        ..board
    };
    vec![
        (
            "unfurl_whiteboard",
            render::whiteboard_unfurl(t, lang, &board),
        ),
        (
            "unfurl_whiteboard_invite_only",
            render::whiteboard_unfurl(t, lang, &invite_only),
        ),
        (
            "unfurl_whiteboard_account_only",
            render::whiteboard_unfurl(t, lang, &account_only),
        ),
        (
            "unfurl_whiteboard_bare",
            render::whiteboard_unfurl(t, lang, &bare),
        ),
        (
            "unfurl_whiteboard_connect",
            render::whiteboard_connect(t, lang),
        ),
        (
            "unfurl_whiteboard_neutral",
            render::whiteboard_neutral(t, lang),
        ),
        (
            "unfurl_meeting_live",
            render::meeting_unfurl(t, lang, i.topic, MeetingStatus::Live, i.join_url),
        ),
        (
            "unfurl_meeting_scheduled",
            render::meeting_unfurl(
                t,
                lang,
                i.topic,
                MeetingStatus::Scheduled(Some(at("2026-12-01T09:00:00Z"))),
                i.join_url,
            ),
        ),
        (
            "unfurl_meeting_ended",
            render::meeting_unfurl(t, lang, i.topic, MeetingStatus::Ended, i.join_url),
        ),
        (
            "whiteboard_shared_dm",
            render::whiteboard_shared(
                t,
                lang,
                &render::WhiteboardShare {
                    by_slack_id: Some(i.host),
                    by_name: None,
                    name: Some(i.topic),
                    role: Some(render::WhiteboardRole::Editor),
                    open_url: "https://us05whiteboard.zoom.us/wb/db/6iktP8hJT3e5qaCuwFuAGg",
                },
            )
            .into_json(),
        ),
        (
            "whiteboard_shared_dm_by_zoom_name",
            render::whiteboard_shared(
                t,
                lang,
                &render::WhiteboardShare {
                    by_slack_id: None,
                    by_name: Some(i.display_name),
                    name: None,
                    role: None,
                    open_url: "https://us05whiteboard.zoom.us/wb/db/6iktP8hJT3e5qaCuwFuAGg",
                },
            )
            .into_json(),
        ),
        (
            "unfurl_recording",
            render::recording_unfurl(
                t,
                lang,
                i.topic,
                2040,
                "https://us05web.zoom.us/rec/share/AbC-12.xyz",
            ),
        ),
    ]
}
