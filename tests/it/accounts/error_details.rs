//! Error details in the visitor's language: a Welsh browser reads why its form or query was
//! refused in Welsh (the catalogue's `err.*` patterns), on the form beside the field or on
//! an error page, while an English browser, API clients and peers get the code's English
//! text exactly as before.

use super::*;
use crate::helpers::http;

on_both_backends!(
    a_welsh_browser_reads_why_its_story_was_refused_in_welsh,
    query_errors_are_welsh_on_pages_and_english_in_the_json_api,
);

const HTML: &str = "text/html,application/xhtml+xml,*/*;q=0.8";

/// The editor's form with `title` and `tags`.
fn story<'a>(title: &'a str, tags: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("action", "publish"),
        ("title", title),
        ("kind", "story"),
        ("language", "cy"),
        ("tags", tags),
        ("body", "Dewch i'r neuadd."),
    ]
}

async fn a_welsh_browser_reads_why_its_story_was_refused_in_welsh(backend: Backend) {
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let editor = "/manage/reel/stories/new";
    let too_long = "t".repeat(201);
    let english = "title: must be 1 to 200 characters";

    // A Welsh browser: the page and its detail are Welsh, so the detail takes the page's
    // language instead of being marked English.
    ana.set_header("accept", HTML);
    ana.set_header("accept-language", "cy");
    let page = ana.submit(editor, editor, &story(&too_long, "")).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("<html lang=\"cy\">"), "{}", page.body);
    // The editor comes back with the rule beside the title, in Welsh.
    assert!(
        page.body.contains(
            "<span class=\"field-error\" id=\"title-error\">Teitl: rhaid iddo fod rhwng 1 a 200 nod</span>"
        ),
        "{}",
        page.body
    );
    assert!(!page.body.contains(english), "{}", page.body);
    // What the member typed comes back as typed (and escaped).
    let page = ana
        .submit(editor, editor, &story("Noson ffilm", "<ffilm&co>"))
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(
        page.body.contains(
            "Tagiau: rhaid i &#39;&#60;ffilm&#38;co&#62;&#39; fod rhwng 1 a 64 o lythrennau"
        ),
        "{}",
        page.body
    );
    assert_eq!(count(&node, "SELECT COUNT(*) FROM stories").await, 0);
    // A message with no pattern (axum's own words about a broken form) stays English on the
    // Welsh page, and says so.
    let cookies: Vec<String> = ana
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let r = http()
        .post(node.base.join(editor).unwrap())
        .header("cookie", cookies.join("; "))
        .header("accept", HTML)
        .header("accept-language", "cy")
        .header("content-type", "multipart/form-data; boundary=x")
        .body("not a multipart body")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let page = r.text().await.unwrap();
    assert!(page.contains("<html lang=\"cy\">"), "{page}");
    assert!(
        page.contains("<p class=\"error-detail\" lang=\"en\">"),
        "{page}"
    );

    // An English browser: the English detail, unchanged.
    ana.set_header("accept-language", "en");
    let page = ana.submit(editor, editor, &story(&too_long, "")).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains(&format!(
            "<span class=\"field-error\" id=\"title-error\">{english}</span>"
        )),
        "{}",
        page.body
    );
}

async fn query_errors_are_welsh_on_pages_and_english_in_the_json_api(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let english = "nation: 'atlantis' is not one of england, scotland, wales, northern-ireland";
    let get = |path: &str, accept: &'static str, lang: &'static str| {
        http()
            .get(dir.base.join(path).unwrap())
            .header("accept", accept)
            .header("accept-language", lang)
            .send()
    };
    let r = get("/directory/browse?nation=atlantis", HTML, "cy")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains(
            "<p class=\"error-detail\">Gwlad: dydy &#39;atlantis&#39; ddim yn un o&#39;r rhain: \
             england, scotland, wales, northern-ireland</p>"
        ),
        "{page}"
    );

    let r = get(
        "/api/v1/directory/coops?nation=atlantis",
        "application/json",
        "cy",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["error"], english);

    dir.stop().await;
}
