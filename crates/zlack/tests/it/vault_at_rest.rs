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
