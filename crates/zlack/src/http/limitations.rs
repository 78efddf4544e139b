//! `GET /limitations`: what zlack cannot do because Slack or Zoom does not
//! allow it, for the people who use it (docs/deploy.md has the
//! operator's list). English or Swedish by `Accept-Language`, linked from
//! the landing page; no scripts and nothing from another site.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use zlack_domain::render;

use super::AppState;
use super::pages::{self, escape};

/// Inline styles only; no script may run.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

pub fn router() -> Router<AppState> {
    Router::new().route("/limitations", get(page))
}

async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = pages::lang(&headers);
    let page = render::limitations_page(&state.svc.texts, lang);
    let items: String = page
        .items
        .iter()
        .map(|item| format!("<li>{}</li>", escape(item)))
        .collect();
    let main = format!(
        "<h1>{}</h1><p>{}</p><ul>{items}</ul>",
        escape(&page.title),
        escape(&page.intro)
    );
    (
        [
            (header::CONTENT_LANGUAGE, lang.code()),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::VARY, "Accept-Language"),
        ],
        Html(pages::document(lang, &page.title, &main)),
    )
        .into_response()
}
