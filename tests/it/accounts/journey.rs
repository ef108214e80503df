//! The happy paths: setup, invitations, log-in and out, members, passwords.

use super::*;
use crate::helpers::cli::{json_of, mutual};

on_both_backends!(
    the_admin_invites_a_coops_admin_who_invites_a_member,
    log_out_everywhere_and_a_new_password_end_the_other_sessions,
);

async fn the_admin_invites_a_coops_admin_who_invites_a_member(backend: Backend) {
    let (node, mut boss, mut ana) = node_with_a_coop(backend).await;
    let account = boss.get("/account").await;
    assert!(
        account.body.contains("Signed in as boss"),
        "{}",
        account.body
    );
    assert!(account.body.contains(r#"href="/admin""#));
    let account = ana.get("/account").await;
    assert!(account.body.contains("Signed in as ana"));
    assert!(
        account.body.contains("@reel</a>, admin"),
        "{}",
        account.body
    );

    // The co-op's admin invites a member, who sets a password and is signed in.
    let page = ana
        .submit(
            "/manage/reel/members",
            "/manage/reel/members/invite",
            &[("role", "member")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let invite = page.link(&format!("{}invite/", node.base));
    let mut carl = Browser::new(&node.base);
    assert_see_other(&carl.accept(&invite, "carl", PASSWORD).await, "/account");
    assert!(
        carl.get("/account")
            .await
            .body
            .contains("@reel</a>, member")
    );
    // A link works once.
    assert_eq!(
        Browser::new(&node.base)
            .get(url::Url::parse(&invite).unwrap().path())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let members = ana.get("/manage/reel/members").await;
    for name in ["ana", "carl"] {
        assert!(
            members.body.contains(&format!("<td>{name}</td>")),
            "{}",
            members.body
        );
    }

    // Log out, then back in; a wrong password and an unknown name get the same answer.
    let csrf = carl.get("/account").await.csrf();
    assert_see_other(&carl.post("/logout", &[("csrf", &csrf)]).await, "/login");
    assert_see_other(&carl.get("/account").await, "/login");
    let wrong = carl.log_in("carl", "not the password").await;
    let unknown = carl.log_in("nobody", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((unknown.status, &unknown.body), (wrong.status, &wrong.body));
    assert_see_other(&carl.log_in("carl", PASSWORD).await, "/account");

    // The admin removes carl: carl's sessions end and the membership is gone.
    let page = ana
        .submit(
            "/manage/reel/members",
            "/manage/reel/members/remove",
            &[("username", "carl")],
        )
        .await;
    assert_see_other(&page, "/manage/reel/members");
    assert_see_other(&carl.get("/account").await, "/login");
    assert_eq!(count(&node, "SELECT COUNT(*) FROM memberships").await, 1);
    // The last admin cannot be removed.
    let page = ana
        .submit(
            "/manage/reel/members",
            "/manage/reel/members/remove",
            &[("username", "ana")],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);

    // The CLI prints the same kinds of link: one absolute URL on its own line.
    let db = node.db.url.clone();
    for args in [
        &["admin", "setup-link"][..],
        &["member", "invite", "--coop", "reel"][..],
    ] {
        let out = mutual(&db, node.base.as_str(), &[], args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        let link = url::Url::parse(text.trim()).unwrap();
        let page = Browser::new(&node.base).get(link.path()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    }
    let out = mutual(
        &db,
        node.base.as_str(),
        &[],
        &[
            "--json", "member", "invite", "--coop", "reel", "--role", "admin",
        ],
    );
    assert!(json_of(&out)["url"].as_str().unwrap().contains("/invite/"));
    let out = mutual(
        &db,
        node.base.as_str(),
        &[],
        &["member", "invite", "--coop", "nope"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim().lines().count(),
        1
    );
    let out = mutual(
        &db,
        node.base.as_str(),
        &[],
        &["member", "invite", "--coop", "reel", "--role", "owner"],
    );
    assert_eq!(out.status.code(), Some(1));
}

async fn log_out_everywhere_and_a_new_password_end_the_other_sessions(backend: Backend) {
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let mut laptop = Browser::new(&node.base);
    assert_see_other(&laptop.log_in("ana", PASSWORD).await, "/account");

    // A new password: the other browser is signed out; this one stays in.
    let new = "another long password";
    let page = ana
        .submit(
            "/account",
            "/account/password",
            &[("current", PASSWORD), ("password", new), ("confirm", new)],
        )
        .await;
    assert_see_other(&page, "/account");
    assert_eq!(ana.get("/account").await.status, StatusCode::OK);
    assert_see_other(&laptop.get("/account").await, "/login");
    assert_eq!(
        laptop.log_in("ana", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_see_other(&laptop.log_in("ana", new).await, "/account");
    // A wrong current password changes nothing.
    let page = ana
        .submit(
            "/account",
            "/account/password",
            &[
                ("current", "wrong password!"),
                ("password", PASSWORD),
                ("confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(laptop.get("/account").await.status, StatusCode::OK);

    // Log out everywhere.
    let csrf = laptop.get("/account").await.csrf();
    assert_see_other(
        &laptop.post("/logout-everywhere", &[("csrf", &csrf)]).await,
        "/login",
    );
    assert_see_other(&ana.get("/account").await, "/login");
    let left: i64 = count(&node, "SELECT COUNT(*) FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE username = 'ana')").await;
    assert_eq!(left, 0);
}

on_both_backends!(serve_prints_a_setup_link_until_the_node_has_an_admin,);

/// Starts `mutual serve` with its stdout piped on a fresh port (a few tries: a port can
/// be taken meanwhile) and returns once it answers.
async fn start_serve(db: &str) -> (std::process::Child, u16) {
    for _ in 0..5 {
        let port = crate::helpers::free_port();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mutual"))
            .arg("serve")
            .env("MUTUAL_DATABASE_URL", db)
            .env("MUTUAL_BIND", format!("127.0.0.1:{port}"))
            .env("MUTUAL_PUBLIC_URL", format!("http://localhost:{port}"))
            .env("MUTUAL_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while child.try_wait().unwrap().is_none() {
            let url = format!("http://localhost:{port}/.well-known/nodeinfo");
            if let Ok(r) = crate::helpers::http().get(&url).send().await
                && r.status().is_success()
            {
                return (child, port);
            }
            assert!(started.elapsed().as_secs() < 30, "serve never answered");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    panic!("serve could not start on any of 5 ports");
}

/// Stops `serve` and returns everything it printed on stdout.
fn stop(mut child: std::process::Child) -> String {
    use std::io::Read;
    child.kill().unwrap();
    child.wait().unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    out
}

async fn serve_prints_a_setup_link_until_the_node_has_an_admin(backend: Backend) {
    use std::io::BufRead;
    let db = crate::helpers::fresh_database(backend).await;
    let (mut child, port) = start_serve(&db.url).await;
    // Printed before serving began, so the line is already in the pipe.
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
        line
    })
    .await
    .unwrap();
    assert!(
        line.starts_with("Set up this node's admin account"),
        "{line}"
    );
    let link = line.split_whitespace().last().unwrap().to_string();
    assert!(
        link.starts_with(&format!("http://localhost:{port}/setup/")),
        "{link}"
    );
    let base = url::Url::parse(&format!("http://localhost:{port}")).unwrap();
    let mut boss = Browser::new(&base);
    assert_see_other(&boss.accept(&link, "boss", PASSWORD).await, "/account");
    assert!(boss.get("/account").await.body.contains(r#"href="/admin""#));
    child.kill().unwrap();
    child.wait().unwrap();

    // Once the node has an admin, serve prints no link.
    let (child, _) = start_serve(&db.url).await;
    let out = stop(child);
    assert!(!out.contains("/setup/"), "{out}");
}

on_both_backends!(the_node_admin_invites_a_directory_organiser,);

async fn the_node_admin_invites_a_directory_organiser(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    let mut boss = Browser::node_admin(&dir).await;
    let page = boss.submit("/admin", "/admin/organisers", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let invite = page.link(&format!("{}invite/", dir.base));
    let mut olu = Browser::new(&dir.base);
    assert_see_other(&olu.accept(&invite, "olu", PASSWORD).await, "/account");
    let account = olu.get("/account").await;
    assert!(
        account.body.contains("You are an organiser of this node"),
        "{}",
        account.body
    );
    assert!(!account.body.contains(r#"href="/admin""#));
    assert_eq!(
        count(&dir, "SELECT COUNT(*) FROM accounts WHERE organiser = 1").await,
        1
    );

    // A node without the directory has no organisers to invite.
    let (node, mut boss, _) = node_with_a_coop(backend).await;
    let page = boss.submit("/admin", "/admin/organisers", &[]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(
            &node,
            "SELECT COUNT(*) FROM invites WHERE kind = 'organiser'"
        )
        .await,
        0
    );
}

on_both_backends!(every_link_on_the_signed_in_pages_leads_somewhere,);

async fn every_link_on_the_signed_in_pages_leads_somewhere(backend: Backend) {
    let (node, mut boss, mut ana) = node_with_a_coop(backend).await;
    let href = regex::Regex::new(r#"href="(/[^"]*)""#).unwrap();
    for (who, browser) in [("boss", &mut boss), ("ana", &mut ana)] {
        let mut seen = std::collections::HashSet::new();
        let mut queue = vec!["/account".to_string()];
        while let Some(path) = queue.pop() {
            if !seen.insert(path.clone()) {
                continue;
            }
            let page = browser.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{who}: {path}: {}", page.body);
            for c in href.captures_iter(&page.body) {
                let link = c[1].replace("&#38;", "&");
                if link.starts_with("/language?") {
                    // The switcher sets its cookie and goes back to the page (checked
                    // without keeping the cookie, so the crawl stays in one language).
                    let mut other = Browser::new(&node.base);
                    let page = other.get(&link).await;
                    assert_eq!(page.status, StatusCode::SEE_OTHER, "{who}: {link}");
                    assert_eq!(page.location.as_deref(), Some(path.as_str()), "{link}");
                    continue;
                }
                if link.starts_with("/manage/") || link == "/admin" || link == "/account" {
                    queue.push(link);
                } else if !seen.contains(&link) {
                    // Public pages: fetched once, not crawled further.
                    seen.insert(link.clone());
                    let page = browser.get(&link).await;
                    if link.starts_with("/language?") {
                        continue;
                    }
                    assert_eq!(page.status, StatusCode::OK, "{who}: {link} (on {path})");
                }
            }
        }
        assert!(seen.len() >= 5, "{who}: {seen:?}");
    }
}
