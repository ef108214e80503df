//! Co-ops follow the movement (issue #7), three real nodes at `http://localhost:<port>`:
//! A follows B and C. B publishes, edits and deletes, and A's timeline follows; C boosts
//! B's story and A sees the boost; C replies to A's story and the reply shows under it
//! (and in A's notifications) until C deletes it; a like is counted and uncounted; B blocks
//! A's domain and A's follow ends.

use mutual::content::stories::{self, NewStory, StoryChanges};
use mutual::content::{follows, reactions};
use serde_json::json;

use super::*;
use crate::helpers::peer::Peer;
use crate::helpers::{accepted_follow, eventually};

on_both_backends!(three_nodes_follow_boost_reply_and_delete,);

/// A story of C's co-op `cwm` that answers `parent`.
async fn reply_from(c: &TestNode, parent: &str, title: &str, body: &str) -> stories::Story {
    let new = NewStory {
        title: title.into(),
        body: body.into(),
        tags: vec![],
        kind: "story".into(),
        language: "en".into(),
        in_reply_to: Some(parent.into()),
        images: vec![],
    };
    stories::publish_story(&c.node, "cwm", &new, None)
        .await
        .unwrap()
}

/// Waits until `page` (as `who` sees it) satisfies `wanted`; returns its body.
async fn page_until(
    who: &mut Browser,
    page: &str,
    what: &str,
    wanted: impl Fn(&str) -> bool,
) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let body = who.get(page).await.body;
        if wanted(&body) {
            return body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}: {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
}

