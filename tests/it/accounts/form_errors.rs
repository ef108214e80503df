//! A form that breaks a rule comes back as it was filled in, with the rule in a summary at
//! the top (linking to the field) and beside the field (`aria-invalid`,
//! `aria-describedby`), answered with 422 and nothing stored; in Welsh for a Welsh reader.

use super::*;

on_both_backends!(
    the_editor_shows_a_broken_rule_beside_its_field_and_keeps_what_was_typed,
    the_profile_form_shows_a_broken_rule_beside_its_field_and_saves_nothing,
);

/// The error summary and the message beside field `id` are both there.
fn assert_shown_beside(page: &Page, id: &str, rule: &str) {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let body = &page.body;
    assert!(body.contains("<title>Error: "), "{body}");
    assert!(
        body.contains(r#"<div class="error-summary" role="alert""#),
        "{body}"
    );
    assert!(body.contains("There is a problem"), "{body}");
    assert!(body.contains(&format!(r##"<a href="#{id}">"##)), "{body}");
    let beside = format!(r#"<span class="field-error" id="{id}-error">"#);
    let at = body
        .find(&beside)
        .unwrap_or_else(|| panic!("no error beside {id}: {body}"));
    assert!(body[at..].contains(rule), "{body}");
    assert!(
        body.contains(&format!(r#"aria-describedby="{id}-error"#)),
        "{id} is described by its error: {body}"
    );
}

async fn the_editor_shows_a_broken_rule_beside_its_field_and_keeps_what_was_typed(
    backend: Backend,
) {
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let fields = |body: &'static str| {
        vec![
            ("action", "publish"),
            ("title", "Kept as typed"),
            ("kind", "news"),
            ("tags", "film"),
            ("body", body),
        ]
    };
    let page = ana
        .submit(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &fields("   "),
        )
        .await;
    assert_shown_beside(&page, "body", "body: must not be empty");
    assert!(
        page.body.contains(r#"<form class="editor""#),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"value="Kept as typed""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"value="film""#), "{}", page.body);
    assert!(
        page.body.contains(r#"<option value="news" selected>"#),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"aria-describedby="body-error body-help" aria-invalid="true""#),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(r#"id="title-error""#),
        "only the body is wrong"
    );
    assert_eq!(count(&node, "SELECT COUNT(*) FROM stories").await, 0);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM story_drafts").await, 0);

    // An image that is not one: beside the image field, the rest kept.
    let token = ana.get("/manage/reel/stories/new").await.csrf();
    let mut with_csrf = vec![("csrf", token.as_str())];
    with_csrf.extend(fields("Some text"));
    with_csrf.push(("alt", "Our notes"));
    let page = ana
        .post_multipart(
            "/manage/reel/stories/new",
            &with_csrf,
            &[("image", "notes.txt", "text/plain", b"not an image")],
        )
        .await;
    assert_shown_beside(&page, "image", "image:");
    assert!(page.body.contains("Some text"), "{}", page.body);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM stories").await, 0);

    // Editing a published story: the editor of that story, the story unchanged.
    let done = ana
        .submit(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &fields("Published text"),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let url = done.location.unwrap();
    let id = url.rsplit('/').next().unwrap().to_string();
    let edit = format!("/manage/reel/stories/{id}/edit");
    let page = ana
        .submit(
            &edit,
            &edit,
            &[
                ("action", "save"),
                ("title", "A new title"),
                ("kind", "gossip"),
                ("body", "New text"),
            ],
        )
        .await;
    assert_shown_beside(&page, "kind", "is not one of story, research");
    assert!(
        page.body.contains(&format!(r#"action="{edit}""#)),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"value="A new title""#),
        "{}",
        page.body
    );
    let story = crate::helpers::get_text(url.as_str()).await;
    assert!(story.contains("Published text") && !story.contains("A new title"));

    // A Welsh reader gets the frame in Welsh.
    ana.cookies.insert("mutual_lang".into(), "cy".into());
    let page = ana
        .submit(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &fields(""),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("<title>Gwall: "), "{}", page.body);
    assert!(page.body.contains("Mae problem"), "{}", page.body);
    assert!(page.body.contains(r#"id="body-error""#), "{}", page.body);
    node.stop().await;
}

async fn the_profile_form_shows_a_broken_rule_beside_its_field_and_saves_nothing(backend: Backend) {
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let base = [
        ("name", "A new name"),
        ("summary", "We make films."),
        ("nation", "scotland"),
        ("sectors", "film"),
        ("sectors", "music"),
        ("founded", "soon"),
        ("members", "12"),
        ("hide_following", "on"),
    ];
    let page = ana
        .submit("/manage/reel/profile", "/manage/reel/profile", &base)
        .await;
    assert_shown_beside(&page, "founded", "is not a year");
    for kept in [
        r#"value="A new name""#,
        r#"value="soon""#,
        r#"value="12""#,
        r#"<option value="scotland" selected>"#,
        r#"value="music" checked"#,
        r#"name="hide_following" value="on" checked"#,
    ] {
        assert!(page.body.contains(kept), "{kept}: {}", page.body);
    }
    assert!(page.body.contains("We make films."), "{}", page.body);
    let stored = mutual::content::coops::find(&node.node, "reel")
        .await
        .unwrap();
    assert_eq!(stored.profile.name, "Reel Co-op", "nothing saved");
    assert!(!stored.profile.hide_following);

    // No sector: the message is beside the sectors' group.
    let no_sector: Vec<(&str, &str)> = base
        .iter()
        .copied()
        .filter(|(k, v)| *k != "sectors" && *v != "soon")
        .collect();
    let page = ana
        .submit("/manage/reel/profile", "/manage/reel/profile", &no_sector)
        .await;
    assert_shown_beside(&page, "sectors", "sector: at least one is required");

    // A rule about two fields at once names neither: the summary links to the page.
    let mut one_coordinate = no_sector.clone();
    one_coordinate.extend([("sectors", "film"), ("latitude", "51.5")]);
    let page = ana
        .submit(
            "/manage/reel/profile",
            "/manage/reel/profile",
            &one_coordinate,
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains(r##"<a href="#main">"##), "{}", page.body);
    assert!(page.body.contains("give both or neither"), "{}", page.body);

    // Fixed, it saves.
    let mut good = no_sector;
    good.push(("sectors", "film"));
    let page = ana
        .submit("/manage/reel/profile", "/manage/reel/profile", &good)
        .await;
    assert_see_other(&page, "/manage/reel/profile");
    let stored = mutual::content::coops::find(&node.node, "reel")
        .await
        .unwrap();
    assert_eq!(stored.profile.name, "A new name");
    node.stop().await;
}
