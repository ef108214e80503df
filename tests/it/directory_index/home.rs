//! The directory's home page: the count, the latest co-ops to join, the movement's latest
//! stories and research, each as the directory's own queries give them; old browse links
//! are sent on to /directory/browse; the page speaks Welsh when asked.

use super::*;

on_both_backends!(the_home_page_shows_the_count_recent_joins_and_latest_stories,);

/// The text of each `<h3>…</h3>` inside the section headed `heading_id`, in order.
fn titles_in(body: &str, heading_id: &str) -> Vec<String> {
    let start = body
        .find(&format!(r#"id="{heading_id}""#))
        .unwrap_or_else(|| panic!("no section {heading_id} in {body}"));
    let section = &body[start..];
    let section = &section[..section.find("</section>").unwrap()];
    let re = Regex::new(r"<h3>(?:<a [^>]*>)?([^<]*)").unwrap();
    re.captures_iter(section)
        .map(|c| c[1].to_string())
        .collect()
}

async fn the_home_page_shows_the_count_recent_joins_and_latest_stories(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    let (status, _, body) = get(&dir, "/directory").await;
    assert_eq!(status, 200);

    let listed = get_json(&dir, "/api/v1/directory/coops").await["total"]
        .as_i64()
        .unwrap();
    assert!(listed > 1);
    assert!(
        body.contains(&format!(
            r#"<p class="big-number">{listed} co-ops are listed</p>"#
        )),
        "{body}"
    );

    let newest = get_json(&dir, "/api/v1/directory/coops?sort=newest&per_page=6").await;
    let names: Vec<String> = newest["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles_in(&body, "joined-heading"), names, "newest first");

    let title = |v: &Value| v["title"].as_str().unwrap().to_string();
    let latest = get_json(&dir, "/api/v1/directory/stories?per_page=5").await;
    let latest: Vec<String> = latest["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(title)
        .collect();
    assert!(!latest.is_empty());
    assert_eq!(titles_in(&body, "latest-heading"), latest);
    let research = get_json(&dir, "/api/v1/directory/stories?kind=research&per_page=5").await;
    let research: Vec<String> = research["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(title)
        .collect();
    assert!(!research.is_empty());
    assert_eq!(titles_in(&body, "research-heading"), research);

    // How to join, with the directory's handle.
    assert!(
        body.contains(&format!("@directory@{}", dir.domain())),
        "{body}"
    );

    // In Welsh: the same numbers, the interface's words and the vocabularies in Welsh.
    let cy = http()
        .get(dir.base.join("/directory").unwrap())
        .header("accept-language", "cy-GB,cy;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        cy.starts_with("<!doctype html>\n<html lang=\"cy\">"),
        "{cy}"
    );
    assert!(
        cy.contains("Cyfeiriadur cwmnïau cydweithredol diwylliannol"),
        "{cy}"
    );
    assert!(
        cy.contains(&format!("{listed} o gwmnïau cydweithredol wedi")),
        "{cy}"
    );
    assert!(cy.contains("Cardiff, Cymru"), "{cy}");
    assert!(!cy.contains("Recently joined"), "{cy}");
    dir.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_browse_links_are_sent_on_to_the_browse_page() {
    let dir = TestNode::spawn_directory(Backend::Sqlite).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .get(dir.base.join("/directory?q=film&sector=film").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"],
        "/directory/browse?q=film&sector=film"
    );
    dir.stop().await;
}