async fn three_nodes_follow_boost_reply_and_delete(backend: Backend) {
    let (a, _boss, mut ana) = node_with_a_coop(backend).await;
    let b = TestNode::spawn(backend).await;
    let c = TestNode::spawn(backend).await;
    b.coop("blake").await;
    c.coop("cwm").await;
    for other in [&b, &c] {
        let handle = if other.base == b.base { "blake" } else { "cwm" };
        follows::follow(&a.node, "reel", other.actor(handle).as_str())
            .await
            .unwrap();
    }
    accepted_follow(&a, "reel").await;
    eventually(15, "both follows accepted", || {
        let node = a.node.clone();
        async move {
            let all = follows::list(&node, "reel").await.unwrap();
            (all.iter().filter(|f| f.state == "accepted").count() == 2).then_some(())
        }
    })
    .await;
    // C follows A too, so that C knows A's co-op (and A's story can be replied to).
    follows::follow(&c.node, "cwm", a.actor("reel").as_str())
        .await
        .unwrap();
    accepted_follow(&c, "cwm").await;

    // B publishes: A's timeline shows it.
    let story = stories::publish(&b.node, "blake", "Screening night", "Come along.", &[])
        .await
        .unwrap();
    let url = story.url(&b.base).to_string();
    let timeline = page_until(
        &mut ana,
        "/manage/reel/timeline",
        "B's story in A's timeline",
        |p| p.contains("Screening night") && p.contains(&url),
    )
    .await;
    assert!(
        timeline.contains(&format!("@blake@{}", b.domain())),
        "the author's handle: {timeline}"
    );

    // B edits: A shows the edit.
    stories::edit(
        &b.node,
        Some("blake"),
        &url,
        &StoryChanges {
            title: Some("Screening night, moved to Friday".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let timeline = page_until(&mut ana, "/manage/reel/timeline", "the edit", |p| {
        p.contains("moved to Friday")
    })
    .await;

    // From the timeline, A's member replies to B's story (in the editor) and boosts it.
    let link =
        regex::Regex::new(r#"href="(/manage/reel/stories/new\?in_reply_to=[^"]+)""#).unwrap();
    let reply_link = link.captures(&timeline).expect("a Reply link")[1].replace("&#38;", "&");
    assert!(reply_link.ends_with(&story.row.public_id), "{reply_link}");
    let editor = ana.get(&reply_link).await.body;
    assert!(
        editor.contains("Replying to") && editor.contains(&url),
        "{editor}"
    );
    let done = ana
        .submit(
            &reply_link,
            "/manage/reel/stories/new",
            &[
                ("action", "publish"),
                ("title", "See you on Friday"),
                ("body", "We will bring the projector."),
                ("kind", "story"),
                ("language", "en"),
                ("tags", ""),
                ("in_reply_to", url.as_str()),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let on_b = story.url(&b.base);
    eventually(20, "A's reply under B's story", || {
        let on_b = on_b.clone();
        async move {
            crate::helpers::get_text(on_b)
                .await
                .contains("We will bring the projector.")
                .then_some(())
        }
    })
    .await;
    let boosted = ana
        .submit(
            "/manage/reel/timeline",
            "/manage/reel/boost",
            &[("url", url.as_str())],
        )
        .await;
    assert_eq!(boosted.status, StatusCode::SEE_OTHER, "{}", boosted.body);
    // C follows A: A's boost of B's story reaches C's timeline.
    eventually(20, "A's boost at C", || {
        let c = c.node.clone();
        async move {
            let mut conn = c.db.acquire().await.unwrap();
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM boosts")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            (n > 0).then_some(())
        }
    })
    .await;

    // C boosts B's story: A, which follows C, sees the boost.
    let second = stories::publish(&b.node, "blake", "Film club", "Every Tuesday.", &[])
        .await
        .unwrap();
    let second_url = second.url(&b.base).to_string();
    reactions::boost_post(&c.node, "cwm", &second_url)
        .await
        .unwrap();
    // The boost names its booster, linked to its actor.
    let boosted = format!(
        r#"<a href="{}" rel="nofollow noopener noreferrer">Boosted by "#,
        c.actor("cwm")
    );
    let timeline = page_until(
        &mut ana,
        "/manage/reel/timeline",
        "C's boost in A's timeline",
        |p| p.contains(&boosted),
    )
    .await;
    assert!(timeline.contains("Film club"), "{timeline}");

    // B deletes: gone from A's timeline (the post and the boost of it).
    stories::delete(&b.node, Some("blake"), &second_url)
        .await
        .unwrap();
    page_until(&mut ana, "/manage/reel/timeline", "the deletion", |p| {
        !p.contains("Film club") && !p.contains(&boosted)
    })
    .await;

    // Someone on C replies to A's story: the reply shows under it, with its author.
    let ours = stories::publish(&a.node, "reel", "Our archive opens", "Come and see.", &[])
        .await
        .unwrap();
    let ours_url = ours.url(&a.base).to_string();
    let reply = reply_from(
        &c,
        &ours_url,
        "Congratulations",
        "We will bring the **tea**. <script>alert(1)</script>",
    )
    .await;
    let reply_url = reply.url(&c.base).to_string();
    let path = ours.url(&a.base).path().to_string();
    let page = page_until(&mut ana, &path, "C's reply under A's story", |p| {
        p.contains("Congratulations")
    })
    .await;
    assert!(
        page.contains("<strong>tea</strong>") && !page.contains("<script>alert"),
        "{page}"
    );
    assert!(
        page.contains(&format!("@cwm@{}", c.domain())),
        "the author's handle: {page}"
    );
    assert!(page.contains("1 reply"), "{page}");
    assert!(
        page.contains("Hide this reply"),
        "A's admin may hide it: {page}"
    );
    let anonymous = crate::helpers::get_text(ours.url(&a.base)).await;
    assert!(anonymous.contains("Congratulations") && !anonymous.contains("Hide this reply"));
    let told = ana.get("/manage/reel/notifications").await.body;
    assert!(
        told.contains("Reply from") && told.contains(&reply_url),
        "{told}"
    );
    assert!(
        told.contains("Mentioned by"),
        "a reply mentions its parent's author: {told}"
    );

    // A second reply, unwelcome: A's admin hides it; the first stays.
    let spam = reply_from(&c, &ours_url, "Cheap tickets", "Click here.").await;
    let spam_url = spam.url(&c.base).to_string();
    page_until(&mut ana, &path, "the second reply", |p| {
        p.contains("Cheap tickets")
    })
    .await;
    let hidden = ana
        .submit(
            &path,
            "/manage/reel/replies/hide",
            &[
                ("story", ours.row.public_id.as_str()),
                ("reply", spam_url.as_str()),
            ],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.body);
    let page = crate::helpers::get_text(ours.url(&a.base)).await;
    assert!(
        !page.contains("Cheap tickets") && page.contains("Congratulations"),
        "{page}"
    );
    // Only the co-op's admins may: a forged form and a stranger are refused.
    let mut stranger = Browser::new(&a.base);
    let refused = stranger
        .post(
            "/manage/reel/replies/hide",
            &[
                ("story", ours.row.public_id.as_str()),
                ("reply", reply_url.as_str()),
            ],
        )
        .await;
    assert!(
        refused.status == StatusCode::SEE_OTHER && refused.location.as_deref() == Some("/login")
            || refused.status == StatusCode::FORBIDDEN,
        "{:?}",
        refused.status
    );
    assert!(
        crate::helpers::get_text(ours.url(&a.base))
            .await
            .contains("Congratulations")
    );

    // A like is counted, and uncounted.
    let peer = Peer::spawn().await;
    let fan = peer.actor("fan");
    let like = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}likes/1", peer.base), "type": "Like", "actor": fan.id, "object": ours_url,
    });
    let inbox = a.actor("reel").join("reel/inbox").unwrap();
    assert_eq!(fan.post(&inbox, like.to_string().as_bytes()).await.0, 202);
    let page = ana.get(&path).await.body;
    assert!(page.contains("1 like"), "{page}");
    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}undo/1", peer.base), "type": "Undo", "actor": fan.id, "object": like,
    });
    assert_eq!(fan.post(&inbox, undo.to_string().as_bytes()).await.0, 202);
    assert!(ana.get(&path).await.body.contains("0 likes"));

    // C deletes the reply: it disappears from A.
    stories::delete(&c.node, Some("cwm"), &reply_url)
        .await
        .unwrap();
    page_until(&mut ana, &path, "the deleted reply to go", |p| {
        !p.contains("Congratulations")
    })
    .await;
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(*) FROM remote_posts WHERE story_id IS NOT NULL AND hidden_at IS NULL"
        )
        .await,
        0,
        "the deleted reply is gone; only the hidden one is kept (hidden)"
    );
    // B blocks A's domain: A's follow is removed there, and A is told (its follow rejected).
    mutual::moderation::domains::block(&b.node, &a.domain())
        .await
        .unwrap();
    let on_b = mutual::content::followers::list(&b.node, "blake", None)
        .await
        .unwrap();
    assert!(
        on_b.iter()
            .all(|f| !f.actor_id.starts_with(a.base.as_str())),
        "{on_b:?}"
    );
    let blake = b.actor("blake").to_string();
    eventually(15, "A's follow of B rejected", || {
        let (node, blake) = (a.node.clone(), blake.clone());
        async move {
            let all = follows::list(&node, "reel").await.unwrap();
            all.iter()
                .any(|f| f.target_id == blake && f.state == "rejected")
                .then_some(())
        }
    })
    .await;
}

