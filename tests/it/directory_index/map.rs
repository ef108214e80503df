//! The map of the movement: an SVG of the four nations and England's regions whose counts
//! match the directory's own queries, with links to the filtered lists and a text table.

use super::*;

on_both_backends!(the_maps_counts_match_the_directorys_queries,);

async fn the_maps_counts_match_the_directorys_queries(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    let facets = browse(&dir, &BrowseQuery::default()).await.facets;
    let (status, _, page) = get(&dir, "/directory/map").await;
    assert_eq!(status, 200, "{page}");
    let start = page.find("<svg").unwrap();
    let end = page.find("</svg>").unwrap() + "</svg>".len();
    let svg = roxmltree::Document::parse(&page[start..end]).unwrap();
    let expected = |list: &[(String, i64)], slug: &str| {
        list.iter().find(|(v, _)| v == slug).map_or(0, |(_, n)| *n)
    };
    let mut nations = 0;
    for a in svg
        .descendants()
        .filter(|n| n.attribute("data-nation").is_some())
    {
        let slug = a.attribute("data-nation").unwrap();
        let count: i64 = a.attribute("data-count").unwrap().parse().unwrap();
        assert_eq!(count, expected(&facets.nations, slug), "{slug}");
        assert_eq!(
            a.attribute("href"),
            Some(format!("/directory/browse?nation={slug}").as_str())
        );
        assert!(a.descendants().any(|n| n.has_tag_name("path")));
        let title = a
            .children()
            .find(|n| n.has_tag_name("title"))
            .unwrap()
            .text()
            .unwrap();
        let noun = if count == 1 { "co-op" } else { "co-ops" };
        assert!(title.ends_with(&format!(": {count} {noun}")), "{title}");
        nations += 1;
    }
    assert_eq!(nations, 4);
    let regions: Vec<(String, i64)> = svg
        .descendants()
        .filter_map(|n| {
            Some((
                n.attribute("data-region")?.to_string(),
                n.attribute("data-count")?.parse().ok()?,
            ))
        })
        .collect();
    let mut from_queries: Vec<(String, i64)> = facets.regions.clone();
    from_queries.sort();
    let mut drawn = regions.clone();
    drawn.sort();
    assert_eq!(
        drawn, from_queries,
        "a marker for each region with co-ops, with its count"
    );
    // The text table has the same numbers.
    for (slug, n) in facets.nations.iter().chain(facets.regions.iter()) {
        let row = format!(
            r#"<a href="/directory/browse?{}={slug}">"#,
            if facets.nations.iter().any(|(v, _)| v == slug) {
                "nation"
            } else {
                "region"
            }
        );
        let at = page
            .rfind(&row)
            .unwrap_or_else(|| panic!("no table row for {slug}"));
        assert!(page[at..].contains(&format!("<td>{n}</td>")), "{slug}");
    }
    // The links lead to lists with those counts.
    let wales = browse(&dir, &query(&[("nation", "wales")])).await;
    assert_eq!(wales.total, expected(&facets.nations, "wales"));
}
