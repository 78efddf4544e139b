//! `zlack manifest`: the Slack app manifest asks for exactly the scopes the
//! code requests and uses, and stays within Slack's documented keys and
//! limits.
//!
//! Keys, types and limits below are transcribed from Slack's manifest JSON
//! schema, `slackapi/manifest-schema` `schemas/manifest.schema.1.0.0.json`
//! (the schema for `_metadata.major_version` 1), cross-checked with
//! <https://docs.slack.dev/reference/app-manifest> and
//! `shared/reference/slack-platform.md` §8. Where the two differ the
//! stricter one is tested: `long_description` is 175–4000 characters in
//! the schema and at least 174 in the reference page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use zlack::config::{Config, Sources};
use zlack::manifest::{BOT_EVENTS, BOT_SCOPES, SLACK_METHOD_SCOPES};

use crate::helpers::TestApp;
use crate::helpers::browse::{self, Jar, location};
use crate::helpers::people::{ALICE, PUBLIC};
use crate::helpers::process::run;
use crate::helpers::slash::button_url;

/// `zlack manifest` run as a process for `public_url`, parsed.
async fn printed_manifest(public_url: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let env = [("ZLACK_PUBLIC_URL".to_owned(), public_url.to_owned())];
    let (status, stdout, stderr) = run(dir.path(), &env, &["manifest"]).await;
    assert!(status.success(), "{stderr}");
    parse(&stdout)
}

fn parse(yaml: &str) -> Value {
    serde_norway::from_str(yaml).unwrap_or_else(|e| panic!("not YAML: {e}\n{yaml}"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

fn set(items: &[String]) -> BTreeSet<String> {
    let set: BTreeSet<String> = items.iter().cloned().collect();
    assert_eq!(set.len(), items.len(), "no duplicates in {items:?}");
    set
}

// ---------------------------------------------------------------------------
// 1. The manifest's bot scopes are the scopes the install asks for.

#[tokio::test]
async fn the_manifest_asks_for_exactly_the_scopes_the_install_requests() {
    let app = TestApp::spawn().await;
    let start = app.oauth_start("/slack/install").await;
    assert!(start.status.is_redirection(), "{}", start.status);
    let requested: Vec<String> = start.param("scope").split(',').map(str::to_owned).collect();

    // The manifest for the same public URL as the app's.
    let manifest = printed_manifest("https://zlack.test").await;
    let in_manifest = strings(&manifest["oauth_config"]["scopes"]["bot"]);

    let requested = set(&requested);
    let in_manifest = set(&in_manifest);
    let missing: Vec<_> = requested.difference(&in_manifest).collect();
    let extra: Vec<_> = in_manifest.difference(&requested).collect();
    assert!(
        missing.is_empty(),
        "requested but not in the manifest: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "in the manifest but not requested: {extra:?}"
    );
    let constant: Vec<String> = BOT_SCOPES.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(in_manifest, set(&constant));
    // And Slack sends the installer back to a redirect URL the app lists.
    let redirect_urls = strings(&manifest["oauth_config"]["redirect_urls"]);
    assert_eq!(redirect_urls[0], start.param("redirect_uri"));

    // Sign in with Slack asks for the manifest's user scopes and comes back
    // to its other redirect URL.
    app.install_workspace().await;
    let url = app.slash(PUBLIC, ALICE, "").await;
    app.run_jobs().await;
    let link = button_url(&app.only_response(&url), "zoom.authorize");
    let mut jar = Jar::default();
    let start = app
        .follow_until(&link, &app.slack.openid_authorize_url(), &mut jar)
        .await;
    let sign_in = location(&start).unwrap();
    let scope = browse::param(&sign_in, "scope").unwrap();
    let user_scopes = strings(&manifest["oauth_config"]["scopes"]["user"]);
    assert_eq!(scope, "openid");
    // The other user scope is status sync's, asked in its own step.
    assert_eq!(user_scopes, ["openid", "users.profile:write"]);
    assert_eq!(
        redirect_urls[1],
        browse::param(&sign_in, "redirect_uri").unwrap()
    );
    assert_eq!(redirect_urls.len(), 3);
    app.stop().await;
}

// ---------------------------------------------------------------------------
// 2. Every Web API method the code calls needs only scopes the manifest has.

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source of `crates/zlack/src` without its comment lines, by file;
/// without `manifest.rs`, whose table this checks.
fn sources() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 20, "found the sources in {}", src.display());
    files
        .into_iter()
        .filter(|f| f.file_name().is_none_or(|n| n != "manifest.rs"))
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            let code: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect();
            (f, code.join("\n"))
        })
        .collect()
}

