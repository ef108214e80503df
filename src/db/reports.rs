//! The `reports` table: Flags received from other servers, for the node admin.

use super::Conn;
use sqlx::FromRow;

/// A stored report.
#[derive(Debug, Clone, FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub activity_id: String,
    pub reporter: String,
    /// A JSON array of the reported URLs on this node.
    pub objects: String,
    /// The reporter's comment, as plain text.
    pub content: String,
    pub received_at: i64,
    /// When the node admin marked it dealt with.
    pub resolved_at: Option<i64>,
}

/// A report as it arrives.
pub struct NewReport<'a> {
    pub activity_id: &'a str,
    pub reporter: &'a str,
    pub objects: &'a str,
    pub content: &'a str,
}

/// Stores a report; a Flag whose id is stored already is not stored twice. Returns
/// whether it was new.
pub async fn insert(conn: &mut Conn, r: &NewReport<'_>, now: i64) -> Result<bool, sqlx::Error> {
    // Dialect spot: ON CONFLICT DO NOTHING is understood by both SQLite and PostgreSQL.
    let done = sqlx::query(
        "INSERT INTO reports (activity_id, reporter, objects, content, received_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (activity_id) DO NOTHING",
    )
    .bind(r.activity_id)
    .bind(r.reporter)
    .bind(r.objects)
    .bind(r.content)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The newest reports first, at most `limit`: the open ones, or (with `all`) every one.
pub async fn newest(conn: &mut Conn, limit: i64, all: bool) -> Result<Vec<ReportRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, activity_id, reporter, objects, content, received_at, resolved_at \
         FROM reports WHERE $2 = 1 OR resolved_at IS NULL \
         ORDER BY received_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .bind(i64::from(all))
    .fetch_all(conn)
    .await
}

/// Marks the report of Flag `activity_id` dealt with; false when there is no open one.
pub async fn resolve(conn: &mut Conn, activity_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE reports SET resolved_at = $2 WHERE activity_id = $1 AND resolved_at IS NULL",
    )
    .bind(activity_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
