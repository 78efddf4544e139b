//! Rows a busy install has accumulated, bulk-inserted before a run: the
//! tables that grow (inbox, jobs, meetings, occurrences, notices), every
//! row finished (processed, done, ended, delivered) and every sealed
//! column sealed as zlack seals it, with the same contexts.
//!
//! The mix follows one announced meeting's life: per meeting, 8 inbox rows
//! (its `/zoom` and 7 webhooks: started, 2 joined, 2 left, ended,
//! recording completed), 12 jobs (8 `inbox.process`, 2 `meeting.call`,
//! 2 `meeting.notice`), 1 occurrence and 2 notices: 24 rows. Meetings
//! spread over the last 60 days (retention keeps 90); inbox rows and jobs
//! over the last 6.5 days, since zlack prunes finished ones after 7.

mod tables;

use std::time::Instant;

use sqlx::Row as _;
use tables::{
    INBOX_COLUMNS, JOB_COLUMNS, MEETING_COLUMNS, NOTICE_COLUMNS, OCCURRENCE_COLUMNS, inbox_row,
    job_row, meeting, notices, occurrence,
};
use zlack::vault::Vault;

use crate::rows;
use crate::seed;

/// Meetings per transaction.
const UNITS_PER_TX: usize = 1000;

/// Where each table's new ids start.
struct Ids {
    inbox: i64,
    jobs: i64,
    meetings: i64,
    occurrences: i64,
}

async fn next_id(pool: &sqlx::AnyPool, table: &str) -> anyhow::Result<i64> {
    let row = sqlx::query(&format!(
        "SELECT COALESCE(MAX(id), 0) + 1 AS n FROM {table}"
    ))
    .fetch_one(pool)
    .await?;
    Ok(row.try_get::<i64, _>("n")?)
}

/// Migrates the database at `url` and adds about `total` finished rows.
pub async fn preload(url: &str, total: usize) -> anyhow::Result<()> {
    seed::seed(url).await?; // migrates; the workspace rows are small
    let pool = rows::connect(url).await?;
    let ids = Ids {
        inbox: next_id(&pool, "inbox").await?,
        jobs: next_id(&pool, "jobs").await?,
        meetings: next_id(&pool, "meetings").await?,
        occurrences: next_id(&pool, "occurrences").await?,
    };
    let units = total.div_ceil(24);
    let vault = Vault::new(&seed::encryption_key());
    let now = seed::now_ms();
    let started = Instant::now();
    let mut done = 0;
    while done < units {
        let n = UNITS_PER_TX.min(units - done);
        let mut tx = pool.begin().await?;
        let range = done..done + n;
        let meetings = range.clone().map(|u| meeting(&vault, &ids, u, units, now));
        rows::insert(&mut tx, "meetings", &MEETING_COLUMNS, meetings).await?;
        let occurrences = range
            .clone()
            .map(|u| occurrence(&vault, &ids, u, units, now));
        rows::insert(&mut tx, "occurrences", &OCCURRENCE_COLUMNS, occurrences).await?;
        let notices = range.clone().flat_map(|u| notices(&ids, u, units, now));
        rows::insert(&mut tx, "notices", &NOTICE_COLUMNS, notices).await?;
        let inbox = range.clone().flat_map(|u| (0..8).map(move |i| (u, i)));
        let inbox = inbox.map(|(u, i)| inbox_row(&vault, &ids, u * 8 + i, units * 8, now));
        rows::insert(&mut tx, "inbox", &INBOX_COLUMNS, inbox).await?;
        let jobs = range.flat_map(|u| (0..12).map(move |j| (u, j)));
        let jobs = jobs.map(|(u, j)| job_row(&vault, &ids, u, j, units, now));
        rows::insert(&mut tx, "jobs", &JOB_COLUMNS, jobs).await?;
        tx.commit().await?;
        done += n;
        if done % 10_000 < n {
            eprintln!(
                "[e2e] preload: {} of {} rows, {:.0} s",
                done * 24,
                units * 24,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if url.starts_with("postgres") {
        // Explicit ids leave the identity sequences behind; and give the
        // planner the statistics autovacuum would have gathered by now.
        for table in ["inbox", "jobs", "meetings", "occurrences"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&pool)
            .await?;
        }
        sqlx::query("ANALYZE").execute(&pool).await?;
    }
    pool.close().await;
    eprintln!(
        "[e2e] preload: {} rows in {:.1} s",
        units * 24,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
