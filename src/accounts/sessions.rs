//! Log-in, sessions and passwords. A session id is a 256-bit secret given to the browser
//! once; the database keeps its SHA-256, so a leaked database holds no usable session.
//! Every log-in makes a new session (no id chosen before log-in is ever adopted).

use super::{Account, check_password, digest, hash_password, secret, verify_password};
use crate::app::Node;
use crate::db::sessions::SessionRow;
use crate::{AppError, db, now_ms};

/// How long a session lasts.
pub const SESSION_MS: i64 = 30 * 24 * 3600 * 1000;
/// The window of the log-in rate limit.
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failed log-ins allowed per account in the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed log-ins allowed per IP address in the window.
pub const MAX_FAILURES_PER_IP: i64 = 20;

/// A live session with its account.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    /// The token every form of this session must carry.
    pub csrf: String,
    id_hash: String,
}

/// The one message for a failed log-in: it never says which half was wrong.
pub const LOGIN_FAILED: &str = "that username and password do not match an account";

/// Starts a session for an account: returns the secret for the cookie.
pub async fn start(node: &Node, account_id: &str) -> Result<String, AppError> {
    let id = secret();
    let now = now_ms();
    let mut conn = node.db.acquire().await?;
    db::sessions::insert(
        &mut conn,
        &SessionRow {
            id_hash: digest(&id),
            account_id: account_id.to_string(),
            csrf: secret(),
            created_at: now,
            expires_at: now + SESSION_MS,
        },
    )
    .await?;
    db::sessions::purge(&mut conn, now, now - FAILURE_WINDOW_MS).await?;
    Ok(id)
}

/// Logs in: checks the rate limits (per IP and per account), then the password. Returns
/// the new session's secret. Failures are counted; a success clears the account's.
pub async fn log_in(
    node: &Node,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<String, AppError> {
    let username = username.trim().to_ascii_lowercase();
    let (ip_key, account_key) = (format!("ip:{ip}"), format!("account:{username}"));
    let now = now_ms();
    let since = now - FAILURE_WINDOW_MS;
    let mut conn = node.db.acquire().await?;
    if db::sessions::failures_since(&mut conn, &ip_key, since).await? >= MAX_FAILURES_PER_IP
        || db::sessions::failures_since(&mut conn, &account_key, since).await?
            >= MAX_FAILURES_PER_ACCOUNT
    {
        return Err(AppError::TooManyRequests(
            "too many failed log-ins: try again in 15 minutes".into(),
        ));
    }
    let row = db::accounts::by_username(&mut conn, &username).await?;
    drop(conn);
    let ok = verify_password(password, row.as_ref().map(|r| r.password_hash.as_str())).await?;
    let mut conn = node.db.acquire().await?;
    match row {
        Some(row) if ok => {
            db::sessions::clear_failures(&mut conn, &account_key).await?;
            drop(conn);
            start(node, &row.id).await
        }
        _ => {
            db::sessions::record_failure(&mut conn, &ip_key, now).await?;
            db::sessions::record_failure(&mut conn, &account_key, now).await?;
            Err(AppError::Unauthorized(LOGIN_FAILED.into()))
        }
    }
}

/// The live session whose secret the browser sent, if any.
pub async fn current(node: &Node, secret: &str) -> Result<Option<Session>, AppError> {
    let mut conn = node.db.acquire().await?;
    let Some(s) = db::sessions::live(&mut conn, &digest(secret), now_ms()).await? else {
        return Ok(None);
    };
    let Some(row) = db::accounts::by_id(&mut conn, &s.account_id).await? else {
        return Ok(None);
    };
    Ok(Some(Session {
        account: Account { row },
        csrf: s.csrf,
        id_hash: s.id_hash,
    }))
}

/// Logs this session out.
pub async fn log_out(node: &Node, session: &Session) -> Result<(), AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::sessions::delete(&mut conn, &session.id_hash).await?)
}

/// Logs the account out everywhere, this session included.
pub async fn log_out_everywhere(node: &Node, account_id: &str) -> Result<u64, AppError> {
    let mut conn = node.db.acquire().await?;
    Ok(db::sessions::delete_all_of(&mut conn, account_id).await?)
}

/// Changes the password after checking the current one; every other session ends.
/// Returns a new session's secret for this browser.
pub async fn change_password(
    node: &Node,
    session: &Session,
    current_password: &str,
    new: &str,
    confirm: &str,
) -> Result<String, AppError> {
    if !verify_password(current_password, Some(&session.account.row.password_hash)).await? {
        return Err(AppError::Invalid(
            "current password: that is not your password".into(),
        ));
    }
    check_password(new, confirm)?;
    let hash = hash_password(new).await?;
    let mut tx = db::begin(&node.db).await?;
    db::accounts::set_password(&mut tx, session.account.id(), &hash).await?;
    db::sessions::delete_all_of(&mut tx, session.account.id()).await?;
    tx.commit().await?;
    start(node, session.account.id()).await
}
