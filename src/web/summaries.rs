//! Stories and co-ops in lists: what a card on the home, co-op and tag pages shows.

use crate::app::Node;
use crate::content::coops::Coop;
use crate::content::html;
use crate::content::media;
use crate::content::stories::Story;
use crate::federation::objects::timestamp;
use crate::federation::urls;

/// A story in a list.
pub struct StoryItem {
    pub url: String,
    pub title: String,
    pub kind: String,
    /// The language the story is written in.
    pub lang: String,
    pub coop_name: String,
    pub coop_url: String,
    /// RFC 3339.
    pub published: String,
    pub excerpt: String,
    /// (URL, alt text) of its first image.
    pub image: Option<(String, String)>,
}

pub fn story_item(node: &Node, s: &Story) -> StoryItem {
    StoryItem {
        url: s.url(&node.base).to_string(),
        title: s.row.title.clone(),
        kind: s.row.kind.clone(),
        lang: s.row.language.clone(),
        coop_name: s.coop.name.clone(),
        coop_url: urls::coop(&node.base, &s.coop.handle).to_string(),
        published: timestamp(s.row.published_at),
        excerpt: describe(&html::markdown(&s.row.body)),
        image: s.images.first().map(|i| {
            (
                media::url(&node.base, &i.hash, &i.content_type).to_string(),
                i.alt.clone(),
            )
        }),
    }
}

/// A co-op in a list.
pub struct CoopItem {
    pub url: String,
    pub name: String,
    /// `@handle@domain`.
    pub handle: String,
    pub avatar: Option<String>,
    pub excerpt: String,
    pub sectors: Vec<String>,
}

pub fn coop_item(node: &Node, c: &Coop) -> CoopItem {
    CoopItem {
        url: urls::coop(&node.base, &c.row.handle).to_string(),
        name: c.profile.name.clone(),
        handle: format!("@{}@{}", c.row.handle, node.domain()),
        avatar: c
            .avatar
            .as_ref()
            .map(|m| media::url(&node.base, &m.hash, &m.content_type).to_string()),
        excerpt: describe(&html::markdown(&c.profile.summary)),
        sectors: c
            .profile
            .sectors
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
    }
}

/// A plain-text description from HTML: at most 200 characters, cut at a word.
pub fn describe(html_text: &str) -> String {
    let text = html::plain_text(html_text);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 200 {
        return text;
    }
    let cut: String = text.chars().take(200).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(a, _)| a)
        .to_string();
    format!("{cut}…")
}
