//! One row of each growing table, as zlack would have left it, sealed
//! with zlack's own contexts.

use zlack::vault::Vault;

use super::Ids;
use crate::rows::Val;
use crate::seed;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Zoom meeting numbers of preloaded meetings start here (the webhook
/// scenario's and the stub's are elsewhere).
const FIRST_ZOOM_ID: i64 = 70_000_000_000;

/// `index` of `count` spread evenly over the `days` before `now`.
fn spread(index: usize, count: usize, days: f64, now: i64) -> i64 {
    let span = (days * DAY_MS as f64) as i64;
    now - span + (span as f64 * index as f64 / count.max(1) as f64) as i64
}

pub(super) const MEETING_COLUMNS: [&str; 19] = [
    "id",
    "request_key",
    "team_id",
    "channel_id",
    "host_slack_user_id",
    "origin",
    "zoom_meeting_id",
    "zoom_uuid",
    "topic",
    "join_url_sealed",
    "call_id",
    "message_ts",
    "posted_via",
    "response_url",
    "response_url_expires_at",
    "created_at",
    "updated_at",
    "conversation_kind",
    "call_ended_by",
];

fn trigger(u: usize) -> String {
    format!(
        "{}.47445629121.{:032x}",
        398_738_663_015u64 + u as u64,
        u as u128 * 7919
    )
}

pub(super) fn meeting(vault: &Vault, ids: &Ids, u: usize, units: usize, now: i64) -> Vec<Val> {
    let at = spread(u, units, 60.0, now);
    let request_key = format!("slack:command:{}", trigger(u));
    let zoom_id = FIRST_ZOOM_ID + u as i64;
    let response_url = format!(
        "https://hooks.slack.com/commands/{}/{}/{:024x}",
        seed::TEAM,
        7_000_000_000_000u64 + u as u64,
        u as u128 * 104_729
    );
    let sealed = vault.seal(
        response_url.as_bytes(),
        &format!("meeting:{request_key}:response_url"),
    );
    let request_key_for_seal = request_key.clone();
    vec![
        Val::I(ids.meetings + u as i64),
        Val::T(request_key),
        Val::T(seed::TEAM.into()),
        Val::T(format!("C0P{:07}", u % 500)),
        Val::T(format!("U0P{:07}", u % 200)),
        Val::T("start".into()),
        Val::I(zoom_id),
        Val::T(format!("pre{u:019}==")),
        Val::T(format!("Member {}'s Zoom meeting", u % 200)),
        Val::B(vault.seal(
            format!("https://zoom.us/j/{zoom_id}?pwd=pre{u:022}").as_bytes(),
            &format!("meeting:{request_key_for_seal}:join_url"),
        )),
        Val::T(format!("R0P{u:010}")),
        Val::T(format!("{}.{:06}", at / 1000, u % 1_000_000)),
        Val::T("chat".into()),
        Val::B(sealed),
        Val::I(at + 30 * 60 * 1000),
        Val::I(at),
        Val::I(at + 45 * 60 * 1000),
        Val::T("public_channel".into()),
        Val::I(ids.occurrences + u as i64),
    ]
}

pub(super) const OCCURRENCE_COLUMNS: [&str; 12] = [
    "id",
    "meeting_id",
    "zoom_uuid",
    "team_id",
    "channel_id",
    "zoom_host_id",
    "state",
    "call_shown",
    "ended_at",
    "created_at",
    "updated_at",
    "recording_key",
];

pub(super) fn occurrence(vault: &Vault, ids: &Ids, u: usize, units: usize, now: i64) -> Vec<Val> {
    let at = spread(u, units, 60.0, now);
    let id = ids.occurrences + u as i64;
    let people: Vec<serde_json::Value> = (0..2)
        .map(|p| {
            serde_json::json!({
                "key": format!("pre-pu-{u}-{p}"), "name": format!("Member {p}"),
                "email": seed::member_email(p), "slack_id": format!("U0BENCH{p:03}"),
                "joined_at": at + 60_000, "left_at": at + 40 * 60_000,
            })
        })
        .collect();
    let state = serde_json::json!({
        "started_at": at + 30_000, "ended_at": at + 45 * 60_000, "host_id": "zu_pre_host",
        "topic": format!("Member {}'s Zoom meeting", u % 200), "participants": people,
        "call_ended": true, "recording": {"share_url": format!("https://zoom.us/rec/share/pre-{u}")},
    });
    let sealed = vault.seal(
        state.to_string().as_bytes(),
        &format!("occurrence:{id}:state"),
    );
    vec![
        Val::I(id),
        Val::I(ids.meetings + u as i64),
        Val::T(format!("pre{u:019}==")),
        Val::T(seed::TEAM.into()),
        Val::T(format!("C0P{:07}", u % 500)),
        Val::T("zu_pre_host".into()),
        Val::B(sealed),
        Val::T("[]".into()),
        Val::I(at + 45 * 60_000),
        Val::I(at + 30_000),
        Val::I(at + 50 * 60_000),
        Val::T(format!("{:064x}", u as u128 * 1_000_003)),
    ]
}

pub(super) const NOTICE_COLUMNS: [&str; 6] = [
    "occurrence_id",
    "kind",
    "delivery",
    "channel_id",
    "message_ts",
    "created_at",
];

pub(super) fn notices(ids: &Ids, u: usize, units: usize, now: i64) -> Vec<Vec<Val>> {
    let at = spread(u, units, 60.0, now);
    ["end_summary", "recording"]
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            vec![
                Val::I(ids.occurrences + u as i64),
                Val::T((*kind).into()),
                Val::T("thread".into()),
                Val::T(format!("C0P{:07}", u % 500)),
                Val::T(format!("{}.{:06}", at / 1000 + 3000, i)),
                Val::I(at + 46 * 60_000 + i as i64 * 60_000),
            ]
        })
        .collect()
}

