//! Full-text search documents for the directory: the one dialect spot of the index.
//! SQLite keeps them in an FTS5 table; PostgreSQL in a table with a generated `tsvector`
//! column and a GIN index. Callers never see the difference.

use super::Conn;
use sqlx::Connection;

/// Whether this connection speaks PostgreSQL (otherwise SQLite).
pub fn is_postgres(conn: &Conn) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql")
}

/// Stores (or replaces) the search document of a listing.
pub async fn put(conn: &mut Conn, actor_id: &str, body: &str) -> Result<(), sqlx::Error> {
    remove(conn, actor_id).await?;
    sqlx::query("INSERT INTO listing_search (actor_id, body) VALUES ($1, $2)")
        .bind(actor_id)
        .bind(body)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes the search document of a listing.
pub async fn remove(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM listing_search WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}
