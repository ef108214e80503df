//! The directory's Atom feeds: all the movement's stories, and per kind, nation and sector.

use super::*;
use crate::feeds::{entry_titles, parse_feed};

on_both_backends!(directory_feeds_list_the_right_stories_per_facet_value,);

async fn directory_feeds_list_the_right_stories_per_facet_value(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    story(
        &dir,
        "reel-cymru",
        2,
        "news",
        "Premiere in Cardiff",
        "<p>Come <script>alert(1)</script>along.</p>",
    )
    .await;
    story(
        &dir,
        "tyne-stage",
        3,
        "event",
        "Village hall tour",
        "<p>Ten halls.</p>",
    )
    .await;

    let titles = |path: &'static str| {
        let dir_base = dir.base.clone();
        async move {
            let (status, headers, body) = get_raw(&dir_base, path).await;
            assert_eq!(status, 200, "{path}: {body}");
            assert!(
                headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("application/atom+xml")
            );
            entry_titles(&parse_feed(&body))
        }
    };
    assert_eq!(
        titles("/directory/feed.atom").await,
        ["Village hall tour", "Premiere in Cardiff", "Folk archive"]
    );
    assert_eq!(
        titles("/directory/feed.atom?kind=research").await,
        ["Folk archive"]
    );
    assert_eq!(
        titles("/directory/feed.atom?nation=wales").await,
        ["Premiere in Cardiff"]
    );
    assert_eq!(
        titles("/directory/feed.atom?sector=theatre").await,
        ["Village hall tour"]
    );
    assert_eq!(
        titles("/directory/feed.atom?sector=music&kind=research").await,
        ["Folk archive"]
    );
    assert!(
        titles("/directory/feed.atom?nation=northern-ireland")
            .await
            .is_empty()
    );
    let (status, _, body) = get_raw(&dir.base, "/directory/feed.atom?kind=gossip").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.starts_with("kind: 'gossip'"), "{body}");
    let (_, _, body) = get_raw(&dir.base, "/directory/feed.atom").await;
    let doc = parse_feed(&body);
    let content: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("content"))
        .filter_map(|n| n.text())
        .collect();
    assert!(content.iter().any(|c| c.contains("along")), "{content:?}");
    assert!(
        content.iter().all(|c| !c.contains("<script")),
        "{content:?}"
    );

    // Pages link the feed of what they show.
    let (_, _, page) = get(&dir, "/directory/browse?nation=scotland").await;
    assert!(page.contains(r#"type="application/atom+xml" title="Research, news and stories" href="/directory/feed.atom?nation=scotland""#), "{page}");
    let (_, _, page) = get(&dir, "/directory/stories?kind=research").await;
    assert!(
        page.contains(r#"href="/directory/feed.atom?kind=research""#),
        "{page}"
    );
}

async fn get_raw(base: &url::Url, path: &str) -> (u16, HeaderMap, String) {
    let r = http().get(base.join(path).unwrap()).send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}
