//! Full-text search documents for the directory: the one dialect spot of the index.
//! SQLite keeps them in an FTS5 table; PostgreSQL in a table with a generated `tsvector`
//! column and a GIN index. Callers never see the difference.

use super::{Conn, is_postgres};

/// Stores (or replaces) the search document of a listing: `head` (its name, summary and
/// locality) and `rest` (its stories), searched as one text. PostgreSQL also keeps the head
/// apart, to rank by (see [`scores`]). On SQLite the document's rowid comes from
/// `listing_search_ids`, so the old document is found by rowid: FTS5 cannot index
/// `actor_id`, and a delete by it would scan every document.
pub async fn put(
    conn: &mut Conn,
    actor_id: &str,
    head: &str,
    rest: &str,
) -> Result<(), sqlx::Error> {
    if is_postgres(conn) {
        // Replaced in place, so the document keeps its `docid` (the catalogue's key).
        let docid: i64 = sqlx::query_scalar(
            "INSERT INTO listing_search (actor_id, head) VALUES ($1, $2) \
             ON CONFLICT (actor_id) DO UPDATE SET head = excluded.head RETURNING docid",
        )
        .bind(actor_id)
        .bind(head)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO listing_terms (docid, terms) VALUES ($1, to_tsvector('english', $2)) \
             ON CONFLICT (docid) DO UPDATE SET terms = excluded.terms",
        )
        .bind(docid)
        .bind(format!("{head}\n{rest}"))
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
        .bind(format!("{head}\n{rest}"))
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

/// A derived table `(actor_id)` of the listings whose search document holds every term,
/// with one `?` placeholder bound to [`match_value`] (for queries written with `Sql`).
pub fn matching_actors(conn: &Conn) -> &'static str {
    if is_postgres(conn) {
        "(SELECT s.actor_id AS actor_id FROM listing_search s JOIN listing_terms t \
         ON t.docid = s.docid WHERE t.terms @@ plainto_tsquery('english', ?))"
    } else {
        // The actor id comes from `listing_search_ids` by rowid: reading it from the FTS5
        // table itself would load every matching document's whole body.
        "(SELECT i.actor_id AS actor_id FROM listing_search_ids i WHERE i.docid IN \
         (SELECT rowid FROM listing_search WHERE listing_search MATCH ?))"
    }
}

/// The value bound to the search queries. SQLite: each term as an FTS5
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

/// The catalogue's key of a listing's search document, in a query over `listings l` joined
/// with [`docid_join`].
pub const DOCID_COLUMN: &str = "d.docid";

/// Joins each listing (`l`) with its search document's key as `d.docid`. SQLite: the FTS5
/// rowid from `listing_search_ids`; PostgreSQL: `listing_search.docid`.
pub fn docid_join(conn: &Conn) -> &'static str {
    if is_postgres(conn) {
        " LEFT JOIN listing_search d ON d.actor_id = l.actor_id"
    } else {
        " LEFT JOIN listing_search_ids d ON d.actor_id = l.actor_id"
    }
}

/// Runs a search query that answers one row of text, binding `values` in order.
/// PostgreSQL runs it with sequential scans priced out: its planner does not count the
/// cost of de-TOASTing, so for a common word it would scan every document and de-TOAST
/// each vector (about 300 ms at 100,000 documents) rather than use the index.
async fn aggregated(
    conn: &mut Conn,
    sql: &'static str,
    values: &[String],
) -> Result<Option<String>, sqlx::Error> {
    let bind = |values: &[String]| {
        let mut query = sqlx::query_scalar(sql);
        for value in values {
            query = query.bind(value.clone());
        }
        query
    };
    if !is_postgres(conn) {
        return bind(values).fetch_one(conn).await;
    }
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    sqlx::query("SET LOCAL enable_seqscan = off")
        .execute(&mut *tx)
        .await?;
    let text = bind(values).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(text)
}

/// The keys of the search documents that hold every term (unranked: reading only the
/// keys is what keeps a common word cheap). They come back as one text of comma-separated
/// numbers: one row instead of tens of thousands is most of the saving.
pub async fn matching(conn: &mut Conn, terms: &[String]) -> Result<Vec<i64>, sqlx::Error> {
    let sql = if is_postgres(conn) {
        "SELECT string_agg(docid::text, ',') FROM listing_terms \
         WHERE terms @@ plainto_tsquery('english', $1)"
    } else {
        "SELECT group_concat(rowid) FROM listing_search WHERE listing_search MATCH $1"
    };
    let value = match_value(conn, terms);
    let list = aggregated(conn, sql, &[value]).await?;
    Ok(list
        .iter()
        .flat_map(|l| l.split(','))
        .filter_map(|n| n.trim().parse().ok())
        .collect())
}

/// Relevance scores of the documents `docids` for `terms`, lower is better. Only the given
/// documents are ranked, which is the expensive part of a search. SQLite: `bm25` over the
/// whole document; the matches are scanned and the others skipped (`+rowid`), because
/// FTS5 answers a rowid list by running the query once per rowid. PostgreSQL: `ts_rank` of
/// the head (name, summary, locality), negated; documents that match only in their
/// stories get no score and come after, by name. Like [`matching`], one row of text.
pub async fn scores(
    conn: &mut Conn,
    terms: &[String],
    docids: &[i64],
) -> Result<std::collections::HashMap<i64, f64>, sqlx::Error> {
    if docids.is_empty() {
        return Ok(Default::default());
    }
    let list = docids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = if is_postgres(conn) {
        "SELECT string_agg(docid || ' ' || -ts_rank(head_terms, q), ',') FROM listing_search, \
         plainto_tsquery('english', $1) AS q WHERE docid = ANY(string_to_array($2, ',')::bigint[]) \
         AND head_terms @@ q"
    } else {
        // LIMIT -1 keeps the inner query apart: bm25 cannot be called inside an aggregate.
        "SELECT group_concat(d || ' ' || s) FROM (SELECT rowid AS d, bm25(listing_search) AS s \
         FROM listing_search WHERE listing_search MATCH $1 \
         AND +rowid IN (SELECT value FROM json_each('[' || $2 || ']')) LIMIT -1)"
    };
    let value = match_value(conn, terms);
    let pairs = aggregated(conn, sql, &[value, list]).await?;
    Ok(pairs
        .iter()
        .flat_map(|l| l.split(','))
        .filter_map(|pair| {
            let (docid, score) = pair.trim().split_once(' ')?;
            Some((docid.parse().ok()?, score.parse().ok()?))
        })
        .collect())
}
