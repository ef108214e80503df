//! The node admin blocks and unblocks domains on /admin; a co-op's admin blocks and
//! unblocks accounts on /manage/HANDLE/blocks (linked from the account page). Others get 403.

use mutual::accounts::invites;
use mutual::moderation::{actors, domains};
use reqwest::StatusCode;

use crate::helpers::browser::{Browser, Page};
use crate::helpers::peer::Peer;
use crate::helpers::{Backend, TestNode};

const PASSWORD: &str = "a long enough password";

on_both_backends!(blocks_are_made_and_lifted_from_the_admin_and_coop_pages,);

fn assert_see_other(page: &Page, to: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(to));
}

async fn invited(node: &TestNode, name: &str, role: &str) -> Browser {
    let link = invites::invite_member(&node.node, None, "reel", role)
        .await
        .unwrap();
    let mut browser = Browser::new(&node.base);
    assert_see_other(
        &browser.accept(link.as_str(), name, PASSWORD).await,
        "/account",
    );
    browser
}

async fn blocks_are_made_and_lifted_from_the_admin_and_coop_pages(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("reel").await;
    let link = invites::setup_link(&node.node).await.unwrap();
    let mut boss = Browser::new(&node.base);
    assert_see_other(
        &boss.accept(link.as_str(), "boss", PASSWORD).await,
        "/account",
    );
    let mut ana = invited(&node, "ana", "admin").await;
    let mut ben = invited(&node, "ben", "member").await;

    // The node admin blocks a domain, sees it listed, and lifts it.
    let page = boss
        .submit("/admin", "/admin/blocks", &[("domain", "Spam.Example")])
        .await;
    assert_see_other(&page, "/admin#blocks");
    let page = boss.get("/admin").await;
    assert!(page.body.contains("spam.example"), "{}", page.body);
    assert_eq!(
        domains::list(&node.node).await.unwrap()[0].domain,
        "spam.example"
    );
    let page = boss
        .submit(
            "/admin",
            "/admin/blocks/remove",
            &[("domain", "spam.example")],
        )
        .await;
    assert_see_other(&page, "/admin#blocks");
    assert!(domains::list(&node.node).await.unwrap().is_empty());
    // A co-op admin is not the node admin.
    let page = ana
        .submit("/account", "/admin/blocks", &[("domain", "spam.example")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    assert!(domains::list(&node.node).await.unwrap().is_empty());

    // The co-op's admin blocks an account from the page linked on the account page.
    let peer = Peer::spawn().await;
    let spammer = peer.actor("spammer");
    let page = ana.get("/account").await;
    assert!(page.body.contains("/manage/reel/blocks"), "{}", page.body);
    let page = ana
        .submit(
            "/manage/reel/blocks",
            "/manage/reel/blocks",
            &[("target", spammer.id.as_str())],
        )
        .await;
    assert_see_other(&page, "/manage/reel/blocks");
    let page = ana.get("/manage/reel/blocks").await;
    assert!(page.body.contains(spammer.id.as_str()), "{}", page.body);
    assert_eq!(actors::list(&node.node, "reel").await.unwrap().len(), 1);
    // A plain member may not see or change the blocks.
    assert_eq!(
        ben.get("/manage/reel/blocks").await.status,
        StatusCode::FORBIDDEN
    );
    let page = ben
        .submit(
            "/account",
            "/manage/reel/blocks/remove",
            &[("target", spammer.id.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    let page = ana
        .submit(
            "/manage/reel/blocks",
            "/manage/reel/blocks/remove",
            &[("target", spammer.id.as_str())],
        )
        .await;
    assert_see_other(&page, "/manage/reel/blocks");
    assert!(actors::list(&node.node, "reel").await.unwrap().is_empty());
    node.stop().await;
}
