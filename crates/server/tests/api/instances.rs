//! Several instances of the service on one database, as behind a load balancer: a limit counts
//! the requests of every instance, a periodic job runs once per period whichever instance gets
//! there first, and a notice is delivered once by whichever instance is up.

use crate::helpers::{client_at, count, fresh_database, spawn, spawn_with};
use portico_server::jobs;
use reqwest::StatusCode;
use std::time::Duration;

const WANG: &str = "wang.wei@example.com";

#[tokio::test]
async fn a_rate_limit_counts_the_requests_of_every_instance() {
    let first = spawn_with(|config| config.trust_proxy = true).await;
    let second = first.restart().await;
    // Five codes per contact per address in 15 minutes, asked of one instance then the other.
    let stranger = client_at("198.51.100.9");
    let mut answers = Vec::new();
    for i in 0..6 {
        let app = if i % 2 == 0 { &first } else { &second };
        answers.push(app.request_code(&stranger, WANG).await.status());
    }
    assert_eq!(answers[..5], [StatusCode::ACCEPTED; 5]);
    assert_eq!(answers[5], StatusCode::TOO_MANY_REQUESTS);
    // Another address is not slowed down, on either instance.
    let owner = client_at("203.0.113.7");
    assert_eq!(
        second.request_code(&owner, WANG).await.status(),
        StatusCode::ACCEPTED
    );
}

#[tokio::test]
async fn a_periodic_job_runs_once_per_period_whichever_instance_gets_there() {
    let first = spawn().await;
    let second = first.restart().await;
    let checkpoints = "SELECT COUNT(*) FROM checkpoints";
    let before = count(&first, checkpoints).await;

    // Both instances wake in period 7 at once: one does the step, the other nothing.
    let (a, b) = tokio::join!(
        jobs::run(&first.state, "first", jobs::DEMO_STEP, 7),
        jobs::run(&second.state, "second", jobs::DEMO_STEP, 7),
    );
    let ran: Vec<bool> = vec![a.unwrap(), b.unwrap()];
    assert_eq!(ran.iter().filter(|ran| **ran).count(), 1, "{ran:?}");
    let stepped = count(&first, checkpoints).await;
    assert!(stepped > before, "{before} -> {stepped}");

    // Waking again in that period (a late tick, a restart) changes nothing.
    assert!(!jobs::run(&first.state, "first", jobs::DEMO_STEP, 7)
        .await
        .unwrap());
    assert_eq!(count(&first, checkpoints).await, stepped);
    // The next period is stepped again, by whichever instance.
    assert!(jobs::run(&second.state, "second", jobs::DEMO_STEP, 8)
        .await
        .unwrap());
    assert!(count(&first, checkpoints).await > stepped);
    assert_eq!(
        count(
            &first,
            "SELECT COUNT(*) FROM job_runs WHERE job = 'demo_step'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn notices_left_in_the_queue_are_delivered_once_by_the_instances_up() {
    const WAITING: &str = "SELECT COUNT(*) FROM notices WHERE status <> 'sent'";
    let first = spawn().await;
    let second = first.restart().await;
    let before = count(&first, "SELECT COUNT(*) FROM outbox").await;
    // Twenty notices as an instance that died before delivering them leaves them.
    for n in 0..20 {
        let body = format!(
            r#"{{"kind":"sign_in_code","contact":"{WANG}","code":"{:06}"}}"#,
            900_000 + n
        );
        sqlx::query("INSERT INTO notices (body, created_at, attempts) VALUES ($1, 0, 0)")
            .bind(body)
            .execute(&first.state.db)
            .await
            .unwrap();
    }
    // Nobody woke the workers: each instance looks at the queue every second by itself.
    for _ in 0..100 {
        if count(&first, WAITING).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(&first, WAITING).await, 0);
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM outbox WHERE id > $1 ORDER BY id")
            .bind(before)
            .fetch_all(&second.state.db)
            .await
            .unwrap();
    let mut codes: Vec<String> = bodies
        .iter()
        .filter_map(|body| {
            body.split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 6)
        })
        .map(str::to_string)
        .collect();
    assert_eq!(codes.len(), 20, "{bodies:#?}");
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 20, "each notice delivered once");
}

#[tokio::test]
async fn instances_starting_together_on_a_new_database_seed_it_once() {
    let apps = match fresh_database().await {
        // PostgreSQL: three at once.
        Some(url) => {
            let start = || {
                let url = url.clone();
                spawn_with(move |config| config.database_url = Some(url))
            };
            let (a, b, c) = tokio::join!(start(), start(), start());
            vec![a, b, c]
        }
        // SQLite's file is one service process's: one after the other.
        None => {
            let first = spawn().await;
            let second = first.restart().await;
            vec![first, second]
        }
    };
    for app in &apps {
        assert_eq!(count(app, "SELECT COUNT(*) FROM customers").await, 3);
        assert_eq!(count(app, "SELECT COUNT(*) FROM staff").await, 4);
        assert_eq!(count(app, "SELECT COUNT(*) FROM partners").await, 1);
        assert_eq!(count(app, "SELECT COUNT(*) FROM server_keys").await, 4);
    }
}

#[tokio::test]
async fn health_and_readiness_are_told_with_a_request_id() {
    let app = spawn().await;
    let up = crate::helpers::client()
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(up.status(), StatusCode::OK);
    assert_eq!(up.headers()["x-content-type-options"], "nosniff");
    let id = up.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a new id: {id}");
    let body: serde_json::Value = up.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "status": "up" }));

    // An id a proxy sent is kept.
    let ready = crate::helpers::client()
        .get(app.url("/readyz"))
        .header("x-request-id", "lb-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.headers()["x-request-id"], "lb-7f3a");
    assert_eq!(
        ready.json::<serde_json::Value>().await.unwrap()["status"],
        "ready"
    );

    // A database without this build's newest migration is not ready.
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    let behind = app.get(&crate::helpers::client(), "/readyz").await;
    assert_eq!(behind.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = behind.json().await.unwrap();
    assert_eq!(body["status"], "not_ready");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("migrations up to"),
        "{body}"
    );
}
