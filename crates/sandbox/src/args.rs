//! Turning query strings and request bodies into one JSON object.

use crate::http;
use axum::http::HeaderMap;
use serde_json::{Map, Value};

/// Request arguments as a JSON object.
pub(crate) type Args = Map<String, Value>;

/// Merges query parameters and the body into one object.
///
/// A JSON object body is taken as is; another JSON value lands under
/// `"_body"`, and an unparsable body under `"_raw"`. Other bodies are read
/// as forms. Values of the `structured` keys that look like JSON arrays or
/// objects are parsed, because Slack accepts those arguments JSON-encoded
/// inside forms.
pub(crate) fn parse(
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
    structured: &[&str],
) -> Args {
    let mut args = Args::new();
    if let Some(query) = query {
        add_form(&mut args, query.as_bytes());
    }
    if http::is_json(headers) {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => args.extend(map),
            Ok(other) => {
                args.insert("_body".into(), other);
            }
            Err(_) => {
                args.insert("_raw".into(), String::from_utf8_lossy(body).into());
            }
        }
    } else if !body.is_empty() && !add_form(&mut args, body) {
        args.insert("_raw".into(), String::from_utf8_lossy(body).into());
    }
    for key in structured {
        if let Some(Value::String(text)) = args.get(*key) {
            let trimmed = text.trim_start();
            if (trimmed.starts_with('[') || trimmed.starts_with('{'))
                && let Ok(parsed) = serde_json::from_str::<Value>(text)
            {
                args.insert((*key).to_owned(), parsed);
            }
        }
    }
    args
}

fn add_form(args: &mut Args, form: &[u8]) -> bool {
    match serde_urlencoded::from_bytes::<Vec<(String, String)>>(form) {
        Ok(pairs) => {
            args.extend(pairs.into_iter().map(|(k, v)| (k, Value::String(v))));
            true
        }
        Err(_) => false,
    }
}

/// A non-empty argument as a string; numbers and booleans are stringified,
/// since form-encoded and JSON callers send them differently.
pub(crate) fn text(args: &Args, key: &str) -> Option<String> {
    match args.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether an argument is present and not an empty string or null.
pub(crate) fn present(args: &Args, key: &str) -> bool {
    match args.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// A boolean argument: `true`, `"true"` or `"1"`.
pub(crate) fn flag(args: &Args, key: &str) -> bool {
    matches!(text(args, key).as_deref(), Some("true" | "1"))
}