on_both_backends!(the_timeline_is_newest_first_a_page_at_a_time_and_for_members_only,);

async fn the_timeline_is_newest_first_a_page_at_a_time_and_for_members_only(backend: Backend) {
    use mutual::db::remote_posts::RemotePostRow;
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let author = "https://elsewhere.example/users/poet";
    let mut conn = node.node.db.acquire().await.unwrap();
    let coop = mutual::db::coops::by_handle(&mut conn, "reel")
        .await
        .unwrap()
        .unwrap();
    mutual::db::follows::upsert_pending(&mut conn, coop.id, author, "https://x.example/f/1", 1)
        .await
        .unwrap();
    let follow = mutual::db::follows::find(&mut conn, coop.id, author)
        .await
        .unwrap()
        .unwrap();
    mutual::db::follows::set_state(&mut conn, follow.id, "accepted")
        .await
        .unwrap();
    for n in 1..=25 {
        let post = RemotePostRow {
            id: format!("https://elsewhere.example/notes/{n}"),
            actor_id: author.into(),
            kind: "Note".into(),
            name: None,
            content: format!("<p>poem number {n:02}</p>"),
            url: None,
            published_at: Some(1_760_000_000_000 + i64::from(n) * 1000),
            updated_at: None,
            received_at: 1,
            in_reply_to: None,
            story_id: None,
            thread_parent: None,
        };
        assert!(
            mutual::db::remote_posts::upsert_if_followed(&mut conn, &post)
                .await
                .unwrap()
        );
    }
    drop(conn);
    let first = ana.get("/manage/reel/timeline").await.body;
    assert!(
        first.contains("poem number 25") && first.contains("poem number 06"),
        "{first}"
    );
    assert!(!first.contains("poem number 05"), "20 a page");
    assert!(first.find("poem number 25").unwrap() < first.find("poem number 24").unwrap());
    assert!(
        first.contains(r#"<a rel="next" href="?page=2">"#),
        "{first}"
    );
    let second = ana.get("/manage/reel/timeline?page=2").await.body;
    assert!(second.contains("poem number 05") && second.contains("poem number 01"));
    assert!(!second.contains("poem number 06") && !second.contains(r#"rel="next""#));

    // Public only when the co-op says so; then anyone reads it, linked from its page.
    let public = node.base.join("/coops/reel/network").unwrap();
    let r = crate::helpers::http()
        .get(public.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let input = mutual::content::profile::ProfileInput {
        public_network: Some(true),
        ..Default::default()
    };
    mutual::content::coops::edit(&node.node, "reel", &input)
        .await
        .unwrap();
    let page = crate::helpers::get_text(public).await;
    assert!(
        page.contains("poem number 25") && !page.contains("poem number 05"),
        "{page}"
    );
    let profile = crate::helpers::get_text(node.actor("reel")).await;
    assert!(profile.contains("/coops/reel/network"), "{profile}");

    // Members only: signed out, sent to log in; another co-op's member, refused.
    let mut stranger = Browser::new(&node.base);
    let page = stranger.get("/manage/reel/timeline").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    node.coop("lens").await;
    let page = ana.get("/manage/lens/timeline").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
}
