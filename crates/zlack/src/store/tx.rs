//! A write transaction on either backend, and what happens when it
//! commits: jobs it queued for this process start at once.

use std::ops::{Deref, DerefMut};

use sqlx::Any;
use sqlx::AnyConnection;

use super::StoreError;
use super::jobs::ClaimedJob;
use super::local::LocalRunner;
use super::writer::Lent;
use crate::clock::Millis;

/// A transaction, shared by a state change and the jobs it causes. Use it
/// as `&mut **tx` in queries. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    conn: Conn,
    /// Jobs this transaction queued already claimed by the local worker;
    /// handed to it once they are committed.
    pub(super) started: Vec<ClaimedJob>,
    /// The earliest future `run_at` this transaction queued.
    pub(super) due: Option<Millis>,
    pub(super) runner: Option<std::sync::Arc<dyn LocalRunner>>,
}

enum Conn {
    /// PostgreSQL: a pooled connection's own transaction.
    Pool(sqlx::Transaction<'static, Any>),
    /// SQLite: a turn on the one write connection.
    Group(Lent),
}

impl Tx {
    pub(super) fn pool(tx: sqlx::Transaction<'static, Any>) -> Self {
        Self::new(Conn::Pool(tx))
    }

    pub(super) fn group(lent: Lent) -> Self {
        Self::new(Conn::Group(lent))
    }

    fn new(conn: Conn) -> Self {
        Self {
            conn,
            started: Vec::new(),
            due: None,
            runner: None,
        }
    }

    /// Makes the changes durable; then hands the jobs it queued to the
    /// local worker.
    pub async fn commit(self) -> Result<(), StoreError> {
        let Self {
            conn,
            started,
            due,
            runner,
        } = self;
        match conn {
            Conn::Pool(tx) => tx.commit().await?,
            Conn::Group(lent) => lent.commit().await?,
        }
        if let Some(runner) = runner {
            if let Some(at) = due {
                runner.due_at(at);
            }
            if !started.is_empty() {
                runner.start(started);
            }
        }
        Ok(())
    }

    /// Undoes the changes.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.conn {
            Conn::Pool(tx) => tx.rollback().await?,
            // Dropping the turn rolls its savepoint back.
            Conn::Group(lent) => drop(lent),
        }
        Ok(())
    }
}

impl Deref for Tx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        match &self.conn {
            Conn::Pool(tx) => tx,
            Conn::Group(lent) => lent.conn_ref(),
        }
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.conn {
            Conn::Pool(tx) => tx,
            Conn::Group(lent) => lent.conn(),
        }
    }
}
