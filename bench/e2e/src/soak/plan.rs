//! What the soak sends, and when: a mix of signed `/zoom` commands, Zoom
//! meeting webhooks (some delivered twice), Zoom Phone webhooks and
//! whiteboard `link_shared` events, each with the Slack effects it must
//! have exactly once.

use std::time::Duration;

use sandbox::{slack_event_callback, zoom_event};
use serde_json::json;

use crate::load;
use crate::seed;
use crate::stub::Stub;

/// Shares of the requests: commands, meeting webhooks, phone webhooks,
/// `link_shared` events (duplicates included).
const SHARE_COMMANDS: f64 = 0.30;
const SHARE_MEETINGS: f64 = 0.40;
const SHARE_PHONE: f64 = 0.15;
const SHARE_LINKS: f64 = 0.15;
/// A meeting's `participant_left` and `meeting.ended` follow its join.
const LEFT_AFTER: Duration = Duration::from_secs(4);
const ENDED_AFTER: Duration = Duration::from_secs(8);
/// A duplicate is delivered this long after the first delivery.
const DUPLICATE_AFTER: Duration = Duration::from_secs(3);
/// Where the whiteboard links are pasted; `ts` of message `k` below.
const LINK_CHANNEL: &str = "C0SOAKLINKS";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `/zoom` number `k` in a channel of its own.
    Command,
    /// Member `m % MEMBERS` joins announced meeting `m`.
    Joined,
    /// ... and leaves it (every other meeting).
    Left,
    /// Meeting `m` ends (every other meeting).
    Ended,
    /// `phone.callee_missed`: the connected host missed call `k`.
    Phone,
    /// `link_shared` of whiteboard `k`.
    Link,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Command => "command",
            Self::Joined => "participant_joined",
            Self::Left => "participant_left",
            Self::Ended => "meeting.ended",
            Self::Phone => "phone.callee_missed",
            Self::Link => "link_shared",
        }
    }
}

/// One request to send: `n` numbers the command, meeting, phone call or
/// link; `duplicate` marks a second delivery of the same event.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    pub at: Duration,
    pub kind: Kind,
    pub n: u32,
    pub duplicate: bool,
}

/// Every request of a run in sending order, and how many meetings must be
/// announced beforehand.
pub struct Plan {
    pub items: Vec<Item>,
    pub meetings: usize,
}

/// `rate` requests per second on average for `duration`, a share
/// `duplicates` of Zoom webhooks and `link_shared` events delivered twice.
pub fn plan(rate: u32, duration: Duration, duplicates: f64) -> Plan {
    let rate = f64::from(rate.max(1));
    let dup = 1.0 + duplicates;
    let mut items = Vec::new();
    let push = |items: &mut Vec<Item>, at: Duration, kind, n, may_dup: bool| {
        if at >= duration {
            return;
        }
        items.push(Item {
            at,
            kind,
            n,
            duplicate: false,
        });
        if may_dup && rand::random::<f64>() < duplicates {
            let again = at + DUPLICATE_AFTER;
            if again < duration {
                items.push(Item {
                    at: again,
                    kind,
                    n,
                    duplicate: true,
                });
            }
        }
    };
    let every = |share: f64| Duration::from_secs_f64(1.0 / (rate * share));
    // Commands.
    let period = every(SHARE_COMMANDS);
    for k in 0.. {
        let at = period.mul_f64(f64::from(k));
        if at >= duration {
            break;
        }
        push(&mut items, at, Kind::Command, k, false);
    }
    // Meetings: a join each, and every other one a leave and an end: two
    // webhooks per meeting on average.
    let period = every(SHARE_MEETINGS / (2.0 * dup));
    let mut meetings = 0;
    for m in 0.. {
        let at = period.mul_f64(f64::from(m));
        if at >= duration {
            break;
        }
        meetings = m as usize + 1;
        push(&mut items, at, Kind::Joined, m, true);
        // A leave without its end would take the member out of the Call
        // for good: near the end of the run, joins only.
        if m % 2 == 0 && at + ENDED_AFTER < duration {
            push(&mut items, at + LEFT_AFTER, Kind::Left, m, true);
            push(&mut items, at + ENDED_AFTER, Kind::Ended, m, true);
        }
    }
    let period = every(SHARE_PHONE / dup);
    for k in 0.. {
        let at = period.mul_f64(f64::from(k));
        if at >= duration {
            break;
        }
        push(&mut items, at, Kind::Phone, k, true);
    }
    let period = every(SHARE_LINKS / dup);
    for k in 0.. {
        let at = period.mul_f64(f64::from(k));
        if at >= duration {
            break;
        }
        push(&mut items, at, Kind::Link, k, true);
    }
    items.sort_by_key(|i| i.at);
    Plan { items, meetings }
}

/// The Slack user of workspace member `n` (see the stub's
/// `users.lookupByEmail`).
fn member_user(n: usize) -> String {
    format!("U0BENCH{n:03}")
}

/// The card `ts` of announced meeting `m` (what its summary replies to).
pub fn card_ts(m: u32) -> String {
    format!("1764230000.{m:06}")
}

fn link_ts(k: u32) -> String {
    format!("1765000000.{k:06}")
}

