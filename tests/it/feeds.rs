//! Atom feeds of a node and of each co-op: valid Atom, the right entries, sanitised
//! content, and linked from the pages with `<link rel="alternate">`.

use crate::helpers::{Backend, TestNode, http};

/// Parses an Atom feed, checking what RFC 4287 requires of it and of each entry.
pub fn parse_feed(xml: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let has = |node: roxmltree::Node, name: &str| node.children().any(|c| c.has_tag_name(name));
    for required in ["id", "title", "updated"] {
        assert!(has(feed, required), "the feed has no <{required}>: {xml}");
    }
    assert!(
        feed.children()
            .any(|c| c.has_tag_name("link") && c.attribute("rel") == Some("self"))
    );
    for entry in feed.children().filter(|c| c.has_tag_name("entry")) {
        for required in ["id", "title", "updated", "link", "content", "author"] {
            assert!(has(entry, required), "an entry has no <{required}>: {xml}");
        }
        for stamp in ["updated", "published"] {
            if let Some(t) = entry.children().find(|c| c.has_tag_name(stamp)) {
                chrono::DateTime::parse_from_rfc3339(t.text().unwrap_or_default())
                    .unwrap_or_else(|e| panic!("<{stamp}> is not RFC 3339: {e}"));
            }
        }
    }
    doc
}

/// The entries' titles, in feed order.
pub fn entry_titles(doc: &roxmltree::Document) -> Vec<String> {
    doc.root_element()
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

on_both_backends!(node_and_coop_feeds_are_valid_atom_with_the_right_entries,);

async fn node_and_coop_feeds_are_valid_atom_with_the_right_entries(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("reel").await;
    node.coop("lens").await;
    let publish = |handle: &'static str, title: &'static str, body: &'static str| {
        let n = node.node.clone();
        async move {
            mutual::content::stories::publish(&n, handle, title, body, &["film".into()])
                .await
                .unwrap()
        }
    };
    publish(
        "reel",
        "First light",
        "Hello <script>alert(1)</script> **world**",
    )
    .await;
    publish("lens", "Darkroom open", "Come and print.").await;
    let last = publish("reel", "Second reel", "More.").await;
    let fetch = |path: &'static str| {
        let base = node.base.clone();
        async move {
            let r = http().get(base.join(path).unwrap()).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            assert!(
                r.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("application/atom+xml")
            );
            r.text().await.unwrap()
        }
    };
    let xml = fetch("/feed.atom").await;
    let doc = parse_feed(&xml);
    assert_eq!(
        entry_titles(&doc),
        ["Second reel", "Darkroom open", "First light"]
    );
    let first_id = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .and_then(|e| e.children().find(|c| c.has_tag_name("id")))
        .and_then(|i| i.text())
        .unwrap()
        .to_string();
    assert_eq!(first_id, last.url(&node.base).as_str());
    let content: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("content"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    assert!(
        content.iter().any(|c| c.contains("<strong>world</strong>")),
        "{content:?}"
    );
    assert!(
        content.iter().all(|c| !c.contains("<script")),
        "{content:?}"
    );

    let reel_xml = fetch("/coops/reel/feed.atom").await;
    let reel = parse_feed(&reel_xml);
    assert_eq!(entry_titles(&reel), ["Second reel", "First light"]);
    let r = http()
        .get(node.base.join("/coops/nobody/feed.atom").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = http()
        .get(node.base.join("/directory/feed.atom").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "no directory on this node");

    // The pages link their feeds.
    let home = crate::helpers::get_text(node.base.clone()).await;
    assert!(
        home.contains(r#"type="application/atom+xml""#) && home.contains(r#"href="/feed.atom""#),
        "{home}"
    );
    let coop = crate::helpers::get_text(node.actor("reel")).await;
    let feed = format!(r#"href="{}/feed.atom""#, node.actor("reel"));
    assert!(coop.contains(&feed), "{coop}");
}
