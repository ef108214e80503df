//! Node-wide settings stored as name/value pairs.

use super::Conn;

/// Reads one setting.
pub async fn get(conn: &mut Conn, name: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
}

/// Stores a setting unless it is already set; returns the value that is stored.
pub async fn get_or_insert(
    conn: &mut Conn,
    name: &str,
    value: &str,
) -> Result<String, sqlx::Error> {
    // Portable "insert if absent": the primary key rejects a second row, which we ignore.
    let inserted = sqlx::query(
        "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(value)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(value.to_string());
    }
    Ok(get(conn, name).await?.unwrap_or_else(|| value.to_string()))
}
