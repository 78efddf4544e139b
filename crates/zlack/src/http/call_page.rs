//! `GET /call/{token}`: the page behind "Call with Zoom Phone". Slack does
//! not open `zoomphonecall://` links, so its buttons point here; the page
//! opens the Zoom app and offers `tel:`, `callto:` and "Copy number" for
//! the cases it cannot (Android, no Zoom app).
//!
//! The page never redirects: its only links are the three call schemes,
//! built from the signed number after it is parsed again
//! ([`crate::flows::phone::link`]).

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use zlack_domain::i18n::Lang;
use zlack_domain::phone::PhoneNumber;
use zlack_domain::render;

use super::AppState;
use super::pages::{self, escape};
use crate::flows::phone::link::{self, Refusal};

pub fn router() -> Router<AppState> {
    Router::new().route("/call/{token}", get(page))
}

/// Opens the Zoom app once the page has loaded when the page says so
/// (`data-auto`; not on Android, which cannot), and makes "Copy number"
/// work. It reads the links from the page, so it is the same script for
/// every number and its hash can sit in the Content-Security-Policy.
const SCRIPT: &str = "(function(){\
var zoom=document.getElementById('zoom');\
if(zoom.dataset.auto==='1'&&!/Android/i.test(navigator.userAgent)){setTimeout(function(){window.location.href=zoom.href;},300);}\
var copy=document.getElementById('copy'),field=document.getElementById('number'),done=document.getElementById('copied');\
copy.hidden=false;\
copy.addEventListener('click',function(){\
field.focus();field.select();\
var copied=false;try{copied=document.execCommand('copy');}catch(e){}\
if(copied){done.hidden=false;return;}\
if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(field.value).then(function(){done.hidden=false;});}\
});\
})();";

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1d1c1d;background:#fff}\
main{max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}\
.lead{font-size:1.4rem;font-weight:600}\
.button{display:inline-block;background:#0b5cff;color:#fff;padding:.6rem 1.1rem;border-radius:6px;text-decoration:none;font-weight:600}\
.button:focus{outline:3px solid #1d1c1d;outline-offset:2px}\
input{font:inherit;padding:.3rem;width:12rem}button{font:inherit;padding:.3rem .8rem}\
.note{color:#454245;font-size:.95rem}";

fn csp_hash(source: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(source.as_bytes()))
    )
}

static CSP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "default-src 'none'; script-src {}; style-src {}; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'",
        csp_hash(SCRIPT),
        csp_hash(STYLE)
    )
});

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let lang = pages::lang(&headers);
    match link::verify(&state.svc, &token) {
        Ok(link) => respond(
            StatusCode::OK,
            lang,
            call_page(&state, lang, &link.number, link.auto_open),
        ),
        Err(refusal) => {
            let status = match refusal {
                Refusal::Malformed => StatusCode::BAD_REQUEST,
                Refusal::Forbidden => StatusCode::FORBIDDEN,
            };
            let (title, body) = render::call_page_expired(&state.svc.texts, lang);
            let main = format!("<h1>{}</h1><p>{}</p>", escape(&title), escape(&body));
            respond(status, lang, document(lang, &title, &main, false))
        }
    }
}

fn respond(status: StatusCode, lang: Lang, html: String) -> Response {
    (
        status,
        [
            (header::CONTENT_LANGUAGE, lang.code().to_owned()),
            (header::CONTENT_SECURITY_POLICY, CSP.clone()),
            // The token is in the URL: it goes nowhere else.
            (header::REFERRER_POLICY, "no-referrer".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        Html(html),
    )
        .into_response()
}

fn call_page(state: &AppState, lang: Lang, number: &PhoneNumber, auto_open: bool) -> String {
    let text = render::call_page(&state.svc.texts, lang, &number.display());
    // Only `+` and digits, by construction of `PhoneNumber`.
    let dial = number.dial_string();
    debug_assert!(dial.bytes().all(|b| b == b'+' || b.is_ascii_digit()));
    let main = format!(
        "<h1>{title}</h1>\
         <p class=lead>{lead}</p>\
         <p><a id=zoom class=button data-auto={auto} href=\"zoomphonecall://{dial}\">{open_zoom}</a></p>\
         <p class=note>{help}</p>\
         <p><a id=tel href=\"tel:{dial}\">{open_tel}</a> · <a id=callto href=\"callto:{dial}\">{open_callto}</a></p>\
         <p><label for=number>{number_label}</label><br>\
         <input id=number readonly value=\"{dial}\"> \
         <button id=copy type=button hidden>{copy}</button> \
         <span id=copied role=status hidden>{copied}</span></p>\
         <p class=note>{android}</p>",
        auto = u8::from(auto_open),
        title = escape(&text.title),
        lead = escape(&text.lead),
        open_zoom = escape(&text.open_zoom),
        help = escape(&text.help),
        open_tel = escape(&text.open_tel),
        open_callto = escape(&text.open_callto),
        number_label = escape(&text.number_label),
        copy = escape(&text.copy),
        copied = escape(&text.copied),
        android = escape(&text.android),
    );
    document(lang, &text.title, &main, true)
}

fn document(lang: Lang, title: &str, main: &str, script: bool) -> String {
    let script = if script {
        format!("<script>{SCRIPT}</script>")
    } else {
        String::new()
    };
    format!(
        "<!doctype html><html lang={code}><head><meta charset=utf-8>\
         <meta name=viewport content=\"width=device-width, initial-scale=1\">\
         <meta name=referrer content=no-referrer>\
         <title>{title} · zlack</title><style>{STYLE}</style></head>\
         <body><main>{main}</main>{script}</body></html>",
        code = lang.code(),
        title = escape(title),
    )
}
