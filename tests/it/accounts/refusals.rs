//! What is refused, and stores nothing: forms without their token, a session id chosen
//! before log-in, members acting beyond their role, brute force, stale links.

use super::*;

on_both_backends!(
    forms_without_their_token_are_refused_and_change_nothing,
    a_session_id_chosen_before_log_in_is_never_adopted,
    members_cannot_act_beyond_their_role_or_their_coop,
    log_in_brute_force_hits_the_rate_limit,
    stale_and_reused_links_and_taken_names_are_refused,
);

async fn forms_without_their_token_are_refused_and_change_nothing(backend: Backend) {
    let (node, mut boss, mut ana) = node_with_a_coop(backend).await;
    let coops = count(&node, "SELECT COUNT(*) FROM coops").await;
    for token in ["", "forged"] {
        let page = boss
            .post(
                "/admin/coops",
                &[("csrf", token), ("handle", "forged"), ("name", "Forged")],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    }
    // Another session's token is not this one's.
    let ana_token = ana.get("/account").await.csrf();
    let page = boss
        .post(
            "/admin/coops",
            &[
                ("csrf", &ana_token),
                ("handle", "forged"),
                ("name", "Forged"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM coops").await, coops);
    let invites = count(&node, "SELECT COUNT(*) FROM invites").await;
    let page = ana
        .post("/manage/reel/members/invite", &[("role", "member")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = ana.post("/logout", &[]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(ana.get("/account").await.status, StatusCode::OK);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM invites").await, invites);

    // Before log-in the token must match the browser's CSRF cookie.
    let mut stranger = crate::helpers::browser::Browser::new(&node.base);
    let page = stranger
        .post(
            "/login",
            &[("csrf", "x"), ("username", "ana"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let link = invites::setup_link(&node.node).await.unwrap();
    let path = link.path().to_string();
    let shown = stranger.get(&path).await;
    assert_eq!(shown.status, StatusCode::OK);
    let page = stranger
        .post(
            &path,
            &[
                ("csrf", "not the cookie"),
                ("username", "mallory"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(
        count(
            &node,
            "SELECT COUNT(*) FROM accounts WHERE username = 'mallory'"
        )
        .await,
        0
    );
    assert_eq!(
        stranger.get(&path).await.status,
        StatusCode::OK,
        "the link still works"
    );
}

async fn a_session_id_chosen_before_log_in_is_never_adopted(backend: Backend) {
    let (node, _boss, _ana) = node_with_a_coop(backend).await;
    let mut victim = crate::helpers::browser::Browser::new(&node.base);
    let planted = "attacker-chosen-session-id";
    victim
        .cookies
        .insert("mutual_session".into(), planted.into());
    assert_see_other(&victim.get("/account").await, "/login");
    assert_see_other(&victim.log_in("ana", PASSWORD).await, "/account");
    let given = victim.cookies["mutual_session"].clone();
    assert_ne!(given, planted);
    assert_eq!(given.len(), 43, "a 256-bit secret");
    // The planted id signs nobody in, and no session is stored under it.
    let mut attacker = crate::helpers::browser::Browser::new(&node.base);
    attacker
        .cookies
        .insert("mutual_session".into(), planted.into());
    assert_see_other(&attacker.get("/account").await, "/login");
    // Sessions are stored only as hashes.
    let stored = count(
        &node,
        "SELECT COUNT(*) FROM sessions WHERE length(id_hash) = 64",
    )
    .await;
    assert_eq!(stored, count(&node, "SELECT COUNT(*) FROM sessions").await);

    // Sessions expire: one past its time signs nobody in.
    let mut conn = node.node.db.acquire().await.unwrap();
    sqlx::query("UPDATE sessions SET expires_at = 1")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert_see_other(&victim.get("/account").await, "/login");

    // The cookie is HttpOnly and SameSite=Lax (and, on an http node, not Secure).
    let r = crate::helpers::http()
        .get(node.base.join("/login").unwrap())
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("; HttpOnly")
            && cookie.contains("; SameSite=Lax")
            && cookie.contains("; Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "{cookie}");
}

async fn members_cannot_act_beyond_their_role_or_their_coop(backend: Backend) {
    let (node, mut boss, mut ana) = node_with_a_coop(backend).await;
    // A second co-op, with its own admin.
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
    let page = boss
        .submit(
            "/admin",
            "/admin/invites",
            &[("coop", "lens"), ("role", "member")],
        )
        .await;
    let invite = page.link(&format!("{}invite/", node.base));
    let mut lena = crate::helpers::browser::Browser::new(&node.base);
    assert_see_other(&lena.accept(&invite, "lena", PASSWORD).await, "/account");

    let invites = count(&node, "SELECT COUNT(*) FROM invites").await;
    // A member (not an admin) of lens cannot see or change its members.
    assert_eq!(
        lena.get("/manage/lens/members").await.status,
        StatusCode::FORBIDDEN
    );
    let token = lena.get("/account").await.csrf();
    let page = lena
        .post(
            "/manage/lens/members/invite",
            &[("csrf", &token), ("role", "admin")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // The admin of reel cannot manage lens, nor run the node.
    assert_eq!(
        ana.get("/manage/lens/members").await.status,
        StatusCode::FORBIDDEN
    );
    let token = ana.get("/account").await.csrf();
    let page = ana
        .post(
            "/manage/lens/members/remove",
            &[("csrf", &token), ("username", "lena")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(ana.get("/admin").await.status, StatusCode::FORBIDDEN);
    let page = ana
        .post(
            "/admin/coops",
            &[("csrf", &token), ("handle", "mine"), ("name", "Mine")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM invites").await, invites);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM memberships").await, 2);
    assert_eq!(
        count(&node, "SELECT COUNT(*) FROM coops WHERE handle = 'mine'").await,
        0
    );
    // Signed out, the pages send you to log in.
    let mut nobody = crate::helpers::browser::Browser::new(&node.base);
    assert_see_other(&nobody.get("/admin").await, "/login");
    assert_see_other(&nobody.get("/manage/reel/members").await, "/login");
}

async fn log_in_brute_force_hits_the_rate_limit(backend: Backend) {
    let (node, _boss, _ana) = node_with_a_coop(backend).await;
    let mut b = crate::helpers::browser::Browser::new(&node.base);
    for _ in 0..5 {
        assert_eq!(
            b.log_in("ana", "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Now even the right password is refused for a while, with no session.
    let page = b.log_in("ana", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.body);
    assert!(!b.cookies.contains_key("mutual_session"));
    // Other accounts from the same address: 20 failures close the address too.
    for i in 0..15 {
        let status = b
            .log_in(&format!("guess{i}"), "wrong password")
            .await
            .status;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let page = b.log_in("boss", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!b.cookies.contains_key("mutual_session"));
}

async fn stale_and_reused_links_and_taken_names_are_refused(backend: Backend) {
    let (node, _boss, _ana) = node_with_a_coop(backend).await;
    let link = invites::invite_member(&node.node, None, "reel", "member")
        .await
        .unwrap();
    let path = link.path().to_string();
    let mut b = crate::helpers::browser::Browser::new(&node.base);
    // A taken username: 409, and the link still works.
    let page = b.accept(link.as_str(), "ana", PASSWORD).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    // Mismatched or short passwords: 422.
    let shown = b.get(&path).await;
    let page = b
        .post(
            &path,
            &[
                ("csrf", &shown.csrf()),
                ("username", "dora"),
                ("password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        count(
            &node,
            "SELECT COUNT(*) FROM accounts WHERE username = 'dora'"
        )
        .await,
        0
    );
    // Expired after 7 days.
    let mut conn = node.node.db.acquire().await.unwrap();
    sqlx::query("UPDATE invites SET expires_at = 1 WHERE used_at IS NULL")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(b.get(&path).await.status, StatusCode::NOT_FOUND);
    let csrf = b.cookies["mutual_csrf"].clone();
    let page = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("username", "dora"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(
            &node,
            "SELECT COUNT(*) FROM accounts WHERE username = 'dora'"
        )
        .await,
        0
    );
    // A new setup link replaces the old one.
    let first = invites::setup_link(&node.node).await.unwrap();
    let second = invites::setup_link(&node.node).await.unwrap();
    assert_eq!(b.get(first.path()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get(second.path()).await.status, StatusCode::OK);
}
