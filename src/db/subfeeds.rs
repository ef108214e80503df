//! The `subfeeds` table: which slice of the directory (a sector or a nation) each of the
//! directory's sub-actors boosts. The actors themselves are `coops` rows (kind `subfeed`).

use super::Conn;
use sqlx::FromRow;

/// A sub-feed with its actor's handle and how many accept its boosts.
#[derive(Debug, Clone, FromRow)]
pub struct SubfeedRow {
    pub coop_id: i64,
    pub handle: String,
    /// `sector` or `nation`.
    pub facet: String,
    /// The sector or nation code.
    pub value: String,
    /// Accepted followers.
    pub followers: i64,
    pub created_at: i64,
}

/// Records the slice of the sub-actor `coop_id`. A slice that has one already is a unique
/// violation.
pub async fn insert(
    conn: &mut Conn,
    coop_id: i64,
    facet: &str,
    value: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO subfeeds (coop_id, facet, value, created_at) VALUES ($1, $2, $3, $4)")
        .bind(coop_id)
        .bind(facet)
        .bind(value)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every sub-feed, sectors first, each by code.
pub async fn all(conn: &mut Conn) -> Result<Vec<SubfeedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.coop_id, c.handle, s.facet, s.value, \
         (SELECT COUNT(*) FROM followers f WHERE f.coop_id = s.coop_id AND f.state = 'accepted') AS followers, \
         s.created_at \
         FROM subfeeds s JOIN coops c ON c.id = s.coop_id ORDER BY s.facet DESC, s.value",
    )
    .fetch_all(conn)
    .await
}

/// The sub-actors whose slice includes the listed actor `actor_id`: one of its sectors,
/// or its nation.
pub async fn covering(conn: &mut Conn, actor_id: &str) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.coop_id FROM subfeeds s WHERE \
         (s.facet = 'sector' AND s.value IN (SELECT sector FROM listing_sectors WHERE actor_id = $1)) \
         OR (s.facet = 'nation' AND s.value IN (SELECT nation FROM listings WHERE actor_id = $1 AND state = 'listed')) \
         ORDER BY s.coop_id",
    )
    .bind(actor_id)
    .fetch_all(conn)
    .await
}

/// Forgets the slice of sub-actor `coop_id` (it boosts nothing any more).
pub async fn remove(conn: &mut Conn, coop_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM subfeeds WHERE coop_id = $1")
        .bind(coop_id)
        .execute(conn)
        .await?;
    Ok(())
}
