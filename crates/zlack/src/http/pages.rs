//! Small server-rendered pages for browsers: OAuth results and refusals,
//! in English or Swedish by `Accept-Language`. No scripts, no external
//! assets.

use axum::http::header::CONTENT_LANGUAGE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use zlack_domain::i18n::Lang;
pub use zlack_domain::render::PageKind;

use super::AppState;

/// The first of the browser's languages zlack speaks; English otherwise.
pub fn lang(headers: &HeaderMap) -> Lang {
    let Some(accept) = headers.get("accept-language").and_then(|v| v.to_str().ok()) else {
        return Lang::En;
    };
    let mut ranked: Vec<(f32, &str)> = accept
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse().ok())
                .unwrap_or(1.0);
            Some((q, tag))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked
        .iter()
        .find_map(|(_, tag)| {
            match tag
                .split('-')
                .next()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("sv") => Some(Lang::Sv),
                Some("en") => Some(Lang::En),
                _ => None,
            }
        })
        .unwrap_or(Lang::En)
}

/// A complete page for `kind`.
pub fn respond(state: &AppState, lang: Lang, status: StatusCode, kind: PageKind) -> Response {
    let (title, body) = zlack_domain::render::page(&state.svc.texts, lang, kind);
    let html = document(
        lang,
        &title,
        &format!("<h1>{}</h1><p>{}</p>", escape(&title), escape(&body)),
    );
    (status, [(CONTENT_LANGUAGE, lang.code())], Html(html)).into_response()
}

/// The HTML shell every page shares.
pub fn document(lang: Lang, title: &str, main: &str) -> String {
    format!(
        "<!doctype html><html lang={code}><head><meta charset=utf-8>\
         <meta name=viewport content=\"width=device-width, initial-scale=1\">\
         <title>{title} · zlack</title><style>{STYLE}</style></head><body><main>{main}</main></body></html>",
        code = lang.code(),
        title = escape(title),
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1d1c1d;background:#fff}\
main{max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}\
code{background:#f4f4f4;padding:0 .25rem;border-radius:3px}.ok{color:#0b6e2c}";

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang_of(value: &str) -> Lang {
        let mut headers = HeaderMap::new();
        headers.insert("accept-language", value.parse().unwrap());
        lang(&headers)
    }

    #[test]
    fn the_preferred_known_language_wins() {
        assert_eq!(lang_of("sv-SE,sv;q=0.9,en;q=0.8"), Lang::Sv);
        assert_eq!(lang_of("de-DE,sv;q=0.5,en;q=0.9"), Lang::En);
        assert_eq!(lang_of("fi,sv;q=0.7"), Lang::Sv);
        assert_eq!(lang_of("fi"), Lang::En);
        assert_eq!(lang(&HeaderMap::new()), Lang::En);
    }
}