pub(super) const INBOX_COLUMNS: [&str; 7] = [
    "id",
    "source",
    "dedupe_key",
    "kind",
    "body",
    "received_at",
    "processed_at",
];

/// Inbox row `i` of `count`: every 8th is a `/zoom`, the others webhooks.
pub(super) fn inbox_row(vault: &Vault, ids: &Ids, i: usize, count: usize, now: i64) -> Vec<Val> {
    let at = spread(i, count, 6.5, now);
    let (source, key, kind, body) = if i.is_multiple_of(8) {
        let channel = format!("C0P{:07}", (i / 8) % 500);
        let url = format!(
            "https://hooks.slack.com/commands/{}/{i}/{:024x}",
            seed::TEAM,
            i
        );
        let body = crate::load::command_body(&channel, &url);
        (
            "slack.command",
            format!("slack:command:{}", trigger(i)),
            "/zoom".to_owned(),
            body,
        )
    } else {
        let event = [
            "meeting.started",
            "meeting.participant_joined",
            "meeting.participant_joined",
            "meeting.participant_left",
            "meeting.participant_left",
            "meeting.ended",
            "recording.completed",
        ][i % 8 - 1];
        let body = crate::load::joined_body(i, at)
            .into_iter()
            .collect::<Vec<u8>>();
        let body = String::from_utf8_lossy(&body).replace("meeting.participant_joined", event);
        let key = format!("zoom:{event}:{at}:{:032x}", i as u128 * 2_654_435_761);
        ("zoom.webhook", key, event.to_owned(), body.into_bytes())
    };
    let sealed = vault.seal(&body, &format!("inbox:{key}"));
    vec![
        Val::I(ids.inbox + i as i64),
        Val::T(source.into()),
        Val::T(key),
        Val::T(kind),
        Val::B(sealed),
        Val::I(at),
        Val::I(at + 4 + (i % 40) as i64),
    ]
}

pub(super) const JOB_COLUMNS: [&str; 10] = [
    "id",
    "kind",
    "idempotency_key",
    "payload",
    "status",
    "attempts",
    "max_attempts",
    "run_at",
    "created_at",
    "updated_at",
];

/// Job `j` (0..12) of meeting `u`: 8 process its inbox rows, 2 update its
/// Call, 2 deliver its notices.
pub(super) fn job_row(
    vault: &Vault,
    ids: &Ids,
    u: usize,
    j: usize,
    units: usize,
    now: i64,
) -> Vec<Val> {
    let index = u * 12 + j;
    let at = spread(index, units * 12, 6.5, now);
    let occurrence = ids.occurrences + u as i64;
    let (kind, key, payload) = match j {
        0..8 => {
            let inbox_id = ids.inbox + (u * 8 + j) as i64;
            (
                "inbox.process",
                format!("inbox:{inbox_id}"),
                serde_json::json!({"inbox_id": inbox_id}),
            )
        }
        8 | 9 => {
            let inbox_id = ids.inbox + (u * 8 + j - 6) as i64;
            let payload = serde_json::json!({"occurrence": occurrence, "team": seed::TEAM});
            (
                "meeting.call",
                format!("meeting.call:{occurrence}:{inbox_id}"),
                payload,
            )
        }
        _ => {
            let notice = if j == 10 { "end_summary" } else { "recording" };
            let payload =
                serde_json::json!({"occurrence": occurrence, "notice": notice, "team": seed::TEAM});
            (
                "meeting.notice",
                format!("meeting.notice:{occurrence}:{notice}"),
                payload,
            )
        }
    };
    let sealed = vault.seal(payload.to_string().as_bytes(), &format!("job:{key}"));
    vec![
        Val::I(ids.jobs + index as i64),
        Val::T(kind.into()),
        Val::T(key),
        Val::B(sealed),
        Val::T("done".into()),
        Val::I(1),
        Val::I(12),
        Val::I(at),
        Val::I(at),
        Val::I(at + 150 + (index % 300) as i64),
    ]
}
