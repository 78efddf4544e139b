//! The inbox: every verified request from Slack or Zoom, stored (sealed)
//! with a dedupe key before it is acknowledged, together with the job that
//! will process it.

use std::collections::HashMap;

use super::jobs::{NewJob, chunks, insert_jobs, push_tuples};
use super::{Store, StoreError};
use crate::clock::Millis;
use zlack_domain::ids::InboxId;

/// A verified request, ready to be stored.
#[derive(Clone)]
pub struct InboundEvent {
    /// `slack.event`, `slack.command`, `slack.interaction` or `zoom.webhook`.
    pub source: &'static str,
    /// Equal for redeliveries of the same event, different otherwise.
    pub dedupe_key: String,
    /// The event type or command, for routing and metrics.
    pub kind: String,
    /// The Slack workspace (`slack:T…`) or Zoom account (`zoom:…`) it
    /// comes from, for fair scheduling; empty when unknown.
    pub tenant: String,
    /// The raw request body.
    pub body: Vec<u8>,
}

impl InboundEvent {
    /// Whether a text field to be stored holds NUL, which PostgreSQL text
    /// cannot: such an event could never be stored. (The body is stored
    /// sealed, as bytes.)
    pub fn has_nul(&self) -> bool {
        [self.source, &self.dedupe_key, &self.kind, &self.tenant]
            .iter()
            .any(|text| text.contains('\0'))
    }
}

/// What storing an inbound event came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// New: stored with the job that will process it.
    Stored { inbox_id: InboxId },
    /// A redelivery of an event already stored; nothing was written.
    Duplicate,
}

/// A stored inbox row, opened.
#[derive(Clone, sqlx::FromRow)]
pub struct InboxItem {
    pub id: InboxId,
    /// As in [`InboundEvent`].
    pub source: String,
    /// As in [`InboundEvent`].
    pub dedupe_key: String,
    /// As in [`InboundEvent`].
    pub kind: String,
    /// The raw request body, opened.
    pub body: Vec<u8>,
    /// When the row was stored.
    pub received_at: Millis,
    /// When its effects were committed; `None` while pending.
    pub processed_at: Option<Millis>,
}

// Bodies carry `response_url`s and personal data: Debug shows sizes only.
impl std::fmt::Debug for InboundEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundEvent")
            .field("source", &self.source)
            .field("kind", &self.kind)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for InboxItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboxItem")
            .field("id", &self.id)
            .field("source", &self.source)
            .field("kind", &self.kind)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// The job kind that processes one inbox row.
pub const PROCESS_INBOX: &str = "inbox.process";

impl Store {
    /// Stores a batch in one transaction: each new event with its processing
    /// job, each redelivery as [`Ingested::Duplicate`]. Either the whole
    /// batch is committed or nothing is.
    pub async fn ingest_batch(
        &self,
        events: &[InboundEvent],
        now: Millis,
    ) -> Result<Vec<Ingested>, StoreError> {
        // One multi-row statement per table and chunk, not two per event:
        // the statements, not the rows, are what a batch pays for.
        let mut out = vec![Ingested::Duplicate; events.len()];
        let mut first_of_key: HashMap<&str, usize> = HashMap::new();
        let mut fresh = Vec::with_capacity(events.len());
        for (i, event) in events.iter().enumerate() {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                first_of_key.entry(event.dedupe_key.as_str())
            {
                slot.insert(i);
                fresh.push(i);
            }
        }
        let mut tx = self.begin_for_ack().await?;
        for chunk in chunks(&fresh) {
            let mut sql = String::from(
                "INSERT INTO inbox (source, dedupe_key, kind, body, received_at) VALUES ",
            );
            push_tuples(&mut sql, chunk.len(), 5);
            sql.push_str(" ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key");
            let mut query = sqlx::query_as::<_, (InboxId, String)>(&sql);
            for &i in chunk {
                let event = &events[i];
                let sealed = self
                    .vault
                    .seal(&event.body, &inbox_context(&event.dedupe_key));
                query = query
                    .bind(event.source)
                    .bind(event.dedupe_key.as_str())
                    .bind(event.kind.as_str())
                    .bind(sealed)
                    .bind(now);
            }
            let mut jobs = Vec::new();
            for (inbox_id, key) in query.fetch_all(&mut *tx).await? {
                if let Some(&i) = first_of_key.get(key.as_str()) {
                    out[i] = Ingested::Stored { inbox_id };
                }
                let tenant = first_of_key
                    .get(key.as_str())
                    .map(|&i| events[i].tenant.clone())
                    .unwrap_or_default();
                jobs.push(
                    NewJob::new(
                        PROCESS_INBOX,
                        format!("inbox:{inbox_id}"),
                        serde_json::json!({ "inbox_id": inbox_id }),
                        now,
                    )
                    .for_tenant(tenant),
                );
            }
            insert_jobs(&mut tx, &self.vault, &jobs, now).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The row with `id`, its body opened; `None` if it is gone.
    pub async fn inbox_item(&self, id: InboxId) -> Result<Option<InboxItem>, StoreError> {
        let item = sqlx::query_as::<_, InboxItem>(
            "SELECT id, source, dedupe_key, kind, body, received_at, processed_at \
             FROM inbox WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(mut item) = item else {
            return Ok(None);
        };
        // The row holds the body sealed; it leaves the store opened.
        item.body = self
            .vault
            .open(&item.body, &inbox_context(&item.dedupe_key))?;
        Ok(Some(item))
    }

    /// Marks a row processed inside the transaction that applied its effects.
    pub async fn mark_processed(
        tx: &mut super::Tx,
        id: InboxId,
        now: Millis,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE inbox SET processed_at = $1 WHERE id = $2 AND processed_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Rows stored but not yet processed.
    pub async fn inbox_backlog(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Every row, processed or not, for tests and metrics.
    pub async fn inbox_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM inbox")
            .fetch_one(&self.pool)
            .await?)
    }
}

/// Rows one pruning transaction deletes at most: a long delete would hold
/// SQLite's one writer, and every acknowledgement waits for it.
const PRUNE_BATCH: i64 = 1_000;

impl Store {
    /// Deletes what is finished and older than `before`: processed inbox
    /// rows (their sealed bodies are personal data), done jobs, and grants
    /// that can no longer be used. Returns how many rows went.
    pub async fn prune_finished(&self, before: Millis, now: Millis) -> Result<u64, StoreError> {
        let mut gone = 0;
        for sql in [
            "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE status = 'done' \
             AND updated_at < $1 LIMIT $2)",
            "DELETE FROM inbox WHERE id IN (SELECT id FROM inbox WHERE processed_at IS NOT NULL \
             AND processed_at < $1 LIMIT $2)",
        ] {
            loop {
                let deleted = self
                    .write(sqlx::query(sql).bind(before).bind(PRUNE_BATCH))
                    .await?
                    .rows_affected();
                gone += deleted;
                if deleted < PRUNE_BATCH as u64 {
                    break;
                }
                // Let waiting writers through between batches.
                tokio::task::yield_now().await;
            }
        }
        gone += self.prune_grants(now).await?;
        Ok(gone)
    }
}

fn inbox_context(dedupe_key: &str) -> String {
    format!("inbox:{dedupe_key}")
}
