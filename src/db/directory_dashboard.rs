//! What a directory organiser's dashboard reads: recent joins and leaves, and listings
//! whose last refresh failed.

use super::Conn;

/// What the organiser's dashboard lists: (actor id, handle or name, detail, time).
pub type DashboardRow = (String, String, String, i64);

/// The newest listings, newest first: (actor id, handle, name, listed at).
pub async fn recent_joins(conn: &mut Conn, limit: i64) -> Result<Vec<DashboardRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT actor_id, COALESCE(handle, ''), name, listed_at FROM listings \
         WHERE state = 'listed' AND listed_at IS NOT NULL ORDER BY listed_at DESC, actor_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The latest to leave, newest first: (actor id, '', reason, delisted at).
pub async fn recent_leaves(conn: &mut Conn, limit: i64) -> Result<Vec<DashboardRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT actor_id, '', COALESCE(delisted_reason, ''), delisted_at FROM listings \
         WHERE state = 'delisted' AND delisted_at IS NOT NULL ORDER BY delisted_at DESC, actor_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Listed actors whose last refresh failed, newest failure first:
/// (actor id, handle, error, failed at).
pub async fn refresh_failures(
    conn: &mut Conn,
    limit: i64,
) -> Result<Vec<DashboardRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT actor_id, COALESCE(handle, ''), refresh_error, refresh_failed_at FROM listings \
         WHERE state = 'listed' AND refresh_error IS NOT NULL AND refresh_failed_at IS NOT NULL \
         ORDER BY refresh_failed_at DESC, actor_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}
