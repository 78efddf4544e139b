//! One writer for SQLite, with group commit.
//!
//! SQLite lets one connection write at a time, and a connection that finds
//! the lock taken sleeps in growing steps before it tries again. So every
//! write transaction of this process runs on one connection, in turn: a
//! transaction borrows the connection inside a savepoint, and whoever else
//! is waiting when it gives the connection back joins the same database
//! transaction. One commit (one `fsync`) then makes the whole group durable,
//! and each member learns the result only after it. A member that rolls
//! back, or is dropped, undoes its own savepoint only.
//!
//! Nobody sleeps in SQLite's busy handler: waiting writers queue here, in
//! order. The busy timeout still covers other processes on the same file.
//!
//! Two lanes: storing requests before they are acknowledged goes first
//! ([`Lane::Ack`]), so Slack and Zoom get their answers while hundreds of
//! jobs write; everything else waits its turn ([`Lane::Work`]). A
//! transaction of one statement runs without a savepoint ([`Shape::Bare`]):
//! a statement that fails undoes itself.

use std::time::{Duration, Instant};

use sqlx::AnyConnection;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor};
use tokio::sync::{mpsc, oneshot};

/// Members of one group commit at most.
const MAX_MEMBERS: usize = 512;
/// How long a group may keep taking members before it commits.
const MAX_GROUP_TIME: Duration = Duration::from_millis(20);
/// How long `begin` waits for its turn before it gives up, as a pool's
/// acquire timeout would.
const BEGIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Hands the write connection to one transaction at a time.
#[derive(Debug, Clone)]
pub(super) struct GroupWriter {
    ack: mpsc::UnboundedSender<Request>,
    work: mpsc::UnboundedSender<Request>,
}

/// Which queue a transaction waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lane {
    /// Requests waiting to be acknowledged: served first.
    Ack,
    /// Everything else.
    Work,
}

/// How a transaction uses its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// Any number of statements, inside a savepoint.
    Savepoint,
    /// Exactly one statement, then commit: no savepoint needed.
    Bare,
}

struct Request {
    reply: oneshot::Sender<Lent>,
    shape: Shape,
}

/// What a member learns when its group ends.
type Verdict = Result<(), String>;

/// The write connection, lent to one transaction. Dropping it without
/// [`Lent::commit`] undoes the transaction's writes.
pub(super) struct Lent {
    conn: Option<PoolConnection<Any>>,
    back: Option<oneshot::Sender<Returned>>,
    verdict: Option<oneshot::Receiver<Verdict>>,
}

struct Returned {
    conn: PoolConnection<Any>,
    commit: bool,
}

impl GroupWriter {
    /// Starts the writer over `pool`, a pool of one connection.
    pub(super) fn spawn(pool: AnyPool) -> Self {
        let (ack, ack_rx) = mpsc::unbounded_channel();
        let (work, work_rx) = mpsc::unbounded_channel();
        tokio::spawn(run(
            pool,
            Lanes {
                ack: ack_rx,
                work: work_rx,
            },
        ));
        Self { ack, work }
    }

    /// Waits in `lane` for the connection. A [`Shape::Bare`] transaction
    /// must run exactly one statement and then commit.
    pub(super) async fn begin(&self, lane: Lane, shape: Shape) -> Result<Lent, sqlx::Error> {
        let (reply, lent) = oneshot::channel();
        let queue = match lane {
            Lane::Ack => &self.ack,
            Lane::Work => &self.work,
        };
        queue
            .send(Request { reply, shape })
            .map_err(|_| sqlx::Error::PoolClosed)?;
        match tokio::time::timeout(BEGIN_TIMEOUT, lent).await {
            Ok(Ok(lent)) => Ok(lent),
            Ok(Err(_)) => Err(sqlx::Error::Protocol(
                "the database could not start a write transaction".into(),
            )),
            Err(_) => Err(sqlx::Error::PoolTimedOut),
        }
    }
}

impl Lent {
    /// The connection, for statements.
    pub(super) fn conn(&mut self) -> &mut AnyConnection {
        self.conn
            .as_mut()
            .expect("a lent connection is held until returned")
    }

    pub(super) fn conn_ref(&self) -> &AnyConnection {
        self.conn
            .as_ref()
            .expect("a lent connection is held until returned")
    }

    /// Keeps the writes; returns once they are durable with their group.
    pub(super) async fn commit(mut self) -> Result<(), sqlx::Error> {
        let verdict = self.verdict.take();
        self.give_back(true);
        match verdict {
            Some(verdict) => match verdict.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(error)) => Err(sqlx::Error::Protocol(error)),
                Err(_) => Err(sqlx::Error::Protocol(
                    "the database writer stopped before committing".into(),
                )),
            },
            None => Ok(()),
        }
    }

    fn give_back(&mut self, commit: bool) {
        if let (Some(conn), Some(back)) = (self.conn.take(), self.back.take()) {
            // The writer waits for this; if it is gone, so is the connection.
            let _ = back.send(Returned { conn, commit });
        }
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        self.give_back(false);
    }
}

