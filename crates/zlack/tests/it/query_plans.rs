//! The statements on the hot path find their rows by index on both
//! databases, so a year of history (a million inbox rows and jobs) costs
//! them nothing: claiming, renewing and settling jobs, storing and reading
//! inbox rows, and the meeting lookups every webhook makes.
//!
//! The statements are written out as the store runs them (the claim with
//! PostgreSQL's row locks); change both together.

use sqlx::Connection as _;

use crate::helpers::db::{Backend, TestDb, backend};

/// (what, statement, number of parameters)
const HOT: &[(&str, &str, usize)] = &[
    (
        "claim: leases that ran out",
        "UPDATE jobs SET locked_until = $1, locked_by = $2, owner = $3, attempts = attempts + 1, updated_at = $4 \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND locked_by IS NOT NULL \
         AND locked_until <= $4 ORDER BY locked_until LIMIT $5 {lock}) \
         RETURNING id, kind, idempotency_key, payload, attempts, max_attempts, tenant",
        5,
    ),
    (
        "claim: due jobs of tenants without their share",
        "UPDATE jobs SET locked_until = $1, locked_by = $2, owner = $3, attempts = attempts + 1, updated_at = $4 \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND locked_by IS NULL AND run_at <= $4 \
         AND tenant NOT IN ($6, $7) ORDER BY run_at, id LIMIT $5 {lock}) \
         RETURNING id, kind, idempotency_key, payload, attempts, max_attempts, tenant",
        7,
    ),
    (
        "heartbeat",
        "UPDATE jobs SET locked_until = $1 WHERE owner = $2 AND locked_until > $3 \
         AND status = 'queued' AND id IN ($4, $5) RETURNING id",
        5,
    ),
    (
        "settle",
        "UPDATE jobs SET status = $1, run_at = COALESCE($2, run_at), last_error = COALESCE($3, last_error), \
         attempts = attempts - $4, locked_until = NULL, locked_by = NULL, owner = NULL, updated_at = $5 \
         WHERE id = $6 AND locked_by = $7",
        7,
    ),
    (
        "queue a job (dedupe by idempotency key)",
        "INSERT INTO jobs (kind, idempotency_key, payload, max_attempts, run_at, created_at, updated_at, \
         tenant, attempts, locked_until, locked_by, owner) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key",
        12,
    ),
    (
        "store a request (dedupe by key)",
        "INSERT INTO inbox (source, dedupe_key, kind, body, received_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key",
        5,
    ),
    (
        "read a request",
        "SELECT id, source, dedupe_key, kind, body, received_at, processed_at FROM inbox WHERE id = $1",
        1,
    ),
    (
        "mark a request processed",
        "UPDATE inbox SET processed_at = $1 WHERE id = $2 AND processed_at IS NULL",
        2,
    ),
    (
        "metrics: waiting jobs",
        "SELECT COUNT(*) FROM jobs WHERE status = 'queued'",
        0,
    ),
    (
        "metrics: dead jobs",
        "SELECT COUNT(*) FROM jobs WHERE status = 'dead'",
        0,
    ),
    (
        "a user's Zoom link by email",
        "SELECT slack_user_id FROM zoom_links WHERE team_id = $1 AND zoom_email_hash = $2 \
         ORDER BY linked_at LIMIT 1",
        2,
    ),
    (
        "inbox backlog",
        "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL",
        0,
    ),
    (
        "prune jobs",
        "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE status = 'done' AND updated_at < $1 LIMIT $2)",
        2,
    ),
    (
        "prune requests",
        "DELETE FROM inbox WHERE id IN (SELECT id FROM inbox WHERE processed_at IS NOT NULL \
         AND processed_at < $1 LIMIT $2)",
        2,
    ),
    (
        "a command's meeting",
        "SELECT join_url FROM meetings WHERE request_key = $1",
        1,
    ),
    (
        "bind an occurrence to its announcements",
        "INSERT INTO occurrences (meeting_id, zoom_uuid, team_id, channel_id, zoom_host_id, created_at, updated_at) \
         SELECT m.id, $1, m.team_id, m.channel_id, $2, $3, $3 FROM meetings m \
         WHERE m.id IN (SELECT MAX(n.id) FROM meetings n WHERE n.zoom_meeting_id = $4 \
             AND n.topic IS NOT NULL AND n.join_url IS NOT NULL GROUP BY n.team_id, n.channel_id) \
         AND m.created_at >= $5 \
         AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.meeting_id = m.id \
             AND o.ended_at IS NOT NULL AND o.ended_at < $6) \
         AND NOT EXISTS (SELECT 1 FROM occurrences x WHERE x.zoom_uuid = $1 \
             AND x.ended_at IS NOT NULL AND x.ended_at < m.created_at) \
         ON CONFLICT (zoom_uuid, team_id, channel_id) DO NOTHING",
        6,
    ),
    (
        "an occurrence's rows",
        "SELECT id, team_id, state FROM occurrences WHERE zoom_uuid = $1 ORDER BY id",
        1,
    ),
    (
        "a notice sent",
        "SELECT delivery, channel_id, message_ts FROM notices WHERE occurrence_id = $1 AND kind = $2",
        2,
    ),
    (
        "latest card in a conversation",
        "SELECT id FROM meetings WHERE team_id = $1 AND channel_id = $2 ORDER BY id DESC LIMIT 1",
        2,
    ),
    (
        "retention: old meetings",
        "SELECT m.id FROM meetings m WHERE m.updated_at < $1 \
         AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.meeting_id = m.id AND o.updated_at >= $1) LIMIT $2",
        2,
    ),
    (
        "a Zoom user's links",
        "SELECT team_id, slack_user_id FROM zoom_links WHERE zoom_user_id = $1 AND status = 'ok' \
         ORDER BY team_id, slack_user_id",
        1,
    ),
    (
        "a user's link",
        "SELECT zoom_user_id FROM zoom_links WHERE team_id = $1 AND slack_user_id = $2",
        2,
    ),
    (
        "renew a named lease",
        "UPDATE leases SET until = $1 WHERE name = $2 AND holder = $3 AND until > $4",
        4,
    ),
];

