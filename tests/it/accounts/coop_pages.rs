//! A co-op's admins work its profile and followers from the browser; members cannot.
//! What they do federates: a real node delivers to a verifying sink.

use mutual::db::followers::NewFollower;

use super::*;
use crate::helpers::eventually;
use crate::helpers::sink::{Sink, add_followers, trust_coop};

on_both_backends!(admins_edit_the_profile_and_answer_followers_and_it_federates,);

async fn admins_edit_the_profile_and_answer_followers_and_it_federates(backend: Backend) {
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let sink = Sink::spawn().await;
    add_followers(&node.node, "reel", &[sink.inbox(1)]).await;
    let pending_actor = sink.inbox(2).trim_end_matches("/inbox").to_string();
    {
        let coop = mutual::content::coops::find(&node.node, "reel")
            .await
            .unwrap();
        let mut conn = node.node.db.acquire().await.unwrap();
        let inbox = sink.inbox(2);
        let follow_id = format!("{pending_actor}#follow");
        let f = NewFollower {
            coop_id: coop.row.id,
            actor_id: &pending_actor,
            inbox: &inbox,
            shared_inbox: None,
            follow_id: &follow_id,
            state: "pending",
        };
        mutual::db::followers::upsert(&mut conn, &f, mutual::now_ms())
            .await
            .unwrap();
    }
    trust_coop(&node.node, "reel", std::slice::from_ref(&sink)).await;

    // The form shows every field with its explanation.
    let form = ana.get("/manage/reel/profile").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    for field in [
        "name",
        "summary",
        "website",
        "locality",
        "founded",
        "members",
        "nation",
        "region",
        "legal_form",
        "membership_type",
        "sectors",
        "discoverable",
        "indexable",
        "manual_approval",
        "directory_boost",
    ] {
        assert!(form.body.contains(&format!(r#"name="{field}""#)), "{field}");
    }
    assert!(form.body.contains("Markdown"));
    let csrf = form.csrf();
    let base = [
        ("csrf", csrf.as_str()),
        ("name", "Reel Cymru"),
        ("summary", "Documentary **film** makers."),
        ("website", "https://reel.example/"),
        ("locality", "Cardiff"),
        ("founded", "2011"),
        ("members", "9"),
        ("nation", "wales"),
        ("region", ""),
        ("legal_form", "society"),
        ("membership_type", "workers"),
        ("sectors", "film"),
        ("sectors", "music"),
        ("discoverable", "on"),
        ("indexable", "on"),
    ];
    // Bad values are refused with their rule, and nothing is saved or sent.
    for (field, value, rule) in [
        ("founded", "soon", "founded:"),
        ("website", "ftp://reel.example/", "website"),
        ("nation", "mars", "nation:"),
    ] {
        let mut fields: Vec<(&str, &str)> =
            base.iter().copied().filter(|(k, _)| *k != field).collect();
        fields.push((field, value));
        let page = ana.post("/manage/reel/profile", &fields).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            page.body
        );
        assert!(page.body.contains(rule), "{}", page.body);
    }
    let no_sector: Vec<(&str, &str)> = base
        .iter()
        .copied()
        .filter(|(k, _)| *k != "sectors")
        .collect();
    assert_eq!(
        ana.post("/manage/reel/profile", &no_sector).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        mutual::content::coops::find(&node.node, "reel")
            .await
            .unwrap()
            .profile
            .name,
        "Reel Co-op"
    );

    let page = ana.post("/manage/reel/profile", &base).await;
    assert_see_other(&page, "/manage/reel/profile");
    let coop = mutual::content::coops::find(&node.node, "reel")
        .await
        .unwrap();
    assert_eq!(coop.profile.name, "Reel Cymru");
    assert_eq!(coop.profile.founded, Some(2011));
    assert_eq!(coop.profile.sectors.len(), 2);
    assert!(!coop.profile.manual_approval && !coop.profile.directory_boost);
    // Emptying a number in the form clears it (the form shows every stored value).
    let cleared: Vec<(&str, &str)> = base
        .iter()
        .map(|&(k, v)| if k == "members" { (k, "") } else { (k, v) })
        .collect();
    assert_see_other(
        &ana.post("/manage/reel/profile", &cleared).await,
        "/manage/reel/profile",
    );
    let after = mutual::content::coops::find(&node.node, "reel")
        .await
        .unwrap();
    assert_eq!(
        (after.profile.members, after.profile.founded),
        (None, Some(2011))
    );
    assert_see_other(
        &ana.post("/manage/reel/profile", &base).await,
        "/manage/reel/profile",
    );
    let arrived = |kind: &'static str, inbox: String| {
        let sink = sink.clone();
        move || {
            let (sink, inbox) = (sink.clone(), inbox.clone());
            async move {
                sink.arrivals()
                    .into_iter()
                    .find(|a| a.kind == kind && a.inbox == inbox)
            }
        }
    };
    eventually(20, "the Update", arrived("Update", sink.inbox(1))).await;

    // Followers: approve the pending one, remove the other.
    let list = ana.get("/manage/reel/followers").await;
    assert!(
        list.body.contains(&pending_actor) && list.body.contains("waiting for approval"),
        "{}",
        list.body
    );
    let csrf = list.csrf();
    let page = ana
        .post(
            "/manage/reel/followers/approve",
            &[("csrf", &csrf), ("actor", &pending_actor)],
        )
        .await;
    assert_see_other(&page, "/manage/reel/followers");
    eventually(20, "the Accept", arrived("Accept", sink.inbox(2))).await;
    let first = sink.inbox(1).trim_end_matches("/inbox").to_string();
    let page = ana
        .post(
            "/manage/reel/followers/reject",
            &[("csrf", &csrf), ("actor", &first)],
        )
        .await;
    assert_see_other(&page, "/manage/reel/followers");
    eventually(20, "the Reject", arrived("Reject", sink.inbox(1))).await;
    assert_eq!(
        count(
            &node,
            "SELECT COUNT(*) FROM followers WHERE state = 'accepted'"
        )
        .await,
        1
    );
    assert_eq!(sink.unverified(), 0);

    // A member who is not an admin can do none of it.
    let mut carl = member_of_reel(&node, "carl").await;
    assert_eq!(
        carl.get("/manage/reel/profile").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        carl.get("/manage/reel/followers").await.status,
        StatusCode::FORBIDDEN
    );
    let token = carl.get("/account").await.csrf();
    let mut forged: Vec<(&str, &str)> = base
        .iter()
        .copied()
        .filter(|(k, _)| *k != "csrf" && *k != "name")
        .collect();
    forged.push(("csrf", &token));
    forged.push(("name", "Hijacked"));
    assert_eq!(
        carl.post("/manage/reel/profile", &forged).await.status,
        StatusCode::FORBIDDEN
    );
    let page = carl
        .post(
            "/manage/reel/followers/reject",
            &[("csrf", &token), ("actor", &pending_actor)],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(
        mutual::content::coops::find(&node.node, "reel")
            .await
            .unwrap()
            .profile
            .name,
        "Reel Cymru"
    );
    assert_eq!(count(&node, "SELECT COUNT(*) FROM followers").await, 1);
}
