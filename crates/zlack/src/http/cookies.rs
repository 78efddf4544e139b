//! Cookies: reading them, and the short-lived ones that bind an OAuth
//! flow to the browser that started it ([`super::flow_state`]).

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The value of cookie `name` in the request, if any.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value for a short-lived, script-invisible cookie scoped
/// to `path`. `Secure` is set whenever the public URL is HTTPS.
pub fn set(name: &str, value: &str, path: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path={path}; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, path: &str) -> String {
    format!("{name}=; Path={path}; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// What an OAuth provider sends back to a callback URL.
#[derive(serde::Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    #[serde(default)]
    pub error_description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_several_headers_and_pairs() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, "a=1; zlack_state=abc".parse().unwrap());
        headers.append(COOKIE, "b=2".parse().unwrap());
        assert_eq!(read(&headers, "zlack_state").as_deref(), Some("abc"));
        assert_eq!(read(&headers, "b").as_deref(), Some("2"));
        assert_eq!(read(&headers, "missing"), None);
    }

    #[test]
    fn cookies_are_http_only_and_secure_on_https() {
        let c = set("s", "v", "/slack", 600, true);
        assert!(c.contains("HttpOnly") && c.contains("Secure") && c.contains("Max-Age=600"));
        assert!(!set("s", "v", "/slack", 600, false).contains("Secure"));
    }
}
