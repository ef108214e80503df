//! Images from the browser: an avatar and a story image, checked, re-encoded without
//! EXIF, stored by hash, served with their type, and federated (`icon`, `Image`
//! attachments with alt text). Refused and stored nowhere: non-images, oversized files,
//! decompression bombs, a story image without alt text.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat};

use super::*;
use crate::helpers::eventually;
use crate::helpers::sink::{Sink, add_followers, arrived, trust_coop};

on_both_backends!(
    an_avatar_and_a_story_image_are_cleaned_stored_served_and_federated,
    bad_uploads_are_refused_and_store_nothing,
    images_nothing_uses_for_a_day_are_removed_with_their_files,
    a_published_storys_image_is_replaced_or_taken_off_in_the_editor,
);

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::new_rgb8(w, h)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// A JPEG carrying an EXIF segment with GPS tags, as phones write them.
fn jpeg_with_gps() -> Vec<u8> {
    let mut plain = Vec::new();
    DynamicImage::new_rgb8(64, 48)
        .write_to(&mut Cursor::new(&mut plain), ImageFormat::Jpeg)
        .unwrap();
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 51.4816 GPSLongitude -3.1791".to_vec();
    exif.resize(120, 0);
    let len = (exif.len() + 2) as u16;
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A valid PNG whose header claims 60,000 × 60,000 pixels (a decompression bomb's shape).
fn bomb() -> Vec<u8> {
    let mut data = png(1, 1);
    data[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    data[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32(&data[12..29]);
    data[29..33].copy_from_slice(&crc.to_be_bytes());
    data
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

async fn fetch(url: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let r = crate::helpers::http().get(url).send().await.unwrap();
    (
        r.status(),
        r.headers().clone(),
        r.bytes().await.unwrap().to_vec(),
    )
}

async fn an_avatar_and_a_story_image_are_cleaned_stored_served_and_federated(backend: Backend) {
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let sink = Sink::spawn().await;
    add_followers(&node.node, "reel", &[sink.inbox(1)]).await;
    trust_coop(&node.node, "reel", std::slice::from_ref(&sink)).await;

    // The avatar: scaled to fit 400 × 400, the actor's icon, announced by an Update.
    let avatar = png(900, 600);
    let page = ana
        .submit_multipart(
            "/manage/reel/profile",
            "/manage/reel/avatar",
            &[],
            &[("image", "me.png", "image/png", &avatar)],
        )
        .await;
    assert_see_other(&page, "/manage/reel/profile");
    eventually(20, "the Update", arrived(&sink, "Update")).await;
    let actor = crate::helpers::get_activity_json(node.actor("reel")).await;
    assert_eq!(actor["icon"]["type"], "Image");
    let icon = actor["icon"]["url"].as_str().unwrap().to_string();
    let (status, headers, bytes) = fetch(&icon).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-type"],
        actor["icon"]["mediaType"].as_str().unwrap()
    );
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 267));
    assert!(
        ana.get("/manage/reel/profile")
            .await
            .body
            .contains(&icon[node.base.as_str().len() - 1..])
    );

    // A story with an image: the EXIF (and its GPS) is gone, the alt text goes with it.
    let photo = jpeg_with_gps();
    assert!(contains(&photo, b"GPSLatitude"));
    let fields = [
        ("action", "publish"),
        ("title", "Premiere night"),
        ("kind", "news"),
        ("tags", "film"),
        ("body", "We showed it."),
        ("alt", "A full cinema, seen from the stage"),
    ];
    let page = ana
        .submit_multipart(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &fields,
            &[("image", "IMG_0001.jpg", "image/jpeg", &photo)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let url = page.location.unwrap();
    let note: serde_json::Value = crate::helpers::get_activity_json(&url).await;
    let attachment = &note["attachment"][0];
    assert_eq!(attachment["type"], "Image");
    assert_eq!(attachment["name"], "A full cinema, seen from the stage");
    assert_eq!(attachment["mediaType"], "image/jpeg");
    let (status, headers, stored) = fetch(attachment["url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert!(
        !contains(&stored, b"Exif") && !contains(&stored, b"GPS"),
        "metadata survived"
    );
    let html = crate::helpers::get_text(&url).await;
    assert!(
        html.contains(r#"alt="A full cinema, seen from the stage""#),
        "{html}"
    );
    eventually(20, "the Create", arrived(&sink, "Create")).await;
    assert_eq!(sink.unverified(), 0);
    // The same picture again is the same stored file.
    let media = count(&node, "SELECT COUNT(*) FROM media").await;
    let page = ana
        .submit_multipart(
            "/manage/reel/profile",
            "/manage/reel/avatar",
            &[],
            &[("image", "me.png", "image/png", &avatar)],
        )
        .await;
    assert_see_other(&page, "/manage/reel/profile");
    assert_eq!(count(&node, "SELECT COUNT(*) FROM media").await, media);
}

async fn bad_uploads_are_refused_and_store_nothing(backend: Backend) {
    let (node, _boss, mut ana) = node_with_a_coop(backend).await;
    let media_dir = node.db.data_dir().join("media");
    let text = b"<svg onload=alert(1)>not an image</svg>".to_vec();
    let oversized = vec![0x89u8; 9 * 1024 * 1024];
    let cases: [(&str, &[u8], StatusCode); 3] = [
        ("a text file", &text, StatusCode::UNPROCESSABLE_ENTITY),
        ("9 MiB", &oversized, StatusCode::PAYLOAD_TOO_LARGE),
        (
            "a decompression bomb",
            &bomb(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (what, bytes, status) in cases {
        let page = ana
            .submit_multipart(
                "/manage/reel/profile",
                "/manage/reel/avatar",
                &[],
                &[("image", "x.png", "image/png", bytes)],
            )
            .await;
        assert_eq!(page.status, status, "avatar, {what}: {}", page.body);
        let fields = [
            ("action", "publish"),
            ("title", "T"),
            ("kind", "story"),
            ("tags", ""),
            ("body", "B"),
            ("alt", "a picture"),
        ];
        let page = ana
            .submit_multipart(
                "/manage/reel/stories/new",
                "/manage/reel/stories/new",
                &fields,
                &[("image", "x.png", "image/png", bytes)],
            )
            .await;
        assert_eq!(page.status, status, "story, {what}: {}", page.body);
    }
    let err = ana
        .submit_multipart(
            "/manage/reel/profile",
            "/manage/reel/avatar",
            &[],
            &[("image", "x.png", "image/png", &bomb())],
        )
        .await;
    assert!(err.body.contains("over 40 megapixels"), "{}", err.body);
    // A story image without alt text.
    let fields = [
        ("action", "publish"),
        ("title", "T"),
        ("kind", "story"),
        ("tags", ""),
        ("body", "B"),
        ("alt", " "),
    ];
    let page = ana
        .submit_multipart(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &fields,
            &[("image", "x.png", "image/png", &png(10, 10))],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The editor again, with the alt text's rule beside its field.
    let beside = page.body.find(r#"id="alt-error">alt:"#);
    assert!(beside.is_some(), "{}", page.body);
    assert_eq!(count(&node, "SELECT COUNT(*) FROM stories").await, 0);
    assert_eq!(
        count(
            &node,
            "SELECT COUNT(*) FROM coops WHERE avatar_hash IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(count(&node, "SELECT COUNT(*) FROM media").await, 0);
    let files = std::fs::read_dir(&media_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0, "files in {}", media_dir.display());
    // Names that are not stored images are 404.
    for name in ["../node.db", "x.png", &format!("{}.gif", "a".repeat(64))] {
        let url = format!("{}media/{name}", node.base);
        assert_eq!(fetch(&url).await.0, StatusCode::NOT_FOUND, "{name}");
    }
}

async fn images_nothing_uses_for_a_day_are_removed_with_their_files(backend: Backend) {
    use mutual::content::media::{self, Purpose};
    use mutual::content::stories::{self, ImageRef, NewStory};
    let (node, _boss, _ana) = node_with_a_coop(backend).await;
    let n = &node.node;
    // Distinct sizes, distinct bytes, distinct hashes.
    let orphan = media::store(n, png(10, 10), Purpose::Story).await.unwrap();
    let published = media::store(n, png(11, 11), Purpose::Story).await.unwrap();
    let fresh = media::store(n, png(12, 12), Purpose::Story).await.unwrap();
    let coop = mutual::content::coops::set_picture(n, "reel", Purpose::Avatar, png(13, 13))
        .await
        .unwrap();
    let avatar = coop.avatar.clone().unwrap();
    let story = stories::publish_story(
        n,
        "reel",
        &NewStory {
            title: "With a picture".into(),
            body: "See.".into(),
            tags: vec![],
            kind: "story".into(),
            language: "en".into(),
            in_reply_to: None,
            images: vec![ImageRef {
                hash: published.hash.clone(),
                alt: "A hall".into(),
            }],
        },
        None,
    )
    .await
    .unwrap();
    let file = |m: &mutual::db::media::MediaRow| {
        n.config
            .media_dir()
            .join(format!("{}.{}", m.hash, media::extension(&m.content_type)))
    };
    // All but `fresh` were stored two days ago.
    let mut conn = n.db.acquire().await.unwrap();
    let two_days_ago = mutual::now_ms() - 2 * 24 * 3600 * 1000;
    sqlx::query("UPDATE media SET created_at = $1 WHERE hash <> $2")
        .bind(two_days_ago)
        .bind(&fresh.hash)
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);

    assert_eq!(
        media::collect_garbage(n).await.unwrap(),
        1,
        "only the orphan"
    );
    assert!(!file(&orphan).exists());
    for kept in [&published, &fresh, &avatar] {
        assert!(file(kept).exists(), "{}", kept.hash);
    }
    assert_eq!(count(&node, "SELECT COUNT(*) FROM media").await, 3);

    // A deleted story's image is no longer used: it goes at the next collection.
    stories::delete(n, Some("reel"), story.url(&node.base).as_str())
        .await
        .unwrap();
    assert_eq!(media::collect_garbage(n).await.unwrap(), 1);
    assert!(!file(&published).exists() && file(&avatar).exists());
}

async fn a_published_storys_image_is_replaced_or_taken_off_in_the_editor(backend: Backend) {
    let (_node, _boss, mut ana) = node_with_a_coop(backend).await;
    let fields = |action: &'static str, alt: &'static str| {
        vec![
            ("action", action),
            ("title", "Our hall"),
            ("body", "Freshly painted."),
            ("kind", "story"),
            ("language", "en"),
            ("tags", ""),
            ("alt", alt),
        ]
    };
    let page = ana
        .submit_multipart(
            "/manage/reel/stories/new",
            "/manage/reel/stories/new",
            &fields("publish", "The hall, before"),
            &[("image", "before.png", "image/png", &png(300, 200))],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let url = page.location.unwrap();
    let first = crate::helpers::get_activity_json(&url).await["attachment"][0]["url"].clone();
    let id = url.rsplit('/').next().unwrap().to_string();
    let edit = format!("/manage/reel/stories/{id}/edit");

    // A new image needs its alt text; nothing changes without it.
    let refused = ana
        .submit_multipart(
            &edit,
            &edit,
            &fields("save", ""),
            &[("image", "after.png", "image/png", &png(320, 200))],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        crate::helpers::get_activity_json(&url).await["attachment"][0]["url"],
        first
    );

    let page = ana
        .submit_multipart(
            &edit,
            &edit,
            &fields("save", "The hall, after"),
            &[("image", "after.png", "image/png", &png(320, 200))],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let note = crate::helpers::get_activity_json(&url).await;
    let attachments = note["attachment"].as_array().unwrap();
    assert_eq!(attachments.len(), 1, "{note}");
    assert_ne!(attachments[0]["url"], first);
    assert_eq!(attachments[0]["name"], "The hall, after");

    // Keeping the image while editing the text keeps it; taking it off removes it.
    let mut text_only = fields("save", "The hall, after");
    text_only[1] = ("title", "Our hall, painted");
    let editor = ana.get(&edit).await.body;
    let current = regex::Regex::new(r#"name="image_hash" value="([0-9a-f]+)""#).unwrap();
    let hash = current.captures(&editor).unwrap()[1].to_string();
    text_only.push(("image_hash", hash.as_str()));
    let page = ana.submit_multipart(&edit, &edit, &text_only, &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        crate::helpers::get_activity_json(&url).await["attachment"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    text_only.push(("remove_image", "on"));
    let page = ana.submit_multipart(&edit, &edit, &text_only, &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let note = crate::helpers::get_activity_json(&url).await;
    assert_eq!(note["attachment"], serde_json::json!([]), "{note}");
    assert_eq!(note["name"], "Our hall, painted");
}
