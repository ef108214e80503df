//! Members write stories in the browser: preview (stores nothing), drafts (never
//! federated), publish, edit and delete, each federating like the CLI's.

use super::*;
use crate::helpers::eventually;
use crate::helpers::sink::{Sink, add_followers, arrived, trust_coop};

on_both_backends!(
    members_preview_save_drafts_and_publish_stories_that_federate,
    a_member_of_one_coop_cannot_touch_another_coops_stories,
);

const HOSTILE: &str = "Hello **bold** <script>alert(1)</script> <img src=x onerror=alert(2)> \
                       [click](javascript:alert(3))";

/// The preview section of an editor page.
fn preview(page: &Page) -> String {
    let start = page.body.find("<article>").expect("a preview");
    let end = page.body[start..].find("</article>").unwrap() + start;
    page.body[start..end].to_string()
}

async fn members_preview_save_drafts_and_publish_stories_that_federate(backend: Backend) {
    let (node, _boss, _ana) = node_with_a_coop(backend).await;
    let sink = Sink::spawn().await;
    add_followers(&node.node, "reel", &[sink.inbox(1)]).await;
    trust_coop(&node.node, "reel", std::slice::from_ref(&sink)).await;
    let mut carl = member_of_reel(&node, "carl").await;

    // Preview: rendered and sanitised, and nothing stored or sent.
    let fields = |action: &'static str| {
        vec![
            ("action", action),
            ("title", "Our archive"),
            ("kind", "research"),
            ("tags", "#film archive"),
            ("body", HOSTILE),
        ]
    };
    let page = carl
        .submit(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &fields("preview"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let shown = preview(&page);
    assert!(shown.contains("<strong>bold</strong>"), "{shown}");
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!shown.contains(bad), "{bad} in {shown}");
    }
    assert!(!page.body.contains("<script"), "the textarea escapes it");
    assert_eq!(count(&node, "SELECT COUNT(*) FROM stories").await, 0);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM story_drafts").await, 0);

    // A draft: stored, listed for members, nowhere public, not federated.
    let page = carl
        .submit(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &fields("draft"),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let draft = page.location.clone().unwrap();
    assert!(draft.starts_with("/manage/reel/drafts/"), "{draft}");
    assert!(
        carl.get("/manage/reel/stories")
            .await
            .body
            .contains("Our archive")
    );
    let public = crate::helpers::http()
        .get(node.base.join("/coops/reel").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::OK);
    let public = public.text().await.unwrap();
    assert!(public.contains("Reel Co-op"), "{public}");
    assert!(!public.contains("Our archive"), "{public}");
    let outbox = crate::helpers::http()
        .get(node.base.join("/coops/reel/outbox?page=1").unwrap())
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(outbox.status(), StatusCode::OK);
    let outbox = outbox.text().await.unwrap();
    assert!(outbox.contains("OrderedCollectionPage"), "{outbox}");
    assert!(!outbox.contains("Our archive"), "{outbox}");
    assert_eq!(count(&node, "SELECT COUNT(*) FROM stories").await, 0);

    // Publish the draft: it becomes a story of kind research, and its Create goes out.
    let page = carl
        .submit_multipart(&draft, &draft, &fields("publish"), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let url = page.location.clone().unwrap();
    assert_eq!(count(&node, "SELECT COUNT(*) FROM story_drafts").await, 0);
    let note: serde_json::Value = crate::helpers::get_activity_json(&url).await;
    assert_eq!(note["storyKind"], "research");
    assert_eq!(note["name"], "Our archive");
    let content = note["content"].as_str().unwrap();
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!content.contains(bad), "{bad} in {content}");
    }
    let html = crate::helpers::get_text(&url).await;
    assert!(
        !html.contains("<script") && !html.contains("javascript:"),
        "{html}"
    );
    eventually(20, "the Create", arrived(&sink, "Create")).await;

    // Edit (an Update) and delete (a Delete) from the editor.
    let public_id = url.rsplit('/').next().unwrap().to_string();
    let edit = format!("/manage/reel/stories/{public_id}/edit");
    let page = carl
        .submit(
            &edit,
            &edit,
            &[
                ("action", "save"),
                ("title", "Our film archive"),
                ("kind", "news"),
                ("tags", "film"),
                ("body", "Now open."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    eventually(20, "the Update", arrived(&sink, "Update")).await;
    let page = carl.submit(&edit, &edit, &[("action", "delete")]).await;
    assert_see_other(&page, "/manage/reel/stories");
    eventually(20, "the Delete", arrived(&sink, "Delete")).await;
    assert_eq!(
        crate::helpers::http()
            .get(&url)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::GONE
    );
    assert_eq!(
        sink.arrivals()
            .iter()
            .filter(|a| a.kind == "Create")
            .count(),
        1
    );
    assert_eq!(sink.unverified(), 0);
}

async fn a_member_of_one_coop_cannot_touch_another_coops_stories(backend: Backend) {
    let (node, mut boss, mut ana) = node_with_a_coop(backend).await;
    boss.submit(
        "/admin",
        "/admin/coops",
        &[
            ("handle", "lens"),
            ("name", "Lens"),
            ("nation", "england"),
            ("sector", "photography"),
        ],
    )
    .await;
    let story = mutual::content::stories::publish(&node.node, "lens", "Lens news", "Ours.", &[])
        .await
        .unwrap();
    let id = story.row.public_id.clone();
    // Through lens's pages: not a member. Through reel's pages: not reel's story.
    let theirs = format!("/manage/lens/stories/{id}/edit");
    assert_eq!(ana.get(&theirs).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        ana.get("/manage/lens/stories/new").await.status,
        StatusCode::FORBIDDEN
    );
    let token = ana.get("/account").await.csrf();
    let save = [
        ("csrf", token.as_str()),
        ("action", "save"),
        ("title", "Hijacked"),
        ("kind", "story"),
        ("tags", ""),
        ("body", "x"),
    ];
    assert_eq!(
        ana.post_multipart(&theirs, &save, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let ours = format!("/manage/reel/stories/{id}/edit");
    assert_eq!(ana.get(&ours).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        ana.post_multipart(&ours, &save, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let delete = [("csrf", token.as_str()), ("action", "delete")];
    assert_eq!(
        ana.post_multipart(&ours, &delete, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let publish = [
        ("csrf", token.as_str()),
        ("action", "publish"),
        ("title", "Theirs"),
        ("kind", "story"),
        ("tags", ""),
        ("body", "x"),
    ];
    assert_eq!(
        ana.post_multipart("/manage/lens/stories/new", &publish, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Without the form's token nothing is published either.
    let page = ana
        .post_multipart("/manage/reel/stories/new", &publish[1..], &[])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let after = mutual::content::stories::find(&node.node, Some("lens"), &id)
        .await
        .unwrap();
    assert_eq!(
        (after.row.title.as_str(), after.row.deleted_at),
        ("Lens news", None)
    );
    assert_eq!(count(&node, "SELECT COUNT(*) FROM stories").await, 1);
    // A bad kind is a 422 naming the allowed ones.
    let token = ana.get("/account").await.csrf();
    let bad = [
        ("csrf", token.as_str()),
        ("action", "publish"),
        ("title", "T"),
        ("kind", "gossip"),
        ("tags", ""),
        ("body", "x"),
    ];
    let page = ana
        .post_multipart("/manage/reel/stories/new", &bad, &[])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("story, research, news, event"),
        "{}",
        page.body
    );
}
