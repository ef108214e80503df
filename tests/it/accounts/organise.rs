//! A directory organiser works from the browser: invites a co-op (listed once it
//! accepts), sees it on the dashboard, turns its boosts off, removes it.

use super::*;
use crate::helpers::directory::{in_state, listing, rich_coop};

on_both_backends!(an_organiser_invites_a_coop_from_the_organiser_page,);

async fn an_organiser_invites_a_coop_from_the_organiser_page(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let coops = TestNode::spawn(backend).await;
    rich_coop(&coops, "reel", false).await;
    let mut boss = Browser::node_admin(&dir).await;
    let page = boss.submit("/admin", "/admin/organisers", &[]).await;
    let invite = page.link(&format!("{}invite/", dir.base));
    let mut olu = Browser::new(&dir.base);
    assert_see_other(&olu.accept(&invite, "olu", PASSWORD).await, "/account");
    let page = olu.get("/organise").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("0 co-ops are listed"), "{}", page.body);

    // Invite by handle; the co-op's node accepts, and it is listed.
    let handle = format!("@reel@{}", coops.domain());
    let page = olu
        .submit("/organise", "/organise/add", &[("target", &handle)])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("it is listed once it accepts"),
        "{}",
        page.body
    );
    let actor = coops.actor("reel");
    in_state(&dir, &actor, "listed").await;
    let page = olu.get("/organise").await;
    assert!(page.body.contains("1 co-op is listed"), "{}", page.body);
    assert!(page.body.contains(&handle), "{}", page.body);

    // Boosts off, then a refresh failure shows on the dashboard.
    let page = olu
        .submit(
            "/organise",
            "/organise/boost",
            &[("target", actor.as_str()), ("switch", "off")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        listing(&dir, actor.as_str()).await.unwrap().boost_excluded,
        1
    );
    let page = olu
        .submit(
            "/organise",
            "/organise/boost",
            &[("target", actor.as_str()), ("switch", "maybe")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    {
        let mut conn = dir.node.db.acquire().await.unwrap();
        mutual::db::listings::postpone_refresh(
            &mut conn,
            actor.as_str(),
            0,
            "GET failed: connection refused",
        )
        .await
        .unwrap();
    }
    let page = olu.get("/organise").await;
    assert!(
        page.body.contains("GET failed: connection refused"),
        "{}",
        page.body
    );

    // Remove: delisted at once, and listed under recent leaves.
    let page = olu
        .submit(
            "/organise",
            "/organise/remove",
            &[("target", actor.as_str())],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        listing(&dir, actor.as_str()).await.unwrap().state,
        "delisted"
    );
    let page = olu.get("/organise").await;
    assert!(page.body.contains("0 co-ops are listed"));
    assert!(page.body.contains(actor.as_str()), "{}", page.body);

    // A co-op member on the directory's node may not organise; signed out, log in first;
    // a node without the directory has no such page.
    boss.submit(
        "/admin",
        "/admin/coops",
        &[
            ("handle", "local"),
            ("name", "Local"),
            ("nation", "wales"),
            ("sector", "music"),
        ],
    )
    .await;
    let page = boss
        .submit(
            "/admin",
            "/admin/invites",
            &[("coop", "local"), ("role", "admin")],
        )
        .await;
    let invite = page.link(&format!("{}invite/", dir.base));
    let mut mem = Browser::new(&dir.base);
    assert_see_other(&mem.accept(&invite, "mem", PASSWORD).await, "/account");
    assert_eq!(mem.get("/organise").await.status, StatusCode::FORBIDDEN);
    let token = mem.get("/account").await.csrf();
    let page = mem
        .post("/organise/add", &[("csrf", &token), ("target", &handle)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(
        listing(&dir, actor.as_str()).await.unwrap().state,
        "delisted"
    );
    assert_see_other(&Browser::new(&dir.base).get("/organise").await, "/login");
    let (_plain, mut plain_boss, _) = node_with_a_coop(backend).await;
    assert_eq!(
        plain_boss.get("/organise").await.status,
        StatusCode::NOT_FOUND
    );
}
