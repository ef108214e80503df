//! The `deliveries` table: the persistent outgoing queue, one row per (activity, inbox).
//! States: `pending` (due at `next_attempt_at`, leased while `locked_until` is ahead),
//! `done`, `failed` (given up) and `skipped` (the host was unavailable).

use sqlx::FromRow;

use super::sql::{Sql, Value};
use super::{Conn, is_postgres};

/// Rows per multi-row INSERT (5 values each, far below either database's limit).
const INSERT_CHUNK: usize = 200;

/// One inbox to queue an activity for.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub inbox: String,
    /// `host[:port]` of the inbox.
    pub host: String,
    /// `pending`, or `skipped` when the host is marked unavailable.
    pub state: &'static str,
}

/// A claimed delivery: what the engine needs to send it (the body is read per activity).
#[derive(Debug, Clone, FromRow)]
pub struct ClaimedRow {
    pub id: i64,
    pub activity_id: String,
    pub inbox: String,
    pub host: String,
    pub attempts: i64,
}

/// What to claim: due, unleased rows, at most `per_host` of one host, none of `busy_hosts`.
pub struct Claim<'a> {
    pub now: i64,
    /// The lease: nobody else claims the rows before this time.
    pub lease_until: i64,
    pub limit: i64,
    pub per_host: i64,
    /// How many of the oldest due rows to choose from (bounds the cost of a claim when
    /// thousands are due).
    pub window: i64,
    /// Hosts that already have as many deliveries in flight here as they may.
    pub busy_hosts: &'a [String],
}

/// Queues an activity for each inbox, due at once (`next_attempt_at` 0, so fresh work goes
/// before due retries); a repeat of the same (activity, inbox) is ignored.
pub async fn insert_many(
    conn: &mut Conn,
    activity_id: &str,
    rows: &[NewDelivery],
    now: i64,
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut sql = Sql::new(
            "INSERT INTO deliveries (activity_id, inbox, host, state, attempts, next_attempt_at, created_at) VALUES ",
        );
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ", []);
            }
            sql.push(
                "(?, ?, ?, ?, 0, 0, ?)",
                [
                    Sql::text_value(activity_id),
                    Sql::text_value(&row.inbox),
                    Sql::text_value(&row.host),
                    Sql::text_value(row.state),
                    Value::Int(now),
                ],
            );
        }
        sql.push(" ON CONFLICT (activity_id, inbox) DO NOTHING", []);
        sql.execute(conn).await?;
    }
    Ok(())
}

/// Leases up to `limit` due deliveries to the caller and returns them, oldest due first.
/// On PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED`, so several processes
/// claiming at once each get different rows; on SQLite the write lock serialises claims.
pub async fn claim(conn: &mut Conn, c: &Claim<'_>) -> Result<Vec<ClaimedRow>, sqlx::Error> {
    let mut sql = Sql::new("UPDATE deliveries SET locked_until = ");
    sql.push(
        "? WHERE id IN (SELECT id FROM deliveries WHERE id IN (\
         SELECT id FROM (SELECT id, next_attempt_at, \
         ROW_NUMBER() OVER (PARTITION BY host ORDER BY next_attempt_at, id) AS nth \
         FROM (SELECT id, host, next_attempt_at FROM deliveries \
         WHERE state = 'pending' AND next_attempt_at <= ? \
         AND (locked_until IS NULL OR locked_until < ?)",
        [
            Value::Int(c.lease_until),
            Value::Int(c.now),
            Value::Int(c.now),
        ],
    );
    if !c.busy_hosts.is_empty() {
        sql.push(" AND host NOT", []);
        sql.in_list(c.busy_hosts);
    }
    sql.push(
        " ORDER BY next_attempt_at, id LIMIT ?) AS head) AS due \
         WHERE nth <= ? ORDER BY next_attempt_at, id LIMIT ?) \
         AND state = 'pending' AND (locked_until IS NULL OR locked_until < ?)",
        [
            Value::Int(c.window),
            Value::Int(c.per_host),
            Value::Int(c.limit),
            Value::Int(c.now),
        ],
    );
    if is_postgres(conn) {
        // Dialect spot: SQLite has no row locks (its write lock serialises claims).
        sql.push(" FOR UPDATE SKIP LOCKED", []);
    }
    sql.push(") RETURNING id, activity_id, inbox, host, attempts", []);
    sql.fetch_all(conn).await
}