/// The effects an acknowledged item must have exactly once, as the stub
/// keys them ([`crate::stub::Tally`]), each with its category.
pub fn expected(item: &Item) -> Vec<(&'static str, String)> {
    let m = item.n as usize;
    match item.kind {
        Kind::Command => vec![("card", format!("card:{}", load::channel('S', m)))],
        Kind::Joined => vec![(
            "participant added",
            format!(
                "add:{}:{}",
                seed::call_id(m),
                member_user(m % seed::MEMBERS)
            ),
        )],
        Kind::Left => Vec::new(),
        Kind::Ended => vec![
            ("call ended", format!("end:{}", seed::call_id(m))),
            ("end summary", format!("summary:{}", card_ts(item.n))),
        ],
        Kind::Phone => vec![("phone DM", format!("phone:{m}"))],
        Kind::Link => vec![("unfurl", format!("unfurl:{}", link_ts(item.n)))],
    }
}

/// The effects an item may have at most once (not required).
pub fn optional(item: &Item) -> Vec<(&'static str, String)> {
    let m = item.n as usize;
    match item.kind {
        Kind::Left => vec![(
            "participant removed",
            format!(
                "remove:{}:{}",
                seed::call_id(m),
                member_user(m % seed::MEMBERS)
            ),
        )],
        _ => Vec::new(),
    }
}

/// Where an item goes and how it is signed.
pub fn path_and_signer(kind: Kind) -> (&'static str, load::Signed) {
    match kind {
        Kind::Command => ("/slack/commands", load::Signed::Slack),
        Kind::Link => ("/slack/events", load::Signed::SlackJson),
        _ => ("/zoom/webhook", load::Signed::Zoom),
    }
}

/// The body of an item. Zoom webhooks are the same bytes on every
/// delivery; a command is built once per item (its `trigger_id` is
/// random) and resent as it is.
pub fn body(item: &Item, stub: &Stub, base_ts: i64) -> Vec<u8> {
    let n = item.n;
    let m = n as usize;
    let meeting = || {
        json!({
            "id": seed::FIRST_MEETING + i64::from(n),
            "uuid": format!("soak-{n}=="),
            "host_id": seed::ZOOM_USER,
            "topic": format!("Bench meeting {n}"),
            "type": 2,
            "duration": 60,
            "timezone": "Europe/Stockholm",
        })
    };
    let participant = |leave: bool| {
        let member = m % seed::MEMBERS;
        let mut p = json!({
            "user_id": format!("{}", 16_778_240 + m),
            "user_name": format!("Member {member}"),
            "id": format!("zu-bench-member-{member}"),
            "participant_uuid": format!("soak-pu-{n}"),
            "email": seed::member_email(member),
            "join_time": "2026-12-07T10:00:05Z",
        });
        if leave {
            p["leave_time"] = "2026-12-07T10:20:00Z".into();
        }
        p
    };
    // Each delivery of one event carries the same event_ts.
    let ts = base_ts + i64::from(n) * 8;
    match item.kind {
        Kind::Command => load::command_body(&load::channel('S', m), &stub.response_url(m)),
        Kind::Joined => {
            let mut object = meeting();
            object["participant"] = participant(false);
            zoom_event("meeting.participant_joined", ts, object)
                .to_string()
                .into_bytes()
        }
        Kind::Left => {
            let mut object = meeting();
            object["participant"] = participant(true);
            zoom_event("meeting.participant_left", ts + 1, object)
                .to_string()
                .into_bytes()
        }
        Kind::Ended => {
            let mut object = meeting();
            object["start_time"] = "2026-12-07T10:00:00Z".into();
            object["end_time"] = "2026-12-07T10:30:00Z".into();
            zoom_event("meeting.ended", ts + 2, object)
                .to_string()
                .into_bytes()
        }
        Kind::Phone => {
            let object = json!({
                "call_id": format!("{}", 7_300_000_000_000_000u64 + u64::from(n)),
                "caller": {
                    "name": format!("{}{n}", crate::stub::PHONE_MARKER),
                    "phone_number": format!("+4670{n:07}"),
                    "number_type": 2,
                },
                "callee": {
                    "user_id": seed::ZOOM_USER,
                    "name": "Bench Host",
                    "extension_number": 1001,
                    "phone_number": "+46850000001",
                    "number_type": 1,
                },
                "ringing_start_time": "2026-12-07T10:00:00Z",
                "call_end_time": "2026-12-07T10:00:30Z",
            });
            zoom_event("phone.callee_missed", ts + 3, object)
                .to_string()
                .into_bytes()
        }
        Kind::Link => {
            let event = json!({
                "type": "link_shared",
                "channel": LINK_CHANNEL,
                "is_bot_user_member": true,
                "user": seed::HOST,
                "message_ts": link_ts(n),
                "unfurl_id": format!("{LINK_CHANNEL}.{}.soak", link_ts(n)),
                "source": "conversations_history",
                "event_ts": link_ts(n),
                "links": [{
                    "domain": "zoom.us",
                    "url": format!("https://whiteboard.zoom.us/wb/db/SoakBoard{n:010}"),
                }],
            });
            slack_event_callback(seed::TEAM, &format!("Ev0SOAK{n:08}"), event)
                .to_string()
                .into_bytes()
        }
    }
}
