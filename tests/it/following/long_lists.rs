//! The members' long lists are paged, newest first: the following page (50 a page) and the
//! notifications (50 a page, each naming its actor as this node knows it).

use mutual::db;

use super::node_with_admin;
use crate::helpers::Backend;

on_both_backends!(the_following_page_and_the_notifications_are_paged_newest_first);

async fn the_following_page_and_the_notifications_are_paged_newest_first(backend: Backend) {
    let (a, mut ana) = node_with_admin(backend).await;
    let coop = mutual::content::coops::find(&a.node, "reel").await.unwrap();
    let mut conn = a.node.db.acquire().await.unwrap();
    let target = |i: usize| format!("https://coop{i}.example/actor");
    for i in 0..51 {
        let follow_id = format!("{}/f/{i}", a.base);
        db::follows::upsert_pending(&mut conn, coop.row.id, &target(i), &follow_id, i as i64)
            .await
            .unwrap();
        let object = format!("https://coop{i}.example/notes/1");
        db::notifications::insert(
            &mut conn,
            coop.row.id,
            "mention",
            &target(i),
            &object,
            i as i64,
        )
        .await
        .unwrap();
    }
    drop(conn);

    for (path, per_row) in [
        ("/manage/reel/following", "<tr><td><a href="),
        ("/manage/reel/notifications", "<li>Mentioned by: "),
    ] {
        let first = ana.get(path).await.body;
        assert_eq!(first.matches(per_row).count(), 50, "{path}: {first}");
        let newest = first.find(&target(50)).expect("the newest on page 1");
        let next = first.find(&target(49)).expect("then the one before");
        assert!(newest < next, "{path}: newest first");
        assert!(
            !first.contains(&format!("{}\"", target(0))),
            "{path}: the oldest is on page 2"
        );
        assert!(
            first.contains(r#"<a rel="next" href="?page=2">"#),
            "{path}: {first}"
        );
        let second = ana.get(&format!("{path}?page=2")).await.body;
        assert_eq!(second.matches(per_row).count(), 1, "{path}: {second}");
        assert!(second.contains(&target(0)), "{path}: {second}");
        assert!(
            second.contains(r#"<a rel="prev" href="?page=1">"#),
            "{path}: {second}"
        );
        assert!(!second.contains(r#"rel="next""#), "{path}: {second}");
    }
    a.stop().await;
}
