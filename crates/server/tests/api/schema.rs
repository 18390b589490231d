//! The schema's twins (`migrations/sqlite`, `migrations/postgres`) stay in step: the same
//! migrations by version, and once applied the same tables, columns (name, whether it may be
//! empty, integer or text) and indexes on both engines.

use crate::helpers::{fresh_database, spawn_with};
use std::collections::BTreeSet;

fn versions(engine: &str) -> Vec<String> {
    let folder = format!("{}/migrations/{engine}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("the migrations folder")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_engines_have_the_same_migrations() {
    let sqlite = versions("sqlite");
    assert!(sqlite.len() >= 13, "{sqlite:?}");
    assert_eq!(sqlite, versions("postgres"));
}

/// `table.column nullable type` per column, and `index name` per index made by a migration.
type Shape = BTreeSet<String>;

async fn sqlite_shape() -> Shape {
    let app = spawn_with(|config| config.database_url = None).await;
    let columns: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT m.name, p.name, p.type, MAX(p.\"notnull\", p.pk > 0) FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let mut shape: Shape = columns
        .into_iter()
        .map(|(table, column, declared, not_null)| {
            // (A key counts as required: SQLite lets a key other than an INTEGER one hold NULL, the
            // service never writes one.) SQLite's flags are INTEGER (0 or 1); PostgreSQL's BOOLEAN: both read as flags.
            let kind = if declared.contains("INT") {
                "number"
            } else {
                "text"
            };
            let null = if not_null == 1 {
                "required"
            } else {
                "nullable"
            };
            format!("{table}.{column} {null} {kind}")
        })
        .collect();
    shape.extend(indexes.into_iter().map(|name| format!("index {name}")));
    shape
}

async fn postgres_shape(url: String) -> Shape {
    let app = spawn_with(|config| config.database_url = Some(url)).await;
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    // The indexes a migration named (not those PostgreSQL makes for keys and UNIQUE).
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = 'public' AND NOT EXISTS \
         (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let mut shape: Shape = columns
        .into_iter()
        .map(|(table, column, data_type, nullable)| {
            let kind = match data_type.as_str() {
                "bigint" | "boolean" => "number",
                "text" => "text",
                other => {
                    panic!("{table}.{column} is {other}: the twins use bigint, boolean and text")
                }
            };
            let null = if nullable == "NO" {
                "required"
            } else {
                "nullable"
            };
            format!("{table}.{column} {null} {kind}")
        })
        .collect();
    shape.extend(indexes.into_iter().map(|name| format!("index {name}")));
    shape
}

/// Runs where the suite runs on PostgreSQL (`make test` runs it so, with
/// `scripts/postgres.sh with`); on SQLite alone there is no second engine to compare with.
#[tokio::test]
async fn both_engines_make_the_same_tables_columns_and_indexes() {
    let Some(url) = fresh_database().await else {
        eprintln!(
            "no PORTICO_TEST_DATABASE_URL: the PostgreSQL pass of `make test` compares the twins"
        );
        return;
    };
    let sqlite = sqlite_shape().await;
    let postgres = postgres_shape(url).await;
    assert!(sqlite.len() > 150, "{} columns and indexes", sqlite.len());
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}
