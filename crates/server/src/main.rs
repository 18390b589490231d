//! `portico-server`: starts the reference service (see `--help`).

use clap::Parser;
use portico_server::config::Config;
use portico_server::{app, build_state, openapi, seed, serve::serve, widget};
use std::time::Duration;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::parse();
    if config.print_openapi {
        println!("{}", openapi::json());
        return Ok(());
    }
    if let Some(command) = &config.command {
        // What a command logs goes to standard error; its output is what it prints.
        let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(filter)
            .init();
        if let Err(problem) = portico_server::cli::run(&config, command).await {
            eprintln!("portico-server: {problem}");
            std::process::exit(1);
        }
        return Ok(());
    }
    // Outside demo mode: the public URL, then a channel sign-in codes can go by.
    let missing = config
        .missing_for_live()
        .or_else(|| portico_server::notify::channels(&config).err());
    if let Some(missing) = missing {
        eprintln!("portico-server: {missing}");
        std::process::exit(2);
    }
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if config.log_json {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }

    let state = build_state(config.clone()).await?;
    portico_server::jobs::start(&state);

    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let base = format!("http://{}", listener.local_addr()?);
    println!("\nPortico is running.");
    println!("  App:       {base}/");
    println!("  Track:     {base}/track");
    println!("  API docs:  {base}/api/openapi.json");
    if config.demo {
        println!("  Outbox:    {base}/dev/outbox   (sign-in codes land here)");
        println!("  Demo sign-ins (one-time code, read it in the outbox):");
        for customer in seed::DEMO_CUSTOMERS {
            println!(
                "    {:<24} {} ({})",
                customer.email, customer.name, customer.tier
            );
        }
        println!("  Staff:     {base}/staff/   (email and password):");
        for (email, name, role, password) in portico_server::staff::DEMO_STAFF {
            println!("    {email:<24} {password:<24} {name} ({})", role.as_str());
        }
    }
    if !config.demo {
        println!("  Staff:     {base}/staff/");
        let staff: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff")
            .fetch_one(&state.db)
            .await?;
        if staff == 0 {
            println!(
                "  No staff account yet: add the first admin with
    portico-server staff add --email you@example.com --role admin"
            );
        }
    }
    if let Some(addr) = config.partner_demo_addr.filter(|_| config.demo) {
        let page = tokio::net::TcpListener::bind(addr).await?;
        let portal = config
            .public_url
            .as_ref()
            .map_or_else(|| base.clone(), |url| url.origin.clone());
        println!(
            "  Partner:   http://{}/   (a demo partner's page on another origin, the widget embedded)",
            page.local_addr()?
        );
        tokio::spawn(serve(
            page,
            widget::demo::router(state.clone(), portal),
            Duration::from_secs(config.header_timeout_secs),
            std::future::pending(),
        ));
    }
    println!("  Data:      {}\n", config.data_dir.display());
    tracing::info!(addr = %config.addr, demo = config.demo, "listening");

    serve(
        listener,
        app(state),
        Duration::from_secs(config.header_timeout_secs),
        shutdown(),
    )
    .await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
