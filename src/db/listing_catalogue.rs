//! What the in-memory catalogue of listed co-ops is loaded from
//! (`directory::index::catalogue`), and the version that keeps every process's copy fresh.
//!
//! Every change to what a browse shows (state, name, facets, sectors, dates, search
//! document) calls [`mark_changed`]. It bumps the one `listing_version` row and stamps the
//! listing with the new number, so that a reader that has seen version `v` has seen every
//! listing stamped `v` or lower, and reloads those stamped after the version it had.

use super::{Conn, directory_search, is_postgres};
use sqlx::FromRow;

/// What the catalogue keeps of a listing.
#[derive(Debug, Clone, FromRow)]
pub struct CatalogueRow {
    pub actor_id: String,
    pub state: String,
    /// The search document's key (`directory_search`); none when it has no document.
    pub docid: Option<i64>,
    pub name: String,
    pub nation: Option<String>,
    pub region: Option<String>,
    pub membership_type: Option<String>,
    pub legal_form: Option<String>,
    pub listed_at: Option<i64>,
    pub last_active_at: Option<i64>,
}

/// Records that a listing changed; call it after the change, in the change's transaction
/// when there is one. Either dialect is safe without one too. PostgreSQL bumps and stamps
/// in one statement, and the bump's row lock orders concurrent changes. SQLite stamps
/// first (with the number the bump will give) and bumps after: writers take turns, so a
/// reader that sees a version has already been able to see every stamp up to it.
pub async fn mark_changed(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    if is_postgres(conn) {
        sqlx::query(
            "WITH v AS (UPDATE listing_version SET seq = seq + 1 WHERE id = 1 RETURNING seq) \
             UPDATE listings SET changed_seq = (SELECT seq FROM v) WHERE actor_id = $1",
        )
        .bind(actor_id)
        .execute(conn)
        .await?;
        return Ok(());
    }
    sqlx::query(
        "UPDATE listings SET changed_seq = (SELECT seq + 1 FROM listing_version WHERE id = 1) \
         WHERE actor_id = $1",
    )
    .bind(actor_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE listing_version SET seq = seq + 1 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// The current version: the newest stamp given.
pub async fn version(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT seq FROM listing_version WHERE id = 1")
        .fetch_one(conn)
        .await
}

fn select(conn: &Conn) -> String {
    format!(
        "SELECT l.actor_id, l.state, {docid} AS docid, l.name, l.nation, l.region, \
         l.membership_type, l.legal_form, l.listed_at, l.last_active_at FROM listings l{join}",
        docid = directory_search::DOCID_COLUMN,
        join = directory_search::docid_join(conn),
    )
}

/// Every listed listing (a full load).
pub async fn listed(conn: &mut Conn) -> Result<Vec<CatalogueRow>, sqlx::Error> {
    let sql = format!("{} WHERE l.state = 'listed'", select(conn));
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(conn)
        .await
}

/// The sectors of every listed listing, as (actor id, sector).
pub async fn listed_sectors(conn: &mut Conn) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.actor_id, s.sector FROM listing_sectors s \
         JOIN listings l ON l.actor_id = s.actor_id WHERE l.state = 'listed'",
    )
    .fetch_all(conn)
    .await
}

/// Up to `limit` listings in any state stamped after `since` (an incremental load), oldest
/// stamp first. Those no longer listed tell the catalogue to drop them. The limit also
/// keeps the plan on the `changed_seq` index when PostgreSQL plans `> $1` generically.
pub async fn changed_since(
    conn: &mut Conn,
    since: i64,
    limit: i64,
) -> Result<Vec<CatalogueRow>, sqlx::Error> {
    let sql = format!(
        "{} WHERE l.changed_seq > $1 ORDER BY l.changed_seq LIMIT $2",
        select(conn)
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(since)
        .bind(limit)
        .fetch_all(conn)
        .await
}
