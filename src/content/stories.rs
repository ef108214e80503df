//! Stories: publish, edit, delete, find and list. Each change and the activity that
//! announces it are written in one transaction.

use url::Url;

use crate::app::Node;
use crate::content::coops::{self, Coop};
use crate::db::coops::CoopRow;
use crate::db::media::StoryImageRow;
use crate::db::stories::StoryRow;
use crate::{AppError, db, federation, now_ms};

pub use super::story_fields::{
    KINDS, check_alt, check_body, check_kind, check_language, check_tags, check_title,
};

/// A story with its co-op, tags and images.
#[derive(Debug, Clone)]
pub struct Story {
    pub coop: CoopRow,
    pub row: StoryRow,
    pub tags: Vec<String>,
    pub images: Vec<StoryImageRow>,
}

/// An image to attach: a stored image (`content::media::store`) and its alt text.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRef {
    pub hash: String,
    pub alt: String,
}

impl Story {
    /// The Note id (and page) of this story.
    pub fn url(&self, base: &Url) -> Url {
        federation::urls::story(base, &self.coop.handle, &self.row.public_id)
    }
}

/// Changes to a story; `None` keeps a field, `Some(vec![])` clears the tags.
#[derive(Debug, Clone, Default)]
pub struct StoryChanges {
    pub title: Option<String>,
    pub body: Option<String>,
    pub tags: Option<Vec<String>>,
    pub kind: Option<String>,
    pub language: Option<String>,
    /// Replaces the images (each with its alt text); `Some(vec![])` removes them.
    pub images: Option<Vec<ImageRef>>,
}

/// A story to publish.
#[derive(Debug, Clone)]
pub struct NewStory {
    pub title: String,
    /// Markdown.
    pub body: String,
    pub tags: Vec<String>,
    /// One of [`KINDS`].
    pub kind: String,
    /// The language it is written in (BCP 47; empty means `en`).
    pub language: String,
    /// The post it answers (a URL), whose author is told.
    pub in_reply_to: Option<String>,
    /// Images, each with its alt text.
    pub images: Vec<ImageRef>,
}

async fn load(conn: &mut db::Conn, coop: CoopRow, row: StoryRow) -> Result<Story, AppError> {
    let tags = db::stories::tags(conn, row.id).await?;
    let images = db::media::of_story(conn, row.id).await?;
    Ok(Story {
        coop,
        row,
        tags,
        images,
    })
}

/// Publishes a story of kind `story` (shorthand for [`publish_story`]).
pub async fn publish(
    node: &Node,
    handle: &str,
    title: &str,
    body: &str,
    tags: &[String],
) -> Result<Story, AppError> {
    let new = NewStory {
        title: title.into(),
        body: body.into(),
        tags: tags.to_vec(),
        kind: "story".into(),
        language: String::new(),
        in_reply_to: None,
        images: Vec::new(),
    };
    publish_story(node, handle, &new, None).await
}

/// Publishes a story and queues its `Create` for every follower. With `from_draft`, that
/// draft of the co-op is deleted in the same transaction (404 if it is not there).
pub async fn publish_story(
    node: &Node,
    handle: &str,
    new: &NewStory,
    from_draft: Option<i64>,
) -> Result<Story, AppError> {
    let coop = coops::find(node, handle).await?;
    let (title, body, tags) = (
        check_title(&new.title)?,
        check_body(&new.body)?,
        check_tags(&new.tags)?,
    );
    let kind = check_kind(&new.kind)?;
    let language = check_language(&new.language)?;
    let alts = new
        .images
        .iter()
        .map(|i| check_alt(&i.alt))
        .collect::<Result<Vec<_>, _>>()?;
    let parent = match new.in_reply_to.as_deref() {
        Some(url) => Some(crate::content::conversations::parent_of_reply(node, url).await?),
        None => None,
    };
    let public_id = uuid::Uuid::new_v4().simple().to_string();
    let mut tx = crate::db::begin(&node.db).await?;
    if let Some(draft) = from_draft
        && !db::story_drafts::delete(&mut tx, coop.row.id, draft).await?
    {
        return Err(AppError::NotFound(format!(
            "no draft {draft} of '{handle}'"
        )));
    }
    let text = db::stories::StoryText {
        title: &title,
        body: &body,
        kind: &kind,
        language: &language,
    };
    let id = db::stories::insert(&mut tx, &public_id, coop.row.id, &text, now_ms()).await?;
    db::stories::set_tags(&mut tx, id, &tags).await?;
    if let Some((post, author)) = &parent {
        db::stories::set_reply(&mut tx, id, post.as_str(), author.as_str()).await?;
    }
    attach_images(&mut tx, id, &new.images, &alts).await?;
    let row = db::stories::by_public_id(&mut tx, &public_id)
        .await?
        .ok_or_else(|| AppError::Internal("story vanished while being published".into()))?;
    let story = load(&mut tx, coop.row, row).await?;
    federation::activities::create::send_story(node, &mut tx, &story).await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(story)
}

/// Attaches uploaded images to a story, in order, each with its (checked) alt text.
async fn attach_images(
    conn: &mut db::Conn,
    story_id: i64,
    images: &[ImageRef],
    alts: &[String],
) -> Result<(), AppError> {
    for (position, (image, alt)) in images.iter().zip(alts).enumerate() {
        if db::media::find(conn, &image.hash).await?.is_none() {
            return Err(AppError::Invalid("image: no such uploaded image".into()));
        }
        db::media::attach(conn, story_id, position as i64, &image.hash, alt).await?;
    }
    Ok(())
}

