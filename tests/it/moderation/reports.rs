//! An incoming Flag becomes a report: the node admin sees it on /admin (escaped) and in
//! `mutual reports list`. Only objects on this node are kept; a Flag about nothing here,
//! or repeated, adds nothing. A co-op's block of the reporter does not stop a report.

use mutual::accounts::invites;
use mutual::content::stories;
use mutual::moderation::{actors, reports};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::browser::Browser;
use crate::helpers::cli::{json_of, mutual_on};
use crate::helpers::peer::Peer;
use crate::helpers::{Backend, TestNode};

on_both_backends!(a_flag_becomes_a_report_on_the_admin_page_and_the_cli,);

async fn a_flag_becomes_a_report_on_the_admin_page_and_the_cli(backend: Backend) {
    let node = TestNode::spawn(backend).await;
    node.coop("blake-house").await;
    let story = stories::publish(&node.node, "blake-house", "Ours", "Our story.", &[])
        .await
        .unwrap();
    let story_url = story.url(&node.base);
    let peer = Peer::spawn().await;
    let moderator = peer.actor("moderator");
    // Blocked by the co-op, yet its report still reaches the node admin.
    actors::block(&node.node, "blake-house", moderator.id.as_str())
        .await
        .unwrap();
    let flag = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/flags/1", peer.base.as_str().trim_end_matches('/')),
        "type": "Flag",
        "actor": moderator.id,
        "content": "<p>Spam &amp; <b>abuse</b>, see &lt;b&gt;here&lt;/b&gt;<script>alert(1)</script></p>",
        "object": [node.actor("blake-house"), story_url, "https://elsewhere.example/users/x"],
    });
    let inbox = node.base.join("/inbox").unwrap();
    let (status, text) = moderator.post(&inbox, flag.to_string().as_bytes()).await;
    assert_eq!(status, 202, "{text}");

    let list = reports::list(&node.node, 10, false).await.unwrap();
    assert_eq!(list.len(), 1);
    let report = &list[0];
    assert_eq!(report.reporter, moderator.id.as_str());
    assert_eq!(
        report.objects,
        vec![node.actor("blake-house").to_string(), story_url.to_string()]
    );
    assert_eq!(report.content, "Spam & abuse, see <b>here</b>");

    // The same Flag again, and a Flag about nothing here, add no report.
    let (status, _) = moderator.post(&inbox, flag.to_string().as_bytes()).await;
    assert_eq!(status, 202);
    let elsewhere = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/flags/2", peer.base.as_str().trim_end_matches('/')),
        "type": "Flag", "actor": moderator.id, "content": "not yours",
        "object": ["https://elsewhere.example/users/x"],
    });
    let (status, text) = moderator
        .post(&inbox, elsewhere.to_string().as_bytes())
        .await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(reports::list(&node.node, 10, false).await.unwrap().len(), 1);

    // The node admin's page shows it, escaped.
    let link = invites::setup_link(&node.node).await.unwrap();
    let mut boss = Browser::new(&node.base);
    boss.accept(link.as_str(), "boss", "a long enough password")
        .await;
    let page = boss.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(moderator.id.as_str()), "{}", page.body);
    assert!(page.body.contains(story_url.as_str()), "{}", page.body);
    // Escaped as askama writes entities (numeric), never as markup.
    let escaped = page
        .body
        .replace("&#38;", "&amp;")
        .replace("&#60;", "&lt;")
        .replace("&#62;", "&gt;");
    assert!(
        escaped.contains("Spam &amp; abuse, see &lt;b&gt;here&lt;/b&gt;"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<b>here</b>") && !page.body.contains("alert(1)"));

    // And the CLI lists it.
    let out = mutual_on(&node, false, &["--json", "reports", "list"]).await;
    let json = json_of(&out);
    let listed = json["reports"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["reporter"], moderator.id.as_str());
    assert_eq!(listed[0]["content"], "Spam & abuse, see <b>here</b>");
    let out = mutual_on(&node, false, &["reports", "list"]).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(moderator.id.as_str()), "{text}");

    // Dealt with from the page: it leaves the open list, and is kept.
    let flag_id = flag["id"].as_str().unwrap();
    let done = boss
        .submit("/admin", "/admin/reports/resolve", &[("id", flag_id)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(!boss.get("/admin").await.body.contains(story_url.as_str()));
    assert!(
        reports::list(&node.node, 10, false)
            .await
            .unwrap()
            .is_empty()
    );
    let all = reports::list(&node.node, 10, true).await.unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].resolved_at.is_some());
    // Twice, or an unknown id, is a clear error (the CLI: one line, exit 1).
    let out = mutual_on(&node, false, &["reports", "resolve", flag_id]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("no open report"),
        "{err}"
    );
    let out = mutual_on(&node, false, &["--json", "reports", "list", "--all"]).await;
    assert!(json_of(&out)["reports"][0]["resolved_at"].is_string());
    node.stop().await;
}
