//! The directory's listings: what the directory knows of each actor it invited or listed.
//! Only rows in state `listed` are ever shown; a delisted row keeps nothing but its id,
//! state and reason. Writes that change what a browse shows stamp the listing for the
//! in-memory catalogues (`listing_catalogue::mark_changed`); call them in a transaction.

use super::{Conn, directory_search, listing_catalogue};
use sqlx::FromRow;

/// A listing as stored.
#[derive(Debug, Clone, Default, FromRow)]
pub struct ListingRow {
    pub actor_id: String,
    pub state: String,
    pub follow_id: Option<String>,
    pub handle: Option<String>,
    pub name: String,
    pub summary: String,
    pub url: Option<String>,
    pub nation: Option<String>,
    pub region: Option<String>,
    pub locality: Option<String>,
    pub membership_type: Option<String>,
    pub legal_form: Option<String>,
    pub registrar: Option<String>,
    pub registered_number: Option<String>,
    pub founded: Option<i64>,
    pub members: Option<i64>,
    pub website: Option<String>,
    pub indexable: i64,
    pub boost_allowed: i64,
    pub boost_excluded: i64,
    pub listed_at: Option<i64>,
    pub last_seen_at: Option<i64>,
    pub last_active_at: Option<i64>,
    pub next_refresh_at: i64,
    pub missing_count: i64,
    pub delisted_reason: Option<String>,
}

/// Every column, for queries elsewhere that read whole rows (prefix with a table alias as needed).
pub const COLUMNS: &str = "actor_id, state, follow_id, handle, name, summary, url, nation, region, locality, \
    membership_type, legal_form, registrar, registered_number, founded, members, website, indexable, \
    boost_allowed, boost_excluded, listed_at, last_seen_at, last_active_at, next_refresh_at, missing_count, \
    delisted_reason";

/// A story of a listed actor.
#[derive(Debug, Clone, FromRow)]
pub struct ListingStoryRow {
    pub id: String,
    pub actor_id: String,
    pub title: String,
    pub content: String,
    pub url: Option<String>,
    pub kind: String,
    pub published_at: i64,
}

/// Finds a listing in any state.
pub async fn find(conn: &mut Conn, actor_id: &str) -> Result<Option<ListingRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM listings WHERE actor_id = $1"
    )))
    .bind(actor_id)
    .fetch_optional(conn)
    .await
}

