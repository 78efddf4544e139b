//! Recovering from failures half-way: a Zoom hiccup during authorization
//! keeps the prompt's link usable, and a meeting made before an outage is
//! still announced after it.

use sandbox::Fault;

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;
use crate::helpers::people::*;
use crate::helpers::slash::button_url;

#[tokio::test]
async fn a_failed_code_exchange_leaves_the_authorize_link_usable() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.zoom.set_next_login(ZOOM_ALICE);
    let url = app.slash(PUBLIC, ALICE, "meeting After the hiccup").await;
    app.run_jobs().await;
    let link = button_url(&app.only_response(&url), "zoom.authorize");
    app.zoom
        .fail_next("POST /oauth/token", Fault::ServerError { status: 502 }, 1);
    let failed = app.authorize_zoom(&link, ALICE).await;
    assert_eq!(failed.status(), 502);
    assert!(
        app.store
            .zoom_link(&TEAM.into(), &ALICE.into())
            .await
            .unwrap()
            .is_none()
    );
    let page = app.authorize_zoom(&link, ALICE).await;
    assert_eq!(page.status(), 200, "the same link works once Zoom does");
    app.run_jobs().await;
    let created = app.zoom.calls_to("POST /users/me/meetings");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].args["topic"], "After the hiccup");
    app.stop().await;
}

#[tokio::test]
async fn a_meeting_made_before_an_outage_is_still_announced_after_it() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    let posted = app.slack.calls_to("chat.postMessage").len();
    app.slack
        .fail_next("calls.add", Fault::ServerError { status: 503 }, 1);
    app.slash(PUBLIC, ALICE, "meeting Before the outage").await;
    app.run_jobs().await;
    assert_eq!(
        app.zoom.calls_to("POST /users/me/meetings").len(),
        2,
        "made before Slack failed"
    );
    // Slack recovers 31 minutes later: past the response_url's life.
    app.clock.advance_ms(31 * 60 * 1000);
    app.run_jobs().await;
    let posts = app.slack.calls_to("chat.postMessage");
    assert_eq!(posts.len(), posted + 1);
    let card = posts.last().unwrap();
    assert_eq!(card.args["channel"], PUBLIC);
    assert!(card.args.to_string().contains("Before the outage"));
    assert_eq!(
        app.zoom.calls_to("POST /users/me/meetings").len(),
        2,
        "no second meeting"
    );
    app.stop().await;
}
