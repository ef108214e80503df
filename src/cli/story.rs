//! `mutual story publish|edit|delete|list`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::Output;
use crate::AppError;
use crate::app::Node;
use crate::content::coops;
use crate::content::media::{self, Purpose};
use crate::content::stories::{self, ImageRef, NewStory, Story, StoryChanges};
use crate::federation::objects::timestamp;

#[derive(Debug, Subcommand)]
pub enum StoryCommand {
    /// Publish a story; it is delivered to every follower.
    Publish {
        /// The co-op's handle.
        #[arg(long)]
        coop: String,
        #[arg(long)]
        title: String,
        #[command(flatten)]
        body: BodyArgs,
        /// A hashtag; repeat for several.
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// story, research, news or event.
        #[arg(long, default_value = "story")]
        kind: String,
        /// The language it is written in: en, cy, gd, … (BCP 47).
        #[arg(long, default_value = "en")]
        language: String,
        /// The URL of a post this story answers; its author is told.
        #[arg(long, value_name = "URL")]
        in_reply_to: Option<String>,
        /// An image file (PNG, JPEG, GIF or WebP) to attach; needs --alt.
        #[arg(long, value_name = "FILE", requires = "alt")]
        image: Option<PathBuf>,
        /// The image's alt text: what it shows, for people who cannot see it.
        #[arg(long, requires = "image")]
        alt: Option<String>,
    },
    /// Edit a story; followers receive an Update.
    Edit {
        /// Only look among this co-op's stories.
        #[arg(long)]
        coop: Option<String>,
        /// The story's id or URL.
        id_or_url: String,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        body: BodyArgs,
        /// Replace the tags; repeat for several.
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Remove every tag.
        #[arg(long, conflicts_with = "tags")]
        clear_tags: bool,
        /// story, research, news or event.
        #[arg(long)]
        kind: Option<String>,
        /// The language it is written in: en, cy, gd, … (BCP 47).
        #[arg(long)]
        language: Option<String>,
    },
    /// Delete a story; followers receive a Delete and its URL answers 410.
    Delete {
        #[arg(long)]
        coop: Option<String>,
        /// The story's id or URL.
        id_or_url: String,
    },
    /// Boost a post (a story here or a remote post) to a co-op's followers: an Announce,
    /// also sent to the post's author.
    Boost {
        #[arg(long)]
        coop: String,
        /// The post's URL.
        url: String,
    },
    /// Like a post (a story here or a remote post) on behalf of a co-op: a Like to its
    /// author. Liking it again changes nothing.
    Like {
        #[arg(long)]
        coop: String,
        /// The post's URL.
        url: String,
    },
    /// Take back a co-op's like of a post (an Undo of the Like, to its author).
    Unlike {
        #[arg(long)]
        coop: String,
        /// The post's URL.
        url: String,
    },
    /// List a co-op's stories, newest first.
    List {
        #[arg(long)]
        coop: String,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

/// `--body TEXT` or `--body-file FILE`.
#[derive(Debug, Args)]
pub struct BodyArgs {
    /// The story's body, in Markdown.
    #[arg(long, conflicts_with = "body_file")]
    body: Option<String>,
    /// A file holding the body, in Markdown.
    #[arg(long, value_name = "FILE")]
    body_file: Option<PathBuf>,
}

impl BodyArgs {
    fn read(self) -> Result<Option<String>, AppError> {
        match (self.body, self.body_file) {
            (Some(text), _) => Ok(Some(text)),
            (None, Some(path)) => std::fs::read_to_string(&path).map(Some).map_err(|e| {
                AppError::Invalid(format!("body-file: cannot read {}: {e}", path.display()))
            }),
            (None, None) => Ok(None),
        }
    }
}

fn summary(node: &Node, s: &Story) -> Value {
    json!({
        "id": s.url(&node.base),
        "url": s.url(&node.base),
        "coop": s.coop.handle,
        "title": s.row.title,
        "kind": s.row.kind,
        "language": s.row.language,
        "images": s.images.iter().map(|i| json!({
            "url": media::url(&node.base, &i.hash, &i.content_type),
            "alt": i.alt,
        })).collect::<Vec<_>>(),
        "tags": s.tags,
        "published": timestamp(s.row.published_at),
        "updated": s.row.updated_at.map(timestamp),
    })
}

pub async fn run(node: &Node, command: StoryCommand, out: &Output) -> Result<(), AppError> {
    match command {
        StoryCommand::Publish {
            coop,
            title,
            body,
            tags,
            kind,
            language,
            in_reply_to,
            image,
            alt,
        } => {
            let body = body
                .read()?
                .ok_or_else(|| AppError::Invalid("body: give --body or --body-file".into()))?;
            let mut images = Vec::new();
            if let (Some(path), Some(alt)) = (image, alt) {
                let bytes = std::fs::read(&path).map_err(|e| {
                    AppError::Invalid(format!("image: cannot read {}: {e}", path.display()))
                })?;
                stories::check_alt(&alt)?;
                let stored = media::store(node, bytes, Purpose::Story).await?;
                images.push(ImageRef {
                    hash: stored.hash,
                    alt,
                });
            }
            let new = NewStory {
                title,
                body,
                tags,
                kind,
                language,
                in_reply_to,
                images,
            };
            let story = stories::publish_story(node, &coop, &new, None).await?;
            let url = story.url(&node.base);
            out.print(&json!({ "id": url, "url": url }), || {
                format!("published {url}")
            });
        }
        StoryCommand::Edit {
            coop,
            id_or_url,
            title,
            body,
            tags,
            clear_tags,
            kind,
            language,
        } => {
            let changes = StoryChanges {
                title,
                body: body.read()?,
                tags: if clear_tags {
                    Some(Vec::new())
                } else {
                    (!tags.is_empty()).then_some(tags)
                },
                kind,
                language,
                images: None,
            };
            let story = stories::edit(node, coop.as_deref(), &id_or_url, &changes).await?;
            out.print(&summary(node, &story), || {
                format!("updated {}", story.url(&node.base))
            });
        }
        StoryCommand::Delete { coop, id_or_url } => {
            let story = stories::delete(node, coop.as_deref(), &id_or_url).await?;
            let url = story.url(&node.base);
            out.print(&json!({ "id": url, "deleted": true }), || {
                format!("deleted {url}")
            });
        }
        StoryCommand::Boost { coop, url } => {
            let announce = crate::content::reactions::boost_post(node, &coop, &url).await?;
            out.print(&json!({ "id": announce, "boosted": url }), || {
                format!("boosted {url}")
            });
        }
        StoryCommand::Like { coop, url } => {
            let like = crate::content::reactions::like_post(node, &coop, &url).await?;
            out.print(&json!({ "id": like, "liked": url }), || {
                format!("liked {url}")
            });
        }
        StoryCommand::Unlike { coop, url } => {
            if !crate::content::reactions::unlike_post(node, &coop, &url).await? {
                return Err(AppError::NotFound(format!(
                    "url: @{coop} does not like {url}"
                )));
            }
            out.print(&json!({ "unliked": url }), || format!("unliked {url}"));
        }
        StoryCommand::List { coop, limit } => {
            let coop = coops::find(node, &coop).await?;
            let list = stories::list(node, &coop, limit.clamp(1, 1000), 0).await?;
            let items: Vec<Value> = list.iter().map(|s| summary(node, s)).collect();
            out.print(&json!({ "stories": items }), || {
                list.iter()
                    .map(|s| {
                        format!(
                            "{}\t{}\t{}",
                            s.row.public_id,
                            timestamp(s.row.published_at),
                            s.row.title
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
