//! The schema's twins (`migrations/sqlite`, `migrations/postgres`) stay in step: the same
//! migrations by version, and once applied the same schema on both engines: tables, columns
//! (name, whether it may be empty, integer or text, default), primary keys, unique constraints and
//! unique indexes (partial ones with their condition), named indexes, foreign keys (columns,
//! referenced table and columns, ON UPDATE / ON DELETE), CHECK constraints (the columns each reads
//! and the literals it holds) and triggers (name, table, timing, event).
//!
//! It compares the engines, so it needs PostgreSQL and fails without it: `make rust-test` runs it
//! in its PostgreSQL pass (`scripts/postgres.sh with cargo test -p portico-server --test api`) and
//! skips it by name in its SQLite pass (`-- --skip schema::`).

use crate::helpers::{fresh_database, spawn_with};
use std::collections::{BTreeMap, BTreeSet};

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

/// One line per fact of the schema, the same words on both engines (`kind` first:
/// `column`, `primary key`, `unique`, `index`, `foreign key`, `check`, `trigger`).
type Shape = BTreeSet<String>;

/// SQL as words: identifiers and keywords lower-cased, quotes taken off identifiers, literals
/// kept apart, comments dropped.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(String),
    Symbol(String),
}

fn tokens(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '\'' || c == '"' {
            let mut text = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == c && chars.get(i + 1) == Some(&c) {
                    text.push(c);
                    i += 2;
                } else if chars[i] == c {
                    i += 1;
                    break;
                } else {
                    text.push(chars[i]);
                    i += 1;
                }
            }
            out.push(if c == '\'' {
                Token::Text(text)
            } else {
                Token::Word(text.to_lowercase())
            });
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            out.push(Token::Number(chars[start..i].iter().collect()));
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(Token::Word(word.to_lowercase()));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Token::Symbol("::".into()));
            i += 2;
        } else {
            out.push(Token::Symbol(c.to_string()));
            i += 1;
        }
    }
    out
}

fn is_word(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if w == word)
}

/// The tokens of each `CHECK (...)` in `sql` (a `CREATE TABLE`, or PostgreSQL's
/// `pg_get_constraintdef`), inside its parentheses.
fn check_bodies(sql: &str) -> Vec<Vec<Token>> {
    let all = tokens(sql);
    let mut bodies = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let opens = all.get(i + 1) == Some(&Token::Symbol("(".into()));
        if is_word(all.get(i), "check") && opens {
            let mut depth = 0;
            let mut body = Vec::new();
            i += 1;
            while i < all.len() {
                match &all[i] {
                    Token::Symbol(s) if s == "(" => depth += 1,
                    Token::Symbol(s) if s == ")" => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                body.push(all[i].clone());
                i += 1;
            }
            bodies.push(body[1..].to_vec());
        }
        i += 1;
    }
    bodies
}

/// A CHECK as both engines can spell it: the columns of `table` it reads and the literals it
/// holds (`state IN ('a', 'b')` and `state = ANY (ARRAY['a'::text, 'b'::text])` are one check).
fn check_line(table: &str, body: &[Token], columns: &BTreeSet<String>) -> String {
    let mut read = BTreeSet::new();
    let mut literals = BTreeSet::new();
    for (i, token) in body.iter().enumerate() {
        let cast = i > 0 && body[i - 1] == Token::Symbol("::".into());
        match token {
            Token::Word(w) if !cast && columns.contains(w) => {
                read.insert(w.clone());
            }
            Token::Text(t) => {
                literals.insert(format!("'{t}'"));
            }
            Token::Number(n) => {
                literals.insert(n.clone());
            }
            _ => {}
        }
    }
    let read: Vec<_> = read.into_iter().collect();
    let literals: Vec<_> = literals.into_iter().collect();
    format!(
        "check {table} reads ({}) with [{}]",
        read.join(", "),
        literals.join(", ")
    )
}

/// A condition or a default in one spelling: words and literals, no parentheses, no `::type`
/// casts, `true`/`false` as `1`/`0` (SQLite's flags are integers).
fn expression(sql: &str) -> String {
    let all = tokens(sql);
    let mut words = Vec::new();
    let mut i = 0;
    while i < all.len() {
        match &all[i] {
            Token::Symbol(s) if s == "::" => i += 1,
            Token::Symbol(s) if s == "(" || s == ")" => {}
            Token::Word(w) if w == "true" => words.push("1".into()),
            Token::Word(w) if w == "false" => words.push("0".into()),
            Token::Word(w) | Token::Number(w) | Token::Symbol(w) => words.push(w.clone()),
            Token::Text(t) => words.push(format!("'{t}'")),
        }
        i += 1;
    }
    words.join(" ")
}

