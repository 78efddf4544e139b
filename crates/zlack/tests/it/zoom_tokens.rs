//! Zoom tokens: refreshed once however many commands need them, stored
//! rotated before use, and a rejected refresh tells the user once.

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::people::*;
use crate::helpers::slash::find_button;

#[tokio::test]
async fn fifty_commands_with_an_expired_token_refresh_once_and_start_fifty_meetings() {
    let app =
        TestApp::spawn_with(|pairs| pairs.push(("ZLACK_WORKER_CONCURRENCY".into(), "16".into())))
            .await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    let grants_before = app.zoom.token_grants();
    // The stored access token is an hour old: expired here and at Zoom.
    app.zoom.expire_access_tokens();
    app.clock.advance_ms(3_600_000);
    for i in 0..50 {
        app.slash(PUBLIC, ALICE, &format!("meeting Parallel {i}"))
            .await;
    }
    app.run_jobs().await;
    assert_eq!(
        app.zoom.token_grants() - grants_before,
        1,
        "exactly one refresh"
    );
    let created = app
        .zoom
        .calls_to("POST /users/me/meetings")
        .into_iter()
        .filter(|c| {
            c.args["topic"]
                .as_str()
                .unwrap_or("")
                .starts_with("Parallel")
        })
        .count();
    assert_eq!(created, 50);
    app.stop().await;
}

#[tokio::test]
async fn a_rejected_refresh_token_sends_one_reconnect_dm_and_the_next_command_prompts() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.zoom.revoke_refresh_tokens_of(ZOOM_ALICE);
    app.zoom.expire_access_tokens();
    app.clock.advance_ms(3_600_000);
    let first = app.slash(PUBLIC, ALICE, "").await;
    let second = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let dms: Vec<_> = app
        .posts()
        .into_iter()
        .filter(|c| c.args["channel"] == ALICE)
        .collect();
    assert_eq!(dms.len(), 1, "one reconnect DM: {dms:#?}");
    assert!(find_button(&dms[0].args, "zoom.reconnect").is_some());
    for url in [first, second] {
        assert!(find_button(&app.only_response(&url), "zoom.authorize").is_some());
    }
    // The link went with the rest of the Zoom user's data.
    let link = app
        .store
        .zoom_link(&TEAM.into(), &ALICE.into())
        .await
        .unwrap();
    assert!(link.is_none(), "{link:?}");
    app.stop().await;
}

#[tokio::test]
async fn tokens_are_refreshed_ahead_of_expiry_and_the_rotated_one_is_kept() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.clock.advance_ms(3_600_000 - 60_000);
    app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    assert_eq!(
        app.zoom.token_grants(),
        1,
        "refreshed a minute before expiry"
    );
    // The old refresh token is dead at Zoom; the stored one works.
    app.clock.advance_ms(3_600_000);
    app.zoom.expire_access_tokens();
    app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    assert_eq!(app.zoom.token_grants(), 2);
    assert_eq!(app.zoom.calls_to("POST /users/me/meetings").len(), 3);
    app.stop().await;
}
