//! English and Welsh (issue #6): the interface's language comes from the switcher's cookie,
//! else Accept-Language; HTML says which and varies by it; the switcher goes back to the
//! page, never elsewhere; and a story written in Welsh says so on its page and in its Note
//! (`contentMap`).

use super::*;
use crate::helpers::{get_activity_json, http};

on_both_backends!(
    the_interface_follows_accept_language_and_the_switcher,
    a_story_written_in_welsh_says_so_on_its_page_and_in_its_note,
);

async fn page_in(node: &TestNode, path: &str, accept_language: &str) -> reqwest::Response {
    http()
        .get(node.base.join(path).unwrap())
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap()
}

async fn the_interface_follows_accept_language_and_the_switcher(backend: Backend) {
    let (node, _boss, _ana) = node_with_a_coop(backend).await;
    for (asked, lang, heading) in [
        ("cy", "cy", "Cwmnïau cydweithredol ar"),
        ("cy-GB,en;q=0.5", "cy", "Cwmnïau cydweithredol ar"),
        ("en-GB,cy;q=0.5", "en", "Co-ops on"),
        ("fr", "en", "Co-ops on"),
    ] {
        let r = page_in(&node, "/", asked).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-language"], lang, "{asked}");
        let vary: Vec<&str> = r
            .headers()
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        assert!(
            vary.iter().any(|v| v.contains("Accept-Language")),
            "{vary:?}"
        );
        let body = r.text().await.unwrap();
        assert!(
            body.contains(&format!("<html lang=\"{lang}\">")),
            "{asked}: {body}"
        );
        assert!(body.contains(heading), "{asked}: {body}");
    }
    // Each page links the other language, back to itself, without JavaScript.
    let body = page_in(&node, "/coops/reel?page=1", "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        body.contains(r#"<a href="/language?to=cy&#38;back=%2Fcoops%2Freel%3Fpage%3D1" hreflang="cy" lang="cy">Cymraeg</a>"#),
        "{body}"
    );

    // The switcher remembers the choice, which wins over Accept-Language.
    let mut visitor = Browser::new(&node.base);
    let r = visitor.get("/language?to=cy&back=%2Fcoops%2Freel").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/coops/reel"));
    assert_eq!(
        visitor.cookies.get("mutual_lang").map(String::as_str),
        Some("cy")
    );
    let page = visitor.get("/login").await;
    assert!(page.body.contains("<html lang=\"cy\">"), "{}", page.body);
    assert!(page.body.contains("Mewngofnodi"), "{}", page.body);
    let back = visitor.get("/language?to=en&back=%2Flogin").await;
    assert_eq!(back.location.as_deref(), Some("/login"));
    assert!(
        visitor
            .get("/login")
            .await
            .body
            .contains("<html lang=\"en\">")
    );

    // Never off this node; a language we do not have is a clear error.
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let path = format!(
            "/language?to=cy&back={}",
            url::form_urlencoded::byte_serialize(evil.as_bytes()).collect::<String>()
        );
        assert_eq!(
            visitor.get(&path).await.location.as_deref(),
            Some("/"),
            "{evil}"
        );
    }
    let bad = visitor.get("/language?to=fr").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("not one of en, cy"), "{}", bad.body);

    // ActivityPub documents are the same whatever the language asked for.
    let en = get_activity_json(node.actor("reel")).await;
    let r = http()
        .get(node.actor("reel"))
        .header("accept", "application/activity+json")
        .header("accept-language", "cy")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("content-language").is_none());
    assert_eq!(r.json::<serde_json::Value>().await.unwrap(), en);
}

async fn a_story_written_in_welsh_says_so_on_its_page_and_in_its_note(backend: Backend) {
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let editor = ana.get("/manage/reel/stories/new").await;
    assert!(
        editor
            .body
            .contains(r#"<option value="cy" lang="cy">Cymraeg</option>"#),
        "{}",
        editor.body
    );
    // A new story starts in the interface's language.
    assert!(
        editor
            .body
            .contains(r#"<option value="en" lang="en" selected>English</option>"#)
    );
    let form = |language: &'static str| {
        vec![
            ("action", "publish"),
            ("title", "Noson ffilm"),
            ("kind", "event"),
            ("language", language),
            ("tags", ""),
            ("body", "Dewch i'r **neuadd** nos Wener."),
        ]
    };
    let refused = ana
        .submit(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &form("not a tag!"),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(count(&node, "SELECT COUNT(*) FROM stories").await, 0);

    let done = ana
        .submit(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &form("cy"),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let url = done.location.unwrap();
    let note = get_activity_json(url.as_str()).await;
    assert_eq!(note["contentMap"]["cy"], note["content"], "{note}");
    assert_eq!(note["contentMap"].as_object().unwrap().len(), 1, "{note}");

    // The page marks the story's words as Welsh, inside an English interface.
    let page = page_in(&node, &url, "en").await.text().await.unwrap();
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains(r#"<h1 lang="cy">Noson ffilm</h1>"#), "{page}");
    assert!(page.contains(r#"<div class="body" lang="cy">"#), "{page}");
    // And the editor keeps the language when the story is edited.
    let id = url.rsplit('/').next().unwrap();
    let edit = ana.get(&format!("/manage/reel/stories/{id}/edit")).await;
    assert!(
        edit.body
            .contains(r#"<option value="cy" lang="cy" selected>Cymraeg</option>"#),
        "{}",
        edit.body
    );
    // A story from the CLI or older code is English.
    let story = mutual::content::stories::publish(&node.node, "reel", "Film night", "Come.", &[])
        .await
        .unwrap();
    let note = get_activity_json(story.url(&node.base)).await;
    assert_eq!(note["contentMap"]["en"], note["content"]);
}

on_both_backends!(a_browser_gets_errors_as_pages_in_its_language,);

async fn a_browser_gets_errors_as_pages_in_its_language(backend: Backend) {
    let (node, _boss, _ana) = node_with_a_coop(backend).await;
    let browser = |path: &str, lang: &'static str| {
        http()
            .get(node.base.join(path).unwrap())
            .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
            .header("accept-language", lang)
    };
    let r = browser("/coops/nobody", "cy").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = r.text().await.unwrap();
    assert!(page.contains("<html lang=\"cy\">"), "{page}");
    assert!(page.contains("<h1>Heb ei ganfod</h1>"), "{page}");
    assert!(
        page.contains("Does dim cwmni cydweithredol &#39;nobody&#39; ar y nod hwn"),
        "the detail, in Welsh and escaped: {page}"
    );

    // A refused form says how to get back to it, and keeps the status.
    let r = http()
        .post(node.base.join("/login").unwrap())
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=x&password=y&csrf=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("<h1>You are not allowed to do that</h1>"),
        "{page}"
    );
    assert!(page.contains("Back button"), "{page}");

    // API clients and peers still get the plain text.
    let r = http()
        .get(node.base.join("/coops/nobody").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(r.text().await.unwrap(), "no co-op 'nobody' on this node");
}
