//! The pages' one stylesheet and what every page carries for keyboard and screen-reader
//! users: a skip link to the main content and the responsive viewport.

use crate::helpers::{Backend, TestNode, http};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_links_the_one_stylesheet_with_dark_mode_and_a_skip_link() {
    let node = TestNode::spawn(Backend::Sqlite).await;
    node.coop("reel").await;
    let r = http()
        .get(node.base.join("/static/mutual.css").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let css = r.text().await.unwrap();
    for rule in [
        "prefers-color-scheme: dark",
        ":focus-visible",
        ".skip:focus",
    ] {
        assert!(css.contains(rule), "{rule}");
    }
    for path in ["/", "/coops/reel", "/login", "/tags/film"] {
        let page = http()
            .get(node.base.join(path).unwrap())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"<link rel="stylesheet" href="/static/mutual.css">"#),
            "{path}"
        );
        assert!(
            page.contains(r##"<a class="skip" href="#main">"##),
            "{path}"
        );
        assert!(page.contains(r#"<main id="main">"#), "{path}");
        assert!(
            page.contains(r#"name="viewport" content="width=device-width, initial-scale=1""#),
            "{path}"
        );
        assert!(
            !page.contains("<style"),
            "{path}: styles live in the one stylesheet"
        );
    }
}
