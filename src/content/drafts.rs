//! Drafts: a story saved but not published. Drafts are never federated and never shown
//! publicly; publishing one is `stories::publish_story` with the draft's id, which deletes
//! the draft in the story's transaction.

use crate::app::Node;
use crate::content::coops;
use crate::content::stories::{self, NewStory, check_kind, check_language};
use crate::db::story_drafts::DraftRow;
use crate::{AppError, db, now_ms};

/// The tags of a draft, as typed (`#film music` → `film`, `music`).
pub fn tags_of(text: &str) -> Vec<String> {
    text.split([' ', ',', '\n', '\t'])
        .map(|t| t.trim().trim_start_matches('#'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Saves a draft: a new one when `id` is None. Only the kind and the tags' shape are
/// checked (a draft may be unfinished); returns the draft's id.
pub async fn save(
    node: &Node,
    handle: &str,
    id: Option<i64>,
    new: &NewStory,
    author: Option<&str>,
) -> Result<i64, AppError> {
    let coop = coops::find(node, handle).await?;
    stories::check_tags(&new.tags)?;
    let row = DraftRow {
        id: id.unwrap_or(0),
        coop_id: coop.row.id,
        title: new.title.chars().take(200).collect(),
        body: new.body.clone(),
        tags: new.tags.join(" "),
        kind: check_kind(&new.kind)?,
        created_by: author.map(str::to_string),
        updated_at: now_ms(),
        image_hash: new.images.first().map(|i| i.hash.clone()),
        image_alt: new
            .images
            .first()
            .map(|i| i.alt.clone())
            .unwrap_or_default(),
        language: check_language(&new.language)?,
        in_reply_to: new.in_reply_to.clone(),
    };
    if new.body.len() > 200_000 {
        return Err(AppError::Invalid("body: at most 200000 bytes".into()));
    }
    let mut conn = node.db.acquire().await?;
    match id {
        None => Ok(db::story_drafts::insert(&mut conn, &row).await?),
        Some(id) if db::story_drafts::update(&mut conn, &row).await? => Ok(id),
        Some(id) => Err(AppError::NotFound(format!("no draft {id} of '{handle}'"))),
    }
}

/// A draft of the co-op.
pub async fn find(node: &Node, handle: &str, id: i64) -> Result<DraftRow, AppError> {
    let coop = coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    db::story_drafts::find(&mut conn, coop.row.id, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no draft {id} of '{handle}'")))
}

/// The co-op's drafts, most recently saved first.
pub async fn list(node: &Node, handle: &str) -> Result<Vec<DraftRow>, AppError> {
    let coop = coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    Ok(db::story_drafts::list(&mut conn, coop.row.id).await?)
}

/// Deletes a draft.
pub async fn delete(node: &Node, handle: &str, id: i64) -> Result<(), AppError> {
    let coop = coops::find(node, handle).await?;
    let mut conn = node.db.acquire().await?;
    if db::story_drafts::delete(&mut conn, coop.row.id, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("no draft {id} of '{handle}'")))
    }
}
