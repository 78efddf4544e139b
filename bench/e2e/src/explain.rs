//! The query plans of zlack's hot statements on a (preloaded) database:
//! `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL. Nothing is
//! executed. The statements are copied from `crates/zlack/src/store/*.rs`;
//! when those change, change them here.

use sqlx::Row as _;

use crate::rows::Val;

/// A statement as zlack runs it, with sample parameters.
struct Hot {
    name: &'static str,
    sql: String,
    params: Vec<Val>,
}

fn i(v: i64) -> Val {
    Val::I(v)
}

fn t(v: &str) -> Val {
    Val::T(v.to_owned())
}

/// Old meetings, as the retention purge selects them.
const OLD_MEETINGS: &str = "SELECT m.id FROM meetings m WHERE m.updated_at < $1 \
     AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.meeting_id = m.id AND o.updated_at >= $1) \
     ORDER BY m.id LIMIT $2";

fn statements(postgres: bool) -> Vec<Hot> {
    let now = crate::seed::now_ms();
    let lock = if postgres {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let row_lock = if postgres { " FOR UPDATE" } else { "" };
    let meeting_select = "SELECT id, request_key, team_id, enterprise_id, channel_id, conversation_kind, \
        host_slack_user_id, origin, zoom_meeting_id, zoom_uuid, topic, join_url, join_url_sealed, call_id, call_ended_by, \
        message_ts, posted_via, response_url, response_url_expires_at FROM meetings";
    let key = "slack:command:398738663015.47445629121.0123456789abcdef0123456789abcdef";
    vec![
        Hot {
            name: "job claim: leases that ran out (claims.rs claim)",
            sql: format!(
                "UPDATE jobs SET locked_until = $1, locked_by = $2, owner = $3, attempts = attempts + 1, updated_at = $4 \
                 WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND locked_by IS NOT NULL \
                 AND locked_until <= $4 ORDER BY locked_until LIMIT $5 {lock}) \
                 RETURNING id, kind, idempotency_key, payload, attempts, max_attempts, tenant"
            ),
            params: vec![i(now + 15_000), t("w:1"), t("w"), i(now), i(16)],
        },
        Hot {
            name: "job claim: due jobs (claims.rs claim)",
            sql: format!(
                "UPDATE jobs SET locked_until = $1, locked_by = $2, owner = $3, attempts = attempts + 1, updated_at = $4 \
                 WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND locked_by IS NULL \
                 AND run_at <= $4 ORDER BY run_at, id LIMIT $5 {lock}) \
                 RETURNING id, kind, idempotency_key, payload, attempts, max_attempts, tenant"
            ),
            params: vec![i(now + 15_000), t("w:1"), t("w"), i(now), i(16)],
        },
        Hot {
            name: "job settle (claims.rs settle_job)",
            sql: "UPDATE jobs SET status = $1, run_at = COALESCE($2, run_at), last_error = COALESCE($3, last_error), \
                  attempts = attempts - $4, locked_until = NULL, locked_by = NULL, owner = NULL, updated_at = $5 \
                  WHERE id = $6 AND locked_by = $7".into(),
            params: vec![t("done"), i(now), t("x"), i(0), i(now), i(42), t("w:1")],
        },
        Hot {
            name: "job enqueue, dedupe by key (jobs.rs insert_jobs)",
            sql: "INSERT INTO jobs (kind, idempotency_key, payload, max_attempts, run_at, created_at, updated_at, \
                  tenant, attempts, locked_until, locked_by, owner) \
                  VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 0, NULL, NULL, NULL) ON CONFLICT (idempotency_key) DO NOTHING".into(),
            params: vec![t("meeting.call"), t("meeting.call:1:2"), Val::B(vec![0; 64]), i(12), i(now), i(now), t("slack:T1")],
        },
        Hot {
            name: "inbox dedupe insert (inbox.rs ingest_batch)",
            sql: "INSERT INTO inbox (source, dedupe_key, kind, body, received_at) VALUES ($1, $2, $3, $4, $5) \
                  ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key".into(),
            params: vec![t("slack.command"), t(key), t("/zoom"), Val::B(vec![0; 64]), i(now)],
        },
        Hot {
            name: "inbox row by id (inbox.rs inbox_item)",
            sql: "SELECT id, source, dedupe_key, kind, body, received_at, processed_at FROM inbox WHERE id = $1".into(),
            params: vec![i(42)],
        },
        Hot {
            name: "inbox claim (occurrences.rs claim_inbox)",
            sql: "UPDATE inbox SET processed_at = $1 WHERE id = $2 AND processed_at IS NULL".into(),
            params: vec![i(now), i(42)],
        },
        Hot {
            name: "meeting row for a request: insert (meetings.rs meeting_for_request)",
            sql: "INSERT INTO meetings (request_key, team_id, channel_id, host_slack_user_id, origin, response_url, \
                  response_url_expires_at, created_at, updated_at, enterprise_id, conversation_kind) \
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) ON CONFLICT (request_key) DO NOTHING".into(),
            params: vec![t(key), t("T0BENCH"), t("C1"), t("U1"), t("start"), Val::B(vec![0; 64]), i(now), i(now), Val::NullT, t("public_channel")],
        },
        Hot {
            name: "meeting row for a request: select (meetings.rs meeting_for_request)",
            sql: format!("{meeting_select} WHERE request_key = $1"),
            params: vec![t(key)],
        },
        Hot {
            name: "meeting by id (meetings.rs meeting_by_id)",
            sql: format!("{meeting_select} WHERE id = $1"),
            params: vec![i(42)],
        },
        Hot {
            name: "newest meeting in a conversation (meetings.rs latest_meeting_in)",
            sql: format!("{meeting_select} WHERE team_id = $1 AND channel_id = $2 ORDER BY id DESC LIMIT 1"),
            params: vec![t("T0BENCH"), t("C0P0000001")],
        },
        Hot {
            name: "bind occurrences (occurrences.rs bind_occurrences)",
            sql: "INSERT INTO occurrences (meeting_id, zoom_uuid, team_id, channel_id, zoom_host_id, created_at, updated_at) \
                  SELECT m.id, $1, m.team_id, m.channel_id, $2, $3, $3 FROM meetings m \
                  WHERE m.id IN (SELECT MAX(n.id) FROM meetings n WHERE n.zoom_meeting_id = $4 \
                  AND n.topic IS NOT NULL AND (n.join_url_sealed IS NOT NULL OR n.join_url IS NOT NULL) \
                  GROUP BY n.team_id, n.channel_id) \
                  AND m.created_at >= $5 \
                  AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.meeting_id = m.id \
                  AND o.ended_at IS NOT NULL AND o.ended_at < $6) \
                  AND NOT EXISTS (SELECT 1 FROM occurrences x WHERE x.zoom_uuid = $1 \
                  AND x.ended_at IS NOT NULL AND x.ended_at < m.created_at) \
                  ON CONFLICT (zoom_uuid, team_id, channel_id) DO NOTHING".into(),
            params: vec![t("abc=="), t("zu1"), i(now), i(70_000_000_042), i(now - 30 * 86_400_000), i(now - 900_000)],
        },
        Hot {
            name: "occurrences of a Zoom uuid (occurrences.rs bind_occurrences)",
            sql: format!("SELECT id, team_id, state FROM occurrences WHERE zoom_uuid = $1 ORDER BY id{row_lock}"),
            params: vec![t("abc==")],
        },
        Hot {
            name: "occurrence by id (occurrences.rs occurrence)",
            sql: "SELECT id, meeting_id, zoom_uuid, zoom_host_id, state, call_shown FROM occurrences WHERE id = $1".into(),
            params: vec![i(42)],
        },
        Hot {
            name: "notice of an occurrence (occurrences.rs notice)",
            sql: "SELECT delivery, channel_id, message_ts FROM notices WHERE occurrence_id = $1 AND kind = $2".into(),
            params: vec![i(42), t("recording")],
        },
        Hot {
            name: "occurrence by recording link (unfurls.rs)",
            sql: "SELECT id FROM occurrences WHERE recording_key = $1 AND team_id = $2 ORDER BY id DESC LIMIT 1".into(),
            params: vec![t("0123"), t("T0BENCH")],
        },
        Hot {
            name: "inbox backlog, every /metrics scrape (inbox.rs inbox_backlog)",
            sql: "SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL".into(),
            params: vec![],
        },
        Hot {
            name: "job counts, every /metrics scrape (jobs.rs job_counts)",
            sql: "SELECT status, COUNT(*) AS n FROM jobs GROUP BY status".into(),
            params: vec![],
        },
        Hot {
            name: "prune done jobs, hourly (inbox.rs prune_finished)",
            sql: "DELETE FROM jobs WHERE status = 'done' AND updated_at < $1".into(),
            params: vec![i(now - 7 * 86_400_000)],
        },
        Hot {
            name: "prune processed inbox rows, hourly (inbox.rs prune_finished)",
            sql: "DELETE FROM inbox WHERE processed_at IS NOT NULL AND processed_at < $1".into(),
            params: vec![i(now - 7 * 86_400_000)],
        },
        Hot {
            name: "retention: old meetings, daily (retention.rs purge_expired)",
            sql: format!("DELETE FROM meetings WHERE id IN ({OLD_MEETINGS})"),
            params: vec![i(now - 90 * 86_400_000), i(1000)],
        },
    ]
}

/// Whether a plan line reads a whole table.
fn full_scan(line: &str, postgres: bool) -> bool {
    if postgres {
        line.contains("Seq Scan on")
    } else {
        let detail = line.trim_start_matches([' ', '|', '-', '`']);
        detail.starts_with("SCAN ") && !detail.contains(" USING ")
    }
}

/// Prints each hot statement's plan; returns the names of those with a
/// full table scan.
pub async fn explain(url: &str) -> anyhow::Result<Vec<String>> {
    let postgres = url.starts_with("postgres");
    let pool = crate::rows::connect(url).await?;
    let mut scans = Vec::new();
    for hot in statements(postgres) {
        let prefix = if postgres {
            "EXPLAIN "
        } else {
            "EXPLAIN QUERY PLAN "
        };
        let sql = format!("{prefix}{}", hot.sql);
        let mut query = sqlx::query(&sql);
        for p in hot.params {
            query = match p {
                Val::I(v) => query.bind(v),
                Val::T(v) => query.bind(v),
                Val::B(v) => query.bind(v),
                Val::NullT => query.bind(None::<String>),
            };
        }
        let rows = query.fetch_all(&pool).await?;
        let lines: Vec<String> = rows
            .iter()
            .map(|row| {
                if postgres {
                    row.try_get::<String, _>(0).unwrap_or_default()
                } else {
                    row.try_get::<String, _>(3).unwrap_or_default()
                }
            })
            .collect();
        let scan = lines.iter().any(|l| full_scan(l, postgres));
        println!("## {}{}", hot.name, if scan { "  [FULL SCAN]" } else { "" });
        for line in &lines {
            println!("    {line}");
        }
        if lines.is_empty() {
            // SQLite plans no table access for INSERT … VALUES: the
            // conflict is checked through the unique index.
            println!("    (no table read; conflicts found through the unique index)");
        }
        println!();
        if scan {
            scans.push(hot.name.to_owned());
        }
    }
    pool.close().await;
    Ok(scans)
}
