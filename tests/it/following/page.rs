//! `/manage/reel/following` between two real nodes: follow by handle, the states in words,
//! unfollow, a rejected follow asked again, and everything the page refuses.

use mutual::content::profile::ProfileInput;
use mutual::content::{coops, followers, follows};
use reqwest::StatusCode;

use super::{
    assert_see_other, follow_from_page, follow_in_state, follower_in_state, node_with_admin,
    signed_in,
};
use crate::helpers::{Backend, TestNode, count};

on_both_backends!(
    an_admin_follows_a_coop_on_another_node_by_handle_sees_it_accepted_and_unfollows,
    a_rejected_follow_shows_and_can_be_asked_again,
    bad_targets_self_follows_members_and_forms_without_their_token_are_refused,
);

/// Co-op `handle` on a second node, approving followers by hand.
async fn careful_coop(backend: Backend, handle: &str) -> TestNode {
    let b = TestNode::spawn(backend).await;
    b.coop(handle).await;
    let manual = ProfileInput {
        manual_approval: Some(true),
        ..Default::default()
    };
    coops::edit(&b.node, handle, &manual).await.unwrap();
    b
}

async fn an_admin_follows_a_coop_on_another_node_by_handle_sees_it_accepted_and_unfollows(
    backend: Backend,
) {
    let (a, mut ana) = node_with_admin(backend).await;
    let b = careful_coop(backend, "band").await;
    let band = b.actor("band");

    // The account page and the followers page both lead here.
    assert!(
        ana.get("/account")
            .await
            .body
            .contains(r#"href="/manage/reel/following""#)
    );
    assert!(
        ana.get("/manage/reel/followers")
            .await
            .body
            .contains(r#"href="/manage/reel/following""#)
    );
    let empty = ana.get("/manage/reel/following").await;
    assert!(
        empty.body.contains("does not follow anyone yet"),
        "{}",
        empty.body
    );

    // Followed by handle (WebFinger): pending until band's admin approves.
    let handle = format!("@band@{}", b.domain());
    assert_see_other(
        &follow_from_page(&mut ana, &handle).await,
        "/manage/reel/following",
    );
    follower_in_state(&b, "band", Some("pending")).await;
    let page = ana.get("/manage/reel/following").await;
    assert!(
        page.body.contains("waiting for them to accept"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&handle),
        "the handle, from the cache: {}",
        page.body
    );
    assert!(
        page.body.contains("band co-op"),
        "the name, from the cache: {}",
        page.body
    );

    followers::approve(&b.node, "band", a.actor("reel").as_str())
        .await
        .unwrap();
    follow_in_state(&a, band.as_str(), "accepted").await;
    let page = ana.get("/manage/reel/following").await;
    assert!(page.body.contains(">following<"), "{}", page.body);
    assert!(!page.body.contains("waiting for them to accept"));

    // Unfollow sends the Undo: band forgets its follower, reel its follow.
    let token = page.csrf();
    let page = ana
        .post(
            "/manage/reel/following/unfollow",
            &[("csrf", &token), ("target", band.as_str())],
        )
        .await;
    assert_see_other(&page, "/manage/reel/following");
    follower_in_state(&b, "band", None).await;
    assert!(follows::list(&a.node, "reel").await.unwrap().is_empty());
    let page = ana.get("/manage/reel/following").await;
    assert!(
        page.body.contains("does not follow anyone yet"),
        "{}",
        page.body
    );
    a.stop().await;
    b.stop().await;
}

async fn a_rejected_follow_shows_and_can_be_asked_again(backend: Backend) {
    let (a, mut ana) = node_with_admin(backend).await;
    let b = careful_coop(backend, "quarry").await;
    let quarry = b.actor("quarry");
    assert_see_other(
        &follow_from_page(&mut ana, quarry.as_str()).await,
        "/manage/reel/following",
    );
    follower_in_state(&b, "quarry", Some("pending")).await;

    followers::reject(&b.node, "quarry", a.actor("reel").as_str())
        .await
        .unwrap();
    follow_in_state(&a, quarry.as_str(), "rejected").await;
    let page = ana.get("/manage/reel/following").await;
    assert!(page.body.contains("they declined"), "{}", page.body);
    assert!(page.body.contains("Ask again"), "{}", page.body);

    // Asking again sends a new Follow: pending here, a pending follower there.
    let token = page.csrf();
    let again = ana
        .post(
            "/manage/reel/following",
            &[("csrf", &token), ("target", quarry.as_str())],
        )
        .await;
    assert_see_other(&again, "/manage/reel/following");
    follow_in_state(&a, quarry.as_str(), "pending").await;
    follower_in_state(&b, "quarry", Some("pending")).await;
    a.stop().await;
    b.stop().await;
}

async fn bad_targets_self_follows_members_and_forms_without_their_token_are_refused(
    backend: Backend,
) {
    let (a, mut ana) = node_with_admin(backend).await;
    let b = TestNode::spawn(backend).await;
    b.coop("band").await;
    let band = b.actor("band");

    for (target, status, says) in [
        (
            format!("@nobody@{}", b.domain()),
            StatusCode::NOT_FOUND,
            "no account",
        ),
        (
            b.base.join("/coops/nobody").unwrap().to_string(),
            StatusCode::NOT_FOUND,
            "no account",
        ),
        (
            "just some words".to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "neither @name@host nor a URL",
        ),
        (
            format!("@reel@{}", a.domain()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot follow itself",
        ),
        (
            a.actor("reel").to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot follow itself",
        ),
    ] {
        let page = follow_from_page(&mut ana, &target).await;
        assert_eq!(page.status, status, "{target}: {}", page.body);
        assert!(page.body.contains(says), "{target}: {}", page.body);
    }

    // Without the form's token: refused, nothing sent.
    let page = ana
        .post("/manage/reel/following", &[("target", band.as_str())])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    let page = ana
        .post(
            "/manage/reel/following",
            &[("csrf", "not-the-token"), ("target", band.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);

    // A member who is not an admin can neither see the page nor follow.
    let mut mo = signed_in(&a, "reel", "mona", "member").await;
    assert_eq!(
        mo.get("/manage/reel/following").await.status,
        StatusCode::FORBIDDEN
    );
    let token = mo.get("/account").await.csrf();
    let page = mo
        .post(
            "/manage/reel/following",
            &[("csrf", &token), ("target", band.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM follows").await, 0);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM deliveries").await, 0);

    // An unfollow without its token leaves the follow as it is; signed out, log in first.
    follows::follow(&a.node, "reel", band.as_str())
        .await
        .unwrap();
    let page = ana
        .post(
            "/manage/reel/following/unfollow",
            &[("target", band.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    let page = mo
        .post(
            "/manage/reel/following/unfollow",
            &[("csrf", &token), ("target", band.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert_eq!(follows::list(&a.node, "reel").await.unwrap().len(), 1);
    let mut nobody = crate::helpers::browser::Browser::new(&a.base);
    assert_see_other(&nobody.get("/manage/reel/following").await, "/login");
    a.stop().await;
    b.stop().await;
}