fn column_line(table: &str, column: &str, required: bool, number: bool, default: &str) -> String {
    let null = if required { "required" } else { "nullable" };
    let kind = if number { "number" } else { "text" };
    let default = if default.is_empty() {
        String::new()
    } else {
        format!(" default {default}")
    };
    format!("column {table}.{column} {null} {kind}{default}")
}

fn unique_line(table: &str, columns: &str, predicate: &str) -> String {
    let condition = if predicate.is_empty() {
        String::new()
    } else {
        format!(" where {predicate}")
    };
    format!("unique {table} ({columns}){condition}")
}

/// table, `id` (one per key), `seq` (its columns' order), referenced table, column, referenced
/// column (none: the referenced table's primary key), ON UPDATE, ON DELETE.
type SqliteForeignKey = (
    String,
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
);
/// table, index, unique, primary, made by a constraint, columns, partial index's condition.
type PostgresIndex = (
    String,
    String,
    bool,
    bool,
    bool,
    Option<String>,
    Option<String>,
);

/// The migrations' tables in `sqlite_master m`.
const SQLITE_TABLES: &str =
    "m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'";

async fn sqlite_shape() -> Shape {
    let app = spawn_with(|config| config.database_url = None).await;
    let db = &app.state.db;
    let mut shape = Shape::new();

    // Columns, and each table's primary key (SQLite has no index for an INTEGER PRIMARY KEY).
    let columns: Vec<(String, String, String, i64, Option<String>, i64)> =
        sqlx::query_as(&format!(
            "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk \
             FROM sqlite_master m, pragma_table_info(m.name) p WHERE {SQLITE_TABLES}"
        ))
        .fetch_all(db)
        .await
        .unwrap();
    let mut table_columns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut keys: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for (table, column, declared, not_null, default, pk) in columns {
        // A key counts as required: SQLite lets a key other than an INTEGER one hold NULL, the
        // service never writes one. Flags are INTEGER (0 or 1) here, BOOLEAN on PostgreSQL: both
        // read as numbers.
        shape.insert(column_line(
            &table,
            &column,
            not_null == 1 || pk > 0,
            declared.contains("INT"),
            &default.as_deref().map(expression).unwrap_or_default(),
        ));
        if pk > 0 {
            keys.entry(table.clone())
                .or_default()
                .push((pk, column.clone()));
        }
        table_columns.entry(table).or_default().insert(column);
    }
    for (table, mut key) in keys.clone() {
        key.sort();
        let key: Vec<_> = key.into_iter().map(|(_, c)| c).collect();
        shape.insert(format!("primary key {table} ({})", key.join(", ")));
    }

    // Unique constraints and indexes: `origin` is `c` (CREATE INDEX), `u` (UNIQUE) or `pk`.
    let index_columns: Vec<(String, i64, Option<String>)> = sqlx::query_as(&format!(
        "SELECT l.name, i.seqno, i.name FROM sqlite_master m, pragma_index_list(m.name) l, pragma_index_info(l.name) i \
         WHERE {SQLITE_TABLES}"
    ))
    .fetch_all(db)
    .await
    .unwrap();
    let mut by_index: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for (index, seqno, column) in index_columns {
        let column = column.unwrap_or_else(|| "(expression)".into());
        by_index.entry(index).or_default().push((seqno, column));
    }
    let index_sql: BTreeMap<String, String> = sqlx::query_as::<_, (String, String)>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(db)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let indexes: Vec<(String, String, i64, String)> = sqlx::query_as(&format!(
        "SELECT m.name, l.name, l.\"unique\", l.origin FROM sqlite_master m, pragma_index_list(m.name) l WHERE {SQLITE_TABLES}"
    ))
    .fetch_all(db)
    .await
    .unwrap();
    let where_ = regex::Regex::new(r"(?i)\bwhere\b").unwrap();
    for (table, index, unique, origin) in indexes {
        let mut columns = by_index.remove(&index).unwrap_or_default();
        columns.sort();
        let columns = columns
            .into_iter()
            .map(|(_, c)| c)
            .collect::<Vec<_>>()
            .join(", ");
        if origin == "pk" {
            continue;
        }
        let predicate = index_sql
            .get(&index)
            .and_then(|sql| {
                let at = where_.find(sql)?;
                Some(expression(&sql[at.end()..]))
            })
            .unwrap_or_default();
        if unique == 1 {
            shape.insert(unique_line(&table, &columns, &predicate));
        }
        if origin == "c" {
            shape.insert(format!("index {index} on {table} ({columns})"));
        }
    }

    // Foreign keys, one row per column of each (`id` groups them, `seq` orders them). A key that
    // names no column references the other table's primary key.
    let foreign: Vec<SqliteForeignKey> = sqlx::query_as(&format!(
        "SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete \
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE {SQLITE_TABLES}"
    ))
    .fetch_all(db)
    .await
    .unwrap();
    type Key = (String, i64);
    let mut grouped: BTreeMap<Key, Vec<(i64, String, Option<String>)>> = BTreeMap::new();
    let mut targets: BTreeMap<Key, (String, String, String)> = BTreeMap::new();
    for (table, id, seq, target, from, to, on_update, on_delete) in foreign {
        grouped
            .entry((table.clone(), id))
            .or_default()
            .push((seq, from, to));
        targets.insert((table, id), (target, on_update, on_delete));
    }
    for ((table, id), mut pairs) in grouped {
        pairs.sort();
        let (target, on_update, on_delete) = &targets[&(table.clone(), id)];
        let from: Vec<_> = pairs.iter().map(|(_, f, _)| f.clone()).collect();
        let to: Vec<String> = if pairs.iter().all(|(_, _, t)| t.is_some()) {
            pairs.iter().map(|(_, _, t)| t.clone().unwrap()).collect()
        } else {
            let mut key = keys.get(target).cloned().unwrap_or_default();
            key.sort();
            key.into_iter().map(|(_, c)| c).collect()
        };
        shape.insert(format!(
            "foreign key {table} ({}) references {target} ({}) on update {} on delete {}",
            from.join(", "),
            to.join(", "),
            on_update.to_lowercase(),
            on_delete.to_lowercase()
        ));
    }

    // CHECKs live only in each table's CREATE TABLE text (ALTER TABLE ... ADD COLUMN appends to it).
    let tables: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT m.name, m.sql FROM sqlite_master m WHERE {SQLITE_TABLES}"
    ))
    .fetch_all(db)
    .await
    .unwrap();
    for (table, sql) in tables {
        for body in check_bodies(&sql) {
            shape.insert(check_line(&table, &body, &table_columns[&table]));
        }
    }

    // Triggers: `CREATE TRIGGER name [BEFORE|AFTER|INSTEAD OF] event ON table ...` (BEFORE if
    // not said); SQLite's triggers all run for each row.
    let triggers: Vec<(String, String, String)> =
        sqlx::query_as("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(db)
            .await
            .unwrap();
    for (name, table, sql) in triggers {
        let words = tokens(&sql);
        let at = words
            .iter()
            .position(|t| {
                ["delete", "insert", "update"]
                    .iter()
                    .any(|e| is_word(Some(t), e))
            })
            .expect("a trigger's event");
        let Token::Word(event) = &words[at] else {
            unreachable!()
        };
        let timing = match words.get(at.wrapping_sub(1)) {
            Some(Token::Word(w)) if w == "after" => "after",
            Some(Token::Word(w)) if w == "of" => "instead of",
            _ => "before",
        };
        shape.insert(format!(
            "trigger {name} {timing} {event} on {table} for each row"
        ));
    }
    shape
}

