//! A real `zlack serve` under requests anyone can send: made-up methods
//! add no metrics series, every HTML answer carries the page headers (and
//! HSTS with an HTTPS public URL), and forged requests are counted rather
//! than logged one by one.

use reqwest::Method;
use reqwest::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use sandbox::{SignAs, unix_now};

use crate::helpers::hostile::{metric, metrics, setup, signer};
use crate::helpers::process::Server;

#[tokio::test]
async fn made_up_methods_do_not_grow_the_metrics() {
    let s = setup(&[]).await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let client = reqwest::Client::new();
    for path in ["/healthz", "/slack/commands", "/nowhere"] {
        client
            .get(format!("{}{path}", server.base_url))
            .send()
            .await
            .unwrap();
    }
    let before = metrics(&server).await;
    for i in 0..2000 {
        let method = Method::from_bytes(format!("BREW{i}").as_bytes()).unwrap();
        let path = ["/healthz", "/slack/commands", "/nowhere", "/zoom/webhook"][i % 4];
        let response = client
            .request(method, format!("{}{path}", server.base_url))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error(), "{path}");
    }
    let after = metrics(&server).await;
    assert!(!after.contains("BREW"), "{after}");
    assert!(after.contains(r#"method="other""#), "{after}");
    // The counters' values grow by a few digits; no series is added
    // beyond the one `other` per route and status.
    assert!(
        after.len() < before.len() + 4096,
        "{} -> {} bytes",
        before.len(),
        after.len()
    );
    assert!(server.terminate().await.success());
}

/// Every page a browser can open, without signing in: (path, HTML?).
/// A page added to the router belongs here.
const BROWSER_ROUTES: &[(&str, bool)] = &[
    ("/", true),
    ("/privacy", true),
    ("/slack/install", false),
    ("/slack/oauth/callback?state=forged&code=c", true),
    ("/slack/oauth/callback", true),
    ("/zoom/install?ref=forged", true),
    ("/zoom/install?for=organization", true),
    ("/zoom/install", true),
    ("/zoom/oauth/callback?state=forged&code=c", true),
    ("/slack/openid/callback?state=forged&code=c", true),
    ("/slack/openid/callback", true),
    ("/call/forged", true),
    ("/preview/forged", false),
    ("/healthz", false),
    ("/nowhere", false),
];

async fn check_headers(public_url: &str, hsts: bool) {
    let s = setup(&[("ZLACK_PUBLIC_URL", public_url)]).await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (path, html) in BROWSER_ROUTES {
        let response = client
            .get(format!("{}{path}", server.base_url))
            .send()
            .await
            .unwrap();
        let headers = response.headers();
        let header = |name| {
            headers
                .get_all(name)
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        let content_type = header(CONTENT_TYPE).join(",");
        assert_eq!(
            content_type.starts_with("text/html"),
            *html,
            "{path}: {content_type}"
        );
        if *html {
            let csp = header(CONTENT_SECURITY_POLICY);
            assert!(
                csp.iter().any(|p| p.contains("default-src 'none'")),
                "{path}: {csp:?}"
            );
            assert!(
                csp.iter().any(|p| p.contains("frame-ancestors 'none'")),
                "{path}: {csp:?}"
            );
            assert_eq!(header(CACHE_CONTROL), ["no-store"], "{path}");
        }
        assert_eq!(header(X_CONTENT_TYPE_OPTIONS), ["nosniff"], "{path}");
        assert_eq!(header(REFERRER_POLICY), ["no-referrer"], "{path}");
        if *path == "/slack/install" {
            assert!(
                response.status().is_redirection(),
                "the redirect that starts OAuth"
            );
            assert_eq!(header(CACHE_CONTROL), ["no-store"], "{path}");
        }
        let expected: &[&str] = if hsts { &["max-age=31536000"] } else { &[] };
        assert_eq!(header(STRICT_TRANSPORT_SECURITY), expected, "{path}");
    }
    assert!(server.terminate().await.success());
}

#[tokio::test]
async fn every_html_answer_carries_the_page_headers_and_hsts_with_an_https_public_url() {
    check_headers("https://zlack.test", true).await;
}

#[tokio::test]
async fn no_hsts_when_the_public_url_is_plain_http() {
    check_headers("http://zlack.test", false).await;
}

#[tokio::test]
async fn forged_requests_are_counted_not_logged_one_by_one() {
    let s = setup(&[("ZLACK_LOG", "info")]).await;
    let server = Server::start(s.dir.path(), &s.envs, &["--no-worker"]).await;
    let signer = signer(&server);
    let form = "application/x-www-form-urlencoded";
    for i in 0..300 {
        let sig = match i % 3 {
            0 => SignAs::Forged,
            1 => SignAs::Unsigned,
            _ => SignAs::Slack {
                timestamp: unix_now() - 3600,
            },
        };
        let body = format!("text=forged-{i}").into_bytes();
        let response = signer.raw("/slack/commands", form, body, sig).await;
        assert_eq!(response.status(), 401);
    }
    let client = reqwest::Client::new();
    for i in 0..100 {
        let url = format!(
            "{}/slack/oauth/callback?state=forged-{i}&code=c",
            server.base_url
        );
        assert_eq!(client.get(url).send().await.unwrap().status(), 400);
    }
    let text = metrics(&server).await;
    for (reason, n) in [
        ("signature does not match", 100.0),
        ("signature missing", 100.0),
        ("signature timestamp outside the five-minute window", 100.0),
        ("OAuth state invalid", 100.0),
    ] {
        let series = format!(r#"zlack_http_refused_total{{reason="{reason}"}}"#);
        assert_eq!(metric(&text, &series), n, "{series} in\n{text}");
    }
    let lines: Vec<String> = server
        .log_lines()
        .into_iter()
        .filter(|l| l.contains("refused"))
        .collect();
    assert_eq!(lines.len(), 1, "one line for 400 refusals: {lines:#?}");
    assert!(server.terminate().await.success());
}
