//! The command line: help everywhere, one-line errors, and the operator
//! commands that work on the database.

use serde_json::json;
use zlack::store::{NewJob, Settlement};

use crate::helpers::db::{TestDb, test_key};
use crate::helpers::process::run;

fn db_env(db: &TestDb) -> Vec<(String, String)> {
    vec![
        ("ZLACK_DATABASE_URL".into(), db.url.clone()),
        ("ZLACK_ENCRYPTION_KEY".into(), test_key().to_base64()),
    ]
}

#[tokio::test]
async fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["manifest", "--help"],
        vec!["keygen", "--help"],
        vec!["doctor", "--help"],
        vec!["jobs", "--help"],
        vec!["jobs", "retry", "--help"],
        vec!["jobs", "list", "--help"],
        vec!["jobs", "all", "--help"],
        vec!["purge", "--help"],
        vec!["audit", "--help"],
        vec!["map-user", "--help"],
    ] {
        let (status, stdout, _) = run(dir.path(), &[], &args).await;
        assert!(status.success(), "{args:?}");
        assert!(stdout.contains("Usage: zlack"), "{args:?}: {stdout}");
    }
}

#[tokio::test]
async fn an_unknown_command_fails_and_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let (status, _, stderr) = run(dir.path(), &[], &["serv"]).await;
    assert!(!status.success());
    assert!(
        stderr.contains("unrecognized subcommand 'serv'"),
        "{stderr}"
    );
    assert!(stderr.contains("serve"), "{stderr}");
}

#[tokio::test]
async fn a_bad_setting_exits_non_zero_with_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    for (key, value) in [
        ("ZLACK_LISTEN", "localhost"),
        ("ZLACK_ENCRYPTION_KEY", "too-short"),
        ("ZLACK_ZOOM_MODE", "team"),
        ("ZLACK_DATABASE_URL", "mysql://x"),
    ] {
        let (status, stdout, stderr) =
            run(dir.path(), &[(key.into(), value.into())], &["serve"]).await;
        assert!(!status.success(), "{key}");
        assert!(stdout.is_empty());
        assert_eq!(stderr.trim().lines().count(), 1, "{key}: {stderr}");
        assert!(stderr.starts_with(&format!("zlack: {key}")), "{stderr}");
        if key == "ZLACK_ENCRYPTION_KEY" {
            assert!(!stderr.contains(value));
        }
    }
    assert!(!dir.path().join("zlack.db").exists(), "nothing was created");
}

#[tokio::test]
async fn zlack_toml_is_read_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("zlack.toml"),
        "ZLACK_PUBLIC_URL = \"https://from-file.example\"\nZLACK_ZOOM_MODE = \"bogus\"\n",
    )
    .unwrap();
    let (status, _, stderr) = run(dir.path(), &[], &["manifest"]).await;
    assert!(!status.success());
    assert!(stderr.contains("ZLACK_ZOOM_MODE"));
    let env = [("ZLACK_ZOOM_MODE".to_owned(), "personal".to_owned())];
    let (status, stdout, _) = run(dir.path(), &env, &["manifest"]).await;
    assert!(status.success());
    assert!(stdout.contains("https://from-file.example/slack/commands"));
}

#[tokio::test]
async fn keygen_prints_a_usable_key() {
    let dir = tempfile::tempdir().unwrap();
    let (status, stdout, _) = run(dir.path(), &[], &["keygen"]).await;
    assert!(status.success());
    let key = zlack::config::EncryptionKey::parse(stdout.trim()).expect("32 bytes of base64");
    let (_, again, _) = run(dir.path(), &[], &["keygen"]).await;
    assert_ne!(key.to_base64(), again.trim());
}

#[tokio::test]
async fn migrate_then_doctor_reports_the_schema_current() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let envs = db_env(&db);
    let (status, stdout, stderr) = run(dir.path(), &envs, &["migrate"]).await;
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains("up to date"));
    let (status, stdout, _) = run(dir.path(), &envs, &["doctor"]).await;
    assert!(!status.success(), "settings are missing");
    assert!(
        stdout.contains("ok    database schema is up to date"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAIL  ZLACK_SLACK_SIGNING_SECRET is not set"),
        "{stdout}"
    );
}

#[tokio::test]
async fn doctor_names_tokens_sealed_with_another_key() {
    let db = TestDb::new().await;
    let store = db.store().await;
    crate::helpers::db::seed_token(
        &store,
        &zlack::store::TokenOwner::slack_team("T1"),
        zlack::store::TokenKind::SlackBot,
        "xoxb-1",
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let other = zlack::config::EncryptionKey([9u8; 32]);
    let envs = vec![
        ("ZLACK_DATABASE_URL".into(), db.url.clone()),
        ("ZLACK_ENCRYPTION_KEY".into(), other.to_base64()),
    ];
    let (status, stdout, _) = run(dir.path(), &envs, &["doctor"]).await;
    assert!(!status.success());
    assert!(
        stdout.contains("1 of 1 stored token(s) cannot be opened"),
        "{stdout}"
    );
    assert!(stdout.contains(&store.vault().key_id()), "{stdout}");
}

#[tokio::test]
async fn jobs_lists_dead_letters_and_retries_them() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .enqueue_now(&[NewJob::new("slack.call", "dead-one", json!({}), 0)], 0)
        .await
        .unwrap();
    let job = store.claim_jobs("w", 0, 1_000, 1).await.unwrap().remove(0);
    let dead = Settlement::Dead {
        error: "slack chat.postMessage: is_archived".into(),
    };
    store.settle_job(&job, &dead, 1).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let envs = db_env(&db);
    let (status, stdout, _) = run(dir.path(), &envs, &["jobs"]).await;
    assert!(status.success());
    assert!(stdout.contains("slack.call"), "{stdout}");
    assert!(stdout.contains("is_archived"), "{stdout}");
    let (status, _, stderr) = run(dir.path(), &envs, &["jobs", "retry", "999999"]).await;
    assert!(!status.success());
    assert!(stderr.contains("not dead-lettered"));
    let (status, stdout, _) = run(dir.path(), &envs, &["jobs", "retry", &job.id.to_string()]).await;
    assert!(status.success());
    assert!(stdout.contains("requeued 1 job(s)"));
    let (_, stdout, _) = run(dir.path(), &envs, &["jobs"]).await;
    assert!(stdout.contains("no dead-lettered jobs"));
    let (status, _, stderr) = run(dir.path(), &envs, &["jobs", "retry"]).await;
    assert!(!status.success(), "retry needs an id or --all: {stderr}");
}

