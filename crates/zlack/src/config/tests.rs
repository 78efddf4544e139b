use super::*;

#[test]
fn no_configuration_at_all_gives_the_documented_defaults() {
    let config = Config::parse(&Sources::default()).unwrap();
    assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(config.public_url.as_str(), "http://localhost:8080/");
    assert_eq!(
        config.database,
        DatabaseUrl::Sqlite {
            path: "zlack.db".into()
        }
    );
    assert!(config.encryption_key.is_none());
    assert_eq!(config.slack.api_url.as_str(), "https://slack.com/api");
    assert_eq!(
        config.slack.openid_authorize_url.as_str(),
        "https://slack.com/openid/connect/authorize"
    );
    assert_eq!(config.zoom.oauth_url.as_str(), "https://zoom.us/");
    assert_eq!(config.zoom.mode, ZoomMode::Personal);
    assert_eq!(config.log, "info");
    assert_eq!(config.log_format, LogFormat::Text);
    assert_eq!(config.slash_command.as_str(), "/zoom");
    assert!(config.metrics.listen.is_none() && config.metrics.token.is_none());
    assert_eq!(config.end_summary_delay, std::time::Duration::from_secs(60));
    assert_eq!(config.reminder_lead, std::time::Duration::from_secs(300));
    assert!(
        config
            .missing()
            .iter()
            .any(|(k, _)| *k == "ZLACK_SLACK_SIGNING_SECRET")
    );
}

#[test]
fn bad_values_name_the_key_in_one_line() {
    for (key, value) in [
        ("ZLACK_LISTEN", "not an address"),
        ("ZLACK_PUBLIC_URL", "ftp://example.com"),
        ("ZLACK_DATABASE_URL", "mysql://localhost/zlack"),
        ("ZLACK_ZOOM_MODE", "everyone"),
        ("ZLACK_SLACK_API_URL", "slack"),
        ("ZLACK_SLACK_OPENID_AUTHORIZE_URL", "slack.com/openid"),
        ("ZLACK_LOG", "[[[bad"),
        ("ZLACK_WORKER_CONCURRENCY", "0"),
        ("ZLACK_END_SUMMARY_DELAY_MS", "-1"),
        ("ZLACK_END_SUMMARY_DELAY_MS", "3600001"),
        ("ZLACK_REMINDER_LEAD_MINUTES", "-1"),
        ("ZLACK_REMINDER_LEAD_MINUTES", "1441"),
        ("ZLACK_REMINDER_LEAD_MINUTES", "5m"),
        ("ZLACK_SLACK_APP_TOKEN", "xoxb-not-an-app-token"),
        ("ZLACK_ZOOM_EVENTS", "carrier-pigeon"),
        ("ZLACK_RECONCILE_INTERVAL_MS", "10"),
        ("ZLACK_LOG_FORMAT", "xml"),
        ("ZLACK_SLASH_COMMAND", "zoom"),
        ("ZLACK_SLASH_COMMAND", "/Zoom"),
        ("ZLACK_SLASH_COMMAND", "/zoom meeting"),
        ("ZLACK_SLASH_COMMAND", "/"),
        ("ZLACK_METRICS_LISTEN", "9090"),
        ("ZLACK_METRICS_TOKEN", "short"),
    ] {
        let err = Config::parse(&Sources::from_pairs([(key, value)])).unwrap_err();
        let line = err.to_string();
        assert!(line.starts_with(key), "{line}");
        assert!(!line.contains('\n'), "{line}");
    }
}

#[test]
fn a_bad_encryption_key_is_refused_without_echoing_it() {
    let err = Config::parse(&Sources::from_pairs([(
        "ZLACK_ENCRYPTION_KEY",
        "c2hvcnQta2V5LXRoYXQtbGVha3M=",
    )]))
    .unwrap_err();
    assert_eq!(err.key, "ZLACK_ENCRYPTION_KEY");
    assert!(!err.to_string().contains("c2hvcnQta2V5"));
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let config = Config::parse(&Sources::from_pairs([
        ("ZLACK_SLACK_SIGNING_SECRET", "slack-signing-abc123"),
        ("ZLACK_SLACK_CLIENT_SECRET", "slack-client-abc123"),
        ("ZLACK_ZOOM_CLIENT_SECRET", "zoom-client-abc123"),
        ("ZLACK_ZOOM_WEBHOOK_SECRET", "zoom-webhook-abc123"),
        (
            "ZLACK_DATABASE_URL",
            "postgres://zlack:pg-pass-abc123@db/zlack",
        ),
        (
            "ZLACK_ENCRYPTION_KEY",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        ),
    ]))
    .unwrap();
    let debug = format!("{config:?}");
    for leaked in ["abc123", "AAECAwQF"] {
        assert!(!debug.contains(leaked), "{leaked} leaked into {debug}");
    }
}

