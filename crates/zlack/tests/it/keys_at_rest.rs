//! The encryption key and the files at rest: a database is served only
//! with the key its secrets were sealed with, a key file others may read
//! is refused, and the SQLite files are readable by their owner only.

use std::os::unix::fs::PermissionsExt as _;

use zlack::config::EncryptionKey;

use crate::helpers::db::TestDb;
use crate::helpers::process::{Server, run};

fn key(byte: u8) -> String {
    EncryptionKey([byte; 32]).to_base64()
}

#[tokio::test]
async fn a_database_sealed_with_another_key_is_refused_at_start() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let with = |k: &str| {
        vec![
            ("ZLACK_DATABASE_URL".to_owned(), db.url.clone()),
            ("ZLACK_ENCRYPTION_KEY".to_owned(), k.to_owned()),
            ("ZLACK_LISTEN".to_owned(), "127.0.0.1:0".to_owned()),
        ]
    };
    let first = Server::start(dir.path(), &with(&key(1)), &[]).await;
    assert!(first.terminate().await.success());
    let other = key(2);
    let (status, _, stderr) = run(dir.path(), &with(&other), &["serve"]).await;
    assert!(!status.success(), "{stderr}");
    assert!(
        stderr.contains("ZLACK_ENCRYPTION_KEY") && stderr.contains("sealed with key"),
        "{stderr}"
    );
    assert!(!stderr.contains(&other), "the key itself is never printed");
    // `doctor` says the same without changing anything.
    let (status, stdout, _) = run(dir.path(), &with(&other), &["doctor"]).await;
    assert!(!status.success());
    assert!(stdout.contains("sealed with key"), "{stdout}");
    // The right key still serves.
    let again = Server::start(dir.path(), &with(&key(1)), &[]).await;
    assert!(again.terminate().await.success());
}

#[tokio::test]
async fn a_key_file_others_may_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let first = Server::start(dir.path(), &[], &[]).await;
    assert!(first.terminate().await.success());
    let file = dir.path().join("zlack.db.key");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let envs = [("ZLACK_LISTEN".to_owned(), "127.0.0.1:0".to_owned())];
    let (status, _, stderr) = run(dir.path(), &envs, &["serve"]).await;
    assert!(!status.success());
    assert!(stderr.contains("chmod 600"), "{stderr}");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let fixed = Server::start(dir.path(), &[], &[]).await;
    assert!(fixed.terminate().await.success());
}

#[tokio::test]
async fn the_sqlite_files_are_readable_by_their_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[], &[]).await;
    for name in ["zlack.db", "zlack.db-wal", "zlack.db-shm", "zlack.db.key"] {
        let path = dir.path().join(name);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name} has mode {mode:o}");
    }
    assert!(server.terminate().await.success());
}