/// Records an invitation (the directory's Follow); an existing row keeps its profile.
pub async fn invite(conn: &mut Conn, actor_id: &str, follow_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO listings (actor_id, state, follow_id) VALUES ($1, 'invited', $2) \
         ON CONFLICT (actor_id) DO UPDATE SET follow_id = excluded.follow_id, \
         state = CASE WHEN listings.state = 'listed' THEN 'listed' ELSE 'invited' END",
    )
    .bind(actor_id)
    .bind(follow_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes a listing's profile and state (`listed`, or `hidden` when consent is missing),
/// its sectors and its search document.
pub async fn save_profile(
    conn: &mut Conn,
    l: &ListingRow,
    sectors: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO listings (actor_id, state, follow_id, handle, name, summary, url, nation, region, locality, \
         membership_type, legal_form, registrar, registered_number, founded, members, website, indexable, \
         boost_allowed, boost_excluded, listed_at, last_seen_at, last_active_at, next_refresh_at, missing_count, \
         delisted_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21, $22, $23, $24, $25, $26) \
         ON CONFLICT (actor_id) DO UPDATE SET state = excluded.state, follow_id = COALESCE(excluded.follow_id, listings.follow_id), \
         handle = excluded.handle, name = excluded.name, summary = excluded.summary, url = excluded.url, \
         nation = excluded.nation, region = excluded.region, locality = excluded.locality, \
         membership_type = excluded.membership_type, legal_form = excluded.legal_form, registrar = excluded.registrar, \
         registered_number = excluded.registered_number, founded = excluded.founded, members = excluded.members, \
         website = excluded.website, indexable = excluded.indexable, boost_allowed = excluded.boost_allowed, \
         listed_at = COALESCE(listings.listed_at, excluded.listed_at), last_seen_at = excluded.last_seen_at, \
         next_refresh_at = excluded.next_refresh_at, missing_count = 0, delisted_reason = NULL, \
         delisted_at = NULL, refresh_error = NULL, refresh_failed_at = NULL",
    )
    .bind(&l.actor_id)
    .bind(&l.state)
    .bind(&l.follow_id)
    .bind(&l.handle)
    .bind(&l.name)
    .bind(&l.summary)
    .bind(&l.url)
    .bind(&l.nation)
    .bind(&l.region)
    .bind(&l.locality)
    .bind(&l.membership_type)
    .bind(&l.legal_form)
    .bind(&l.registrar)
    .bind(&l.registered_number)
    .bind(l.founded)
    .bind(l.members)
    .bind(&l.website)
    .bind(l.indexable)
    .bind(l.boost_allowed)
    .bind(l.boost_excluded)
    .bind(l.listed_at)
    .bind(l.last_seen_at)
    .bind(l.last_active_at)
    .bind(l.next_refresh_at)
    .bind(l.missing_count)
    .bind(&l.delisted_reason)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM listing_sectors WHERE actor_id = $1")
        .bind(&l.actor_id)
        .execute(&mut *conn)
        .await?;
    for sector in sectors {
        sqlx::query(
            "INSERT INTO listing_sectors (actor_id, sector) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(&l.actor_id)
        .bind(sector)
        .execute(&mut *conn)
        .await?;
    }
    if l.indexable == 0 {
        sqlx::query("DELETE FROM listing_stories WHERE actor_id = $1")
            .bind(&l.actor_id)
            .execute(&mut *conn)
            .await?;
    }
    reindex(conn, &l.actor_id).await?;
    listing_catalogue::mark_changed(conn, &l.actor_id).await
}

/// Rebuilds a listing's search document from its profile and (if indexable) its stories;
/// listings that are not `listed` have none.
pub async fn reindex(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    let Some(l) = find(conn, actor_id).await? else {
        return directory_search::remove(conn, actor_id).await;
    };
    if l.state != "listed" {
        return directory_search::remove(conn, actor_id).await;
    }
    let head = format!(
        "{}\n{}\n{}",
        l.name,
        crate::content::html::plain_text(&l.summary),
        l.locality.unwrap_or_default()
    );
    let mut body = String::new();
    let stories: Vec<(String, String)> = sqlx::query_as(
        "SELECT title, content FROM listing_stories WHERE actor_id = $1 ORDER BY published_at DESC LIMIT 50",
    )
    .bind(actor_id)
    .fetch_all(&mut *conn)
    .await?;
    for (title, content) in stories {
        body.push('\n');
        body.push_str(&title);
        body.push('\n');
        body.push_str(&crate::content::html::plain_text(&content));
    }
    directory_search::put(conn, actor_id, &head, &body).await
}

/// Delists an actor at once: drops everything shown about it and keeps only the reason.
pub async fn delist(conn: &mut Conn, actor_id: &str, reason: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE listings SET state = 'delisted', delisted_reason = $2, handle = NULL, name = '', summary = '', \
         url = NULL, nation = NULL, region = NULL, locality = NULL, membership_type = NULL, legal_form = NULL, \
         registrar = NULL, registered_number = NULL, founded = NULL, members = NULL, website = NULL, \
         listed_at = NULL, follow_id = NULL, delisted_at = $3 WHERE actor_id = $1 AND state <> 'delisted'",
    )
    .bind(actor_id)
    .bind(reason)
    .bind(crate::now_ms())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM listing_sectors WHERE actor_id = $1")
        .bind(actor_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM listing_stories WHERE actor_id = $1")
        .bind(actor_id)
        .execute(&mut *conn)
        .await?;
    directory_search::remove(conn, actor_id).await?;
    if done.rows_affected() > 0 {
        listing_catalogue::mark_changed(conn, actor_id).await?;
    }
    Ok(done.rows_affected() > 0)
}

/// Stores or replaces a story of a listed actor, and marks the actor active.
pub async fn put_story(conn: &mut Conn, s: &ListingStoryRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO listing_stories (id, actor_id, title, content, url, kind, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET title = excluded.title, \
         content = excluded.content, url = excluded.url, kind = excluded.kind",
    )
    .bind(&s.id)
    .bind(&s.actor_id)
    .bind(&s.title)
    .bind(&s.content)
    .bind(&s.url)
    .bind(&s.kind)
    .bind(s.published_at)
    .execute(&mut *conn)
    .await?;
    touch_active(conn, &s.actor_id, s.published_at).await?;
    reindex(conn, &s.actor_id).await
}

/// Removes a story; returns whether one went.
pub async fn remove_story(conn: &mut Conn, id: &str, actor_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM listing_stories WHERE id = $1 AND actor_id = $2")
        .bind(id)
        .bind(actor_id)
        .execute(&mut *conn)
        .await?;
    reindex(conn, actor_id).await?;
    Ok(done.rows_affected() > 0)
}

/// Records activity from an actor (a post or a boost).
pub async fn touch_active(conn: &mut Conn, actor_id: &str, at: i64) -> Result<(), sqlx::Error> {
    let done = sqlx::query("UPDATE listings SET last_active_at = $2 WHERE actor_id = $1 AND (last_active_at IS NULL OR last_active_at < $2)")
        .bind(actor_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() > 0 {
        listing_catalogue::mark_changed(conn, actor_id).await?;
    }
    Ok(())
}

/// Sets the organiser's boost exclusion.
pub async fn set_boost_excluded(
    conn: &mut Conn,
    actor_id: &str,
    excluded: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE listings SET boost_excluded = $2 WHERE actor_id = $1")
        .bind(actor_id)
        .bind(i64::from(excluded))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Records a refresh that found the actor missing (404); returns the new count.
pub async fn count_missing(
    conn: &mut Conn,
    actor_id: &str,
    next_refresh_at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE listings SET missing_count = missing_count + 1, next_refresh_at = $2, \
         refresh_error = 'not found (404)', refresh_failed_at = $3 WHERE actor_id = $1 RETURNING missing_count",
    )
    .bind(actor_id)
    .bind(next_refresh_at)
    .bind(crate::now_ms())
    .fetch_one(conn)
    .await
}

/// Pushes back a listing's next refresh after a failure that says nothing about consent,
/// keeping the error for the organiser's dashboard.
pub async fn postpone_refresh(
    conn: &mut Conn,
    actor_id: &str,
    next_refresh_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE listings SET next_refresh_at = $2, refresh_error = $3, refresh_failed_at = $4 \
         WHERE actor_id = $1",
    )
    .bind(actor_id)
    .bind(next_refresh_at)
    .bind(error)
    .bind(crate::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Listed actors due for a refresh, soonest first.
pub async fn due_for_refresh(
    conn: &mut Conn,
    now: i64,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT actor_id FROM listings WHERE state = 'listed' AND next_refresh_at <= $1 ORDER BY next_refresh_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Adds a suggestion unless the actor is already known to the directory.
pub async fn suggest(
    conn: &mut Conn,
    actor_id: &str,
    source: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if find(conn, actor_id).await?.is_some() {
        return Ok(false);
    }
    let done = sqlx::query("INSERT INTO directory_suggestions (actor_id, source, found_at) VALUES ($1, $2, $3) ON CONFLICT (actor_id) DO NOTHING")
        .bind(actor_id)
        .bind(source)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The suggestions, oldest first.
pub async fn suggestions(conn: &mut Conn) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT actor_id, source, found_at FROM directory_suggestions ORDER BY found_at, actor_id",
    )
    .fetch_all(conn)
    .await
}

/// Forgets a suggestion (it was invited or dismissed).
pub async fn drop_suggestion(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM directory_suggestions WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}