#[test]
fn environment_wins_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zlack.toml");
    std::fs::write(
        &file,
        "ZLACK_LISTEN = \"127.0.0.1:9000\"\nZLACK_ZOOM_MODE = \"organization\"\n",
    )
    .unwrap();
    let env = [("ZLACK_LISTEN".to_owned(), "127.0.0.1:9001".to_owned())];
    let config = Config::parse(&Sources::gather(Some(&file), env).unwrap()).unwrap();
    assert_eq!(config.listen.port(), 9001);
    assert_eq!(config.zoom.mode, ZoomMode::Organization);
}

#[test]
fn unknown_keys_in_the_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zlack.toml");
    std::fs::write(&file, "ZLACK_LISTN = \"127.0.0.1:9000\"\n").unwrap();
    let err = Sources::gather(Some(&file), []).unwrap_err();
    assert!(err.problem.contains("ZLACK_LISTN"));
}

#[test]
fn encryption_keys_are_accepted_in_every_base64_alphabet() {
    let key = EncryptionKey([7u8; 32]);
    let standard = key.to_base64();
    assert_eq!(EncryptionKey::parse(&standard).unwrap().0, key.0);
    assert_eq!(
        EncryptionKey::parse(standard.trim_end_matches('='))
            .unwrap()
            .0,
        key.0
    );
    assert!(EncryptionKey::parse("not base64!").is_none());
}

#[test]
fn an_empty_environment_value_does_not_hide_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zlack.toml");
    std::fs::write(&file, "ZLACK_LISTEN = \"127.0.0.1:9000\"\n").unwrap();
    let env = [("ZLACK_LISTEN".to_owned(), String::new())];
    let config = Config::parse(&Sources::gather(Some(&file), env).unwrap()).unwrap();
    assert_eq!(config.listen.port(), 9000);
}

#[test]
fn sources_debug_names_keys_but_never_values() {
    let sources = Sources::from_pairs([("ZLACK_SLACK_SIGNING_SECRET", "very-secret-value")]);
    let debug = format!("{sources:?}");
    assert!(debug.contains("ZLACK_SLACK_SIGNING_SECRET"));
    assert!(!debug.contains("very-secret-value"));
}

#[test]
fn toml_text_reads_like_the_file() {
    let src = Sources::from_toml(
        "ZLACK_WORKER_POLL_MS = 250\nZLACK_ZOOM_MODE = \"organization\"\nZLACK_LOG = \" \"\n",
    )
    .unwrap();
    let config = Config::parse(&src).unwrap();
    assert_eq!(
        config.worker.poll_interval,
        std::time::Duration::from_millis(250)
    );
    assert_eq!(config.zoom.mode, ZoomMode::Organization);
    assert_eq!(config.log, "info");
    let unknown = Sources::from_toml("ZLACK_NOPE = 1").unwrap_err();
    assert_eq!(unknown.key, "zlack.toml");
    assert!(Sources::from_toml("ZLACK_LOG = [1]").is_err());
    assert!(Sources::from_toml("=").is_err());
}

/// Found by the `config` fuzz target: white space before a directive made
/// tracing-subscriber cut a multi-byte character in two and panic, so a
/// typo in `ZLACK_LOG` crashed `zlack serve` instead of being reported.
#[test]
fn log_directives_are_trimmed_so_the_filter_parser_reads_them_right() {
    let parse = |raw: &'static str| {
        std::panic::catch_unwind(|| Config::parse(&Sources::from_pairs([("ZLACK_LOG", raw)])))
            .expect("no panic")
    };
    for (raw, want) in [
        ("info, \u{e9}=debug", "info,\u{e9}=debug"),
        ("warn, zlack=debug ,", "warn,zlack=debug"),
    ] {
        assert_eq!(parse(raw).unwrap().log, want);
    }
    // The fuzz target's input: not a filter, and said so.
    let error = parse("info,\rMOZ_MZLAC\u{3d6}\u{4d6}=ffn1i").unwrap_err();
    assert_eq!(error.key, "ZLACK_LOG");
}

#[test]
fn zoom_websocket_events_need_server_to_server_mode_and_a_subscription() {
    let parse = |pairs: &[(&str, &str)]| Config::parse(&Sources::from_pairs(pairs.iter().copied()));
    let defaults = parse(&[]).unwrap();
    assert_eq!(defaults.zoom.events, ZoomEvents::Webhook);
    assert_eq!(
        defaults.zoom.reconcile_interval,
        std::time::Duration::from_secs(300)
    );
    assert!(defaults.slack.app_token.is_none());

    let err = parse(&[("ZLACK_ZOOM_EVENTS", "websocket")]).unwrap_err();
    assert_eq!(err.key, "ZLACK_ZOOM_EVENTS");
    assert!(err.problem.contains("server-to-server"), "{err}");

    let s2s = ("ZLACK_ZOOM_MODE", "server-to-server");
    let err = parse(&[s2s, ("ZLACK_ZOOM_EVENTS", "websocket")]).unwrap_err();
    assert_eq!(err.key, "ZLACK_ZOOM_WS_SUBSCRIPTION_ID");

    let sub = ("ZLACK_ZOOM_WS_SUBSCRIPTION_ID", "sub-1");
    let err = parse(&[
        s2s,
        ("ZLACK_ZOOM_EVENTS", "WebSocket"),
        sub,
        ("ZLACK_ZOOM_WS_URL", "https://ws.zoom.us/ws"),
    ])
    .unwrap_err();
    assert_eq!(err.key, "ZLACK_ZOOM_WS_URL");

    let config = parse(&[s2s, ("ZLACK_ZOOM_EVENTS", "websocket"), sub]).unwrap();
    let ZoomEvents::WebSocket(ws) = &config.zoom.events else {
        panic!("expected websocket events");
    };
    assert_eq!(ws.subscription_id, "sub-1");
    assert_eq!(ws.url.as_str(), "wss://ws.zoom.us/ws");
    assert_eq!(ws.heartbeat, std::time::Duration::from_secs(30));
    // No webhook arrives, so no webhook secret is asked for.
    assert!(
        !config
            .missing()
            .iter()
            .any(|(k, _)| *k == "ZLACK_ZOOM_WEBHOOK_SECRET")
    );
}