/// How one member's turn ended.
enum Turn {
    Committed(oneshot::Sender<Verdict>),
    RolledBack,
}

struct Lanes {
    ack: mpsc::UnboundedReceiver<Request>,
    work: mpsc::UnboundedReceiver<Request>,
}

impl Lanes {
    /// The next waiting transaction, acknowledgements first.
    async fn next(&mut self) -> Option<Request> {
        tokio::select! {
            biased;
            Some(request) = self.ack.recv() => Some(request),
            Some(request) = self.work.recv() => Some(request),
            else => None,
        }
    }

    /// A transaction already waiting, if any, acknowledgements first.
    fn waiting(&mut self) -> Option<Request> {
        self.ack.try_recv().or_else(|_| self.work.try_recv()).ok()
    }
}

async fn run(pool: AnyPool, mut lanes: Lanes) {
    while let Some(first) = lanes.next().await {
        let mut conn = match pool.acquire().await {
            Ok(conn) => conn,
            Err(error) => {
                tracing::error!(%error, "the database write connection is unavailable");
                drop(first);
                continue;
            }
        };
        if let Err(error) = conn.execute("BEGIN IMMEDIATE").await {
            tracing::error!(%error, "starting a write transaction failed");
            drop(first);
            continue;
        }
        let started = Instant::now();
        let mut committed = Vec::new();
        let mut broken = None;
        let mut next = Some(first);
        let mut members = 0;
        while let Some(member) = next.take() {
            let Some((back, turn)) = serve(conn, member).await else {
                // Only a leaked transaction keeps the connection, and with
                // it the write lock: nothing can be written any more.
                tracing::error!("a write transaction kept the database connection; writes stop");
                return;
            };
            conn = back;
            match turn {
                Ok(Turn::Committed(verdict)) => committed.push(verdict),
                Ok(Turn::RolledBack) => {}
                Err(error) => {
                    broken = Some(error);
                    break;
                }
            }
            members += 1;
            if members < MAX_MEMBERS && started.elapsed() < MAX_GROUP_TIME {
                next = lanes.waiting();
            }
        }
        let verdict = match broken {
            None => conn
                .execute("COMMIT")
                .await
                .map(|_| ())
                .map_err(|e| format!("group commit failed: {e}")),
            Some(error) => {
                let _ = conn.execute("ROLLBACK").await;
                Err(error)
            }
        };
        if let Err(error) = &verdict {
            tracing::warn!(%error, members, "a group of write transactions was rolled back");
            // A failed COMMIT may leave the transaction open.
            let _ = conn.execute("ROLLBACK").await;
        }
        metrics::histogram!("zlack_sqlite_group_members").record(members as f64);
        for member in committed {
            let _ = member.send(verdict.clone());
        }
    }
}

/// Lends the connection to one member inside a savepoint and takes it back
/// (`None` if it never comes back). An error means the group can no longer
/// commit.
async fn serve(
    mut conn: PoolConnection<Any>,
    member: Request,
) -> Option<(PoolConnection<Any>, Result<Turn, String>)> {
    let savepoint = member.shape == Shape::Savepoint;
    if savepoint && let Err(error) = conn.execute("SAVEPOINT member").await {
        return Some((conn, Err(format!("opening a savepoint failed: {error}"))));
    }
    let (back, returned) = oneshot::channel();
    let (verdict, verdict_rx) = oneshot::channel();
    // A member that stopped waiting drops what it is sent, which hands the
    // connection straight back.
    let _ = member.reply.send(Lent {
        conn: Some(conn),
        back: Some(back),
        verdict: Some(verdict_rx),
    });
    let Returned { mut conn, commit } = returned.await.ok()?;
    if !savepoint {
        // Its one statement either applied or undid itself. Given back
        // without commit (its caller gave up), a statement that applied
        // stays with the group, as if the commit's answer had been lost.
        return Some((conn, Ok(Turn::Committed(verdict))));
    }
    let undone = if commit {
        Ok(())
    } else {
        conn.execute("ROLLBACK TO SAVEPOINT member")
            .await
            .map(|_| ())
    };
    let released = match undone {
        Ok(()) => conn.execute("RELEASE SAVEPOINT member").await.map(|_| ()),
        Err(error) => Err(error),
    };
    Some(match released {
        Ok(()) if commit => (conn, Ok(Turn::Committed(verdict))),
        Ok(()) => (conn, Ok(Turn::RolledBack)),
        // SQLite ends the whole transaction on some errors (a full disk, an
        // I/O error): then the savepoint is gone with it.
        Err(error) => (conn, Err(format!("closing a savepoint failed: {error}"))),
    })
}
