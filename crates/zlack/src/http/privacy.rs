//! `GET /privacy`: how your data is used. Generated from the scopes and
//! events the code uses ([`crate::manifest`]) and the retention settings,
//! so it says what this server does; English or Swedish by
//! `Accept-Language`, with no scripts and nothing from another site.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use zlack_domain::render::{self, PrivacyBlock, PrivacyInputs};

use super::AppState;
use super::pages::{self, escape};
use crate::config::ZoomMode;
use crate::manifest::{BOT_EVENTS, BOT_SCOPES, USER_SCOPES, ZOOM_EVENTS, zoom_scopes};
use crate::worker::KEEP_FINISHED_MS;

/// Inline styles only; no script may run.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub fn router() -> Router<AppState> {
    Router::new().route("/privacy", get(page))
}

async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = pages::lang(&headers);
    let slack_scopes: Vec<&str> = BOT_SCOPES.iter().chain(USER_SCOPES).copied().collect();
    let inputs = PrivacyInputs {
        slack_scopes: &slack_scopes,
        slack_events: BOT_EVENTS,
        zoom_scopes: zoom_scopes(state.svc.config.zoom.mode),
        zoom_events: ZOOM_EVENTS,
        retention_days: state.svc.config.retention.days,
        finished_days: u32::try_from(KEEP_FINISHED_MS / DAY_MS).unwrap_or(u32::MAX),
        zoom_account_app: state.svc.config.zoom.mode != ZoomMode::Personal,
        organization: state.svc.config.zoom.mode == ZoomMode::Organization,
    };
    let page = render::privacy_page(&state.svc.texts, lang, &inputs);
    let mut main = format!(
        "<h1>{}</h1><p>{}</p>",
        escape(&page.title),
        escape(&page.intro)
    );
    for section in &page.sections {
        main.push_str(&format!("<section><h2>{}</h2>", escape(&section.heading)));
        for block in &section.blocks {
            main.push_str(&html(block));
        }
        main.push_str("</section>");
    }
    (
        [
            (header::CONTENT_LANGUAGE, lang.code()),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::VARY, "Accept-Language"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        Html(pages::document(lang, &page.title, &main)),
    )
        .into_response()
}

fn html(block: &PrivacyBlock) -> String {
    match block {
        PrivacyBlock::Subheading(text) => format!("<h3>{}</h3>", escape(text)),
        PrivacyBlock::Paragraph(text) => format!("<p>{}</p>", escape(text)),
        PrivacyBlock::List(items) => {
            let items: String = items
                .iter()
                .map(|item| format!("<li>{}</li>", escape(item)))
                .collect();
            format!("<ul>{items}</ul>")
        }
        PrivacyBlock::Names(names) => {
            let items: String = names
                .iter()
                .map(|n| {
                    format!(
                        "<li><code>{}</code> — {}</li>",
                        escape(&n.name),
                        escape(&n.purpose)
                    )
                })
                .collect();
            format!("<ul>{items}</ul>")
        }
    }
}

#[cfg(test)]
mod tests {
    use zlack_domain::render::{Grant, described, purpose_key};

    use super::*;

    /// What the code uses, by kind.
    fn used() -> [(Grant, &'static [&'static str]); 7] {
        use crate::manifest::{
            ZOOM_SCOPES_ACCOUNT, ZOOM_SCOPES_ORGANIZATION, ZOOM_SCOPES_PERSONAL,
        };
        [
            (Grant::SlackScope, BOT_SCOPES),
            (Grant::SlackScope, USER_SCOPES),
            (Grant::SlackEvent, BOT_EVENTS),
            (Grant::ZoomScope, ZOOM_SCOPES_PERSONAL),
            (Grant::ZoomScope, ZOOM_SCOPES_ACCOUNT),
            (Grant::ZoomScope, ZOOM_SCOPES_ORGANIZATION),
            (Grant::ZoomEvent, ZOOM_EVENTS),
        ]
    }

    /// A scope or event added to the code without a line on the privacy
    /// page fails here: describe it in `zlack_domain::render::PURPOSES`
    /// and both `.ftl` files.
    #[test]
    fn every_scope_and_event_the_code_uses_has_a_purpose() {
        for (grant, names) in used() {
            for name in names {
                assert!(
                    purpose_key(grant, name).is_some(),
                    "{grant:?} {name} has no purpose on the privacy page"
                );
            }
        }
    }

    /// And a purpose left behind when the code stops using a name fails
    /// too (account scopes count as their user-level name).
    #[test]
    fn every_purpose_describes_something_the_code_uses() {
        let all = used();
        for (grant, _) in &all {
            let names: Vec<&str> = all
                .iter()
                .filter(|(g, _)| g == grant)
                .flat_map(|(_, names)| names.iter())
                .map(|n| n.strip_suffix(":admin").unwrap_or(n))
                .collect();
            for name in described(*grant) {
                assert!(
                    names.contains(&name),
                    "{grant:?} {name} is described but no longer used"
                );
            }
        }
    }
}
