//! Following (issue #7): a co-op's admins follow and unfollow from `/manage/HANDLE/following`,
//! the `following` collection (and hiding it), the remote-actor cache's daily refresh and the
//! re-fetch of a rotated key. Real nodes over HTTP, no JavaScript.

mod actor_cache;
mod collection;
mod fedify;
mod keys;
mod long_lists;
mod page;

use mutual::accounts::invites;
use reqwest::StatusCode;

use crate::helpers::browser::{Browser, Page};
use crate::helpers::{TestNode, eventually};

const PASSWORD: &str = "a long enough password";

/// Creates co-op `handle` on `node` and signs in `username` as its admin (or member).
async fn signed_in(node: &TestNode, handle: &str, username: &str, role: &str) -> Browser {
    let link = invites::invite_member(&node.node, None, handle, role)
        .await
        .unwrap();
    let mut browser = Browser::new(&node.base);
    let page = browser.accept(link.as_str(), username, PASSWORD).await;
    assert_see_other(&page, "/account");
    browser
}

/// A node with co-op `reel` and its signed-in admin `ana`.
async fn node_with_admin(backend: crate::helpers::Backend) -> (TestNode, Browser) {
    let node = TestNode::spawn(backend).await;
    node.coop("reel").await;
    let ana = signed_in(&node, "reel", "ana", "admin").await;
    (node, ana)
}

fn assert_see_other(page: &Page, to: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(to));
}

/// Follows `target` from reel's page, as its admin would.
async fn follow_from_page(ana: &mut Browser, target: &str) -> Page {
    ana.submit(
        "/manage/reel/following",
        "/manage/reel/following",
        &[("target", target)],
    )
    .await
}

/// Waits until reel's follow of `target` is in `state`.
async fn follow_in_state(node: &TestNode, target: &str, state: &'static str) {
    let (node, target) = (node.node.clone(), target.to_string());
    eventually(15, state, move || {
        let (node, target) = (node.clone(), target.clone());
        async move {
            mutual::content::follows::list(&node, "reel")
                .await
                .unwrap()
                .into_iter()
                .find(|f| f.target_id == target && f.state == state)
        }
    })
    .await;
}

/// Waits until co-op `handle` on `node` has a follower in `state` (None: no follower at all).
async fn follower_in_state(node: &TestNode, handle: &str, state: Option<&'static str>) {
    let (node, handle) = (node.node.clone(), handle.to_string());
    eventually(15, "the follower's state", move || {
        let (node, handle) = (node.clone(), handle.clone());
        async move {
            let list = mutual::content::followers::list(&node, &handle, None)
                .await
                .unwrap();
            match state {
                None => list.is_empty().then_some(()),
                Some(s) => list.iter().any(|f| f.state == s).then_some(()),
            }
        }
    })
    .await;
}
