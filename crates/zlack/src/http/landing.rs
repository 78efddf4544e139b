//! The landing page `GET /`: what is configured, what is missing and how to
//! fix it, and the two install choices ("Install for the whole
//! organization", "Add only to my Slack account") as the Zoom mode allows.
//! English or Swedish by `Accept-Language`; no scripts, nothing from
//! another site. The strings come from [`render::landing_page`].

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use zlack_domain::i18n::Lang;
use zlack_domain::render::{
    self, LandingBlock, LandingInputs, LandingLink, LandingMode, LandingPage, LandingSectionId,
    LandingTarget,
};

use super::AppState;
use super::pages::{self, escape};
use crate::config::{Config, ZoomMode};

/// Inline styles only; no script may run.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

/// The install links look like buttons. [`pages::document`] has the page's
/// style sheet; an attribute keeps this one conforming HTML.
const BUTTON: &str = " class=button style=\"display:inline-block;margin:.25rem 0;\
padding:.5rem 1rem;background:#4a154b;color:#fff;border-radius:4px;text-decoration:none;\
font-weight:600\"";

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(page))
}

async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = pages::lang(&headers);
    let mut page = landing(&state, lang);
    if setup_complete(&state).await {
        // In personal mode the organization section only tells the
        // operator which setting would enable it.
        let personal = state.svc.config.zoom.mode == ZoomMode::Personal;
        page.sections.retain(|s| match s.id {
            LandingSectionId::Setup | LandingSectionId::Server => false,
            LandingSectionId::Organization => !personal,
            LandingSectionId::Personal => true,
        });
    }
    (
        [
            (header::CONTENT_LANGUAGE, lang.code()),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::VARY, "Accept-Language"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        Html(pages::document(
            lang,
            &page.title,
            &main(&page, state.svc.config.public_prefix()),
        )),
    )
        .into_response()
}

/// Every required setting is present and a workspace is installed. When
/// the database cannot say, the details stay hidden.
async fn setup_complete(state: &AppState) -> bool {
    state.svc.config.missing().is_empty() && state.svc.store.any_install().await.unwrap_or(true)
}

fn landing(state: &AppState, lang: Lang) -> LandingPage {
    let config = &state.svc.config;
    let missing = config.missing();
    render::landing_page(
        &state.svc.texts,
        lang,
        &LandingInputs {
            mode: mode(config.zoom.mode),
            mode_name: config.zoom.mode.as_str(),
            slack_install: slack_install(config),
            zoom_install: config.zoom.client_id.is_some() && config.zoom.client_secret.is_some(),
            missing: &missing,
            public_url: config.public_url.as_str(),
            database: if config.database.is_sqlite() {
                "SQLite"
            } else {
                "PostgreSQL"
            },
            slack_socket_mode: config.slack.app_token.is_some(),
            zoom_events_websocket: config.zoom.events != crate::config::ZoomEvents::Webhook,
        },
    )
}

fn mode(mode: ZoomMode) -> LandingMode {
    match mode {
        ZoomMode::Personal => LandingMode::Personal,
        ZoomMode::Organization => LandingMode::Organization,
        ZoomMode::ServerToServer => LandingMode::ServerToServer,
    }
}

/// `/slack/install` needs the Slack app's client id and secret.
fn slack_install(config: &Config) -> bool {
    config.slack.client_id.is_some() && config.slack.client_secret.is_some()
}

fn href(target: LandingTarget) -> &'static str {
    match target {
        LandingTarget::SlackInstall => "/slack/install",
        LandingTarget::ZoomInstallOrganization => "/zoom/install?for=organization",
        LandingTarget::Privacy => "/privacy",
        LandingTarget::Limitations => "/limitations",
    }
}

/// The page's `<main>`: one `<h1>`, then a `<section>` with an `<h2>` each.
/// Links start with `prefix`, the path of `ZLACK_PUBLIC_URL`, so they work
/// behind a reverse proxy that serves zlack below a path.
fn main(page: &LandingPage, prefix: &str) -> String {
    let mut main = format!(
        "<h1>{}</h1><p>{}</p>",
        escape(&page.heading),
        escape(&page.intro)
    );
    for section in &page.sections {
        let id = section.id.as_str();
        main.push_str(&format!(
            "<section aria-labelledby={id}><h2 id={id}>{}</h2>",
            escape(&section.heading)
        ));
        for block in &section.blocks {
            main.push_str(&html(block, prefix));
        }
        main.push_str("</section>");
    }
    main.push_str(&format!("<p>{}</p>", link(&page.privacy, "", prefix)));
    main.push_str(&format!("<p>{}</p>", link(&page.limitations, "", prefix)));
    main
}

