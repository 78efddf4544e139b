//! The landing page: what is configured, what is missing, what to do next.

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(page))
}

async fn page(State(state): State<AppState>) -> Html<String> {
    let config = &state.svc.config;
    let missing = config.missing();
    let install = if config.slack.client_id.is_some() && config.slack.client_secret.is_some() {
        "<p><a class=button href=\"/slack/install\">Add to Slack</a></p>"
    } else {
        ""
    };
    let status = if missing.is_empty() {
        format!("<p class=ok>Everything zlack needs is configured.</p>{install}")
    } else {
        let items: String = missing
            .iter()
            .map(|(key, why)| format!("<li><code>{key}</code> — {why}</li>"))
            .collect();
        format!(
            "<p>zlack is running, but these settings are still missing. Set them in the \
             environment or in <code>zlack.toml</code>, then restart:</p><ul>{items}</ul>\
             <p><code>zlack manifest</code> prints the Slack app manifest for this server, \
             and <code>zlack doctor</code> checks the whole setup.</p>{install}"
        )
    };
    Html(format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8>\
         <meta name=viewport content=\"width=device-width, initial-scale=1\">\
         <title>zlack — Zoom for Slack</title><style>{STYLE}</style></head><body><main>\
         <h1>zlack</h1><p>Zoom meetings and calls from Slack, on your own server.</p>\
         <h2>Setup</h2>{status}<h2>This server</h2><dl>\
         <dt>Public URL</dt><dd><code>{url}</code></dd>\
         <dt>Database</dt><dd>{db}</dd>\
         <dt>Zoom mode</dt><dd>{mode}</dd></dl>\
         <p><a href=\"/privacy\">How your data is used</a></p></main></body></html>",
        url = html_escape(config.public_url.as_str()),
        db = if config.database.is_sqlite() {
            "SQLite"
        } else {
            "PostgreSQL"
        },
        mode = config.zoom.mode.as_str(),
    ))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1d1c1d;background:#fff}\
main{max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}\
code{background:#f4f4f4;padding:0 .25rem;border-radius:3px}.ok{color:#0b6e2c}\
.button{display:inline-block;padding:.5rem 1rem;background:#4a154b;color:#fff;border-radius:4px;text-decoration:none}";

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
