//! The meeting card, field by field, in every kind of conversation: what
//! Zoom was asked, what Slack's Calls API got, where the card went, and
//! what zlack kept for later updates.

use serde_json::Value;
use zlack::clock::Clock;
use zlack::store::{PostedVia, TokenKind, TokenOwner};

use crate::helpers::TestApp;
use crate::helpers::app::{BOT_TOKEN, TEAM};
use crate::helpers::people::*;
use crate::helpers::slash::find_button;

fn blocks_of(message: &Value) -> Vec<Value> {
    message["blocks"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn start_and_join_in_every_conversation_type_produce_the_right_calls_and_card() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    let zoom_token = app
        .store
        .token(&TokenOwner::zoom_user(ZOOM_ALICE), TokenKind::ZoomAccess)
        .await
        .unwrap()
        .unwrap();
    for (channel, app_may_post) in [
        (PUBLIC, true),
        (PRIVATE, false),
        (DM, false),
        (GROUP_DM, false),
    ] {
        for (text, topic) in [
            ("meeting Design review", Some("Design review")),
            ("join me", None),
        ] {
            let before_zoom = app.zoom.calls().len();
            let before_calls = app.slack.calls_to("calls.add").len();
            let url = app.slash(channel, ALICE, text).await;
            app.run_jobs().await;
            let what = format!("{text} in {channel}");

            // Zoom: a meeting is created for `/zoom meeting`, nothing for `join me`.
            let zoom_calls = &app.zoom.calls()[before_zoom..];
            let created: Vec<_> = zoom_calls
                .iter()
                .filter(|c| c.method == "POST /users/me/meetings")
                .collect();
            match topic {
                Some(topic) => {
                    assert_eq!(created.len(), 1, "{what}");
                    assert_eq!(created[0].args["topic"], topic, "{what}");
                    assert_eq!(created[0].args["type"], 1, "{what}: instant meeting");
                    assert_eq!(
                        created[0].bearer.as_deref(),
                        Some(zoom_token.secret.expose()),
                        "{what}"
                    );
                }
                None => assert!(created.is_empty(), "{what}"),
            }

            // What zlack kept about the meeting.
            let row = app
                .store
                .latest_meeting_in(&TEAM.into(), &channel.into())
                .await
                .unwrap()
                .expect("meeting row");
            assert_eq!(row.host_slack_user_id, ALICE);
            assert_eq!(
                row.origin.as_str(),
                if topic.is_some() { "start" } else { "join_me" }
            );
            let meeting_id = row.zoom_meeting_id.expect("Zoom meeting id") as u64;
            let join_url = row.join_url.clone().unwrap();
            assert!(
                join_url.starts_with("https://zoom.us/j/"),
                "{what}: {join_url}"
            );
            assert!(row.response_url.is_some() && row.response_url_expires_at.is_some());

            // Slack Calls API.
            let calls = app.slack.calls_to("calls.add");
            assert_eq!(calls.len(), before_calls + 1, "{what}");
            let add = calls.last().unwrap();
            assert_eq!(add.bearer.as_deref(), Some(BOT_TOKEN));
            assert!(
                add.args["external_unique_id"]
                    .as_str()
                    .unwrap()
                    .starts_with("zlack-")
            );
            assert_eq!(add.args["join_url"], join_url.as_str());
            assert_eq!(add.args["external_display_id"], meeting_id.to_string());
            assert!(
                add.args["desktop_app_join_url"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!(
                        "zoommtg://zoom.us/join?action=join&confno={meeting_id}"
                    )),
                "{what}"
            );
            assert_eq!(add.args["created_by"], ALICE);
            let date_start: i64 = add.args["date_start"].as_str().unwrap().parse().unwrap();
            assert!((date_start - app.clock.now_secs()).abs() <= 5, "{what}");
            let call_id = row.call_id.clone().expect("call id kept");
            assert!(call_id.starts_with('R'), "{what}: {call_id}");

            // The card, and where it went.
            let card = if app_may_post {
                let post = app.slack.calls_to("chat.postMessage").pop().unwrap();
                assert_eq!(post.args["channel"], channel);
                assert_eq!(row.posted_via.map(PostedVia::as_str), Some("chat"));
                assert!(
                    row.message_ts.is_some(),
                    "{what}: the ts is kept for thread replies"
                );
                assert!(
                    app.responses(&url).is_empty(),
                    "{what}: nothing through the response_url"
                );
                post.args
            } else {
                let answer = app.only_response(&url);
                assert_eq!(answer["response_type"], "in_channel", "{what}");
                assert_eq!(row.posted_via.map(PostedVia::as_str), Some("response_url"));
                answer
            };
            let blocks = blocks_of(&card);
            assert!(
                blocks
                    .iter()
                    .any(|b| b["type"] == "call" && b["call_id"] == call_id.as_str()),
                "{what}: {card:#}"
            );
            let join = find_button(&card, "meeting.join").expect("join button");
            assert_eq!(join["url"], join_url.as_str());
            let text = card.to_string();
            assert!(
                text.contains(&format!("<@{ALICE}>")),
                "{what}: host mentioned"
            );
            if let Some(topic) = topic {
                assert!(text.contains(topic), "{what}");
            }
            assert!(
                card["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{what}: fallback text"
            );
            assert!(!text.contains("zak="), "{what}: no start URL");
            assert!(
                !text.to_lowercase().contains("passcode"),
                "{what}: no passcode by default"
            );
        }
    }
    app.stop().await;
}
