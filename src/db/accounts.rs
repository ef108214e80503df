//! Accounts of people who work the node from the browser, and their roles in co-ops.

use super::Conn;
use sqlx::FromRow;

/// An account as stored.
#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub node_admin: i64,
    pub organiser: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "id, username, password_hash, node_admin, organiser, created_at";

/// A member of a co-op, with the co-op's handle.
#[derive(Debug, Clone, FromRow)]
pub struct MembershipRow {
    pub account_id: String,
    pub username: String,
    pub coop_id: i64,
    pub handle: String,
    pub role: String,
    pub created_at: i64,
}

/// Stores a new account; false when the username is taken.
pub async fn insert(conn: &mut Conn, a: &AccountRow) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO accounts (id, username, password_hash, node_admin, organiser, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING",
    )
    .bind(&a.id)
    .bind(&a.username)
    .bind(&a.password_hash)
    .bind(a.node_admin)
    .bind(a.organiser)
    .bind(a.created_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_username(
    conn: &mut Conn,
    username: &str,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE username = $1"
    )))
    .bind(username)
    .fetch_optional(conn)
    .await
}

pub async fn by_id(conn: &mut Conn, id: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM accounts WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn set_password(conn: &mut Conn, id: &str, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Grants a role: node admin or directory organiser.
pub async fn grant(
    conn: &mut Conn,
    id: &str,
    node_admin: bool,
    organiser: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE accounts SET node_admin = CASE WHEN $2 = 1 THEN 1 ELSE node_admin END, \
         organiser = CASE WHEN $3 = 1 THEN 1 ELSE organiser END WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(node_admin))
    .bind(i64::from(organiser))
    .execute(conn)
    .await?;
    Ok(())
}

/// How many node admins there are.
pub async fn count_node_admins(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE node_admin = 1")
        .fetch_one(conn)
        .await
}

/// Adds (or changes) an account's role in a co-op.
pub async fn put_membership(
    conn: &mut Conn,
    account_id: &str,
    coop_id: i64,
    role: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO memberships (account_id, coop_id, role, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (account_id, coop_id) DO UPDATE SET role = excluded.role",
    )
    .bind(account_id)
    .bind(coop_id)
    .bind(role)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes an account from a co-op; returns whether it was a member.
pub async fn remove_membership(
    conn: &mut Conn,
    account_id: &str,
    coop_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM memberships WHERE account_id = $1 AND coop_id = $2")
        .bind(account_id)
        .bind(coop_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

const MEMBERSHIP: &str = "SELECT m.account_id, a.username, m.coop_id, c.handle, m.role, m.created_at \
     FROM memberships m JOIN accounts a ON a.id = m.account_id JOIN coops c ON c.id = m.coop_id";

/// The members of a co-op, by username.
pub async fn members_of(conn: &mut Conn, coop_id: i64) -> Result<Vec<MembershipRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{MEMBERSHIP} WHERE m.coop_id = $1 ORDER BY a.username"
    )))
    .bind(coop_id)
    .fetch_all(conn)
    .await
}

/// The co-ops an account belongs to, by handle.
pub async fn memberships_of(
    conn: &mut Conn,
    account_id: &str,
) -> Result<Vec<MembershipRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{MEMBERSHIP} WHERE m.account_id = $1 ORDER BY c.handle"
    )))
    .bind(account_id)
    .fetch_all(conn)
    .await
}
