//! Members and the node admin in the browser (issue #5): setup link, invitations, log-in,
//! sessions, roles, and what is refused. Real nodes over HTTP, no JavaScript.

mod browser;
mod coop_pages;
mod error_details;
mod fedify_conversation;
mod form_errors;
mod images;
mod journey;
mod languages;
mod likes;
mod network;
mod organise;
mod proxies;
mod refusals;
mod writing;

use mutual::accounts::invites;
use reqwest::StatusCode;

use crate::helpers::browser::{Browser, Page};
use crate::helpers::{Backend, TestNode, count};

const PASSWORD: &str = "a long enough password";

/// A node whose admin `boss` is signed in (through the setup link), with a co-op `reel`
/// whose admin `ana` is signed in too (invited by the node admin).
async fn node_with_a_coop(backend: Backend) -> (TestNode, Browser, Browser) {
    let node = TestNode::spawn(backend).await;
    let mut boss = Browser::node_admin(&node).await;
    let page = boss
        .submit(
            "/admin",
            "/admin/coops",
            &[
                ("handle", "reel"),
                ("name", "Reel Co-op"),
                ("nation", "wales"),
                ("sector", "film"),
            ],
        )
        .await;
    assert_see_other(&page, "/admin");
    let page = boss
        .submit(
            "/admin",
            "/admin/invites",
            &[("coop", "reel"), ("role", "admin")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let invite = page.link(&format!("{}invite/", node.base));
    let mut ana = Browser::new(&node.base);
    assert_see_other(&ana.accept(&invite, "ana", PASSWORD).await, "/account");
    (node, boss, ana)
}

/// `name` joins co-op `reel` as a member through an invitation; their signed-in browser.
async fn member_of_reel(node: &TestNode, name: &str) -> Browser {
    let link = invites::invite_member(&node.node, None, "reel", "member")
        .await
        .unwrap();
    let mut browser = Browser::new(&node.base);
    assert_see_other(
        &browser.accept(link.as_str(), name, PASSWORD).await,
        "/account",
    );
    browser
}

fn assert_see_other(page: &Page, to: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(to));
}
