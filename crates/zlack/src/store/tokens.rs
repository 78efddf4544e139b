//! The token vault's table: every OAuth token sealed, keyed by who owns it.

use super::{Store, StoreError, Tx};
use crate::clock::Millis;
use crate::config::Secret;
use crate::vault::sealed_key_id;

/// What a stored token is; with its [`TokenOwner`] it names one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A workspace's bot token.
    SlackBot,
    /// The refresh token of a rotating bot token.
    SlackBotRefresh,
    /// A Slack user token.
    SlackUser,
    /// A Zoom user's access token.
    ZoomAccess,
    /// A Zoom user's refresh token; Zoom rotates it on every refresh.
    ZoomRefresh,
    /// A Server-to-Server OAuth token for a Zoom account.
    ZoomServerToServer,
}

impl TokenKind {
    /// The stored `kind`. It is part of the seal context: changing it would
    /// leave stored tokens unopenable.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SlackBot => "slack_bot",
            Self::SlackBotRefresh => "slack_bot_refresh",
            Self::SlackUser => "slack_user",
            Self::ZoomAccess => "zoom_access",
            Self::ZoomRefresh => "zoom_refresh",
            Self::ZoomServerToServer => "zoom_s2s",
        }
    }
}

/// Who a token belongs to, as a stable key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenOwner(String);

impl TokenOwner {
    /// A workspace install (or an Enterprise Grid org install, by org id).
    pub fn slack_team(team_id: &str) -> Self {
        Self(format!("slack:{team_id}"))
    }

    /// A Slack user in a workspace.
    pub fn slack_user(team_id: &str, user_id: &str) -> Self {
        Self(format!("slack:{team_id}:{user_id}"))
    }

    /// A Zoom user, shared by every Slack user linked to them.
    pub fn zoom_user(zoom_user_id: &str) -> Self {
        Self(format!("zoom:user:{zoom_user_id}"))
    }

    /// A Zoom account, for Server-to-Server tokens.
    pub fn zoom_account(account_id: &str) -> Self {
        Self(format!("zoom:account:{account_id}"))
    }

    /// The stored key. It is part of the seal context, like [`TokenKind::as_str`].
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A token opened from the vault's table.
#[derive(Debug, Clone)]
pub struct StoredToken {
    pub secret: Secret,
    /// `None` for a token that does not expire.
    pub expires_at: Option<Millis>,
}

fn token_context(owner: &TokenOwner, kind: TokenKind) -> String {
    format!("token:{}:{}", owner.as_str(), kind.as_str())
}

impl Store {
    /// Stores (or replaces) a token inside the caller's transaction, so a
    /// rotated refresh token and its access token land together.
    pub async fn put_token(
        &self,
        tx: &mut Tx,
        owner: &TokenOwner,
        kind: TokenKind,
        secret: &Secret,
        expires_at: Option<Millis>,
        now: Millis,
    ) -> Result<(), StoreError> {
        let sealed = self.vault.seal_secret(secret, &token_context(owner, kind));
        sqlx::query(
            "INSERT INTO tokens (owner, kind, key_id, sealed, expires_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (owner, kind) DO UPDATE SET \
             key_id = excluded.key_id, sealed = excluded.sealed, expires_at = excluded.expires_at, \
             updated_at = excluded.updated_at",
        )
        .bind(owner.as_str())
        .bind(kind.as_str())
        .bind(self.vault.key_id())
        .bind(sealed)
        .bind(expires_at)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Stores a fresh Zoom authorization: its access token, and its refresh
    /// token, or no refresh token when the grant came without one.
    pub async fn put_zoom_grant(
        &self,
        tx: &mut Tx,
        owner: &TokenOwner,
        access: &Secret,
        refresh: Option<&Secret>,
        expires_at: Millis,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.put_token(
            tx,
            owner,
            TokenKind::ZoomAccess,
            access,
            Some(expires_at),
            now,
        )
        .await?;
        match refresh {
            Some(refresh) => {
                self.put_token(tx, owner, TokenKind::ZoomRefresh, refresh, None, now)
                    .await
            }
            None => self
                .delete_tokens(tx, owner, &[TokenKind::ZoomRefresh])
                .await
                .map(|_| ()),
        }
    }

    /// Locks the owner's token of this kind within `tx` (by touching it);
    /// false when there is none. A refresh writes its result only after
    /// this, so an uninstall, deauthorization or purge that deleted the
    /// tokens meanwhile is not undone.
    pub async fn lock_token(
        &self,
        tx: &mut Tx,
        owner: &TokenOwner,
        kind: TokenKind,
        now: Millis,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE tokens SET updated_at = $1 WHERE owner = $2 AND kind = $3")
            .bind(now)
            .bind(owner.as_str())
            .bind(kind.as_str())
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The owner's token of this kind, opened.
    pub async fn token(
        &self,
        owner: &TokenOwner,
        kind: TokenKind,
    ) -> Result<Option<StoredToken>, StoreError> {
        let row = sqlx::query_as::<_, (Vec<u8>, Option<Millis>)>(
            "SELECT sealed, expires_at FROM tokens WHERE owner = $1 AND kind = $2",
        )
        .bind(owner.as_str())
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some((sealed, expires_at)) = row else {
            return Ok(None);
        };
        Ok(Some(StoredToken {
            secret: self
                .vault
                .open_secret(&sealed, &token_context(owner, kind))?,
            expires_at,
        }))
    }

    /// Deletes the owner's tokens of the given kinds (all kinds when empty).
    pub async fn delete_tokens(
        &self,
        tx: &mut Tx,
        owner: &TokenOwner,
        kinds: &[TokenKind],
    ) -> Result<u64, StoreError> {
        let mut deleted = 0;
        if kinds.is_empty() {
            deleted += sqlx::query("DELETE FROM tokens WHERE owner = $1")
                .bind(owner.as_str())
                .execute(&mut **tx)
                .await?
                .rows_affected();
        }
        for kind in kinds {
            deleted += sqlx::query("DELETE FROM tokens WHERE owner = $1 AND kind = $2")
                .bind(owner.as_str())
                .bind(kind.as_str())
                .execute(&mut **tx)
                .await?
                .rows_affected();
        }
        Ok(deleted)
    }

    /// How many tokens each key sealed, and how many the current key cannot
    /// open: `doctor` reports both.
    pub async fn token_health(&self) -> Result<TokenHealth, StoreError> {
        let rows = sqlx::query_as::<_, (String, String, Vec<u8>)>(
            "SELECT owner, kind, sealed FROM tokens",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut health = TokenHealth::default();
        for (owner, kind, sealed) in rows {
            health.total += 1;
            let context = format!("token:{owner}:{kind}");
            if self.vault.open(&sealed, &context).is_err() {
                health.unreadable += 1;
                if let Some(id) = sealed_key_id(&sealed) {
                    health.foreign_key_ids.insert(id);
                }
            }
        }
        Ok(health)
    }
}

/// What [`Store::token_health`] found.
#[derive(Debug, Default, Clone)]
pub struct TokenHealth {
    /// Tokens stored.
    pub total: usize,
    /// Tokens the configured key cannot open.
    pub unreadable: usize,
    /// Ids of the keys that sealed the unreadable ones.
    pub foreign_key_ids: std::collections::BTreeSet<String>,
}
