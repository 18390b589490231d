//! What `portico-server` does besides serving: commands run once against the database and exit
//! (`portico-server staff add ...`). Each works on the database the settings name, so it runs on
//! the machine that runs the service, before or while it runs.

use crate::config::{Command, Config, ImportKind, StaffCommand};
use crate::staff::accounts::{insert, staff_email, staff_name};
use crate::staff::{audit, new_password_hash, password_link};
use crate::{clock::Clock, db, error::ApiError};
use portico_api::ErrorCode;
use std::io::{BufRead, IsTerminal};
use std::path::Path;

/// Runs `command`; what went wrong is one line for the terminal.
pub async fn run(config: &Config, command: &Command) -> Result<(), String> {
    match command {
        Command::Staff(command) => staff(config, command).await,
        Command::Import { file, kind, batch } => {
            import(config, file, *kind, usize::from(*batch)).await
        }
    }
}

/// `portico-server import FILE`: the records of a JSON Lines file through the ingest, with a
/// progress bar and a summary; an error when a record was refused.
async fn import(
    config: &Config,
    file: &Path,
    kind: Option<ImportKind>,
    batch: usize,
) -> Result<(), String> {
    let Some(kind) = crate::ingest::import::kind_of(file, kind) else {
        return Err(format!(
            "say what {} holds with --kind customers|orders|checkpoints",
            file.display()
        ));
    };
    let state = crate::build_state(config.clone())
        .await
        .map_err(|error| format!("cannot open the database: {error}"))?;
    let progress = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let summary = if file == Path::new("-") {
        crate::ingest::import::import(&state, std::io::stdin(), None, kind, batch, progress).await
    } else {
        let opened = std::fs::File::open(file)
            .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        let size = opened.metadata().ok().map(|m| m.len());
        crate::ingest::import::import(&state, opened, size, kind, batch, progress).await
    }
    .map_err(|error| error.to_string())?;
    print!("{}", summary.render());
    println!("in {:.1} s", started.elapsed().as_secs_f64());
    if summary.refused.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} records refused (listed above)",
            summary.refused.len()
        ))
    }
}

async fn staff(config: &Config, command: &StaffCommand) -> Result<(), String> {
    let pool = db::connect(&config.database())
        .await
        .map_err(|error| format!("cannot open the database: {error}"))?;
    let now = Clock::default().now();
    match command {
        StaffCommand::Add {
            email,
            role,
            name,
            ask_password,
            password_stdin,
        } => {
            let email =
                staff_email(email).map_err(|_| format!("not an email address: {email:?}"))?;
            let fallback = email.split('@').next().unwrap_or_default().to_string();
            let name = staff_name(name.as_deref().unwrap_or(&fallback))
                .map_err(|_| "a name is 1 to 100 characters".to_string())?
                .to_string();
            let password = if *ask_password {
                Some(ask()?)
            } else if *password_stdin {
                Some(first_line()?)
            } else {
                None
            };
            let origin = match password {
                Some(_) => None,
                None => Some(origin(config)?),
            };
            let hash = match &password {
                Some(password) => new_password_hash(password)
                    .await
                    .map_err(|_| "a password is 12 to 128 characters".to_string())?,
                None => String::new(),
            };
            let member = insert(&pool, &email, &name, *role, &hash, now)
                .await
                .map_err(|error| match error {
                    ApiError::Client(ErrorCode::StaffExists) => format!(
                        "{email} has a staff account already; `portico-server staff link --email {email}` makes a new password link"
                    ),
                    other => other.to_string(),
                })?;
            audit::record(
                &pool,
                now,
                None,
                "portico-server staff add",
                "staff_added",
                Some(&member.email),
                Some(&format!("role: {}", member.role.as_str())),
            )
            .await
            .map_err(|error| error.to_string())?;
            println!(
                "Added {} ({}, {}).",
                member.email,
                member.name,
                role.as_str()
            );
            match origin {
                Some(origin) => print_link(&pool, &origin, member.id, now).await?,
                None => {
                    println!("Sign in at the staff app (/staff/) with this email and the password.")
                }
            }
        }
        StaffCommand::Link { email } => {
            let origin = origin(config)?;
            let wanted =
                staff_email(email).map_err(|_| format!("not an email address: {email:?}"))?;
            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE email = $1")
                .bind(&wanted)
                .fetch_optional(&pool)
                .await
                .map_err(|error| error.to_string())?;
            let id = id.ok_or_else(|| format!("no staff account has the email {wanted}"))?;
            print_link(&pool, &origin, id, now).await?;
        }
    }
    pool.close().await;
    Ok(())
}

async fn print_link(pool: &db::Db, origin: &str, id: i64, now: i64) -> Result<(), String> {
    let link = password_link::make(pool, origin, id, now)
        .await
        .map_err(|error| error.to_string())?;
    println!("Open this link to set the password (it works once, for 24 hours):\n{link}");
    Ok(())
}

/// Where staff reach Portico: a link needs it.
fn origin(config: &Config) -> Result<String, String> {
    config
        .public_url
        .as_ref()
        .map(|url| url.origin.clone())
        .ok_or_else(|| {
            "PORTICO_PUBLIC_URL is not set: the link needs the address Portico is reached at (--public-url https://portal.example.com)".to_string()
        })
}

/// The password, typed twice on the terminal without echo.
fn ask() -> Result<String, String> {
    let first = rpassword::prompt_password("Password (12 to 128 characters): ")
        .map_err(|error| format!("cannot read a password from the terminal: {error}"))?;
    let again = rpassword::prompt_password("The same password again: ")
        .map_err(|error| format!("cannot read a password from the terminal: {error}"))?;
    if first != again {
        return Err("the two passwords differ".into());
    }
    Ok(first)
}

fn first_line() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|error| format!("cannot read the password from standard input: {error}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
