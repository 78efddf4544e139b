use std::path::Path;

use super::*;
use crate::config::Config;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn every_secret_reads_from_the_file_its_name_file_variable_names() {
    let dir = tempfile::tempdir().unwrap();
    for name in FILE_KEYS {
        let path = write(dir.path(), "value", "  from-the-file\n");
        let src =
            Sources::gather_with(None, env(&[(&format!("{name}_FILE"), &path)]), None).unwrap();
        assert_eq!(src.get(name), Some("from-the-file"), "{name}");
    }
}

#[test]
fn a_secret_file_supplies_what_config_parses() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "signing", "s3cret\n");
    let db = write(dir.path(), "db", "postgres://zlack:pw@127.0.0.1/zlack\n");
    let src = Sources::gather_with(
        None,
        env(&[
            ("ZLACK_SLACK_SIGNING_SECRET_FILE", &path),
            ("ZLACK_DATABASE_URL_FILE", &db),
        ]),
        None,
    )
    .unwrap();
    let config = Config::parse(&src).unwrap();
    assert_eq!(config.slack.signing_secret.unwrap().expose(), "s3cret");
    assert!(!config.database.is_sqlite());
}

#[test]
fn a_name_and_its_file_in_one_source_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "secret", "a");
    let err = Sources::gather_with(
        None,
        env(&[
            ("ZLACK_ZOOM_WEBHOOK_SECRET", "b"),
            ("ZLACK_ZOOM_WEBHOOK_SECRET_FILE", &path),
        ]),
        None,
    )
    .unwrap_err();
    assert_eq!(err.key, "ZLACK_ZOOM_WEBHOOK_SECRET_FILE");
    let file = write(
        dir.path(),
        "zlack.toml",
        &format!("zoom_webhook_secret = \"b\"\nzoom_webhook_secret_file = \"{path}\"\n"),
    );
    let err = Sources::gather_with(Some(Path::new(&file)), [], None).unwrap_err();
    assert_eq!(err.key, "ZLACK_ZOOM_WEBHOOK_SECRET_FILE");
}

#[test]
fn an_unreadable_file_is_named_in_one_line_without_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope").display().to_string();
    let err = Sources::gather_with(None, env(&[("ZLACK_METRICS_TOKEN_FILE", &missing)]), None)
        .unwrap_err();
    let line = err.to_string();
    assert!(line.starts_with("ZLACK_METRICS_TOKEN_FILE: "), "{line}");
    assert!(line.contains(&missing), "{line}");
    assert!(!line.contains('\n'), "{line}");
}

#[test]
fn credentials_supply_a_value_between_environment_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds");
    std::fs::create_dir(&creds).unwrap();
    write(&creds, "ZLACK_SLACK_SIGNING_SECRET", "from-credential\n");
    write(&creds, "ZLACK_ZOOM_CLIENT_SECRET", "credential-zoom\n");
    let file = write(
        dir.path(),
        "zlack.toml",
        "slack_signing_secret = \"from-toml\"\nzoom_client_secret = \"toml-zoom\"\n\
         slack_client_secret = \"toml-slack\"\n",
    );
    let src = Sources::gather(
        Some(Path::new(&file)),
        env(&[
            ("CREDENTIALS_DIRECTORY", creds.to_str().unwrap()),
            ("ZLACK_ZOOM_CLIENT_SECRET", "from-env"),
        ]),
    )
    .unwrap();
    assert_eq!(
        src.get("ZLACK_SLACK_SIGNING_SECRET"),
        Some("from-credential")
    );
    assert_eq!(src.get("ZLACK_ZOOM_CLIENT_SECRET"), Some("from-env"));
    assert_eq!(src.get("ZLACK_SLACK_CLIENT_SECRET"), Some("toml-slack"));
}

#[test]
fn an_environment_file_wins_over_a_credential() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ZLACK_ENCRYPTION_KEY", "credential");
    let path = write(dir.path(), "key", "environment");
    let src = Sources::gather_with(
        None,
        env(&[("ZLACK_ENCRYPTION_KEY_FILE", &path)]),
        Some(dir.path()),
    )
    .unwrap();
    assert_eq!(src.get("ZLACK_ENCRYPTION_KEY"), Some("environment"));
}

#[test]
fn lower_case_toml_keys_mean_the_zlack_names() {
    let src = Sources::from_toml("listen = \"127.0.0.1:9000\"\nZLACK_ZOOM_MODE = \"organization\"")
        .unwrap();
    let config = Config::parse(&src).unwrap();
    assert_eq!(config.listen.port(), 9000);
    assert_eq!(config.zoom.mode, crate::config::ZoomMode::Organization);
}

#[test]
fn a_key_in_both_spellings_is_refused() {
    let err =
        Sources::from_toml("listen = \"127.0.0.1:1\"\nZLACK_LISTEN = \"127.0.0.1:2\"").unwrap_err();
    assert!(err.problem.contains("ZLACK_LISTEN"), "{err}");
    assert!(err.problem.contains("twice"), "{err}");
}

#[test]
fn unknown_and_half_lower_case_keys_are_refused_by_name() {
    for key in [
        "lisen",
        "Listen",
        "zlack_listen",
        "ZLACK_listen",
        "slack_client_id_file",
    ] {
        let err = Sources::from_toml(&format!("{key} = \"x\"")).unwrap_err();
        assert!(err.problem.contains(key), "{err}");
        assert!(err.problem.contains("lower case"), "{err}");
    }
}

#[test]
fn an_empty_file_or_credential_hides_nothing_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("creds");
    std::fs::create_dir(&creds).unwrap();
    write(&creds, "ZLACK_SLACK_SIGNING_SECRET", "\n");
    let empty = write(dir.path(), "empty", "");
    let file = write(
        dir.path(),
        "zlack.toml",
        "slack_signing_secret = \"from-toml\"\nzoom_webhook_secret = \"toml-zoom\"\n",
    );
    let src = Sources::gather_with(
        Some(Path::new(&file)),
        env(&[("ZLACK_ZOOM_WEBHOOK_SECRET_FILE", &empty)]),
        Some(&creds),
    )
    .unwrap();
    assert_eq!(src.get("ZLACK_SLACK_SIGNING_SECRET"), Some("from-toml"));
    assert_eq!(src.get("ZLACK_ZOOM_WEBHOOK_SECRET"), Some("toml-zoom"));
}