/// Edits a story and queues an `Update`.
pub async fn edit(
    node: &Node,
    coop: Option<&str>,
    id_or_url: &str,
    changes: &StoryChanges,
) -> Result<Story, AppError> {
    let story = find_live(node, coop, id_or_url).await?;
    let title = changes
        .title
        .as_deref()
        .map(check_title)
        .transpose()?
        .unwrap_or(story.row.title.clone());
    let body = changes
        .body
        .as_deref()
        .map(check_body)
        .transpose()?
        .unwrap_or(story.row.body.clone());
    let tags = changes.tags.as_deref().map(check_tags).transpose()?;
    let kind = changes
        .kind
        .as_deref()
        .map(check_kind)
        .transpose()?
        .unwrap_or(story.row.kind.clone());
    let language = changes
        .language
        .as_deref()
        .map(check_language)
        .transpose()?
        .unwrap_or(story.row.language.clone());
    let text = db::stories::StoryText {
        title: &title,
        body: &body,
        kind: &kind,
        language: &language,
    };
    let alts = match &changes.images {
        Some(images) => Some(
            images
                .iter()
                .map(|i| check_alt(&i.alt))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    let mut tx = crate::db::begin(&node.db).await?;
    db::stories::update(&mut tx, story.row.id, &text, now_ms()).await?;
    if let Some(tags) = &tags {
        db::stories::set_tags(&mut tx, story.row.id, tags).await?;
    }
    if let (Some(images), Some(alts)) = (&changes.images, &alts) {
        db::media::detach_all(&mut tx, story.row.id).await?;
        attach_images(&mut tx, story.row.id, images, alts).await?;
    }
    let row = db::stories::by_public_id(&mut tx, &story.row.public_id)
        .await?
        .ok_or_else(|| AppError::Internal("story vanished while being edited".into()))?;
    let story = load(&mut tx, story.coop, row).await?;
    federation::activities::update::send_story(node, &mut tx, &story).await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(story)
}

/// Deletes a story (its URL then answers 410) and queues a `Delete`.
pub async fn delete(node: &Node, coop: Option<&str>, id_or_url: &str) -> Result<Story, AppError> {
    let story = find_live(node, coop, id_or_url).await?;
    let now = now_ms();
    let mut tx = crate::db::begin(&node.db).await?;
    db::stories::mark_deleted(&mut tx, story.row.id, now).await?;
    federation::activities::delete::send_story(node, &mut tx, &story, now).await?;
    tx.commit().await?;
    node.deliveries_queued.notify_one();
    Ok(story)
}

/// The public id in a story id or URL (`…/stories/ID` or `ID`).
fn public_id_of(id_or_url: &str) -> &str {
    let trimmed = id_or_url.trim().trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Finds a story, deleted or not, by public id. With `coop`, it must belong to that co-op.
pub async fn find(node: &Node, coop: Option<&str>, id_or_url: &str) -> Result<Story, AppError> {
    let public_id = public_id_of(id_or_url);
    let not_found = || AppError::NotFound(format!("no story '{id_or_url}' on this node"));
    let mut conn = node.db.acquire().await?;
    let row = db::stories::by_public_id(&mut conn, public_id)
        .await?
        .ok_or_else(not_found)?;
    let owner = db::coops::by_id(&mut conn, row.coop_id)
        .await?
        .ok_or_else(not_found)?;
    if let Some(handle) = coop
        && owner.handle != handle.trim_start_matches('@')
    {
        return Err(AppError::NotFound(format!(
            "story '{id_or_url}' does not belong to co-op '{handle}'"
        )));
    }
    if id_or_url.contains("://") {
        let url = Url::parse(id_or_url.trim()).map_err(|_| not_found())?;
        if !node.is_local(&url)
            || !url
                .path()
                .starts_with(&format!("/coops/{}/stories/", owner.handle))
        {
            return Err(not_found());
        }
    }
    load(&mut conn, owner, row).await
}

/// Finds a story that has not been deleted.
pub async fn find_live(
    node: &Node,
    coop: Option<&str>,
    id_or_url: &str,
) -> Result<Story, AppError> {
    let story = find(node, coop, id_or_url).await?;
    if story.row.deleted_at.is_some() {
        return Err(AppError::NotFound(format!(
            "story '{id_or_url}' has been deleted"
        )));
    }
    Ok(story)
}

/// A page of a co-op's stories, newest first.
pub async fn list(
    node: &Node,
    coop: &Coop,
    limit: i64,
    offset: i64,
) -> Result<Vec<Story>, AppError> {
    let mut conn = node.db.acquire().await?;
    let rows = db::stories::by_coop(&mut conn, coop.row.id, limit, offset).await?;
    let mut stories = Vec::with_capacity(rows.len());
    for row in rows {
        stories.push(load(&mut conn, coop.row.clone(), row).await?);
    }
    Ok(stories)
}

/// The node's latest stories, newest first.
pub async fn latest(node: &Node, limit: i64) -> Result<Vec<Story>, AppError> {
    let mut conn = node.db.acquire().await?;
    let rows = db::stories::latest(&mut conn, limit).await?;
    with_coops(&mut conn, rows).await
}

/// A page of the stories with a tag, newest first.
pub async fn tagged(
    node: &Node,
    tag: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Story>, AppError> {
    let mut conn = node.db.acquire().await?;
    let rows = db::stories::by_tag(&mut conn, &tag.to_lowercase(), limit, offset).await?;
    with_coops(&mut conn, rows).await
}

async fn with_coops(conn: &mut db::Conn, rows: Vec<StoryRow>) -> Result<Vec<Story>, AppError> {
    let mut stories = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(coop) = db::coops::by_id(conn, row.coop_id).await? else {
            continue;
        };
        stories.push(load(conn, coop, row).await?);
    }
    Ok(stories)
}