/// Prepares the connection the engine claims and records through. On PostgreSQL its
/// commits do not wait for the disk (`synchronous_commit = off`): if the database server
/// crashed, the last moment's leases or "sent" marks could be lost, which only means those
/// deliveries are sent again (receivers dedupe by activity id). Changes and the deliveries
/// they queue are still committed durably, on other connections.
pub async fn prepare_engine_connection(conn: &mut Conn) -> Result<(), sqlx::Error> {
    if is_postgres(conn) {
        // Dialect spot: SQLite's WAL with synchronous = NORMAL already commits without
        // waiting for the disk.
        sqlx::query("SET synchronous_commit = off")
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Marks deliveries sent.
pub async fn mark_done(conn: &mut Conn, ids: &[i64]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(
        "UPDATE deliveries SET state = 'done', attempts = attempts + 1, locked_until = NULL, \
         last_error = NULL WHERE id",
    );
    sql.in_int_list(ids);
    sql.execute(conn).await?;
    Ok(())
}

/// Records a failed attempt: try again at `next_attempt_at`, or give up when that is None.
pub async fn mark_failed(
    conn: &mut Conn,
    id: i64,
    error: &str,
    next_attempt_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    let state = if next_attempt_at.is_some() {
        "pending"
    } else {
        "failed"
    };
    sqlx::query(
        "UPDATE deliveries SET state = $2, attempts = attempts + 1, last_error = $3, \
         next_attempt_at = COALESCE($4, next_attempt_at), locked_until = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(error)
    .bind(next_attempt_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives leased rows back unattempted (a worker shutting down), so others claim them at once.
pub async fn release(conn: &mut Conn, ids: &[i64]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut sql =
        Sql::new("UPDATE deliveries SET locked_until = NULL WHERE state = 'pending' AND id");
    sql.in_int_list(ids);
    sql.execute(conn).await?;
    Ok(())
}

/// Sets aside the waiting deliveries to a host that is marked unavailable.
pub async fn skip_host(conn: &mut Conn, host: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE deliveries SET state = 'skipped', last_error = 'host unavailable', \
         locked_until = NULL WHERE host = $1 AND state = 'pending'",
    )
    .bind(host)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Makes a host's failed, skipped and waiting deliveries due now (rows in flight are left
/// alone). Given-up and skipped rows start a fresh retry schedule. Returns how many.
pub async fn retry_host(conn: &mut Conn, host: &str, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE deliveries SET \
         attempts = CASE WHEN state = 'pending' THEN attempts ELSE 0 END, \
         state = 'pending', next_attempt_at = $2, locked_until = NULL \
         WHERE host = $1 AND (state IN ('failed', 'skipped') OR (state = 'pending' \
         AND (locked_until IS NULL OR locked_until < $2)))",
    )
    .bind(host)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Deletes sent deliveries queued before `before` (the activities themselves are kept).
pub async fn purge_done(conn: &mut Conn, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM deliveries WHERE state = 'done' AND created_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Counts deliveries by state.
pub async fn count_by_state(conn: &mut Conn) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT state, COUNT(*) FROM deliveries GROUP BY state ORDER BY state")
        .fetch_all(conn)
        .await
}

/// Per host with work left or given up: (host, pending, failed, skipped).
pub async fn unfinished_by_host(
    conn: &mut Conn,
) -> Result<Vec<(String, i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT host, \
         SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), \
         SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), \
         SUM(CASE WHEN state = 'skipped' THEN 1 ELSE 0 END) \
         FROM deliveries WHERE state <> 'done' AND (state <> 'pending' OR attempts > 0) \
         GROUP BY host ORDER BY host",
    )
    .fetch_all(conn)
    .await
}

/// One delivery's state, attempts, next attempt time and last error, for tests and tools.
pub async fn find(
    conn: &mut Conn,
    activity_id: &str,
    inbox: &str,
) -> Result<Option<(String, i64, i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT state, attempts, next_attempt_at, last_error FROM deliveries \
         WHERE activity_id = $1 AND inbox = $2",
    )
    .bind(activity_id)
    .bind(inbox)
    .fetch_optional(conn)
    .await
}

/// Gives up the pending deliveries of what `coop_id` signed, recording `reason`.
pub async fn cancel_pending_of(
    conn: &mut Conn,
    coop_id: i64,
    reason: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE deliveries SET state = 'failed', last_error = $2 WHERE state = 'pending' \
         AND activity_id IN (SELECT id FROM activities WHERE coop_id = $1)",
    )
    .bind(coop_id)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
