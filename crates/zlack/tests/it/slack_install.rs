//! Installing into Slack: the OAuth `state` is random, short-lived, bound
//! to the browser and stored nowhere; a bad one changes nothing, and
//! starting an install, which anyone may do, writes nothing.

use reqwest::header::COOKIE;
use sandbox::OAuthGrant;
use zlack::store::{TokenKind, TokenOwner};

use crate::helpers::TestApp;
use crate::helpers::app::TEAM;

#[tokio::test]
async fn install_stores_the_bot_token_for_the_workspace() {
    let app = TestApp::spawn().await;
    let page = app
        .install_via_oauth(OAuthGrant::new(TEAM, "xoxb-installed", "U0ADMIN"))
        .await;
    assert_eq!(page.status(), 200);
    let authorize = &app.slack.calls_to("oauth.v2.authorize")[0];
    assert_eq!(authorize.args["client_id"], "111.222");
    assert_eq!(
        authorize.args["redirect_uri"],
        "https://zlack.test/slack/oauth/callback"
    );
    for scope in zlack::manifest::BOT_SCOPES {
        assert!(
            authorize.args["scope"]
                .as_str()
                .unwrap()
                .split(',')
                .any(|s| s == *scope)
        );
    }
    let access = &app.slack.calls_to("oauth.v2.access")[0];
    assert_eq!(access.basic.as_ref().unwrap().0, "111.222");
    let token = app
        .store
        .token(&TokenOwner::slack_team(TEAM), TokenKind::SlackBot)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(token.secret.expose(), "xoxb-installed");
    assert!(
        app.store
            .install_for(&TEAM.into(), None)
            .await
            .unwrap()
            .is_some()
    );
    // The audit log names who installed where, and no token.
    let audit = app.store.audit_log(0, 10).await.unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].action, "install");
    assert_eq!(audit[0].actor, format!("slack:{TEAM}:U0ADMIN"));
    assert_eq!(audit[0].subject, format!("team:{TEAM}"));
    assert!(!format!("{audit:?}").contains("xoxb"));
    app.stop().await;
}

#[tokio::test]
async fn an_org_wide_install_serves_every_workspace_of_the_org() {
    let app = TestApp::spawn().await;
    let grant = OAuthGrant::new(TEAM, "xoxb-org", "U0ADMIN").with_enterprise("E0ORG", "Org");
    let grant = OAuthGrant {
        is_enterprise_install: true,
        ..grant
    };
    assert_eq!(app.install_via_oauth(grant).await.status(), 200);
    let ws = app
        .store
        .install_for(&"T0OTHER".into(), Some(&"E0ORG".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ws.team_id, "E0ORG");
    assert!(ws.is_enterprise_install);
    app.stop().await;
}

async fn start(app: &TestApp) -> (String, String) {
    let start = app.oauth_start("/slack/install").await;
    (start.state, start.cookie)
}

async fn callback(app: &TestApp, state: &str, cookie: Option<&str>) -> u16 {
    app.oauth_code_status("/slack/oauth/callback", "code-1", state, cookie)
        .await
}

#[tokio::test]
async fn missing_replayed_expired_and_foreign_states_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    app.slack
        .issue_oauth_code("code-1", OAuthGrant::new(TEAM, "xoxb-x", "U0ADMIN"));
    let (state, cookie) = start(&app).await;
    assert_eq!(
        callback(&app, "", Some(&cookie)).await,
        400,
        "missing state"
    );
    assert_eq!(
        callback(&app, "forged-state", Some(&cookie)).await,
        400,
        "unknown state"
    );
    assert_eq!(callback(&app, &state, None).await, 400, "no cookie");
    assert_eq!(
        callback(&app, &state, Some("zlack_slack_state=someone-else")).await,
        400,
        "foreign browser"
    );
    let (expired, expired_cookie) = start(&app).await;
    app.clock.advance_ms(10 * 60 * 1000 + 1);
    assert_eq!(
        callback(&app, &expired, Some(&expired_cookie)).await,
        400,
        "expired state"
    );
    assert!(
        app.slack.calls_to("oauth.v2.access").is_empty(),
        "no code was exchanged"
    );
    assert!(
        app.store
            .install_for(&TEAM.into(), None)
            .await
            .unwrap()
            .is_none()
    );
    app.clock.advance_ms(-(10 * 60 * 1000 + 1));
    let (fresh, fresh_cookie) = start(&app).await;
    assert_eq!(callback(&app, &fresh, Some(&fresh_cookie)).await, 200);
    // A replay within the state's lifetime reaches Slack, which redeems a
    // code once: nothing is installed a second time.
    assert_eq!(
        callback(&app, &fresh, Some(&fresh_cookie)).await,
        502,
        "replayed state"
    );
    let access = app.slack.calls_to("oauth.v2.access");
    assert_eq!(access.len(), 2);
    assert_eq!(access[1].error.as_deref(), Some("invalid_code"));
    let installs = app.store.audit_log(0, 10).await.unwrap();
    assert_eq!(installs.len(), 1, "{installs:?}");
    let _ = state;
    app.stop().await;
}

#[tokio::test]
async fn starting_flows_and_forged_callbacks_write_nothing_to_the_database() {
    use crate::helpers::people::{ALICE, PUBLIC};
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    // A prompt's link, made for an authenticated /zoom.
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let link = crate::helpers::slash::button_url(&app.only_response(&url), "zoom.authorize");
    let before = app.db.row_counts().await;
    assert!(before["grants"] >= 1 && before["inbox"] >= 1, "{before:?}");
    let browser = app.browser();
    for _ in 0..200 {
        let start = browser
            .get(format!("{}/slack/install", app.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(start.status(), 302);
    }
    for _ in 0..20 {
        let open = browser.get(app.local(&link)).send().await.unwrap();
        assert_eq!(open.status(), 302, "on to Sign in with Slack");
    }
    for path in [
        "/zoom/install?ref=forged",
        "/zoom/install?for=organization&team=forged",
        "/slack/oauth/callback?code=c&state=forged",
        "/slack/openid/callback?code=c&state=forged",
        "/zoom/oauth/callback?code=c&state=forged",
    ] {
        let answer = browser
            .get(format!("{}{path}", app.base_url))
            .header(
                COOKIE,
                "zlack_slack_state=x; zlack_signin_state=y; zlack_zoom_state=z",
            )
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_client_error(),
            "{path}: {}",
            answer.status()
        );
    }
    assert_eq!(app.db.row_counts().await, before);
    app.stop().await;
}