/// `link` as an `<a>`, or its text alone when its settings are missing.
fn link(link: &LandingLink, class: &str, prefix: &str) -> String {
    if link.available {
        format!(
            "<a{class} href=\"{}{}\">{}</a>",
            escape(prefix),
            escape(href(link.target)),
            escape(&link.text)
        )
    } else {
        format!("<strong>{}</strong>", escape(&link.text))
    }
}

fn html(block: &LandingBlock, prefix: &str) -> String {
    match block {
        LandingBlock::Paragraph(text) => format!("<p>{}</p>", escape(text)),
        LandingBlock::Ok(text) => format!("<p class=ok>{}</p>", escape(text)),
        LandingBlock::Settings(settings) => {
            let items: String = settings
                .iter()
                .map(|s| {
                    format!(
                        "<li><code>{}</code> — {}</li>",
                        escape(&s.name),
                        escape(&s.why)
                    )
                })
                .collect();
            format!("<ul>{items}</ul>")
        }
        LandingBlock::Steps(steps) => {
            let items: String = steps
                .iter()
                .map(|step| match &step.link {
                    Some(l) => format!(
                        "<li>{}<br>{}</li>",
                        link(l, BUTTON, prefix),
                        escape(&step.text)
                    ),
                    None => format!("<li>{}</li>", escape(&step.text)),
                })
                .collect();
            format!("<ol>{items}</ol>")
        }
        LandingBlock::Facts(facts) => {
            let items: String = facts
                .iter()
                .map(|f| {
                    format!(
                        "<dt>{}</dt><dd><code>{}</code></dd>",
                        escape(&f.term),
                        escape(&f.value)
                    )
                })
                .collect();
            format!("<dl>{items}</dl>")
        }
    }
}

#[cfg(test)]
mod tests {
    use zlack_domain::Texts;

    use super::*;

    fn page(mode: LandingMode, slack: bool, zoom: bool, lang: Lang) -> String {
        let page = render::landing_page(
            &Texts::new(),
            lang,
            &LandingInputs {
                mode,
                mode_name: "personal",
                slack_install: slack,
                zoom_install: zoom,
                missing: &[("ZLACK_ZOOM_CLIENT_ID", "connects Slack users to Zoom")],
                public_url: "https://zlack.example.com/?a=<b>&c=\"d\"",
                database: "SQLite",
                slack_socket_mode: false,
                zoom_events_websocket: false,
            },
        );
        main(&page, "")
    }

    #[test]
    fn one_h1_and_an_h2_per_section() {
        for mode in LandingMode::ALL {
            for lang in Lang::ALL {
                let html = page(mode, true, true, lang);
                assert_eq!(html.matches("<h1>").count(), 1, "{html}");
                assert_eq!(
                    html.matches("<h2 ").count(),
                    html.matches("<section ").count()
                );
                assert_eq!(html.matches("<section ").count(), 4);
                assert!(!html.contains("<script"), "{html}");
            }
        }
    }

    #[test]
    fn values_are_escaped() {
        let html = page(LandingMode::Personal, true, true, Lang::En);
        assert!(
            html.contains("https://zlack.example.com/?a=&lt;b&gt;&amp;c=&quot;d&quot;"),
            "{html}"
        );
        assert!(!html.contains("<b>"));
    }

    #[test]
    fn a_link_without_its_settings_is_only_text() {
        let html = page(LandingMode::Organization, false, false, Lang::En);
        assert!(!html.contains("/slack/install"), "{html}");
        assert!(!html.contains("/zoom/install"), "{html}");
        assert!(html.contains("<strong>Add to Slack</strong>"), "{html}");
        assert!(html.contains("Not available until the missing settings above are set."));
        assert!(html.contains("<a href=\"/privacy\">How your data is used</a>"));
    }

    #[test]
    fn links_start_with_the_public_url_prefix() {
        let page = render::landing_page(
            &Texts::new(),
            Lang::En,
            &LandingInputs {
                mode: LandingMode::Organization,
                mode_name: "organization",
                slack_install: true,
                zoom_install: true,
                missing: &[],
                public_url: "https://example.com/zlack/",
                database: "SQLite",
                slack_socket_mode: false,
                zoom_events_websocket: false,
            },
        );
        let html = main(&page, "/zlack");
        assert!(html.contains("href=\"/zlack/privacy\""), "{html}");
        assert!(html.contains("href=\"/zlack/slack/install\""), "{html}");
        assert!(!html.contains("href=\"/slack"), "{html}");
    }
}