async fn postgres_shape(url: String) -> Shape {
    let app = spawn_with(|config| config.database_url = Some(url)).await;
    let db = &app.state.db;
    let mut shape = Shape::new();

    let columns: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, column_default::text \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut table_columns: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (table, column, data_type, nullable, default) in columns {
        let number = match data_type.as_str() {
            "bigint" | "boolean" => true,
            "text" => false,
            other => panic!("{table}.{column} is {other}: the twins use bigint, boolean and text"),
        };
        shape.insert(column_line(
            &table,
            &column,
            nullable == "NO",
            number,
            &default.as_deref().map(expression).unwrap_or_default(),
        ));
        table_columns.entry(table).or_default().insert(column);
    }

    // Every index, whether a constraint made it (primary key, UNIQUE) or a CREATE INDEX did.
    let indexes: Vec<PostgresIndex> =
        sqlx::query_as(
            "SELECT t.relname::text, i.relname::text, x.indisunique, x.indisprimary, \
               EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = x.indrelid AND c.conindid = x.indexrelid \
                       AND c.contype IN ('p', 'u')), \
               (SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) \
                  FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord) \
                  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum), \
               pg_get_expr(x.indpred, x.indrelid) \
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations'",
        )
        .fetch_all(db)
        .await
        .unwrap();
    for (table, index, unique, primary, of_constraint, columns, predicate) in indexes {
        let columns = columns.unwrap_or_else(|| "(expression)".into());
        let predicate = predicate.as_deref().map(expression).unwrap_or_default();
        if primary {
            shape.insert(format!("primary key {table} ({columns})"));
            continue;
        }
        if unique {
            shape.insert(unique_line(&table, &columns, &predicate));
        }
        if !of_constraint {
            shape.insert(format!("index {index} on {table} ({columns})"));
        }
    }

    // Foreign keys; `confupdtype`/`confdeltype` are one letter each.
    let foreign: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT t.relname::text, r.relname::text, \
           (SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) \
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), \
           (SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord) \
              JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum), \
           c.confupdtype::text, c.confdeltype::text \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'f' AND n.nspname = 'public'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let action = |letter: &str| match letter {
        "a" => "no action",
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set null",
        "d" => "set default",
        other => panic!("ON DELETE/UPDATE {other}?"),
    };
    for (table, target, from, to, on_update, on_delete) in foreign {
        shape.insert(format!(
            "foreign key {table} ({from}) references {target} ({to}) on update {} on delete {}",
            action(&on_update),
            action(&on_delete)
        ));
    }

    let checks: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.relname::text, pg_get_constraintdef(c.oid) FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'c' AND n.nspname = 'public'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (table, definition) in checks {
        for body in check_bodies(&definition) {
            shape.insert(check_line(&table, &body, &table_columns[&table]));
        }
    }

    // One row per event of each trigger.
    let triggers: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT trigger_name::text, action_timing::text, event_manipulation::text, event_object_table::text, \
           action_orientation::text FROM information_schema.triggers WHERE trigger_schema = 'public'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (name, timing, event, table, orientation) in triggers {
        shape.insert(format!(
            "trigger {name} {} {} on {table} for each {}",
            timing.to_lowercase(),
            event.to_lowercase(),
            orientation.to_lowercase()
        ));
    }
    shape
}

