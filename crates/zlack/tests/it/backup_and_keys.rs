//! `zlack backup` and `zlack rotate-key`: a consistent copy taken while
//! zlack serves and writes, a restore drill, and key rotation that can be
//! interrupted and finished, leaving every secret and every link handed
//! out readable.

use std::os::unix::fs::PermissionsExt as _;

use zlack::cli::backup;
use zlack::cli::rotate_key::{self, Outcome, Settings};
use zlack::clock::Clock as _;
use zlack::config::EncryptionKey;
use zlack::store::{TokenKind, TokenOwner};
use zlack::vault::{Vault, sealed_key_id};

use crate::helpers::TestApp;
use crate::helpers::app::{TEAM, set};
use crate::helpers::db::{Backend, backend, seed_token, test_key};
use crate::helpers::people::*;
use crate::helpers::process::run;

fn new_key() -> EncryptionKey {
    EncryptionKey([7u8; 32])
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// An app keeping its key in the key file beside the SQLite database.
async fn key_file_app() -> TestApp {
    TestApp::spawn_with(|s| s.retain(|(k, _)| k != "ZLACK_ENCRYPTION_KEY")).await
}

/// An installed workspace, Alice connected to Zoom, and a meeting started.
async fn seeded(app: &TestApp) {
    app.install_workspace().await;
    app.connect(PUBLIC, ALICE).await;
    app.slash(PUBLIC, ALICE, "meeting Before").await;
    app.run_jobs().await;
}

/// `/zoom` posts a meeting card through the fake Slack.
async fn zoom_works(app: &TestApp, topic: &str) {
    let before = app.posts().len();
    app.slash(PUBLIC, ALICE, &format!("meeting {topic}")).await;
    app.run_jobs().await;
    let posts = app.posts();
    assert_eq!(posts.len(), before + 1, "a meeting card is posted");
    assert!(posts.last().unwrap().args.to_string().contains(topic));
}

#[tokio::test]
async fn a_backup_taken_while_serving_and_writing_opens_and_holds_the_data() {
    if backend() != Backend::Sqlite {
        return;
    }
    let app = key_file_app().await;
    app.install_workspace().await;
    let config = app.config();
    // Writes go on while the copy is taken.
    let writer = {
        let store = app.store.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                let owner = TokenOwner::zoom_user(&format!("zu_{i}"));
                seed_token(&store, &owner, TokenKind::ZoomAccess, "secret").await;
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("copy.db");
    let written = backup::backup(&config, &dest).await.expect("backup");
    writer.await.unwrap();
    let key_copy = dir.path().join("copy.db.key");
    assert_eq!(written.key_file.as_deref(), Some(key_copy.as_path()));
    assert_eq!(mode(&dest), 0o600);
    assert_eq!(mode(&key_copy), 0o600);
    assert_eq!(
        std::fs::read(&key_copy).unwrap(),
        std::fs::read(zlack::app::key_file_path(app.db.path.as_ref().unwrap())).unwrap()
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no temporary files left: {leftovers:?}");

    // The copy opens with the copied key and holds the install.
    let mut copy_config = config.clone();
    copy_config.database = zlack::config::DatabaseUrl::Sqlite { path: dest.clone() };
    let store = zlack::app::open_store(&copy_config).await.unwrap();
    assert_eq!(
        store.check_key(false).await.unwrap(),
        zlack::store::KeyCheck::Matches
    );
    let bot = store
        .token(&TokenOwner::slack_team(TEAM), TokenKind::SlackBot)
        .await
        .unwrap()
        .expect("the bot token is in the copy");
    assert_eq!(bot.secret.expose(), crate::helpers::app::BOT_TOKEN);
    store.close().await;

    // An existing PATH is refused and left as it was.
    let before = std::fs::read(&dest).unwrap();
    let error = backup::backup(&config, &dest).await.unwrap_err();
    assert!(error.to_string().contains("exists"), "{error}");
    assert_eq!(std::fs::read(&dest).unwrap(), before);
    app.stop().await;
}

#[tokio::test]
async fn backup_on_postgres_points_to_pg_dump_and_an_existing_path_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = crate::helpers::db::TestDb::new().await;
    let envs = vec![
        ("ZLACK_DATABASE_URL".to_owned(), db.url.clone()),
        ("ZLACK_ENCRYPTION_KEY".to_owned(), test_key().to_base64()),
    ];
    let target = dir.path().join("exists.db");
    std::fs::write(&target, b"keep").unwrap();
    if backend() == Backend::Postgres {
        let (status, _, stderr) = run(dir.path(), &envs, &["backup", "out.db"]).await;
        assert!(!status.success());
        assert!(stderr.contains("pg_dump"), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        return;
    }
    db.store().await.close().await;
    let (status, _, stderr) = run(dir.path(), &envs, &["backup", "exists.db"]).await;
    assert!(!status.success());
    assert!(stderr.contains("exists"), "{stderr}");
    assert_eq!(std::fs::read(&target).unwrap(), b"keep");
    let (status, stdout, stderr) = run(dir.path(), &envs, &["backup", "fresh.db"]).await;
    assert!(status.success(), "{stderr}");
    assert!(stdout.contains("ZLACK_ENCRYPTION_KEY"), "{stdout}");
}

#[tokio::test]
async fn restore_drill_a_backup_and_its_key_bring_the_workspace_back() {
    if backend() != Backend::Sqlite {
        return;
    }
    let app = key_file_app().await;
    seeded(&app).await;
    let config = app.config();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("drill.db");
    backup::backup(&config, &dest).await.expect("backup");
    let db_path = app.db.path.clone().unwrap();
    let copied_key = dir.path().join("drill.db.key");
    let app = app
        .restart_after(
            |_| {
                // Wipe: the database, its log and its key.
                for suffix in ["", "-wal", "-shm", ".key"] {
                    let mut name = db_path.as_os_str().to_owned();
                    name.push(suffix);
                    let _ = std::fs::remove_file(std::path::PathBuf::from(name));
                }
                assert!(!db_path.exists());
                // Restore: the copy and its key back in place.
                std::fs::copy(&dest, &db_path).unwrap();
                let key = zlack::app::key_file_path(&db_path);
                std::fs::copy(&copied_key, &key).unwrap();
                std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
            },
            |_| {},
        )
        .await
        .expect("the restored database serves");
    let bot = app
        .store
        .token(&TokenOwner::slack_team(TEAM), TokenKind::SlackBot)
        .await
        .unwrap()
        .expect("the bot token opens");
    assert_eq!(bot.secret.expose(), crate::helpers::app::BOT_TOKEN);
    zoom_works(&app, "After restore").await;
    app.stop().await;
}

/// Why the app refuses to start with `config`.
async fn refusal(config: zlack::config::Config) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    match zlack::app::Application::build(config, listener, Default::default()).await {
        Ok(_) => panic!("the app started"),
        Err(error) => format!("{error:#}"),
    }
}

/// The key ids of every sealed value, by `table.column`.
async fn sealed_key_ids(db: &crate::helpers::db::TestDb) -> Vec<(String, Vec<String>)> {
    use sqlx::Connection as _;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let mut found = Vec::new();
    for (table, column) in zlack::store::sealed_columns() {
        let values: Vec<Vec<u8>> = sqlx::query_scalar(&format!(
            "SELECT {column} FROM {table} WHERE {column} IS NOT NULL"
        ))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let ids = values
            .iter()
            .map(|v| sealed_key_id(v).expect("a sealed value"))
            .collect();
        found.push((format!("{table}.{column}"), ids));
    }
    conn.close().await.unwrap();
    found
}

/// The first meeting's row id and Zoom meeting id.
async fn first_meeting(app: &TestApp) -> (i64, i64) {
    use sqlx::Connection as _;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&app.db.url).await.unwrap();
    let row: (i64, i64) =
        sqlx::query_as("SELECT id, zoom_meeting_id FROM meetings ORDER BY id LIMIT 1")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    conn.close().await.unwrap();
    row
}

/// A value in every sealed column the seeded app leaves empty, written
/// by the store functions that write them, so each carries its real
/// sealing context.
async fn seal_the_rest(app: &TestApp) {
    use zlack_domain::ids::{MeetingUuid, SlackUserId, TeamId, ZoomUserId};
    let store = &app.store;
    let now = app.clock.now_ms();
    let team = TeamId::from(TEAM);
    let alice = SlackUserId::from(ALICE);
    store
        .put_grant(
            "grant-secret",
            "test",
            None,
            &serde_json::json!({"a": 1}),
            now + 60_000,
        )
        .await
        .unwrap();
    let (meeting, zoom_meeting) = first_meeting(app).await;
    store
        .record_schedule(
            meeting,
            &zlack::store::Schedule {
                starts_at: now + 3_600_000,
                duration_minutes: 30,
                time_zone: None,
                lang: "en",
                passcode: Some("123456"),
            },
            now,
        )
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let bound = store
        .bind_occurrences(
            &mut tx,
            zoom_meeting,
            &MeetingUuid::from("uuid-rotate=="),
            None,
            now,
        )
        .await
        .unwrap();
    let occurrence = bound.first().expect("an occurrence").id;
    store
        .save_occurrence_state(&mut tx, occurrence, b"{}", None, false, now)
        .await
        .unwrap();
    let key = zlack::store::PhoneNoticeKey {
        team_id: team.clone(),
        slack_user_id: alice.clone(),
        subject: "call-1".into(),
    };
    store
        .lock_phone_notice(&mut tx, &key, Some(&ZoomUserId::from(ZOOM_ALICE)), now)
        .await
        .unwrap();
    store
        .save_phone_notice(&mut tx, &key, b"{}", now)
        .await
        .unwrap();
    let connection = zlack::store::NewOrgConnection {
        account_id: "acct-rotate",
        admin_id: "admin-rotate",
        admin_email: Some("admin@example.com"),
        connected_by: Some(ALICE),
        at: now,
    };
    assert!(
        store
            .connect_organization(&mut tx, &team, None, &connection)
            .await
            .unwrap()
    );
    store
        .record_presence(&mut tx, &team, &alice, "In_Meeting", (now, now), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let version = store
        .status_sync(&team, &alice)
        .await
        .unwrap()
        .expect("a status row")
        .version;
    let saved = zlack::store::SlackStatus {
        text: "Lunch".into(),
        emoji: ":fork_and_knife:".into(),
        expiration: 0,
    };
    let change = zlack::store::StatusChange {
        phase: zlack::store::StatusPhase::Setting,
        shown: None,
        saved: Some(&saved),
    };
    assert!(
        store
            .save_status_phase(&team, &alice, version, change, now)
            .await
            .unwrap()
    );
}

/// What [`seal_the_rest`] wrote opens through the store functions that
/// read it.
async fn opens_everything(app: &TestApp) {
    use zlack_domain::ids::{SlackUserId, TeamId};
    let store = &app.store;
    let team = TeamId::from(TEAM);
    let alice = SlackUserId::from(ALICE);
    let now = app.clock.now_ms();
    let grant = store.peek_grant("grant-secret", "test", now).await.unwrap();
    assert_eq!(grant.ok(), Some(serde_json::json!({"a": 1})));
    let (meeting, _) = first_meeting(app).await;
    let scheduled = store.scheduled(meeting).await.unwrap().expect("scheduled");
    assert_eq!(scheduled.passcode.as_deref(), Some("123456"));
    for id in store.occurrence_ids().await.unwrap() {
        store.occurrence(id).await.unwrap().expect("an occurrence");
    }
    let key = zlack::store::PhoneNoticeKey {
        team_id: team.clone(),
        slack_user_id: alice.clone(),
        subject: "call-1".into(),
    };
    assert_eq!(
        store.phone_notice(&key).await.unwrap().as_deref(),
        Some(&b"{}"[..])
    );
    let org = store.organization(&team).await.unwrap().expect("connected");
    assert_eq!(org.admin_email.as_deref(), Some("admin@example.com"));
    let status = store.status_sync(&team, &alice).await.unwrap().unwrap();
    assert_eq!(status.saved.unwrap().text, "Lunch");
}

/// Every bytes column of the migrated schema holds sealed values; each
/// must be on the rotation's list, or rotation would leave it behind.
#[tokio::test]
async fn every_bytes_column_is_on_the_rotation_list() {
    use sqlx::Connection as _;
    let app = TestApp::spawn().await;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&app.db.url).await.unwrap();
    let mut bytes: Vec<String> = match backend() {
        Backend::Postgres => sqlx::query_scalar(
            "SELECT table_name || '.' || column_name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND data_type = 'bytea' \
             AND table_name NOT LIKE '\\_sqlx%'",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap(),
        Backend::Sqlite => sqlx::query_scalar(
            "SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND upper(c.type) = 'BLOB' \
             AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap(),
    };
    conn.close().await.unwrap();
    bytes.sort();
    let mut listed: Vec<String> = zlack::store::sealed_columns()
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    listed.sort();
    assert!(!bytes.is_empty());
    assert_eq!(bytes, listed);
    app.stop().await;
}

fn small_batches(stop_after: Option<u64>) -> Settings {
    Settings {
        batch: 2,
        stop_after_batches: stop_after,
    }
}

#[tokio::test]
async fn an_interrupted_rotation_refuses_to_serve_and_a_re_run_finishes_it() {
    let app = TestApp::spawn().await;
    seeded(&app).await;
    let room = zlack::store::PersonalRoom {
        pmi: Some(1234567890),
        join_url: "https://zoom.example/j/1234567890?pwd=secret".into(),
    };
    let zoom_alice = zlack_domain::ids::ZoomUserId::from(ZOOM_ALICE);
    app.store
        .set_personal_room(&zoom_alice, &room)
        .await
        .unwrap();
    seal_the_rest(&app).await;
    let tag = app.store.vault().sign("calendar", b"42");
    let stopped = app.stop_keeping().await;
    let old = stopped.config_with(|_| {});
    let new = stopped.config_with(|s| set(s, "ZLACK_ENCRYPTION_KEY", new_key().to_base64()));
    let new_id = Vault::new(&new_key()).key_id();

    let outcome = rotate_key::rotate(&old, Some(new_key()), &small_batches(Some(1)))
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Stopped);
    let mixed = sealed_key_ids(&stopped.db).await;
    let all: Vec<&String> = mixed.iter().flat_map(|(_, ids)| ids).collect();
    assert!(all.contains(&&new_id), "one batch moved: {mixed:?}");
    assert!(all.iter().any(|id| **id != new_id), "not all: {mixed:?}");
    // Neither key serves a half-rotated database.
    for config in [old.clone(), new.clone()] {
        let why = refusal(config).await;
        assert!(why.contains("run `zlack rotate-key` again"), "{why}");
    }
    // `doctor` says so too.
    let envs: Vec<(String, String)> = stopped
        .settings
        .iter()
        .filter(|(k, _)| k.starts_with("ZLACK_DATABASE_URL") || k == "ZLACK_ENCRYPTION_KEY")
        .cloned()
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (status, stdout, _) = run(dir.path(), &envs, &["doctor"]).await;
    assert!(!status.success());
    assert!(stdout.contains("run `zlack rotate-key` again"), "{stdout}");
    // Another new key would leave values sealed under the first one.
    let other = rotate_key::rotate(&old, Some(EncryptionKey([9; 32])), &small_batches(None))
        .await
        .unwrap_err();
    assert!(other.to_string().contains("unfinished rotation"), "{other}");

    let outcome = rotate_key::rotate(&old, Some(new_key()), &small_batches(None))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Done { ref key_id, .. } if *key_id == new_id));
    let after = sealed_key_ids(&stopped.db).await;
    let filled: Vec<&str> = after
        .iter()
        .filter(|(_, ids)| !ids.is_empty())
        .map(|(column, _)| column.as_str())
        .collect();
    for (table, column) in zlack::store::sealed_columns() {
        let column = format!("{table}.{column}");
        assert!(
            filled.contains(&column.as_str()),
            "{column} holds values: {filled:?}"
        );
    }
    for (column, ids) in &after {
        assert!(ids.iter().all(|id| *id == new_id), "{column}: {ids:?}");
    }
    // The old key is refused now.
    let why = refusal(old.clone()).await;
    assert!(why.contains("sealed with key"), "{why}");

    let app = stopped
        .start(|s| set(s, "ZLACK_ENCRYPTION_KEY", new_key().to_base64()))
        .await
        .expect("the new key serves");
    let bot = app
        .store
        .token(&TokenOwner::slack_team(TEAM), TokenKind::SlackBot)
        .await
        .unwrap()
        .expect("the bot token opens");
    assert_eq!(bot.secret.expose(), crate::helpers::app::BOT_TOKEN);
    let opened = app.store.personal_room(&zoom_alice).await.unwrap().unwrap();
    assert_eq!(opened.join_url, room.join_url);
    opens_everything(&app).await;
    assert!(
        app.store.vault().verify("calendar", b"42", &tag),
        "links signed before the rotation stay valid"
    );
    let audit = app.store.audit_log(0, 100).await.unwrap();
    let row = audit
        .iter()
        .find(|e| e.action == "rotate-key")
        .expect("an audit row");
    assert_eq!(row.subject, new_id);
    assert!(row.detail.contains(&Vault::new(&test_key()).key_id()));
    zoom_works(&app, "After rotation").await;
    app.stop().await;
}

