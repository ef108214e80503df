//! All SQL lives here, one file per table family. Queries use `$1` placeholders and
//! portable SQL; the few dialect spots are marked and kept behind one function each.
//! Functions take `&mut AnyConnection`, so callers choose a plain connection or a
//! transaction (the outbox pattern: a change and its deliveries commit together).

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

use crate::AppError;

pub mod accounts;
pub mod activities;
pub mod blocks;
pub mod boosts;
pub mod coops;
pub mod deliveries;
pub mod delivery_hosts;
pub mod directory_dashboard;
pub mod directory_queries;
pub mod directory_search;
pub mod followers;
pub mod follows;
pub mod invites;
pub mod listing_catalogue;
pub mod listings;
pub mod media;
pub mod notifications;
pub mod purge;
pub mod received;
pub mod remote_actors;
pub mod remote_posts;
pub mod reports;
pub mod sent_likes;
pub mod sessions;
pub mod settings;
pub mod sql;
pub mod stories;
pub mod story_drafts;
pub mod story_likes;
pub mod subfeeds;
pub mod tombstones;

pub use sqlx::AnyConnection as Conn;

/// The connection pool every part of the node shares.
pub type Db = AnyPool;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Opens the database, creating a SQLite file when it is missing. SQLite runs in WAL mode
/// with a busy timeout so the CLI can write while `serve` runs. `memory_map` (SQLite only)
/// reads the file through a 1 GiB memory map: about twice as fast for the directory's
/// index queries over a large database (benches/directory_browse.rs), but SQLite drops the
/// map whenever another connection has written, which costs a node busy with deliveries
/// and incoming activities about 30 % (benches/inbox_ingest.rs). Directory nodes use it.
pub async fn connect(url: &str, memory_map: bool) -> Result<Db, AppError> {
    sqlx::any::install_default_drivers();
    let url = if is_sqlite(url) && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_string()
    };
    if !(is_sqlite(&url) || url.starts_with("postgres:") || url.starts_with("postgresql:")) {
        return Err(AppError::Invalid(format!(
            "MUTUAL_DATABASE_URL must start with sqlite:// or postgres://, not {url}"
        )));
    }
    let options = AnyConnectOptions::from_str(&url)
        .map_err(|e| AppError::Invalid(format!("MUTUAL_DATABASE_URL: {e}")))?
        .disable_statement_logging();
    let sqlite = is_sqlite(&url);
    AnyPoolOptions::new()
        .max_connections(if sqlite { 4 } else { 16 })
        .acquire_timeout(Duration::from_secs(30))
        // No ping before each use: it cost an extra round trip per acquisition (about 20 %
        // of inbox ingest on PostgreSQL, benches/inbox_ingest.rs). A connection that died
        // fails its next query, which the caller reports or retries, and the pool drops it.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if sqlite {
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    // Reads through a memory map skip a system call per page: about twice
                    // as fast for the directory's index queries (benches/directory_browse.rs).
                    if memory_map {
                        conn.execute("PRAGMA mmap_size = 1073741824").await?;
                    }
                    // Query-planner statistics, gathered when a connection opens (the pool
                    // recycles connections within 30 minutes) if a table has none or has
                    // grown tenfold since. Without them SQLite walks every listing through
                    // an index in random order instead of scanning. No `analysis_limit`:
                    // sampled statistics misjudge low-cardinality columns such as `state`.
                    conn.execute("PRAGMA optimize = 0x10002").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| AppError::Internal(format!("cannot open database {url}: {e}")))
}

/// Applies the migrations of the database's dialect.
pub async fn migrate(db: &Db, url: &str) -> Result<(), AppError> {
    let migrator = if is_sqlite(url) {
        &SQLITE_MIGRATIONS
    } else {
        &POSTGRES_MIGRATIONS
    };
    migrator.run(db).await?;
    Ok(())
}

/// Opens the database and applies pending migrations.
pub async fn open(url: &str) -> Result<Db, AppError> {
    open_with(url, false).await
}

/// [`open`], choosing the SQLite memory map (see [`connect`]).
pub async fn open_with(url: &str, memory_map: bool) -> Result<Db, AppError> {
    let db = connect(url, memory_map).await?;
    migrate(&db, url).await?;
    Ok(db)
}

/// Begins a transaction that writes. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so concurrent writers queue behind the busy timeout; a plain
/// deferred `BEGIN` that has read and then writes fails at once with "database is locked"
/// when another connection wrote meanwhile (seen by benches/directory_refresh.rs).
pub async fn begin(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if db.connect_options().database_url.scheme() == "sqlite" {
        db.begin_with("BEGIN IMMEDIATE").await
    } else {
        db.begin().await
    }
}

/// Maps a unique-constraint violation to a friendly conflict, anything else to a database error.
pub fn conflict_or(e: sqlx::Error, message: impl FnOnce() -> String) -> AppError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => AppError::Conflict(message()),
        _ => AppError::Database(e),
    }
}

/// Whether this connection speaks PostgreSQL (otherwise SQLite): the test behind each
/// marked dialect spot.
pub fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}

/// Converts a stored 0/1 flag.
pub fn flag(value: i64) -> bool {
    value != 0
}