/// How many lines of each kind: the comparison is only worth what each engine's reading found.
fn kinds(shape: &Shape) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for line in shape {
        let kind = [
            "column",
            "primary key",
            "unique",
            "index",
            "foreign key",
            "check",
            "trigger",
        ]
        .into_iter()
        .find(|kind| line.starts_with(kind))
        .expect("a known kind of line");
        *counts.entry(kind).or_default() += 1;
    }
    counts
}

#[tokio::test]
async fn both_engines_make_the_same_schema() {
    let Some(url) = fresh_database().await else {
        panic!(
            "PORTICO_TEST_DATABASE_URL is not set: this test compares the SQLite schema with the \
             PostgreSQL one and needs a PostgreSQL server. Run it as `scripts/postgres.sh with cargo \
             test -p portico-server --test api schema::` (make rust-test does, in its PostgreSQL pass)"
        );
    };
    let sqlite = sqlite_shape().await;
    let postgres = postgres_shape(url).await;
    // Each reading found what the migrations make (counted on SQLite; PostgreSQL must match it).
    let counts = kinds(&sqlite);
    for (kind, least) in [
        ("column", 200),
        ("primary key", 30),
        ("unique", 15),
        ("index", 25),
        ("foreign key", 30),
        ("check", 4),
        ("trigger", 2),
    ] {
        let found = counts.get(kind).copied().unwrap_or_default();
        assert!(found >= least, "{found} {kind} lines on SQLite: {counts:?}");
    }
    for known in [
        "unique notices (ticket)",
        "unique survey_responses (invitation_id)",
        "unique integration_keys (name) where revoked_at is null",
        "foreign key staff_invites (staff_id) references staff (id) on update no action on delete no action",
        "check page_versions reads (publish_at, state) with ['draft']",
        "trigger audit_log_no_delete before delete on audit_log for each row",
    ] {
        assert!(sqlite.contains(known), "{known} not read from SQLite: {sqlite:#?}");
    }
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the twins differ:\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}

#[test]
fn checks_read_alike_however_each_engine_spells_them() {
    let columns: BTreeSet<String> = ["state", "publish_at", "text"].map(String::from).into();
    let line = |sql: &str| check_line("t", &check_bodies(sql)[0], &columns);
    assert_eq!(
        line("state TEXT NOT NULL CHECK (state IN ('draft', 'published')),"),
        line("CHECK ((state = ANY (ARRAY['draft'::text, 'published'::text])))")
    );
    assert_eq!(
        line("CHECK ((state = 'draft') = (publish_at IS NULL))"),
        "check t reads (publish_at, state) with ['draft']"
    );
    assert_ne!(
        line("CHECK (state IN ('draft'))"),
        line("CHECK (state IN ('draft', 'published'))")
    );
    assert_eq!(
        line("CHECK ((publish_at >= 0))"),
        "check t reads (publish_at) with [0]"
    );
    assert_eq!(expression("(revoked_at IS NULL)"), "revoked_at is null");
    assert_eq!(expression("'waiting'::text"), "'waiting'");
    assert_eq!(expression("FALSE"), expression("0"));
}