#[tokio::test]
async fn a_postgres_server_that_is_not_there_fails_migrate_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens on port 1.
    let env = vec![
        (
            "ZLACK_DATABASE_URL".to_owned(),
            "postgres://postgres:hunter2@127.0.0.1:1/zlack".to_owned(),
        ),
        ("ZLACK_ENCRYPTION_KEY".to_owned(), test_key().to_base64()),
    ];
    let (status, _, stderr) = run(dir.path(), &env, &["migrate"]).await;
    assert!(!status.success());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("zlack: ZLACK_DATABASE_URL: cannot connect to postgres://postgres:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("127.0.0.1:1/zlack: connection refused"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[tokio::test]
async fn a_new_sqlite_database_its_wal_shm_and_directory_are_its_owners_alone() {
    use std::os::unix::fs::PermissionsExt as _;
    use zlack::config::DatabaseUrl;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/zlack/zlack.db");
    let url = DatabaseUrl::Sqlite { path: path.clone() };
    let store = zlack::store::Store::connect(&url, zlack::vault::Vault::new(&test_key()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    for file in ["zlack.db", "zlack.db-wal", "zlack.db-shm"] {
        assert_eq!(mode(&path.with_file_name(file)), 0o600, "{file}");
    }
    assert_eq!(mode(&dir.path().join("state")), 0o700);
    assert_eq!(mode(&dir.path().join("state/zlack")), 0o700);
    store.close().await;

    // An operator's existing file keeps the mode it has.
    let shared = dir.path().join("shared.db");
    std::fs::write(&shared, "").unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o640)).unwrap();
    let url = DatabaseUrl::Sqlite {
        path: shared.clone(),
    };
    let store = zlack::store::Store::connect(&url, zlack::vault::Vault::new(&test_key()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert_eq!(mode(&shared), 0o640);
    store.close().await;
}

#[tokio::test]
async fn jobs_list_all_and_json_show_what_the_help_offers() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .enqueue_now(
            &[
                NewJob::new("slack.call", "dead-one", json!({}), 0),
                NewJob::new("slack.post", "waiting-one", json!({}), 0),
            ],
            0,
        )
        .await
        .unwrap();
    let job = store.claim_jobs("w", 0, 1_000, 1).await.unwrap().remove(0);
    let dead = Settlement::Dead {
        error: "slack chat.postMessage: is_archived".into(),
    };
    store.settle_job(&job, &dead, 1).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let envs = db_env(&db);
    let json_of = |stdout: &str| -> Vec<serde_json::Value> {
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
    };

    let (status, stdout, stderr) = run(dir.path(), &envs, &["jobs", "list", "--all"]).await;
    assert!(status.success(), "{stderr}");
    assert!(
        stdout.contains("slack.call") && stdout.contains("slack.post"),
        "{stdout}"
    );
    let (status, plain, _) = run(dir.path(), &envs, &["jobs", "list"]).await;
    assert!(status.success());
    assert!(
        plain.contains("slack.call") && !plain.contains("slack.post"),
        "{plain}"
    );

    let (status, stdout, _) = run(dir.path(), &envs, &["jobs", "list", "--json"]).await;
    assert!(status.success());
    let dead_only = json_of(&stdout);
    assert_eq!(dead_only.len(), 1, "{stdout}");
    let row = &dead_only[0];
    assert_eq!(row["id"], job.id);
    assert_eq!(row["kind"], "slack.call");
    assert_eq!(row["status"], "dead");
    assert_eq!(row["attempts"], 1);
    assert_eq!(row["last_error"], "slack chat.postMessage: is_archived");
    assert!(row["updated_at"].as_str().unwrap().ends_with('Z'), "{row}");
    assert!(row["run_at"].is_string(), "{row}");

    for args in [
        vec!["jobs", "list", "--all", "--json"],
        vec!["jobs", "all", "--json"],
    ] {
        let (status, stdout, _) = run(dir.path(), &envs, &args).await;
        assert!(status.success(), "{args:?}");
        let rows = json_of(&stdout);
        assert_eq!(rows.len(), 2, "{args:?}: {stdout}");
        assert!(rows.iter().any(|r| r["last_error"].is_null()), "{stdout}");
    }
}

#[tokio::test]
async fn a_failing_command_on_a_migrated_database_says_one_line() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let mut envs = db_env(&db);
    envs.push(("ZLACK_LOG".into(), "info".into()));
    let (status, _, stderr) = run(dir.path(), &envs, &["migrate"]).await;
    assert!(status.success(), "{stderr}");
    // Migrating again: PostgreSQL's notice that the migrations table
    // exists stays out of the way.
    let (status, stdout, stderr) = run(dir.path(), &envs, &["purge", "--team", "TNOPE"]).await;
    assert!(!status.success(), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("zlack: "), "{stderr}");
}
