//! No token, `response_url` or event body is readable in the raw database.

use sandbox::slash_command_fields;
use serde_json::json;
use zlack::config::Secret;
use zlack::store::{NewJob, TokenKind, TokenOwner};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;

const SECRETS: &[&str] = &[
    "xoxb-plaintext-bot-7f3a9c",
    "xoxe.xoxp-plaintext-user-51be",
    "zoom-access-plaintext-c0ffee",
    "zoom-refresh-plaintext-decade",
    "zoom-s2s-plaintext-facade",
    "secret-response-url-9d1e",
    "job-payload-plaintext-4242",
];

#[tokio::test]
async fn the_raw_database_holds_no_token_or_response_url_in_plaintext() {
    let app = TestApp::spawn().await;
    let store = &app.store;
    let mut tx = store.begin().await.unwrap();
    let puts = [
        (
            TokenOwner::slack_team(TEAM),
            TokenKind::SlackBot,
            SECRETS[0],
        ),
        (
            TokenOwner::slack_user(TEAM, "U1"),
            TokenKind::SlackUser,
            SECRETS[1],
        ),
        (
            TokenOwner::zoom_user("zu1"),
            TokenKind::ZoomAccess,
            SECRETS[2],
        ),
        (
            TokenOwner::zoom_user("zu1"),
            TokenKind::ZoomRefresh,
            SECRETS[3],
        ),
        (
            TokenOwner::zoom_account("acct"),
            TokenKind::ZoomServerToServer,
            SECRETS[4],
        ),
    ];
    for (owner, kind, secret) in &puts {
        store
            .put_token(&mut tx, owner, *kind, &Secret::new(*secret), Some(1), 0)
            .await
            .unwrap();
    }
    store
        .enqueue(
            &mut tx,
            &[NewJob::new(
                "slack.call",
                "k1",
                json!({"text": SECRETS[6]}),
                0,
            )],
            0,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let fields = slash_command_fields(
        TEAM,
        "C1",
        "U1",
        "",
        &format!("{}/{}", app.slack.new_response_url(), SECRETS[5]),
    );
    assert_eq!(app.signer.slack_command(&fields).await.status(), 200);

    // Every value is still readable through the vault.
    for (owner, kind, secret) in &puts {
        assert_eq!(
            store
                .token(owner, *kind)
                .await
                .unwrap()
                .unwrap()
                .secret
                .expose(),
            *secret
        );
    }
    let raw = app.db.raw_contents().await;
    assert!(!raw.is_empty());
    for secret in SECRETS {
        let hexed = hex::encode(secret.as_bytes());
        for needle in [secret.as_bytes(), hexed.as_bytes()] {
            assert!(
                !raw.windows(needle.len()).any(|w| w == needle),
                "{secret} is readable in the raw database"
            );
        }
    }
    app.stop().await;
}

/// What a connected user's meeting leaves behind: their Zoom email and the
/// meeting's join link, whose `pwd=` lets anyone in.
#[tokio::test]
async fn zoom_emails_and_join_links_are_sealed_at_rest() {
    use crate::helpers::people::{ALICE, PUBLIC};
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    let meeting = app.announce(PUBLIC, ALICE, "Budget").await;
    let join_url = meeting.join_url.clone().expect("the meeting's link");
    assert!(join_url.contains("pwd="), "{join_url}");
    let link = app
        .store
        .zoom_link(&TEAM.into(), &ALICE.into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.zoom_email.as_deref(), Some("alice@example.com"));
    // Found by email, in any case, without the email being stored.
    assert_eq!(
        app.store
            .slack_user_by_zoom_email(&TEAM.into(), "Alice@Example.COM")
            .await
            .unwrap()
            .as_deref(),
        Some(ALICE)
    );
    let raw = app.db.raw_contents().await;
    for secret in ["alice@example.com", join_url.as_str(), "pwd="] {
        assert!(
            !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} is readable in the raw database"
        );
    }
    app.stop().await;
}

/// Rows written before emails and join links were sealed are sealed when
/// zlack starts, and read the same afterwards.
#[tokio::test]
async fn plain_emails_and_join_links_from_before_are_sealed_at_start() {
    let db = crate::helpers::db::TestDb::new().await;
    let store = db.installed_store().await;
    let mut tx = store.begin().await.unwrap();
    for sql in [
        "INSERT INTO zoom_links (team_id, slack_user_id, zoom_user_id, zoom_email, status, linked_at) \
         VALUES ('T0TEST', 'U0OLD', 'zu_old', 'Old.Timer@example.com', 'ok', 1)",
        "INSERT INTO meetings (request_key, team_id, channel_id, host_slack_user_id, origin, topic, \
         join_url, created_at, updated_at) VALUES ('old-request', 'T0TEST', 'C1', 'U0OLD', 'start', \
         'Old', 'https://zoom.us/j/123?pwd=oldsecret', 1, 1)",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(store.seal_plaintext().await.unwrap(), 2);
    assert_eq!(store.seal_plaintext().await.unwrap(), 0, "done once");
    let link = store
        .zoom_link(&TEAM.into(), &"U0OLD".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.zoom_email.as_deref(), Some("Old.Timer@example.com"));
    assert_eq!(
        store
            .slack_user_by_zoom_email(&TEAM.into(), "old.timer@EXAMPLE.com")
            .await
            .unwrap()
            .as_deref(),
        Some("U0OLD")
    );
    assert_eq!(
        store
            .meeting_join_url("old-request")
            .await
            .unwrap()
            .as_deref(),
        Some("https://zoom.us/j/123?pwd=oldsecret")
    );
    let raw = db.raw_contents().await;
    for secret in ["Old.Timer@example.com", "pwd=oldsecret"] {
        assert!(
            !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} is still readable"
        );
    }
}
