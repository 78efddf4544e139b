//! Headers every answer carries, added by the server loop after the
//! handler ran, so no page can forget them: a page may set stricter ones
//! of its own (the call page allows its script by hash), never none.
//!
//! - every answer: `X-Content-Type-Options: nosniff`, `Referrer-Policy:
//!   no-referrer` (OAuth callbacks carry codes and states in their URL),
//!   `Cache-Control: no-store` unless the handler chose a caching policy
//!   (OAuth pages and the pages that show configuration must not be
//!   kept), and `Strict-Transport-Security` when the public URL is HTTPS;
//! - HTML: a `Content-Security-Policy` that runs no script, loads nothing
//!   and may not be framed, and `frame-ancestors 'none'` even where a
//!   page brought its own policy.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue};

/// The policy of a page with inline styles and nothing else.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; \
                            form-action 'none'; frame-ancestors 'none'";

/// The policy of a page whose form posts back to zlack: [`PAGE_CSP`],
/// with forms allowed to this origin only.
pub const FORM_PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; \
                                 form-action 'self'; frame-ancestors 'none'";

/// One year; subdomains are left to their own servers.
pub const HSTS: &str = "max-age=31536000";

/// Adds the headers above that `headers` lacks.
pub fn secure(headers: &mut HeaderMap, hsts: bool) {
    let html = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    if html {
        let framing_set = headers
            .get_all(CONTENT_SECURITY_POLICY)
            .iter()
            .any(|v| v.to_str().is_ok_and(|v| v.contains("frame-ancestors")));
        if !headers.contains_key(CONTENT_SECURITY_POLICY) {
            insert(headers, CONTENT_SECURITY_POLICY, PAGE_CSP);
        } else if !framing_set {
            // Browsers enforce every policy given, so a second one adds
            // the framing rule without loosening the page's own.
            headers.append(
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("frame-ancestors 'none'"),
            );
        }
    }
    insert(headers, X_CONTENT_TYPE_OPTIONS, "nosniff");
    insert(headers, REFERRER_POLICY, "no-referrer");
    insert(headers, CACHE_CONTROL, "no-store");
    if hsts {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
}

fn insert(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    headers
        .entry(name)
        .or_insert_with(|| HeaderValue::from_static(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers
    }

    #[test]
    fn a_page_without_headers_gets_them_all() {
        let mut headers = html();
        secure(&mut headers, true);
        assert_eq!(headers[CONTENT_SECURITY_POLICY], PAGE_CSP);
        assert_eq!(headers[X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[REFERRER_POLICY], "no-referrer");
        assert_eq!(headers[CACHE_CONTROL], "no-store");
        assert_eq!(headers[STRICT_TRANSPORT_SECURITY], HSTS);
    }

    #[test]
    fn a_pages_own_choices_stay_and_framing_is_refused_anyway() {
        let mut headers = html();
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'self'"),
        );
        headers.insert(
            CACHE_CONTROL,
            HeaderValue::from_static("private, max-age=60"),
        );
        secure(&mut headers, false);
        let policies: Vec<_> = headers.get_all(CONTENT_SECURITY_POLICY).iter().collect();
        assert_eq!(policies, ["script-src 'self'", "frame-ancestors 'none'"]);
        assert_eq!(headers[CACHE_CONTROL], "private, max-age=60");
        assert!(!headers.contains_key(STRICT_TRANSPORT_SECURITY));
    }

    #[test]
    fn other_answers_get_no_page_policy() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        secure(&mut headers, true);
        assert!(!headers.contains_key(CONTENT_SECURITY_POLICY));
        assert_eq!(headers[X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[STRICT_TRANSPORT_SECURITY], HSTS);
    }
}
