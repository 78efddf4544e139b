//! Bulk inserts on either database through sqlx's `Any` driver: many rows
//! per statement, the same `$n` SQL on SQLite and PostgreSQL.

use std::str::FromStr as _;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions as _};

/// One column value, typed even when NULL (PostgreSQL wants the type).
#[derive(Debug, Clone)]
pub enum Val {
    I(i64),
    T(String),
    B(Vec<u8>),
    NullT,
}

/// Bound parameters per statement. sqlx looks each SQLite parameter up by
/// name (`sqlite3_bind_parameter_name`, linear in the count), so a
/// statement's binding cost grows with the square of its parameters: a few
/// hundred per statement is the sweet spot.
const MAX_PARAMS: usize = 256;

/// A small pool on `url` (`sqlite://…` or `postgres://…`).
pub async fn connect(url: &str) -> anyhow::Result<AnyPool> {
    sqlx::any::install_default_drivers();
    let raw = if url.starts_with("sqlite:") {
        format!("{url}?mode=rwc")
    } else {
        url.to_owned()
    };
    let options = AnyConnectOptions::from_str(&raw)?.disable_statement_logging();
    Ok(AnyPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await?)
}

/// Inserts `rows` (each as many values as `columns`) into `table`.
pub async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<Val>>,
) -> anyhow::Result<u64> {
    let per_statement = (MAX_PARAMS / columns.len()).max(1);
    let mut batch = Vec::with_capacity(per_statement);
    let mut inserted = 0;
    for row in rows {
        anyhow::ensure!(
            row.len() == columns.len(),
            "{table}: row of the wrong width"
        );
        batch.push(row);
        if batch.len() == per_statement {
            inserted += flush(tx, table, columns, &mut batch).await?;
        }
    }
    if !batch.is_empty() {
        inserted += flush(tx, table, columns, &mut batch).await?;
    }
    Ok(inserted)
}

async fn flush(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
    columns: &[&str],
    batch: &mut Vec<Vec<Val>>,
) -> anyhow::Result<u64> {
    use std::fmt::Write as _;
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for (r, _) in batch.iter().enumerate() {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns.len() {
            n += 1;
            let _ = write!(sql, "{}${n}", if c == 0 { "" } else { ", " });
        }
        sql.push(')');
    }
    let mut query = sqlx::query(&sql);
    for row in batch.drain(..) {
        for value in row {
            query = match value {
                Val::I(v) => query.bind(v),
                Val::T(v) => query.bind(v),
                Val::B(v) => query.bind(v),
                Val::NullT => query.bind(None::<String>),
            };
        }
    }
    Ok(query.execute(&mut **tx).await?.rows_affected())
}
