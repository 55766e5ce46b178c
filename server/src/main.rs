//! `mentorship`: the server binary.
//!
//! ```text
//! mentorship [serve] [--create-if-missing] [--seed-demo]   serve the app (default)
//! mentorship seed-demo [--create-if-missing] [--scale large] fill a demo organization (large:
//!                                                          + 10 000 people, 200 cohorts of history)
//! mentorship create-admin --email E --name N [--create-if-missing]
//! mentorship migrate [--create-if-missing]                 apply schema migrations and exit
//! mentorship backup FILE                                   write a backup (schema and records)
//! mentorship restore FILE                                  restore a backup into an empty database
//! ```

use std::net::SocketAddr;
use std::process::ExitCode;

use server::config::Config;
use server::{router, seed, startup, AppState};

/// mimalloc instead of glibc's malloc: measured with `./x bench home` and `./x bench load` (README).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: mentorship [serve|seed-demo|create-admin|migrate] [--create-if-missing] [--seed-demo] \
[--scale large] [--email E --name N] | mentorship backup FILE | mentorship restore FILE\nenvironment: DATABASE_URL (default surrealkv://data/mentorship.db), LEPTOS_SITE_ADDR, \
LEPTOS_SITE_ROOT, PUBLIC_URL, TRUST_PROXY, SESSION_DAYS, LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_IP";

struct Args {
    command: String,
    create_if_missing: bool,
    seed_demo: bool,
    large: bool,
    email: Option<String>,
    name: Option<String>,
    /// The backup file (`backup`, `restore`).
    file: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        command: "serve".into(),
        create_if_missing: false,
        seed_demo: false,
        large: false,
        email: None,
        name: None,
        file: None,
    };
    let mut it = std::env::args().skip(1);
    let mut first = true;
    while let Some(a) = it.next() {
        match a.as_str() {
            "serve" | "seed-demo" | "create-admin" | "migrate" if first => args.command = a,
            "backup" | "restore" if first => {
                args.command = a;
                args.file = Some(it.next().ok_or("backup and restore need a FILE")?);
            }
            "--create-if-missing" => args.create_if_missing = true,
            "--seed-demo" => args.seed_demo = true,
            "--scale" => match it.next().as_deref() {
                Some("large") => args.large = true,
                Some("normal") => args.large = false,
                other => return Err(format!("--scale takes large or normal, not {other:?}")),
            },
            "--email" => args.email = Some(it.next().ok_or("--email needs a value")?),
            "--name" => args.name = Some(it.next().ok_or("--name needs a value")?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
        first = false;
    }
    Ok(args)
}

/// Stack of each runtime thread. Tokio's 2 MiB was just enough for a debug build's deepest request
/// (the matching board's edit, its engine run inside the server function, under a dozen layers of
/// middleware); one more layer (the admission queue) overflowed it. Only touched pages are
/// committed, so a larger reservation costs no memory until it is used.
const THREAD_STACK: usize = 8 * 1024 * 1024;

fn main() -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(THREAD_STACK).build() {
        Ok(runtime) => runtime.block_on(start()),
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,surrealdb=warn,surrealkv=warn,surrealdb_core=warn".into()),
        )
        // Colours only on a terminal: a log file or journald gets plain `key=value` fields.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    if args.command == "restore" {
        return restore(&config, args.file.as_deref().unwrap_or_default()).await;
    }
    tracing::info!(url = %config.database_url, "opening database");
    let db = startup::open_database(&config.database_url, args.create_if_missing).await.map_err(|e| {
        if args.command == "backup" {
            format!(
                "{e}\n  While the server runs on this store, set BACKUP_DIR so that the server takes the backups \
                 itself (safe while people use it), or stop it first."
            )
        } else {
            e.to_string()
        }
    })?;
    match args.command.as_str() {
        "backup" => {
            let file = std::path::PathBuf::from(args.file.unwrap_or_default());
            let counts = server::backup::backup(&db, &config.database_url, &file).await?;
            let records: i64 = counts.values().sum();
            println!("Wrote {} ({} tables, {records} records).", file.display(), counts.len());
            Ok(())
        }
        "migrate" => {
            println!("schema is at version {}", app::db::latest_version());
            Ok(())
        }
        "seed-demo" => {
            seed::seed_demo(&db).await?;
            if args.large {
                let c = server::seed_scale::seed_large(&db).await?;
                println!("Added the large history: {c:?}");
            }
            Ok(())
        }
        "create-admin" => {
            let (Some(email), Some(name)) = (args.email, args.name) else {
                return Err("create-admin needs --email and --name".into());
            };
            match seed::create_admin(&db, &email, &name).await? {
                Some(password) => println!(
                    "Created admin {email}. Temporary password (change it at first sign-in, within {} days): {password}",
                    app::domain::auth::server::TEMP_PASSWORD_DAYS
                ),
                None => println!("Created admin {email} with the password from ADMIN_PASSWORD."),
            }
            Ok(())
        }
        _ => {
            if args.seed_demo {
                seed::seed_demo(&db).await?;
                if args.large {
                    server::seed_scale::seed_large(&db).await?;
                }
            }
            if seed::user_count(&db).await? == 0 {
                tracing::warn!(
                    "no users yet: run `mentorship create-admin --email you@company.com --name \"Your Name\"` \
                     or start with --seed-demo for a demo organization"
                );
            }
            serve(config, db).await
        }
    }
}

/// `mentorship restore FILE`: into a new, empty database at `DATABASE_URL` (created).
async fn restore(config: &Config, file: &str) -> Result<(), Box<dyn std::error::Error>> {
    let db = app::db::open(&config.database_url).await?;
    let counts = server::backup::restore(&db, &config.database_url, std::path::Path::new(file)).await?;
    // A backup from an older version of the app is brought up to this one.
    app::db::migrate(&db).await?;
    let records: i64 = counts.values().sum();
    println!("Restored {file} into {} ({} tables, {records} records).", config.database_url, counts.len());
    Ok(())
}

async fn serve(config: Config, db: app::db::Db) -> Result<(), Box<dyn std::error::Error>> {
    let leptos_options = server::site_options(&config.site_root, config.addr);
    app::domain::auth::server::warm_up().await;
    server::spawn_survey_scheduler(db.clone(), config.survey_tick);
    server::spawn_tidy(db.clone(), config.auth.session_idle);
    if let Some(dir) = &config.backup_dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("BACKUP_DIR {dir}: {e}"))?;
        server::backup::spawn_scheduled(
            db.clone(),
            config.database_url.clone(),
            dir.into(),
            config.backup_every,
            config.backup_keep,
        );
    }
    // Survey results of open and recent surveys read once now, not on the first look.
    let warm_db = db.clone();
    tokio::spawn(async move {
        match app::domain::surveys::server::warm(&warm_db).await {
            Ok(n) => tracing::info!(surveys = n, "survey results kept"),
            Err(e) => tracing::warn!(%e, "survey results not read ahead"),
        }
    });
    let state = AppState::new(leptos_options, db, config.auth.clone()).watch_database();
    // Live dashboards, and the dashboard cache they keep honest, from the start.
    state.live.start();
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    tracing::info!("serving on http://{}", config.addr);
    // Pages are streamed in pieces: without TCP_NODELAY a small last piece can wait ~40 ms for the
    // client's delayed ACK (Nagle).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(%e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        })
        .await?;
    Ok(())
}