#[tokio::test]
async fn a_key_file_rotation_keeps_the_next_key_across_a_re_run_and_the_old_one_after() {
    if backend() != Backend::Sqlite {
        return;
    }
    let app = key_file_app().await;
    seeded(&app).await;
    let stopped = app.stop_keeping().await;
    let config = stopped.config_with(|_| {});
    let db = stopped.db.path.clone().unwrap();
    let key = zlack::app::key_file_path(&db);
    let next = rotate_key::next_key_path(&db);
    let old_text = std::fs::read_to_string(&key).unwrap();

    let outcome = rotate_key::rotate(&config, None, &small_batches(Some(1)))
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Stopped);
    assert_eq!(mode(&next), 0o600);
    let next_text = std::fs::read_to_string(&next).unwrap();
    assert_eq!(std::fs::read_to_string(&key).unwrap(), old_text);
    let why = refusal(config.clone()).await;
    assert!(why.contains("rotate-key"), "{why}");

    let outcome = rotate_key::rotate(&config, None, &small_batches(None))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Done { .. }));
    assert_eq!(
        std::fs::read_to_string(&key).unwrap(),
        next_text,
        "the next key is reused"
    );
    assert_eq!(
        std::fs::read_to_string(rotate_key::old_key_path(&db)).unwrap(),
        old_text
    );
    assert_eq!(mode(&key), 0o600);
    assert_eq!(mode(&rotate_key::old_key_path(&db)), 0o600);
    assert!(!next.exists());

    let app = stopped
        .start(|_| {})
        .await
        .expect("the new key file serves");
    zoom_works(&app, "After rotation").await;
    app.stop().await;
}