#[test]
fn socket_mode_needs_an_app_level_token_and_no_signing_secret() {
    let config = Config::parse(&Sources::from_pairs([(
        "ZLACK_SLACK_APP_TOKEN",
        "xapp-1-A1-1-abc",
    )]))
    .unwrap();
    assert_eq!(
        config.slack.app_token.as_ref().unwrap().expose(),
        "xapp-1-A1-1-abc"
    );
    assert!(!format!("{config:?}").contains("xapp-1-A1-1-abc"));
    assert!(
        !config
            .missing()
            .iter()
            .any(|(k, _)| *k == "ZLACK_SLACK_SIGNING_SECRET")
    );
    let err =
        Config::parse(&Sources::from_pairs([("ZLACK_SLACK_APP_TOKEN", "xoxb-1")])).unwrap_err();
    assert!(!err.to_string().contains("xoxb-1"), "{err}");
}

#[test]
fn reminder_lead_takes_minutes_and_zero_turns_reminders_off() {
    for (value, secs) in [("0", 0), ("10", 600), ("1440", 86_400)] {
        let config = Config::parse(&Sources::from_pairs([(
            "ZLACK_REMINDER_LEAD_MINUTES",
            value,
        )]))
        .unwrap();
        assert_eq!(config.reminder_lead.as_secs(), secs, "{value}");
    }
}

#[test]
fn new_operations_keys_parse() {
    let config = Config::parse(&Sources::from_pairs([
        ("ZLACK_LOG_FORMAT", "JSON"),
        ("ZLACK_SLASH_COMMAND", "/möte-2"),
        ("ZLACK_METRICS_LISTEN", "127.0.0.1:9090"),
        ("ZLACK_METRICS_TOKEN", "0123456789abcdef-token"),
    ]))
    .unwrap();
    assert_eq!(config.log_format, LogFormat::Json);
    assert_eq!(config.slash_command.as_str(), "/möte-2");
    assert_eq!(config.metrics.listen.unwrap().port(), 9090);
    assert_eq!(
        config.metrics.token.as_ref().unwrap().expose(),
        "0123456789abcdef-token"
    );
    assert!(!format!("{config:?}").contains("0123456789abcdef-token"));
}

#[test]
fn public_url_takes_a_path_prefix_but_no_query_fragment_or_credentials() {
    for (raw, prefix, commands) in [
        (
            "https://example.com",
            "",
            "https://example.com/slack/commands",
        ),
        (
            "https://example.com/",
            "",
            "https://example.com/slack/commands",
        ),
        (
            "https://example.com/zlack",
            "/zlack",
            "https://example.com/zlack/slack/commands",
        ),
        (
            "https://example.com/zlack/",
            "/zlack",
            "https://example.com/zlack/slack/commands",
        ),
        (
            "http://127.0.0.1:8080/a/b/",
            "/a/b",
            "http://127.0.0.1:8080/a/b/slack/commands",
        ),
    ] {
        let config = Config::parse(&Sources::from_pairs([("ZLACK_PUBLIC_URL", raw)])).unwrap();
        assert_eq!(config.public_prefix(), prefix, "{raw}");
        assert_eq!(config.public("/slack/commands"), commands, "{raw}");
        assert_eq!(config.public("slack/commands"), commands, "{raw}");
    }
    for (raw, problem) in [
        ("https://example.com/?a=b", "query"),
        ("https://example.com/zlack?", "query"),
        ("https://example.com/#top", "fragment"),
        ("https://user@example.com/", "user name or password"),
        ("https://user:hunter2@example.com/", "user name or password"),
        ("https://:hunter2@example.com/", "user name or password"),
        ("ftp://example.com/", "http:// or https://"),
        ("example.com", "http:// or https://"),
    ] {
        let err = Config::parse(&Sources::from_pairs([("ZLACK_PUBLIC_URL", raw)])).unwrap_err();
        let line = err.to_string();
        assert!(line.starts_with("ZLACK_PUBLIC_URL: "), "{raw}: {line}");
        assert!(line.contains(problem), "{raw}: {line}");
        assert!(!line.contains("hunter2") && !line.contains('\n'), "{line}");
    }
}
