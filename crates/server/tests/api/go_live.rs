//! Portico without the demo: an empty database, the settings it refuses to start without, and
//! the first admin made on the command line (`portico-server staff add`), who sets a password
//! with the one-time link it printed. The commands run the real binary.

use crate::helpers::{client, fresh_database, problem_code, spawn_with, TestApp};
use crate::staff::sign_in;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::process::{Command, Output, Stdio};

const PUBLIC: &str = "https://portal.shop.example";

/// A service outside demo mode on a fresh database (SQLite in `dir`, or PostgreSQL).
pub(crate) async fn live(database: Option<String>) -> TestApp {
    spawn_with(|config| {
        config.demo = false;
        config.database_url = database;
        config.public_url = Some(portico_server::config::PublicUrl::parse(PUBLIC).unwrap());
    })
    .await
}

/// `portico-server ARGS` on `database`, with `stdin` as its standard input.
pub(crate) fn command(database: &str, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_portico-server"))
        .args(args)
        .env_clear()
        .env("PORTICO_DATABASE_URL", database)
        .env("PORTICO_PUBLIC_URL", PUBLIC)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The database URL a service was started on.
fn url_of(app: &TestApp) -> String {
    app.state.config.database()
}

/// The password link a command printed.
fn link_in(output: &Output) -> String {
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out.lines()
        .find(|line| line.starts_with(PUBLIC))
        .unwrap_or_else(|| panic!("no link in {out}"))
        .to_string()
}

async fn set_password(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post(
        &client(),
        "/api/staff/password-link",
        json!({ "token": token, "password": password }),
    )
    .await
}

fn token_of(link: &str) -> String {
    link.split_once("#set-password=")
        .expect("a password link")
        .1
        .to_string()
}

#[tokio::test]
async fn without_the_demo_the_database_starts_empty() {
    let app = live(fresh_database().await).await;
    for table in [
        "customers",
        "orders",
        "shipments",
        "returns",
        "pages",
        "survey_responses",
        "tickets",
        "staff",
        "partners",
    ] {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        assert_eq!(rows, 0, "{table} holds demo rows outside demo mode");
    }
    // Nothing a demo sign-in would reach: the outbox is off.
    let response = app.get(&client(), "/api/dev/outbox").await;
    assert_ne!(response.status(), StatusCode::OK);
}

#[test]
fn outside_the_demo_it_will_not_start_without_a_public_url_or_a_channel_and_says_which_setting() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_portico-server"))
        .env_clear()
        .env("PORTICO_DATA_DIR", data.path())
        .env("PORTICO_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("PORTICO_PUBLIC_URL"), "{said}");
    // With it, the next thing missing is a way to send sign-in codes.
    let output = Command::new(env!("CARGO_BIN_EXE_portico-server"))
        .env_clear()
        .env("PORTICO_DATA_DIR", data.path())
        .env("PORTICO_ADDR", "127.0.0.1:0")
        .env("PORTICO_PUBLIC_URL", PUBLIC)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("PORTICO_SMTP_URL"), "{said}");
}

#[test]
fn help_groups_the_settings() {
    let output = Command::new(env!("CARGO_BIN_EXE_portico-server"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    let at = |heading: &str| {
        help.find(&format!("\n{heading}:\n"))
            .unwrap_or_else(|| panic!("no {heading} group in {help}"))
    };
    assert!(
        at("Service") < at("Database") && at("Database") < at("Demo"),
        "{help}"
    );
    assert!(help.contains("staff"), "{help}");
}

#[tokio::test]
async fn the_first_admin_comes_from_the_command_line_and_sets_a_password_with_the_link_once() {
    let app = live(fresh_database().await).await;
    let database = url_of(&app);
    let made = command(
        &database,
        &[
            "staff",
            "add",
            "--email",
            "Boss@Shop.example",
            "--role",
            "admin",
        ],
        "",
    );
    let link = link_in(&made);
    assert!(
        link.starts_with(&format!("{PUBLIC}/staff/#set-password=")),
        "{link}"
    );
    let token = token_of(&link);
    let browser = client();
    // No password yet: nothing signs in.
    let (status, code) = problem_code(sign_in(&app, &browser, "boss@shop.example", "").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "invalid_credentials")
    );

    // Too short: refused, and the link still works.
    let short = set_password(&app, &token, "short").await;
    assert_eq!(problem_code(short).await.1, "weak_password");
    let set = set_password(&app, &token, "a long and fine password").await;
    assert_eq!(set.status(), StatusCode::OK);
    let set: Value = set.json().await.unwrap();
    assert_eq!(set["email"], "boss@shop.example");
    // Once only.
    let again = set_password(&app, &token, "another fine password").await;
    assert_eq!(
        problem_code(again).await,
        (StatusCode::GONE, "link_expired".into())
    );
    let signed: Value = sign_in(
        &app,
        &browser,
        "boss@shop.example",
        "a long and fine password",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(signed["staff"]["role"], "admin");

    // The same email twice: refused, with the command that helps.
    let twice = command(
        &database,
        &[
            "staff",
            "add",
            "--email",
            "boss@shop.example",
            "--role",
            "editor",
        ],
        "",
    );
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("staff link"));
}

#[tokio::test]
async fn a_password_link_lasts_a_day_and_a_new_one_can_be_made() {
    let app = live(fresh_database().await).await;
    let database = url_of(&app);
    let made = command(
        &database,
        &[
            "staff",
            "add",
            "--email",
            "ed@shop.example",
            "--role",
            "editor",
            "--name",
            "Ed",
        ],
        "",
    );
    let first = token_of(&link_in(&made));
    app.state.clock.advance(24 * 60 * 60 + 1);
    let late = set_password(&app, &first, "a long and fine password").await;
    assert_eq!(problem_code(late).await.1, "link_expired");
    // A new link for the same account (a lost password) works (the command keeps the real time).
    app.state.clock.advance(-(24 * 60 * 60 + 1));
    let second = token_of(&link_in(&command(
        &database,
        &["staff", "link", "--email", "ed@shop.example"],
        "",
    )));
    let set = set_password(&app, &second, "a long and fine password").await;
    assert_eq!(set.status(), StatusCode::OK);
    // An unknown token is the same answer as a spent one.
    let forged = set_password(&app, &"0".repeat(64), "a long and fine password").await;
    assert_eq!(problem_code(forged).await.1, "link_expired");
    let misshaped = set_password(&app, "not-a-token", "a long and fine password").await;
    assert_eq!(
        problem_code(misshaped).await,
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
}

#[tokio::test]
async fn a_password_can_be_given_on_standard_input_instead_of_a_link() {
    let app = live(fresh_database().await).await;
    let made = command(
        &url_of(&app),
        &[
            "staff",
            "add",
            "--email",
            "ana@shop.example",
            "--role",
            "analyst",
            "--password-stdin",
        ],
        "twelve chars or more\n",
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(!String::from_utf8_lossy(&made.stdout).contains("set-password"));
    let signed: Value = sign_in(&app, &client(), "ana@shop.example", "twelve chars or more")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(signed["staff"]["role"], "analyst");
    let weak = command(
        &url_of(&app),
        &[
            "staff",
            "add",
            "--email",
            "x@shop.example",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "short\n",
    );
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("12 to 128"));
}