/// Every table a plan reads in full, on this backend.
async fn full_scans(db: &TestDb, what: &str, sql: &str, params: usize) -> Vec<String> {
    match backend() {
        Backend::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
            let sql = sql.replace(" {lock}", "");
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
            rows.into_iter()
                .map(|(_, _, _, detail)| detail)
                // "SCAN t" reads the table; "SCAN t USING [COVERING] INDEX"
                // reads an index in order, which a LIMIT stops early.
                .filter(|d| d.starts_with("SCAN ") && !d.contains("USING"))
                .collect()
        }
        Backend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
            let sql = sql.replace("{lock}", "FOR UPDATE SKIP LOCKED");
            // The plan for any parameter values, choosing an index whenever
            // one fits, however small the table is today.
            for setting in [
                "SET plan_cache_mode = force_generic_plan",
                "SET enable_seqscan = off",
            ] {
                sqlx::query(setting).execute(&mut conn).await.unwrap();
            }
            sqlx::query(&format!("PREPARE hot AS {sql}"))
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            let args = vec!["NULL"; params].join(", ");
            let execute = if params == 0 {
                "EXPLAIN EXECUTE hot".to_owned()
            } else {
                format!("EXPLAIN EXECUTE hot({args})")
            };
            let lines: Vec<String> = sqlx::query_scalar(&execute)
                .fetch_all(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            lines
                .into_iter()
                .filter(|l| l.contains("Seq Scan"))
                .map(|l| l.trim().to_owned())
                .collect()
        }
    }
}

#[tokio::test]
async fn hot_statements_read_no_table_in_full() {
    let db = TestDb::new().await;
    db.store().await;
    let mut found = Vec::new();
    for (what, sql, params) in HOT {
        for scan in full_scans(&db, what, sql, *params).await {
            found.push(format!("{what}: {scan}"));
        }
    }
    assert!(found.is_empty(), "full scans:\n{}", found.join("\n"));
}
