//! Full-text search documents for the directory: the one dialect spot of the index.
//! SQLite keeps them in an FTS5 table; PostgreSQL in a table with a generated `tsvector`
//! column and a GIN index. Callers never see the difference.

use super::{Conn, is_postgres};

/// Stores (or replaces) the search document of a listing. On SQLite the document's rowid
/// comes from `listing_search_ids`, so the old document is found by rowid: FTS5 cannot
/// index `actor_id`, and a delete by it would scan every document.
pub async fn put(conn: &mut Conn, actor_id: &str, body: &str) -> Result<(), sqlx::Error> {
    if is_postgres(conn) {
        remove(conn, actor_id).await?;
        sqlx::query("INSERT INTO listing_search (actor_id, body) VALUES ($1, $2)")
            .bind(actor_id)
            .bind(body)
            .execute(conn)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO listing_search_ids (actor_id) VALUES ($1) ON CONFLICT (actor_id) DO NOTHING",
    )
    .bind(actor_id)
    .execute(&mut *conn)
    .await?;
    let docid: i64 = sqlx::query_scalar("SELECT docid FROM listing_search_ids WHERE actor_id = $1")
        .bind(actor_id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM listing_search WHERE rowid = $1")
        .bind(docid)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO listing_search (rowid, actor_id, body) VALUES ($1, $2, $3)")
        .bind(docid)
        .bind(actor_id)
        .bind(body)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes the search document of a listing.
pub async fn remove(conn: &mut Conn, actor_id: &str) -> Result<(), sqlx::Error> {
    if is_postgres(conn) {
        sqlx::query("DELETE FROM listing_search WHERE actor_id = $1")
            .bind(actor_id)
            .execute(conn)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "DELETE FROM listing_search WHERE rowid IN (SELECT docid FROM listing_search_ids WHERE actor_id = $1)",
    )
    .bind(actor_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM listing_search_ids WHERE actor_id = $1")
        .bind(actor_id)
        .execute(conn)
        .await?;
    Ok(())
}

// ---- Read side: matching and ranking (the other half of the dialect spot). ----

/// The most common English words, dropped from search terms so both dialects agree:
/// PostgreSQL's `english` configuration ignores them, FTS5 would require them.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "the", "to", "with",
];

/// At most this many words of a search are used.
const MAX_TERMS: usize = 16;
/// Longer words are cut to this many characters.
const MAX_TERM_CHARS: usize = 64;

/// The words of a user's search text: lower-cased runs of letters and digits, without
/// stop words, at most 16. Nothing else of the text reaches the query, so user input can
/// never be search syntax. Empty means "no search".
pub fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let word: String = word.to_lowercase().chars().take(MAX_TERM_CHARS).collect();
        if STOP_WORDS.contains(&word.as_str()) || out.contains(&word) {
            continue;
        }
        out.push(word);
        if out.len() == MAX_TERMS {
            break;
        }
    }
    out
}

/// A derived table `(actor_id, score)` of the listings whose search document holds every
/// term, best match first when ordered by `score` ascending. It has one `?` placeholder,
/// bound to [`match_value`]. SQLite: FTS5 `MATCH` ranked by `bm25`; PostgreSQL:
/// `plainto_tsquery` ranked by `ts_rank` (negated, so lower is better in both).
pub fn ranked_matches(conn: &Conn) -> &'static str {
    if is_postgres(conn) {
        "(SELECT ls.actor_id AS actor_id, -ts_rank(ls.terms, tq.query) AS score \
         FROM listing_search ls, plainto_tsquery('english', ?) AS tq(query) \
         WHERE ls.terms @@ tq.query)"
    } else {
        // The actor id comes from `listing_search_ids` by rowid: reading it from the FTS5
        // table itself would load every matching document's whole body.
        "(SELECT i.actor_id AS actor_id, f.score AS score FROM \
         (SELECT rowid AS docid, bm25(listing_search) AS score FROM listing_search \
         WHERE listing_search MATCH ?) f JOIN listing_search_ids i ON i.docid = f.docid)"
    }
}

/// The value bound to the placeholder of [`ranked_matches`]. SQLite: each term as an FTS5
/// string (double-quoted, so `AND`, `NEAR`, `*` or `:` are plain words), all required;
/// PostgreSQL: the words for `plainto_tsquery`, which ANDs them and reads no operators.
pub fn match_value(conn: &Conn, terms: &[String]) -> String {
    if is_postgres(conn) {
        terms.join(" ")
    } else {
        terms
            .iter()
            .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
