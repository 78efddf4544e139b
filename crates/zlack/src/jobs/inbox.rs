//! Processing a stored inbound request: decide what it means, then mark it
//! processed and queue its effects in one transaction.

use serde_json::Value;

use super::{JobContext, Outcome};
use crate::store::{NewJob, Store};

pub async fn process(ctx: &JobContext, payload: &Value) -> Outcome {
    let Some(id) = payload.get("inbox_id").and_then(Value::as_i64) else {
        return Outcome::Fail("inbox job without inbox_id".into());
    };
    let item = match ctx.store.inbox_item(id).await {
        Ok(Some(item)) => item,
        Ok(None) => return Outcome::Fail(format!("inbox row {id} is gone")),
        Err(error) => return Outcome::Retry(error.to_string()),
    };
    if item.processed_at.is_some() {
        return Outcome::Done;
    }
    // Features register their handling of each source and kind here; until
    // one does, an event is recorded as processed with no effects.
    let effects: Vec<NewJob> = Vec::new();
    tracing::debug!(inbox = id, source = %item.source, kind = %item.kind, "inbox item processed");
    let now = ctx.clock.now_ms();
    let result = async {
        let mut tx = ctx.store.begin().await?;
        ctx.store.enqueue(&mut tx, &effects, now).await?;
        Store::mark_processed(&mut tx, id, now).await?;
        tx.commit().await.map_err(crate::store::StoreError::from)
    }
    .await;
    match result {
        Ok(()) => Outcome::Done,
        Err(error) => Outcome::Retry(error.to_string()),
    }
}
