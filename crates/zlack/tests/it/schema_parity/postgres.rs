//! The schema as PostgreSQL's catalog tells it, for the test's own
//! database schema (namespace).

use sqlx::Connection as _;

use super::{Column, ForeignKey, Index, Schema, normalise_condition, on_delete};
use crate::helpers::db::TestDb;

fn common_type(data_type: &str) -> String {
    match data_type {
        // SQLite's INTEGER holds any 64-bit value, like BIGINT: a column
        // narrower on PostgreSQL than on SQLite is a difference.
        "bigint" => "int",
        "integer" => "int32",
        "smallint" => "int16",
        "text" | "character varying" | "character" => "text",
        "bytea" => "bytes",
        "real" | "double precision" => "float",
        "boolean" => "boolean",
        other => return format!("postgres:{other}"),
    }
    .into()
}

/// A row of `pg_index`, with its table's and its own name.
#[derive(sqlx::FromRow)]
struct PgIndex {
    table_name: String,
    name: String,
    is_unique: bool,
    is_primary: bool,
    /// Behind a `UNIQUE` constraint.
    is_constraint: bool,
    columns: Vec<String>,
    condition: Option<String>,
}

/// A foreign key from `pg_constraint`, by names.
#[derive(sqlx::FromRow)]
struct PgForeignKey {
    table_name: String,
    target: String,
    columns: Vec<String>,
    target_columns: Vec<String>,
    on_delete: String,
}

pub(super) async fn schema(db: &TestDb) -> Schema {
    let namespace = db.schema.as_deref().expect("postgres schema");
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = $1 \
         AND table_name <> '_sqlx_migrations'",
    )
    .bind(namespace)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for (table, column, data_type, nullable) in columns {
        schema.entry(table).or_default().columns.insert(
            column,
            Column {
                ty: common_type(&data_type),
                not_null: nullable == "NO",
            },
        );
    }

    let indexes: Vec<PgIndex> = sqlx::query_as(
        "SELECT t.relname::text AS table_name, i.relname::text AS name, \
         ix.indisunique AS is_unique, ix.indisprimary AS is_primary, \
         EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid \
                 AND c.contype = 'u') AS is_constraint, \
         ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, false) \
               FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k) AS columns, \
         pg_get_expr(ix.indpred, ix.indrelid) AS condition \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = $1 AND t.relname <> '_sqlx_migrations'",
    )
    .bind(namespace)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for index in indexes {
        let table = schema.entry(index.table_name).or_default();
        if index.is_primary {
            table.primary_key = index.columns;
            continue;
        }
        table.indexes.insert(Index {
            name: (!index.is_constraint).then_some(index.name),
            columns: index.columns,
            unique: index.is_unique,
            condition: index.condition.as_deref().map(normalise_condition),
        });
    }

    let keys: Vec<PgForeignKey> = sqlx::query_as(
        "SELECT t.relname::text AS table_name, f.relname::text AS target, \
         ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i) \
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) \
           AS columns, \
         ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i) \
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) \
           AS target_columns, \
         c.confdeltype::text AS on_delete \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class f ON f.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'f' AND n.nspname = $1",
    )
    .bind(namespace)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for key in keys {
        schema
            .entry(key.table_name)
            .or_default()
            .foreign_keys
            .insert(ForeignKey {
                columns: key.columns,
                table: key.target,
                references: key.target_columns,
                on_delete: on_delete(&key.on_delete),
            });
    }
    schema
}
