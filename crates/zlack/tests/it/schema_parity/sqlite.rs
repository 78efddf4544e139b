//! The schema as SQLite's catalog tells it.

use std::collections::BTreeMap;

use sqlx::Connection as _;

use super::{Column, ForeignKey, Index, Schema, Table, normalise_condition, on_delete};
use crate::helpers::db::TestDb;

fn common_type(declared: &str) -> String {
    // SQLite's own affinity rules, in its order; what it would read as
    // NUMERIC is named, so that it shows up.
    let t = declared.to_ascii_uppercase();
    let common = if t.contains("INT") {
        "int"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "text"
    } else if t.contains("BLOB") || t.is_empty() {
        "bytes"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "float"
    } else if t.contains("BOOL") {
        "boolean"
    } else {
        return format!("sqlite:{}", declared.to_ascii_lowercase());
    };
    common.into()
}

pub(super) async fn schema(db: &TestDb) -> Schema {
    let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let mut key = Vec::new();
        for (column, declared, not_null, pk) in columns {
            if pk > 0 {
                key.push((pk, column.clone()));
            }
            // `INTEGER PRIMARY KEY` is the rowid, never null.
            let rowid = pk > 0 && declared.eq_ignore_ascii_case("INTEGER");
            table.columns.insert(
                column,
                Column {
                    ty: common_type(&declared),
                    not_null: not_null == 1 || rowid,
                },
            );
        }
        key.sort();
        table.primary_key = key.into_iter().map(|(_, c)| c).collect();

        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(&mut conn)
                .await
                .unwrap();
        for (index, unique, origin, partial) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
            let condition = if partial == 1 {
                let sql: String = sqlx::query_scalar(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
                )
                .bind(&index)
                .fetch_one(&mut conn)
                .await
                .unwrap();
                let sql = sql.replace(char::is_whitespace, " ");
                let at = sql
                    .to_ascii_lowercase()
                    .find(" where ")
                    .expect("a partial index has a WHERE");
                Some(normalise_condition(&sql[at + 7..]))
            } else {
                None
            };
            table.indexes.insert(Index {
                name: (origin == "c").then_some(index),
                columns: columns
                    .into_iter()
                    .map(|c| c.unwrap_or_else(|| "<expression>".into()))
                    .collect(),
                unique: unique == 1,
                condition,
            });
        }

        let keys: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1) \
             ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for (id, target, from, to, action) in keys {
            let key = by_id.entry(id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: target,
                references: Vec::new(),
                on_delete: on_delete(&action),
            });
            key.columns.push(from);
            // No column named: the referenced table's primary key, filled
            // in below.
            key.references.extend(to);
        }
        table.foreign_keys = by_id.into_values().collect();
        schema.insert(name, table);
    }
    let keys: BTreeMap<String, Vec<String>> = schema
        .iter()
        .map(|(name, t)| (name.clone(), t.primary_key.clone()))
        .collect();
    for table in schema.values_mut() {
        table.foreign_keys = std::mem::take(&mut table.foreign_keys)
            .into_iter()
            .map(|mut key| {
                if key.references.is_empty() {
                    key.references = keys.get(&key.table).cloned().unwrap_or_default();
                }
                key
            })
            .collect();
    }
    schema
}
