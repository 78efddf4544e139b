//! The store's purges for Zoom deauthorizations remove exactly what they
//! name: a Zoom user's own tokens, or a Zoom account with its users and
//! its workspaces' connection, and nothing of another user or account.

use zlack::store::{NewOrgConnection, Purged, Store, TokenKind, TokenOwner, Workspace, ZoomLink};

use crate::helpers::db::{self, TestDb, new_meeting, seed_token, zoom_link};

async fn workspace(store: &Store, team: &str, account: Option<&str>) {
    let mut tx = store.begin().await.unwrap();
    let ws = Workspace {
        bot_user_id: "UBOT".into(),
        ..db::workspace(team, None)
    };
    store.save_workspace(&mut tx, &ws).await.unwrap();
    if let Some(account) = account {
        let connection = NewOrgConnection {
            account_id: account,
            admin_id: &format!("admin-of-{account}"),
            admin_email: Some("admin@example.com"),
            connected_by: Some(&format!("connector-of-{account}")),
            at: 1,
        };
        assert!(
            store
                .connect_organization(&mut tx, &team.into(), None, &connection)
                .await
                .unwrap()
        );
    }
    tx.commit().await.unwrap();
}

async fn token(store: &Store, owner: &TokenOwner, kind: TokenKind) {
    seed_token(store, owner, kind, "secret").await;
}

async fn has_token(store: &Store, owner: &TokenOwner, kind: TokenKind) -> bool {
    store.token(owner, kind).await.unwrap().is_some()
}

/// Links the Slack user to the Zoom user of `account`, with a meeting
/// they host.
async fn linked(store: &Store, team: &str, user: &str, zoom_user: &str, account: Option<&str>) {
    let mut tx = store.begin().await.unwrap();
    let link = ZoomLink {
        zoom_account_id: account.map(Into::into),
        ..zoom_link(team, user, zoom_user)
    };
    store.save_zoom_link(&mut tx, &link).await.unwrap();
    tx.commit().await.unwrap();
    let meeting = new_meeting(&format!("{team}:{user}"), team, "C1", user);
    store.meeting_for_request(&meeting, 0).await.unwrap();
}

#[tokio::test]
async fn purging_a_zoom_users_tokens_removes_only_that_users_tokens() {
    let db = TestDb::new().await;
    let store = db.store().await;
    workspace(&store, "T1", None).await;
    linked(&store, "T1", "U1", "zu1", Some("A1")).await;
    let user = TokenOwner::zoom_user("zu1");
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        token(&store, &user, kind).await;
    }
    // Owners that share a prefix or an id with the user.
    let others = [
        (TokenOwner::zoom_user("zu10"), TokenKind::ZoomAccess),
        (TokenOwner::zoom_user("zu2"), TokenKind::ZoomRefresh),
        (TokenOwner::zoom_account("zu1"), TokenKind::ZoomAccess),
        (TokenOwner::slack_team("T1"), TokenKind::SlackBot),
    ];
    for (owner, kind) in &others {
        token(&store, owner, *kind).await;
    }

    let mut tx = store.begin().await.unwrap();
    let purged = store
        .purge_zoom_user_tokens(&mut tx, &"zu1".into())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    assert_eq!(
        purged,
        Purged {
            tokens: 2,
            ..Purged::default()
        }
    );
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        assert!(!has_token(&store, &user, kind).await);
    }
    for (owner, kind) in &others {
        assert!(has_token(&store, owner, *kind).await, "{owner:?} {kind:?}");
    }
    // Their link and what came with it are the account's, not theirs.
    assert!(
        store
            .zoom_link(&"T1".into(), &"U1".into())
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store
            .count_where("meetings", "host_slack_user_id", "U1")
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn purging_a_zoom_account_removes_its_users_and_token_and_disconnects_its_workspaces() {
    let db = TestDb::new().await;
    let store = db.store().await;
    workspace(&store, "T1", Some("A1")).await;
    workspace(&store, "T2", Some("A1")).await;
    workspace(&store, "T3", Some("A2")).await;
    linked(&store, "T1", "U1", "zu1", Some("A1")).await;
    linked(&store, "T2", "U2", "zu2", Some("A1")).await;
    linked(&store, "T3", "U3", "zu3", Some("A2")).await;
    // Linked in an A1 workspace, but to a user Zoom placed in no account.
    linked(&store, "T1", "U4", "zu4", None).await;
    let account = TokenOwner::zoom_account("A1");
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        token(&store, &account, kind).await;
    }
    for user in ["zu1", "zu2", "zu3", "zu4"] {
        token(&store, &TokenOwner::zoom_user(user), TokenKind::ZoomAccess).await;
    }
    let other_account = TokenOwner::zoom_account("A2");
    token(&store, &other_account, TokenKind::ZoomAccess).await;

    let mut tx = store.begin().await.unwrap();
    let purged = store.purge_zoom_account(&mut tx, "A1").await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(
        purged,
        Purged {
            tokens: 4,
            links: 2,
            meetings: 2,
            ..Purged::default()
        }
    );
    for kind in [TokenKind::ZoomAccess, TokenKind::ZoomRefresh] {
        assert!(!has_token(&store, &account, kind).await);
    }
    for (team, user, zoom_user) in [("T1", "U1", "zu1"), ("T2", "U2", "zu2")] {
        assert!(
            store
                .zoom_link(&team.into(), &user.into())
                .await
                .unwrap()
                .is_none()
        );
        let owner = TokenOwner::zoom_user(zoom_user);
        assert!(!has_token(&store, &owner, TokenKind::ZoomAccess).await);
        assert_eq!(
            store
                .count_where("meetings", "host_slack_user_id", user)
                .await
                .unwrap(),
            0
        );
    }
    // The workspaces stay installed, without the connection or who made it.
    for team in ["T1", "T2"] {
        assert!(store.organization(&team.into()).await.unwrap().is_none());
        assert_eq!(
            store
                .count_where("workspaces", "team_id", team)
                .await
                .unwrap(),
            1
        );
    }
    let who = [
        ("zoom_admin_id", "admin-of-A1"),
        ("zoom_connected_by", "connector-of-A1"),
    ];
    for (column, value) in who {
        assert_eq!(
            store
                .count_where("workspaces", column, value)
                .await
                .unwrap(),
            0,
            "{column}"
        );
    }

    // Nothing of the other account, nor of the user outside any account.
    let kept = store.organization(&"T3".into()).await.unwrap().unwrap();
    assert_eq!(kept.account_id, "A2");
    assert_eq!(kept.admin_id.as_deref(), Some("admin-of-A2"));
    assert_eq!(kept.admin_email.as_deref(), Some("admin@example.com"));
    assert_eq!(kept.connected_by.as_deref(), Some("connector-of-A2"));
    assert!(has_token(&store, &other_account, TokenKind::ZoomAccess).await);
    for (team, user, zoom_user) in [("T3", "U3", "zu3"), ("T1", "U4", "zu4")] {
        assert!(
            store
                .zoom_link(&team.into(), &user.into())
                .await
                .unwrap()
                .is_some()
        );
        let owner = TokenOwner::zoom_user(zoom_user);
        assert!(has_token(&store, &owner, TokenKind::ZoomAccess).await);
        assert_eq!(
            store
                .count_where("meetings", "host_slack_user_id", user)
                .await
                .unwrap(),
            1
        );
    }
}
