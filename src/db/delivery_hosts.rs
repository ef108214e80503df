//! The `delivery_hosts` table: hosts deliveries failed to reach, and which are unavailable.

use sqlx::FromRow;

use super::Conn;
use super::sql::Sql;

/// A host's failure record.
#[derive(Debug, Clone, FromRow)]
pub struct HostRow {
    pub host: String,
    /// Distinct (UTC) days with a failed delivery since the last success.
    pub failure_days: i64,
    pub last_failure_at: Option<i64>,
    pub last_error: Option<String>,
    /// Set while the host is skipped.
    pub unavailable_since: Option<i64>,
}

const COLUMNS: &str = "host, failure_days, last_failure_at, last_error, unavailable_since";

/// Records a failed delivery to `host` on `day` (days since the epoch). A day counts once,
/// and only a day later than the last counted one counts (a failure recorded late, after a
/// later day's, is not a new day).
/// Returns the host's record after the change.
pub async fn record_failure(
    conn: &mut Conn,
    host: &str,
    day: i64,
    now: i64,
    error: &str,
) -> Result<HostRow, sqlx::Error> {
    // Dialect spot: ON CONFLICT … DO UPDATE … RETURNING is understood by both databases.
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO delivery_hosts (host, failure_days, last_failure_day, last_failure_at, last_error) \
         VALUES ($1, 1, $2, $3, $4) ON CONFLICT (host) DO UPDATE SET \
         failure_days = CASE WHEN excluded.last_failure_day > delivery_hosts.last_failure_day \
           THEN delivery_hosts.failure_days + 1 ELSE delivery_hosts.failure_days END, \
         last_failure_day = CASE WHEN excluded.last_failure_day > delivery_hosts.last_failure_day \
           THEN excluded.last_failure_day ELSE delivery_hosts.last_failure_day END, \
         last_failure_at = excluded.last_failure_at, last_error = excluded.last_error \
         RETURNING {COLUMNS}"
    )))
    .bind(host)
    .bind(day)
    .bind(now)
    .bind(error)
    .fetch_one(conn)
    .await
}

/// Marks a host unavailable from `now` (kept if it already was).
pub async fn mark_unavailable(conn: &mut Conn, host: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE delivery_hosts SET unavailable_since = COALESCE(unavailable_since, $2) WHERE host = $1",
    )
    .bind(host)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the host has a failure record at all (the cheap read before `clear`).
pub async fn has_record(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM delivery_hosts WHERE host = $1")
        .bind(host)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Which of `hosts` have a failure record.
pub async fn with_records(conn: &mut Conn, hosts: &[String]) -> Result<Vec<String>, sqlx::Error> {
    if hosts.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new("SELECT host FROM delivery_hosts WHERE host");
    sql.in_list(hosts);
    let rows: Vec<(String,)> = sql.fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(h,)| h).collect())
}

/// Forgets a host's failures and unavailability (it answered). Returns whether it had any.
pub async fn clear(conn: &mut Conn, host: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM delivery_hosts WHERE host = $1")
        .bind(host)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The hosts currently marked unavailable.
pub async fn unavailable(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT host FROM delivery_hosts WHERE unavailable_since IS NOT NULL ORDER BY host",
    )
    .fetch_all(conn)
    .await
}

/// Every host with a failure record, most recent failure first.
pub async fn list(conn: &mut Conn) -> Result<Vec<HostRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM delivery_hosts ORDER BY last_failure_at DESC, host"
    )))
    .fetch_all(conn)
    .await
}

/// One host's record.
pub async fn find(conn: &mut Conn, host: &str) -> Result<Option<HostRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM delivery_hosts WHERE host = $1"
    )))
    .bind(host)
    .fetch_optional(conn)
    .await
}
