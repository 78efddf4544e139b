//! The SQLite and PostgreSQL migration trees build the same schema. Each is
//! applied to a fresh database, read back from the database's own catalog,
//! and spelled in a small common vocabulary: tables, columns (type and
//! nullability), primary keys, indexes (name, columns, uniqueness, partial
//! condition) and foreign keys must all agree.
//!
//! The PostgreSQL half needs a server: it runs when the run selects
//! PostgreSQL or `ZLACK_TEST_POSTGRES_URL` names one; otherwise only the
//! SQLite schema is read.

mod postgres;
mod sqlite;

use std::collections::{BTreeMap, BTreeSet};

use crate::helpers::db::{Backend, TestDb, backend};

/// Columns SQLite declares `TEXT PRIMARY KEY` without `NOT NULL`. SQLite,
/// for compatibility with its early versions, lets such a key hold NULL,
/// while PostgreSQL's primary keys are never null. Adding the constraint on
/// SQLite means rebuilding each table; zlack never writes a NULL key, so
/// the difference is kept. New tables should write `NOT NULL` on both.
const SQLITE_NULLABLE_KEYS: &[&str] = &[
    "deleted_whiteboards.whiteboard_id",
    "grants.id",
    "leases.name",
    "meta.name",
    "workspaces.team_id",
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    /// In the common vocabulary: `int` (64 bits), `int32`, `int16`, `text`,
    /// `bytes`, `float`, `boolean`, or the dialect's own name when it has
    /// no common one.
    ty: String,
    not_null: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    /// `None` for the index behind a `UNIQUE` constraint, which each
    /// dialect names its own way.
    name: Option<String>,
    columns: Vec<String>,
    unique: bool,
    /// A partial index's condition, normalised.
    condition: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: Vec<String>,
    table: String,
    references: Vec<String>,
    on_delete: String,
}

#[derive(Debug, Default)]
struct Table {
    columns: BTreeMap<String, Column>,
    primary_key: Vec<String>,
    indexes: BTreeSet<Index>,
    foreign_keys: BTreeSet<ForeignKey>,
}

type Schema = BTreeMap<String, Table>;

/// A condition as both dialects can print it: PostgreSQL adds parentheses
/// and `::text` casts to what the migration wrote. Quoted literals are kept
/// as they are.
fn normalise_condition(condition: &str) -> String {
    let mut out = String::new();
    let mut chars = condition.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            out.push(c);
            quoted = c != '\'';
        } else if c == '\'' {
            out.push(c);
            quoted = true;
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            while chars
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                chars.next();
            }
        } else if c == '(' || c == ')' || c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out.trim_end().to_owned()
}

fn on_delete(action: &str) -> String {
    match action {
        // PostgreSQL's `confdeltype` codes.
        "a" => "no action",
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        other => return other.to_ascii_lowercase(),
    }
    .into()
}

fn describe_index(index: &Index) -> String {
    format!(
        "{}{} ({}){}",
        if index.unique { "unique " } else { "" },
        index.name.as_deref().unwrap_or("constraint"),
        index.columns.join(", "),
        index
            .condition
            .as_deref()
            .map(|c| format!(" where {c}"))
            .unwrap_or_default(),
    )
}

fn describe_key(key: &ForeignKey) -> String {
    format!(
        "({}) references {} ({}) on delete {}",
        key.columns.join(", "),
        key.table,
        key.references.join(", "),
        key.on_delete,
    )
}

/// Every way the two schemas differ, one line each.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let only = |out: &mut Vec<String>, what: String, on_sqlite: bool| {
        let side = if on_sqlite { "SQLite" } else { "PostgreSQL" };
        out.push(format!("{what}: only on {side}"));
    };
    for (name, s) in sqlite {
        let Some(p) = postgres.get(name) else {
            only(&mut out, format!("table {name}"), true);
            continue;
        };
        for (column, sc) in &s.columns {
            let Some(pc) = p.columns.get(column) else {
                only(&mut out, format!("{name}.{column}"), true);
                continue;
            };
            if sc.ty != pc.ty {
                out.push(format!(
                    "{name}.{column}: {} on SQLite, {} on PostgreSQL",
                    sc.ty, pc.ty
                ));
            }
            if sc.not_null != pc.not_null {
                let allowed = !sc.not_null
                    && s.primary_key == [column.clone()]
                    && SQLITE_NULLABLE_KEYS.contains(&format!("{name}.{column}").as_str());
                if !allowed {
                    let null = |n: bool| if n { "NOT NULL" } else { "nullable" };
                    out.push(format!(
                        "{name}.{column}: {} on SQLite, {} on PostgreSQL",
                        null(sc.not_null),
                        null(pc.not_null)
                    ));
                }
            }
        }
        for column in p.columns.keys().filter(|c| !s.columns.contains_key(*c)) {
            only(&mut out, format!("{name}.{column}"), false);
        }
        if s.primary_key != p.primary_key {
            out.push(format!(
                "{name}: primary key ({}) on SQLite, ({}) on PostgreSQL",
                s.primary_key.join(", "),
                p.primary_key.join(", ")
            ));
        }
        for index in s.indexes.difference(&p.indexes) {
            only(
                &mut out,
                format!("{name}: index {}", describe_index(index)),
                true,
            );
        }
        for index in p.indexes.difference(&s.indexes) {
            only(
                &mut out,
                format!("{name}: index {}", describe_index(index)),
                false,
            );
        }
        for key in s.foreign_keys.difference(&p.foreign_keys) {
            only(
                &mut out,
                format!("{name}: foreign key {}", describe_key(key)),
                true,
            );
        }
        for key in p.foreign_keys.difference(&s.foreign_keys) {
            only(
                &mut out,
                format!("{name}: foreign key {}", describe_key(key)),
                false,
            );
        }
    }
    for name in postgres.keys().filter(|t| !sqlite.contains_key(*t)) {
        only(&mut out, format!("table {name}"), false);
    }
    out
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let sqlite_db = TestDb::on(Backend::Sqlite).await;
    sqlite_db.store().await;
    let sqlite = sqlite::schema(&sqlite_db).await;
    assert!(
        sqlite.contains_key("jobs") && sqlite.contains_key("tokens"),
        "the SQLite schema reads back: {:?}",
        sqlite.keys().collect::<Vec<_>>()
    );
    for allowed in SQLITE_NULLABLE_KEYS {
        let (table, column) = allowed.split_once('.').unwrap();
        let t = &sqlite[table];
        assert!(
            !t.columns[column].not_null,
            "{allowed} is NOT NULL on SQLite now: take it off SQLITE_NULLABLE_KEYS"
        );
    }

    if backend() != Backend::Postgres && std::env::var_os("ZLACK_TEST_POSTGRES_URL").is_none() {
        eprintln!("no PostgreSQL for this run: the PostgreSQL schema was not compared");
        return;
    }
    let postgres_db = TestDb::on(Backend::Postgres).await;
    postgres_db.store().await;
    let postgres = postgres::schema(&postgres_db).await;

    let found = differences(&sqlite, &postgres);
    assert!(
        found.is_empty(),
        "the migration trees disagree:\n  {}",
        found.join("\n  ")
    );
}