/// Methods named in `.call("method"`.
fn called_methods(code: &str) -> BTreeSet<String> {
    code.match_indices(".call(\"")
        .filter_map(|(at, m)| {
            let rest = &code[at + m.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

/// Slack Web API method families: the first part of every path in Slack's
/// Web API OpenAPI document (`shared/specs/slack/`), plus the families
/// added since (assistant, bookmarks, canvases, functions).
const METHOD_FAMILIES: &[&str] = &[
    "admin",
    "api",
    "apps",
    "assistant",
    "auth",
    "bookmarks",
    "bots",
    "calls",
    "canvases",
    "chat",
    "conversations",
    "dialog",
    "dnd",
    "emoji",
    "files",
    "functions",
    "migration",
    "oauth",
    "pins",
    "reactions",
    "reminders",
    "rtm",
    "search",
    "stars",
    "team",
    "usergroups",
    "users",
    "views",
    "workflows",
];

/// Every string literal that is a whole Slack method name, such as
/// `"calls.participants.add"` handed to a helper that calls it, or
/// `"chat.postMessage"` queued as a `slack.call` job.
fn method_literals(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices('"') {
        let rest = &code[at + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(len);
        if !after.starts_with('"') {
            continue;
        }
        let Some((family, method)) = word.split_once('.') else {
            continue;
        };
        if METHOD_FAMILIES.contains(&family) && !method.is_empty() && !method.ends_with('.') {
            found.insert(word.to_owned());
        }
    }
    found
}

#[test]
fn the_method_table_names_exactly_the_methods_the_code_calls() {
    let mut called = BTreeSet::new();
    let mut named = BTreeSet::new();
    for (file, code) in sources() {
        let here = called_methods(&code);
        for m in &here {
            assert!(
                m.split_once('.')
                    .is_some_and(|(family, _)| METHOD_FAMILIES.contains(&family)),
                "{}: `.call(\"{m}\"` is not a Slack method name",
                file.display()
            );
        }
        called.extend(here);
        named.extend(method_literals(&code));
    }
    // The scan sees the direct calls and the indirect ones.
    assert!(called.contains("chat.postMessage"), "{called:?}");
    assert!(named.contains("calls.participants.add"), "{named:?}");
    let used: BTreeSet<String> = called.union(&named).cloned().collect();
    let table: Vec<String> = SLACK_METHOD_SCOPES
        .iter()
        .map(|(m, _)| (*m).to_owned())
        .collect();
    let table = set(&table);
    let unlisted: Vec<_> = used.difference(&table).collect();
    let unused: Vec<_> = table.difference(&used).collect();
    assert!(
        unlisted.is_empty(),
        "called but not in SLACK_METHOD_SCOPES: {unlisted:?}"
    );
    assert!(
        unused.is_empty(),
        "in SLACK_METHOD_SCOPES but never called: {unused:?}"
    );
}

#[tokio::test]
async fn every_method_the_code_calls_has_its_scopes_in_the_manifest() {
    let manifest = printed_manifest("https://zlack.example.com").await;
    let granted = set(&strings(&manifest["oauth_config"]["scopes"]["bot"]));
    for (method, scopes) in SLACK_METHOD_SCOPES {
        for scope in *scopes {
            assert!(
                granted.contains(*scope),
                "{method} needs {scope}, which the manifest lacks"
            );
            assert!(BOT_SCOPES.contains(scope), "{scope} in BOT_SCOPES");
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Slack's documented keys and limits.

/// A string rule beyond length.
#[derive(Clone, Copy)]
enum Pattern {
    Any,
    /// `^https?://` (request, command and redirect URLs).
    HttpUrl,
    /// `^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$`.
    HexColor,
    /// `^/`.
    Slash,
    /// `^(?![\.\-])([-a-z0-9\.])+([a-z0-9])$`, a bare domain.
    Domain,
    /// Lowercase letters, digits, `-`, `_` and `.`: the bot display name's
    /// characters per Slack's manifest reference (slack-platform.md §8).
    BotName,
}

/// The subset of Slack's schema a manifest of zlack's may use.
enum Schema {
    /// Known keys with (required, rule); any other key is an error.
    Object(&'static [(&'static str, bool, Schema)]),
    Array {
        items: &'static Schema,
        min: usize,
        max: usize,
        unique: bool,
    },
    Str {
        min: usize,
        max: usize,
        pattern: Pattern,
    },
    Bool,
    Int,
    /// A key Slack knows that zlack does not set: present, it fails.
    Unused,
}

use Schema::{Array, Bool, Int, Object, Str, Unused};

const fn text(min: usize, max: usize) -> Schema {
    Str {
        min,
        max,
        pattern: Pattern::Any,
    }
}

const fn url(max: usize) -> Schema {
    Str {
        min: 0,
        max,
        pattern: Pattern::HttpUrl,
    }
}

/// `scopes.bot`/`bot_events`-style lists: strings of at most 50.
const SHORT: Schema = text(1, 50);

const SLASH_COMMAND: Schema = Object(&[
    (
        "command",
        true,
        Str {
            min: 2,
            max: 32,
            pattern: Pattern::Slash,
        },
    ),
    ("url", false, url(3000)),
    ("description", true, text(1, 2000)),
    ("usage_hint", false, text(1, 1000)),
    ("should_escape", false, Bool),
]);

const UNFURL_DOMAIN: Schema = Str {
    min: 1,
    max: 255,
    pattern: Pattern::Domain,
};

const REDIRECT_URL: Schema = Str {
    min: 1,
    max: 2500,
    pattern: Pattern::HttpUrl,
};

const MANIFEST_V1: Schema = Object(&[
    ("$schema", false, Unused),
    (
        "_metadata",
        false,
        Object(&[
            ("schema_version", false, Unused),
            ("min_version", false, Unused),
            ("major_version", false, Int),
            ("minor_version", false, Int),
        ]),
    ),
    ("app_directory", false, Unused),
    (
        "display_information",
        true,
        Object(&[
            ("name", true, text(1, 35)),
            ("description", false, text(1, 140)),
            (
                "background_color",
                false,
                Str {
                    min: 4,
                    max: 7,
                    pattern: Pattern::HexColor,
                },
            ),
            ("long_description", false, text(175, 4000)),
        ]),
    ),
    (
        "features",
        false,
        Object(&[
            (
                "app_home",
                false,
                Object(&[
                    ("home_tab_enabled", false, Bool),
                    ("messages_tab_enabled", false, Bool),
                    ("messages_tab_read_only_enabled", false, Bool),
                ]),
            ),
            (
                "bot_user",
                false,
                Object(&[
                    (
                        "display_name",
                        true,
                        Str {
                            min: 1,
                            max: 80,
                            pattern: Pattern::BotName,
                        },
                    ),
                    ("always_online", false, Bool),
                ]),
            ),
            ("functions", false, Unused),
            ("shortcuts", false, Unused),
            (
                "slash_commands",
                false,
                Array {
                    items: &SLASH_COMMAND,
                    min: 1,
                    max: 50,
                    unique: true,
                },
            ),
            ("workflow_steps", false, Unused),
            (
                "unfurl_domains",
                false,
                Array {
                    items: &UNFURL_DOMAIN,
                    min: 1,
                    max: 5,
                    unique: true,
                },
            ),
            ("assistant_view", false, Unused),
        ]),
    ),
    (
        "oauth_config",
        false,
        Object(&[
            (
                "redirect_urls",
                false,
                Array {
                    items: &REDIRECT_URL,
                    min: 0,
                    max: 1000,
                    unique: true,
                },
            ),
            (
                "scopes",
                false,
                Object(&[
                    (
                        "user",
                        false,
                        Array {
                            items: &SHORT,
                            min: 0,
                            max: 255,
                            unique: true,
                        },
                    ),
                    (
                        "bot",
                        false,
                        Array {
                            items: &SHORT,
                            min: 0,
                            max: 255,
                            unique: true,
                        },
                    ),
                    ("user_optional", false, Unused),
                    ("bot_optional", false, Unused),
                ]),
            ),
            ("token_management_enabled", false, Unused),
            ("pkce_enabled", false, Unused),
        ]),
    ),
    (
        "settings",
        false,
        Object(&[
            ("allowed_ip_address_ranges", false, Unused),
            (
                "event_subscriptions",
                false,
                Object(&[
                    ("request_url", false, url(3500)),
                    ("user_events", false, Unused),
                    (
                        "bot_events",
                        false,
                        Array {
                            items: &SHORT,
                            min: 0,
                            max: 100,
                            unique: true,
                        },
                    ),
                    ("metadata_subscriptions", false, Unused),
                ]),
            ),
            ("incoming_webhooks", false, Unused),
            (
                "interactivity",
                false,
                Object(&[
                    ("is_enabled", true, Bool),
                    ("request_url", false, url(3500)),
                    ("message_menu_options_url", false, Unused),
                ]),
            ),
            ("org_deploy_enabled", false, Bool),
            ("socket_mode_enabled", false, Bool),
            ("is_hosted", false, Unused),
            ("token_rotation_enabled", false, Bool),
            ("siws_links", false, Unused),
            ("hermes_app_type", false, Unused),
            ("function_runtime", false, Unused),
            ("is_mcp_enabled", false, Unused),
        ]),
    ),
    ("functions", false, Unused),
    ("workflows", false, Unused),
    ("datastores", false, Unused),
    ("outgoing_domains", false, Unused),
    ("types", false, Unused),
    ("external_auth_providers", false, Unused),
]);

fn matches(pattern: Pattern, s: &str) -> bool {
    let hex = |t: &str| t.chars().all(|c| c.is_ascii_hexdigit());
    match pattern {
        Pattern::Any => true,
        Pattern::HttpUrl => s.starts_with("https://") || s.starts_with("http://"),
        Pattern::HexColor => s
            .strip_prefix('#')
            .is_some_and(|h| (h.len() == 3 || h.len() == 6) && hex(h)),
        Pattern::Slash => s.starts_with('/'),
        Pattern::Domain => {
            let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
            s.len() >= 2
                && !s.starts_with(['.', '-'])
                && s.chars().all(|c| ok(c) || c == '-' || c == '.')
                && s.chars().last().is_some_and(ok)
        }
        Pattern::BotName => s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)),
    }
}

/// Every way `value` at `path` breaks `schema`.
fn check(schema: &Schema, value: &Value, path: &str, errors: &mut Vec<String>) {
    match (schema, value) {
        (Object(keys), Value::Object(map)) => {
            for key in map.keys() {
                if !keys.iter().any(|(k, _, _)| k == key) {
                    errors.push(format!("{path}.{key}: not a key Slack knows"));
                }
            }
            for (key, required, rule) in *keys {
                match map.get(*key) {
                    Some(v) => check(rule, v, &format!("{path}.{key}"), errors),
                    None if *required => errors.push(format!("{path}.{key}: required")),
                    None => {}
                }
            }
        }
        (
            Array {
                items,
                min,
                max,
                unique,
            },
            Value::Array(list),
        ) => {
            if list.len() < *min || list.len() > *max {
                errors.push(format!("{path}: {} items, not {min}–{max}", list.len()));
            }
            let distinct: BTreeSet<String> = list.iter().map(Value::to_string).collect();
            if *unique && distinct.len() != list.len() {
                errors.push(format!("{path}: repeated items"));
            }
            for (i, item) in list.iter().enumerate() {
                check(items, item, &format!("{path}[{i}]"), errors);
            }
        }
        (Str { min, max, pattern }, Value::String(s)) => {
            let len = s.chars().count();
            if len < *min || len > *max {
                errors.push(format!("{path}: {len} characters, not {min}–{max}"));
            }
            if !matches(*pattern, s) {
                errors.push(format!("{path}: {s:?} does not match its pattern"));
            }
        }
        (Bool, Value::Bool(_)) => {}
        (Int, Value::Number(n)) if n.is_i64() || n.is_u64() => {}
        (Unused, _) => errors.push(format!("{path}: zlack sets no such key")),
        _ => errors.push(format!("{path}: {value} has the wrong type")),
    }
}

/// The Slack event types the inbox dispatch acts on: the string patterns
/// of the `"slack.event" => match kind` arms in `flows/inbox.rs`.
fn handled_events() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/flows/inbox.rs");
    let source = std::fs::read_to_string(path).unwrap();
    let start = source
        .find("\"slack.event\" => match kind")
        .expect("the inbox dispatches Slack events by kind");
    let arms = &source[start..];
    let arms = &arms[..arms.find("_ =>").expect("a catch-all arm")];
    let arms = &arms[arms.find('{').unwrap() + 1..];
    let mut events = BTreeSet::new();
    for line in arms.lines() {
        let Some((pattern, _)) = line.split_once("=>") else {
            continue;
        };
        for alternative in pattern.split('|') {
            let name = alternative.trim().trim_matches('"');
            if !name.is_empty() {
                events.insert(name.to_owned());
            }
        }
    }
    events
}

#[tokio::test]
async fn manifest_warns_on_stderr_about_a_default_or_plain_http_public_url() {
    let dir = tempfile::tempdir().unwrap();
    for (public_url, warning) in [
        (None, Some("ZLACK_PUBLIC_URL is not set")),
        (Some("http://zlack.example.com"), Some("not https")),
        (Some("https://zlack.example.com/zlack"), None),
    ] {
        let env: Vec<(String, String)> = public_url
            .map(|u| ("ZLACK_PUBLIC_URL".to_owned(), u.to_owned()))
            .into_iter()
            .collect();
        let (status, stdout, stderr) = run(dir.path(), &env, &["manifest"]).await;
        assert!(status.success(), "{stderr}");
        parse(&stdout);
        assert!(!stdout.contains("warning"), "{stdout}");
        match warning {
            Some(warning) => {
                assert_eq!(stderr.lines().count(), 1, "{stderr}");
                assert!(stderr.starts_with("zlack: warning: "), "{stderr}");
                assert!(stderr.contains(warning), "{stderr}");
            }
            None => assert_eq!(stderr, "", "{public_url:?}"),
        }
    }
}

/// The public URLs an operator might set: a plain host, a path prefix
/// behind a reverse proxy, a port, and the default for local trials.
const PUBLIC_URLS: &[&str] = &[
    "https://zlack.example.com",
    "https://example.com/tools/zlack/",
    "https://example.com/zlack",
    "https://zlack.example.com:8443",
    "http://localhost:8080",
];

#[tokio::test]
async fn the_manifest_keeps_to_slacks_keys_and_limits_for_any_public_url() {
    let handled = handled_events();
    assert!(handled.contains("link_shared"), "{handled:?}");
    for public_url in PUBLIC_URLS {
        let manifest = printed_manifest(public_url).await;
        let mut errors = Vec::new();
        check(&MANIFEST_V1, &manifest, "manifest", &mut errors);
        assert!(errors.is_empty(), "{public_url}: {errors:#?}");
        assert_eq!(manifest["_metadata"]["major_version"], 1);

        // Every URL is the public URL's, with its scheme, host, port and
        // path prefix; https wherever the public URL is.
        let base = url::Url::parse(public_url).unwrap();
        let prefix = base.as_str().trim_end_matches('/').to_owned();
        let command = &manifest["features"]["slash_commands"][0];
        let urls = [
            ("/slack/commands", &command["url"]),
            (
                "/slack/events",
                &manifest["settings"]["event_subscriptions"]["request_url"],
            ),
            (
                "/slack/interactions",
                &manifest["settings"]["interactivity"]["request_url"],
            ),
            (
                "/slack/oauth/callback",
                &manifest["oauth_config"]["redirect_urls"][0],
            ),
            (
                "/slack/openid/callback",
                &manifest["oauth_config"]["redirect_urls"][1],
            ),
            (
                "/slack/status/callback",
                &manifest["oauth_config"]["redirect_urls"][2],
            ),
        ];
        for (route, value) in urls {
            let text = value.as_str().expect("a URL");
            assert_eq!(text, format!("{prefix}{route}"), "{public_url}");
            let parsed = url::Url::parse(text).unwrap();
            assert_eq!(parsed.scheme(), base.scheme());
            assert_eq!(parsed.host_str(), base.host_str());
            assert_eq!(parsed.port_or_known_default(), base.port_or_known_default());
            if base.scheme() == "https" {
                assert_eq!(parsed.scheme(), "https", "{text}");
            }
        }
        assert_eq!(
            manifest["oauth_config"]["redirect_urls"]
                .as_array()
                .unwrap()
                .len(),
            3
        );

        // Mentions arrive escaped, as `/zoom call @someone` expects.
        assert_eq!(command["command"], "/zoom");
        assert_eq!(command["should_escape"], true);
        assert_eq!(manifest["settings"]["interactivity"]["is_enabled"], true);

        // Slack sends only events zlack acts on, and every event zlack acts
        // on is subscribed.
        let subscribed = set(&strings(
            &manifest["settings"]["event_subscriptions"]["bot_events"],
        ));
        let unhandled: Vec<_> = subscribed.difference(&handled).collect();
        assert!(
            unhandled.is_empty(),
            "subscribed, not handled: {unhandled:?}"
        );
        assert_eq!(subscribed, handled);
        let constant: Vec<String> = BOT_EVENTS.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(subscribed, set(&constant));
    }
}

#[tokio::test]
async fn the_manifests_urls_are_routes_zlack_serves() {
    let app = TestApp::spawn().await;
    let config = Config::parse(&Sources::from_pairs([(
        "ZLACK_PUBLIC_URL",
        "https://zlack.test",
    )]))
    .unwrap();
    let manifest = zlack::manifest::Manifest::for_config(&config);
    let local = |url: &str| {
        let path = url.strip_prefix("https://zlack.test").expect("public URL");
        format!("{}{path}", app.base_url)
    };
    // Slack POSTs to the request URLs: unsigned, they are refused, not
    // missing.
    for url in [
        &manifest.features.slash_commands[0].url,
        &manifest.settings.event_subscriptions.request_url,
        &manifest.settings.interactivity.request_url,
    ] {
        let url = url.as_deref().expect("request URLs without Socket Mode");
        let status = app.http.post(local(url)).send().await.unwrap().status();
        assert!(
            status != 404 && status != 405 && status.is_client_error(),
            "{url}: {status}"
        );
    }
    // Slack sends the installer's browser to the redirect URL: without a
    // state it is a bad request, not a missing page.
    let status = app
        .browser()
        .get(local(&manifest.oauth_config.redirect_urls[0]))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 400);
    app.stop().await;
}

#[test]
fn the_schema_check_catches_what_slack_would_refuse() {
    let config = Config::parse(&Sources::default()).unwrap();
    let good = serde_json::to_value(zlack::manifest::Manifest::for_config(&config)).unwrap();
    let mut errors = Vec::new();
    check(&MANIFEST_V1, &good, "manifest", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    let broken = |edit: &dyn Fn(&mut Value)| {
        let mut m = good.clone();
        edit(&mut m);
        let mut errors = Vec::new();
        check(&MANIFEST_V1, &m, "manifest", &mut errors);
        errors
    };
    type Edit<'a> = &'a dyn Fn(&mut Value);
    let cases: [(&str, Edit); 9] = [
        ("unknown key", &|m| {
            m["settings"]["calls_enabled"] = true.into();
        }),
        ("long name", &|m| {
            m["display_information"]["name"] = "z".repeat(36).into();
        }),
        ("short long_description", &|m| {
            m["display_information"]["long_description"] = "z".repeat(174).into();
        }),
        ("colour", &|m| {
            m["display_information"]["background_color"] = "0b5cff".into();
        }),
        ("long command", &|m| {
            m["features"]["slash_commands"][0]["command"] = format!("/{}", "z".repeat(32)).into();
        }),
        ("six unfurl domains", &|m| {
            m["features"]["unfurl_domains"] =
                serde_json::json!(["a.us", "b.us", "c.us", "d.us", "e.us", "f.us"]);
        }),
        ("unfurl URL", &|m| {
            m["features"]["unfurl_domains"] = serde_json::json!(["https://zoom.us"]);
        }),
        ("bot name", &|m| {
            m["features"]["bot_user"]["display_name"] = "Zlack Bot".into();
        }),
        ("interactivity without is_enabled", &|m| {
            m["settings"]["interactivity"]
                .as_object_mut()
                .unwrap()
                .remove("is_enabled");
        }),
    ];
    for (what, edit) in cases {
        assert!(!broken(edit).is_empty(), "{what} went unnoticed");
    }
}
