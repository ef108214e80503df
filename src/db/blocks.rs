//! The `domain_blocks` and `actor_blocks` tables: what the node admin and co-ops' admins
//! blocked.

use super::Conn;
use super::sql::Sql;

/// Records a domain block; returns false when the domain was blocked already.
pub async fn add_domain(conn: &mut Conn, domain: &str, now: i64) -> Result<bool, sqlx::Error> {
    // Dialect spot: ON CONFLICT DO NOTHING is understood by both SQLite and PostgreSQL.
    let done = sqlx::query(
        "INSERT INTO domain_blocks (domain, created_at) VALUES ($1, $2) ON CONFLICT (domain) DO NOTHING",
    )
    .bind(domain)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lifts a domain block; returns whether there was one.
pub async fn remove_domain(conn: &mut Conn, domain: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM domain_blocks WHERE domain = $1")
        .bind(domain)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Every blocked domain with when it was blocked, alphabetically.
pub async fn domains(conn: &mut Conn) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT domain, created_at FROM domain_blocks ORDER BY domain")
        .fetch_all(conn)
        .await
}

/// Whether any of `candidates` (a URL's host and its parent domains, each with and without
/// the port) is blocked.
pub async fn any_domain(conn: &mut Conn, candidates: &[String]) -> Result<bool, sqlx::Error> {
    if candidates.is_empty() {
        return Ok(false);
    }
    let mut sql = Sql::new("SELECT COUNT(*) FROM domain_blocks WHERE domain");
    sql.in_list(candidates);
    Ok(sql.fetch_count(conn).await? > 0)
}

/// Records a co-op's block of an actor; returns false when it was blocked already.
pub async fn add_actor(
    conn: &mut Conn,
    coop_id: i64,
    actor_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    // Dialect spot: ON CONFLICT DO NOTHING is understood by both SQLite and PostgreSQL.
    let done = sqlx::query(
        "INSERT INTO actor_blocks (coop_id, actor_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (coop_id, actor_id) DO NOTHING",
    )
    .bind(coop_id)
    .bind(actor_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lifts a co-op's block of an actor; returns whether there was one.
pub async fn remove_actor(
    conn: &mut Conn,
    coop_id: i64,
    actor_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM actor_blocks WHERE coop_id = $1 AND actor_id = $2")
        .bind(coop_id)
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The actors a co-op blocked, with when, alphabetically.
pub async fn actors(conn: &mut Conn, coop_id: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT actor_id, created_at FROM actor_blocks WHERE coop_id = $1 ORDER BY actor_id",
    )
    .bind(coop_id)
    .fetch_all(conn)
    .await
}

/// The handles of the co-ops that blocked an actor.
pub async fn handles_blocking(conn: &mut Conn, actor_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT c.handle FROM actor_blocks b JOIN coops c ON c.id = b.coop_id \
         WHERE b.actor_id = $1 ORDER BY c.handle",
    )
    .bind(actor_id)
    .fetch_all(conn)
    .await
}
