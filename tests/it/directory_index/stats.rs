//! The movement in numbers: SVG bar charts whose bars match the directory's counts, each
//! with a table of the same numbers.

use mutual::content::vocab::display_name;

use super::*;

on_both_backends!(the_stats_charts_match_the_directorys_counts,);

/// (label, count) of each bar of the chart `id`.
fn bars(page: &str, id: &str) -> Vec<(String, i64)> {
    let marker = format!(r#"data-chart="{id}""#);
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no chart {id}"));
    let start = page[..at].rfind("<svg").unwrap();
    let end = at + page[at..].find("</svg>").unwrap() + "</svg>".len();
    let svg = roxmltree::Document::parse(&page[start..end]).unwrap();
    svg.descendants()
        .filter_map(|n| {
            Some((
                n.attribute("data-label")?.to_string(),
                n.attribute("data-count")?.parse().ok()?,
            ))
        })
        .collect()
}

async fn the_stats_charts_match_the_directorys_counts(backend: Backend) {
    let dir = TestNode::spawn_directory(backend).await;
    movement(&dir).await;
    let mut r = row("old-press", "Old Press");
    r.nation = Some("wales".into());
    r.founded = Some(1978);
    r.membership_type = Some("workers".into());
    save(&dir, &r, &["publishing"]).await;
    let facets = browse(&dir, &BrowseQuery::default()).await.facets;
    let (status, _, page) = get(&dir, "/directory/stats").await;
    assert_eq!(status, 200, "{page}");
    let named = |list: &[(String, i64)]| -> Vec<(String, i64)> {
        list.iter().map(|(v, n)| (display_name(v), *n)).collect()
    };
    assert_eq!(bars(&page, "sectors"), named(&facets.sectors));
    assert_eq!(bars(&page, "membership"), named(&facets.membership_types));
    assert_eq!(
        bars(&page, "founded"),
        [("1970s".to_string(), 1), ("2010s".to_string(), 1)]
    );
    assert!(
        page.contains(r#"<a href="/directory/browse?sector=film">Film</a></th><td>2</td>"#),
        "{page}"
    );
    assert!(
        page.contains("<th scope=\"row\">1970s</th><td>1</td>"),
        "{page}"
    );
}
