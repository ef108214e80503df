//! Reports: each incoming `Flag` becomes one, for the node admin (`/admin` and
//! `mutual reports list`). The comment is kept as plain text without control
//! characters, and shown escaped.

use url::Url;

use crate::app::Node;
use crate::db::reports::NewReport;
use crate::{AppError, db, now_ms};

/// The longest comment kept, in characters; the rest is cut.
pub const MAX_COMMENT_CHARS: usize = 5_000;

/// A report, as the node admin sees it.
#[derive(Debug, Clone)]
pub struct Report {
    pub activity_id: String,
    pub reporter: String,
    /// The reported URLs on this node (actors, stories).
    pub objects: Vec<String>,
    pub content: String,
    pub received_at: i64,
    pub resolved_at: Option<i64>,
}

/// Stores a report by `reporter` about `objects` (on this node) with a comment already
/// read as plain text. Returns whether it was new.
pub async fn receive(
    node: &Node,
    activity_id: &str,
    reporter: &Url,
    objects: &[Url],
    comment: &str,
) -> Result<bool, AppError> {
    let objects: Vec<&str> = objects.iter().map(Url::as_str).collect();
    let objects = serde_json::to_string(&objects).map_err(|e| AppError::Internal(e.to_string()))?;
    let content = clean_comment(comment);
    let mut conn = node.db.acquire().await?;
    let new = db::reports::insert(
        &mut conn,
        &NewReport {
            activity_id,
            reporter: reporter.as_str(),
            objects: &objects,
            content: &content,
        },
        now_ms(),
    )
    .await?;
    if new {
        tracing::info!(%reporter, "report received");
    }
    Ok(new)
}

/// The newest reports first, at most `limit`: the open ones, or (with `all`) every one.
pub async fn list(node: &Node, limit: i64, all: bool) -> Result<Vec<Report>, AppError> {
    let mut conn = node.db.acquire().await?;
    let rows = db::reports::newest(&mut conn, limit, all).await?;
    Ok(rows
        .into_iter()
        .map(|r| Report {
            objects: serde_json::from_str(&r.objects).unwrap_or_default(),
            activity_id: r.activity_id,
            reporter: r.reporter,
            content: r.content,
            received_at: r.received_at,
            resolved_at: r.resolved_at,
        })
        .collect())
}

/// Marks a report (named by its Flag's id) as dealt with; 404 when there is no open one.
pub async fn resolve(node: &Node, activity_id: &str) -> Result<(), AppError> {
    let mut conn = node.db.acquire().await?;
    if db::reports::resolve(&mut conn, activity_id.trim(), now_ms()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("no open report {activity_id}")))
    }
}

/// Trims a comment, drops control characters other than newlines (a terminal would obey
/// them), and cuts it at [`MAX_COMMENT_CHARS`].
fn clean_comment(comment: &str) -> String {
    comment
        .trim()
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .take(MAX_COMMENT_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_lose_control_characters_and_are_capped() {
        assert_eq!(
            clean_comment(" spam\u{1b}[31m here\r\nnow "),
            "spam[31m here\nnow"
        );
        assert_eq!(
            clean_comment(&"x".repeat(MAX_COMMENT_CHARS + 10)).len(),
            MAX_COMMENT_CHARS
        );
    }
}