#[tokio::test]
async fn rotation_refuses_while_an_idle_server_runs_and_proceeds_once_it_stopped() {
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let config = app.config();
    // No job is claimed: only the server's presence shows it runs.
    let why = rotate_key::rotate(&config, Some(new_key()), &small_batches(None))
        .await
        .unwrap_err();
    let why = format!("{why:#}");
    assert!(why.contains("a `zlack serve` is running"), "{why}");
    assert_eq!(why.lines().count(), 1, "{why}");
    assert_eq!(app.store.rotation_in_progress().await.unwrap(), None);
    let stopped = app.stop_keeping().await;
    let outcome = rotate_key::rotate(&config, Some(new_key()), &small_batches(None))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Done { .. }), "{outcome:?}");
    drop(stopped);
}

#[tokio::test]
async fn a_server_that_crashed_no_longer_holds_rotation_back_once_its_presence_ran_out() {
    use zlack::clock::{Clock as _, SystemClock};
    let app = TestApp::spawn().await;
    app.install_workspace().await;
    let config = app.config();
    let stopped = app.stop_keeping().await;
    let store = zlack::app::open_store(&config).await.unwrap();
    let now = SystemClock.now_ms();
    // A live one refuses; one whose lease ran out does not.
    let live = format!("{}crashed", zlack::store::SERVER_LEASE_PREFIX);
    assert!(store.try_lease(&live, &live, now, 60_000).await.unwrap());
    assert_eq!(store.servers_running(now).await.unwrap(), 1);
    let why = rotate_key::rotate(&config, Some(new_key()), &small_batches(None))
        .await
        .unwrap_err();
    assert!(why.to_string().contains("`zlack serve`"), "{why}");
    assert_eq!(store.servers_running(now + 60_000).await.unwrap(), 0);
    store.release_lease(&live, &live).await.unwrap();
    let dead = format!("{}dead", zlack::store::SERVER_LEASE_PREFIX);
    assert!(
        store
            .try_lease(&dead, &dead, now - 120_000, 60_000)
            .await
            .unwrap()
    );
    store.close().await;
    let outcome = rotate_key::rotate(&config, Some(new_key()), &small_batches(None))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Done { .. }), "{outcome:?}");
    drop(stopped);
}

#[tokio::test]
async fn a_backup_during_an_unfinished_rotation_is_refused_and_leaves_nothing() {
    if backend() != Backend::Sqlite {
        return;
    }
    let app = key_file_app().await;
    seeded(&app).await;
    let stopped = app.stop_keeping().await;
    let config = stopped.config_with(|_| {});
    let outcome = rotate_key::rotate(&config, None, &small_batches(Some(1)))
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Stopped);
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("copy.db");
    let why = backup::backup(&config, &dest).await.unwrap_err();
    let why = format!("{why:#}");
    assert!(why.contains("rotation"), "{why}");
    assert_eq!(why.lines().count(), 1, "{why}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
    // Finished, the backup holds the new key and opens with it.
    rotate_key::rotate(&config, None, &small_batches(None))
        .await
        .unwrap();
    let written = backup::backup(&config, &dest).await.unwrap();
    let db = stopped.db.path.clone().unwrap();
    assert_eq!(
        std::fs::read(written.key_file.unwrap()).unwrap(),
        std::fs::read(zlack::app::key_file_path(&db)).unwrap()
    );
}
