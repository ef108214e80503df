//! Link cards: a story's and a co-op's pages carry OpenGraph tags and
//! `fediverse:creator`, so a link shared on Mastodon shows a card attributed to the co-op.

use std::io::Cursor;

use mutual::content::media::{self, Purpose};
use mutual::content::stories::{ImageRef, NewStory};
use regex::Regex;

use crate::helpers::{Backend, TestNode, http};

/// The `content` of each `<meta property|name="KEY">`.
fn metas(html: &str) -> Vec<(String, String)> {
    let re = Regex::new(r#"<meta (?:property|name)="([^"]+)" content="([^"]*)">"#).unwrap();
    re.captures_iter(html)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect()
}

fn meta<'a>(all: &'a [(String, String)], key: &str) -> &'a str {
    all.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no <meta> {key} in {all:?}"))
}

on_both_backends!(story_and_coop_pages_carry_a_card_attributed_to_the_coop,);

async fn story_and_coop_pages_carry_a_card_attributed_to_the_coop(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("reel").await;
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(800, 600)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let stored = media::store(&node.node, png, Purpose::Story).await.unwrap();
    let long = "word ".repeat(80);
    let new = NewStory {
        title: r#"The "River" & <the> valley"#.into(),
        body: format!("**Opening** night. {long}"),
        tags: vec![],
        kind: "event".into(),
        language: "en".into(),
        in_reply_to: None,
        images: vec![ImageRef {
            hash: stored.hash.clone(),
            alt: "A screen by the river".into(),
        }],
    };
    let story = mutual::content::stories::publish_story(&node.node, "reel", &new, None)
        .await
        .unwrap();
    let url = story.url(&node.base);
    let page = crate::helpers::get_text(url.clone()).await;
    let m = metas(&page);
    assert_eq!(meta(&m, "og:type"), "article");
    let title = meta(&m, "og:title");
    assert!(!title.contains(['<', '"']), "escaped: {title}");
    let decoded = [
        ("&#34;", "\""),
        ("&#60;", "<"),
        ("&#62;", ">"),
        ("&#39;", "'"),
        ("&#38;", "&"),
    ]
    .iter()
    .fold(title.to_string(), |t, (entity, c)| t.replace(entity, c));
    assert_eq!(decoded, r#"The "River" & <the> valley"#);
    assert_eq!(meta(&m, "og:url"), url.as_str());
    assert_eq!(
        meta(&m, "fediverse:creator"),
        format!("@reel@{}", node.domain())
    );
    let description = meta(&m, "og:description");
    assert!(
        description.starts_with("Opening night. word"),
        "{description}"
    );
    assert!(
        description.chars().count() <= 201 && !description.contains('<'),
        "{description}"
    );
    assert_eq!(meta(&m, "og:image:alt"), "A screen by the river");
    let image = meta(&m, "og:image");
    assert_eq!(http().get(image).send().await.unwrap().status(), 200);

    let page = crate::helpers::get_text(node.actor("reel")).await;
    let m = metas(&page);
    assert_eq!(meta(&m, "og:type"), "profile");
    assert_eq!(meta(&m, "og:url"), node.actor("reel").as_str());
    assert_eq!(
        meta(&m, "fediverse:creator"),
        format!("@reel@{}", node.domain())
    );
    assert!(!m.iter().any(|(k, _)| k == "og:image"), "no avatar yet");
}
