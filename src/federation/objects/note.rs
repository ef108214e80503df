//! A story as a `Note` (not an `Article`, whose body Mastodon drops), and the Create,
//! Update and Delete activities that carry it.

use serde_json::{Value, json};
use url::Url;

use super::{PUBLIC, timestamp};
use crate::content::stories::Story;
use crate::content::{html, media};
use crate::federation::{context, urls};

/// The HTML `content` of a story: the title on top, the whole sanitised body, then the
/// hashtags as `rel="tag"` links.
pub fn content_html(base: &Url, story: &Story) -> String {
    let mut out = format!("<p><strong>{}</strong></p>", html::escape(&story.row.title));
    out.push_str(&html::markdown(&story.row.body));
    if !story.tags.is_empty() {
        let links: Vec<String> = story
            .tags
            .iter()
            .map(|t| {
                format!(
                    r#"<a href="{}" class="mention hashtag" rel="tag">#<span>{}</span></a>"#,
                    urls::tag(base, t),
                    html::escape(t)
                )
            })
            .collect();
        out.push_str(&format!("<p>{}</p>", links.join(" ")));
    }
    out
}

/// The Note, without `@context` (for embedding).
pub fn note(base: &Url, story: &Story) -> Value {
    let handle = &story.coop.handle;
    let id = urls::story(base, handle, &story.row.public_id);
    let content = content_html(base, story);
    let mut note = json!({
        "id": id,
        "type": "Note",
        "attributedTo": urls::coop(base, handle),
        "name": story.row.title,
        "content": content,
        "contentMap": { story.row.language.as_str(): content },
        "mediaType": "text/html",
        "source": { "content": story.row.body, "mediaType": "text/markdown" },
        "url": id,
        "published": timestamp(story.row.published_at),
        "to": [PUBLIC],
        "cc": [urls::coop_part(base, handle, "followers")],
        "sensitive": false,
        "storyKind": story.row.kind,
        "tag": story.tags.iter().map(|t| json!({
            "type": "Hashtag",
            "href": urls::tag(base, t),
            "name": format!("#{t}"),
        })).collect::<Vec<_>>(),
        "attachment": story.images.iter().map(|i| json!({
            "type": "Image",
            "mediaType": i.content_type,
            "url": media::url(base, &i.hash, &i.content_type),
            "name": i.alt,
            "width": i.width,
            "height": i.height,
        })).collect::<Vec<_>>(),
    });
    if let (Some(updated), Value::Object(map)) = (story.row.updated_at, &mut note) {
        map.insert("updated".into(), json!(timestamp(updated)));
    }
    if let (Some(parent), Some(author), Value::Object(map)) =
        (&story.row.in_reply_to, &story.row.reply_to_actor, &mut note)
    {
        // A reply names what it answers, and mentions and addresses its author (as
        // Mastodon does), so the author's server shows it in the conversation.
        map.insert("inReplyTo".into(), json!(parent));
        if let Some(Value::Array(cc)) = map.get_mut("cc") {
            cc.push(json!(author));
        }
        if let Some(Value::Array(tags)) = map.get_mut("tag") {
            tags.push(json!({ "type": "Mention", "href": author }));
        }
    }
    note
}

/// The Note as a document of its own.
pub fn document(base: &Url, story: &Story) -> Value {
    with_context(note(base, story))
}

/// The Tombstone a deleted story's URL answers with (410).
pub fn tombstone(id: &Url, deleted_ms: i64) -> Value {
    json!({ "id": id, "type": "Tombstone", "formerType": "Note", "deleted": timestamp(deleted_ms) })
}

/// Wraps an object as a document with the full context.
pub fn with_context(mut object: Value) -> Value {
    if let Value::Object(map) = &mut object {
        let mut doc = serde_json::Map::new();
        doc.insert("@context".into(), context::full());
        doc.append(map);
        return Value::Object(doc);
    }
    object
}

fn envelope(
    base: &Url,
    story: &Story,
    id: String,
    kind: &str,
    published: i64,
    object: Value,
) -> Value {
    let handle = &story.coop.handle;
    json!({
        "@context": context::full(),
        "id": id,
        "type": kind,
        "actor": urls::coop(base, handle),
        "published": timestamp(published),
        "to": [PUBLIC],
        "cc": [urls::coop_part(base, handle, "followers")],
        "object": object,
    })
}

/// The Create that publishes a story (its id resolves, and the outbox lists it).
pub fn create(base: &Url, story: &Story) -> Value {
    let id = urls::story_create(base, &story.coop.handle, &story.row.public_id).to_string();
    envelope(
        base,
        story,
        id,
        "Create",
        story.row.published_at,
        note(base, story),
    )
}

/// A short random suffix that keeps two edits in the same millisecond apart.
pub fn short_random() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

/// The Update sent when a story is edited.
pub fn update(base: &Url, story: &Story) -> Value {
    let at = story.row.updated_at.unwrap_or(story.row.published_at);
    let id = format!(
        "{}#updates/{at}-{}",
        urls::story(base, &story.coop.handle, &story.row.public_id),
        short_random()
    );
    envelope(base, story, id, "Update", at, note(base, story))
}

/// The Delete sent when a story is deleted.
pub fn delete(base: &Url, story: &Story, deleted_ms: i64) -> Value {
    let note_id = urls::story(base, &story.coop.handle, &story.row.public_id);
    let id = format!("{note_id}#delete");
    envelope(
        base,
        story,
        id,
        "Delete",
        deleted_ms,
        tombstone(&note_id, deleted_ms),
    )
}
