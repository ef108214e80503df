//! Images: every upload is checked by decoding it (PNG, JPEG, GIF or WebP; at most 8 MiB
//! and 40 megapixels, with the decoder's memory capped so a decompression bomb fails),
//! scaled to fit its use, and re-encoded (JPEG, or PNG when it has transparency), which
//! drops EXIF, GPS and any other metadata. The result is stored once, named by its
//! SHA-256, in the data directory's `media/` folder, and served at `/media/HASH.EXT`.

use std::io::Cursor;
use std::path::PathBuf;

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use url::Url;

use crate::app::Node;
use crate::db::media::MediaRow;
use crate::{AppError, db, now_ms};

/// The largest upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// The most pixels an image may have.
pub const MAX_PIXELS: u64 = 40_000_000;
/// The most memory the decoder may allocate (40 megapixels of RGBA, with room).
const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;

/// What an image is for: each has its largest size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Purpose {
    /// In a story: fits 1600 × 1600.
    Story,
    /// A co-op's avatar (the actor's `icon`): fits 400 × 400.
    Avatar,
    /// A co-op's header (the actor's `image`): fits 1500 × 500.
    Header,
}

impl Purpose {
    fn fits(self) -> (u32, u32) {
        match self {
            Purpose::Story => (1600, 1600),
            Purpose::Avatar => (400, 400),
            Purpose::Header => (1500, 500),
        }
    }
}

fn refuse(message: &str) -> AppError {
    AppError::Invalid(format!("image: {message}"))
}

/// Decodes, checks, scales and re-encodes an upload: (bytes, content type, width, height).
pub fn process(
    upload: &[u8],
    purpose: Purpose,
) -> Result<(Vec<u8>, &'static str, u32, u32), AppError> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(AppError::TooLarge);
    }
    let not_an_image = || refuse("not a PNG, JPEG, GIF or WebP image");
    let reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| not_an_image())?;
    let format = reader.format().ok_or_else(not_an_image)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP
    ) {
        return Err(not_an_image());
    }
    let (w, h) = ImageReader::with_format(Cursor::new(upload), format)
        .into_dimensions()
        .map_err(|_| not_an_image())?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(refuse(&format!("{w} × {h} is over 40 megapixels")));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| refuse(&format!("cannot be decoded ({e})")))?;
    let (max_w, max_h) = purpose.fits();
    let image = if image.width() > max_w || image.height() > max_h {
        image.resize(max_w, max_h, FilterType::Triangle)
    } else {
        image
    };
    encode(&image)
}

fn encode(image: &DynamicImage) -> Result<(Vec<u8>, &'static str, u32, u32), AppError> {
    let mut out = Vec::new();
    let failed = |e: image::ImageError| AppError::Internal(format!("re-encoding an image: {e}"));
    let content_type = if image.color().has_alpha() {
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(failed)?;
        "image/png"
    } else {
        let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        encoder.encode_image(&rgb).map_err(failed)?;
        "image/jpeg"
    };
    Ok((out, content_type, image.width(), image.height()))
}

/// The file extension of a stored content type.
pub fn extension(content_type: &str) -> &'static str {
    if content_type == "image/png" {
        "png"
    } else {
        "jpg"
    }
}

/// Where an image is served, on the node at `base`.
pub fn url(base: &Url, hash: &str, content_type: &str) -> Url {
    let path = format!("/media/{hash}.{}", extension(content_type));
    base.join(&path).unwrap_or_else(|_| base.clone())
}

fn path_of(node: &Node, name: &str) -> PathBuf {
    node.config.media_dir().join(name)
}

/// Processes an upload and stores it (once per distinct result).
pub async fn store(node: &Node, upload: Vec<u8>, purpose: Purpose) -> Result<MediaRow, AppError> {
    let (bytes, content_type, width, height) =
        tokio::task::spawn_blocking(move || process(&upload, purpose))
            .await
            .map_err(|e| AppError::Internal(format!("image task: {e}")))??;
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let name = format!("{hash}.{}", extension(content_type));
    let path = path_of(node, &name);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        let dir = node.config.media_dir();
        let io = |e: std::io::Error| AppError::Internal(format!("storing {name}: {e}"));
        tokio::fs::create_dir_all(&dir).await.map_err(io)?;
        // Written aside, then renamed: a reader never sees half a file.
        let partial = dir.join(format!(".{name}.{}", uuid::Uuid::new_v4().simple()));
        tokio::fs::write(&partial, &bytes).await.map_err(io)?;
        tokio::fs::rename(&partial, &path).await.map_err(io)?;
    }
    let row = MediaRow {
        hash,
        content_type: content_type.into(),
        width: i64::from(width),
        height: i64::from(height),
        bytes: bytes.len() as i64,
        created_at: now_ms(),
    };
    let mut conn = node.db.acquire().await?;
    db::media::insert(&mut conn, &row).await?;
    Ok(row)
}

/// A stored image by its served name (`HASH.EXT`): its bytes and content type. 404 for
/// any other name.
pub async fn read(node: &Node, name: &str) -> Result<(Vec<u8>, &'static str), AppError> {
    let not_found = || AppError::NotFound("no such image".into());
    let (hash, ext) = name.split_once('.').ok_or_else(not_found)?;
    let content_type = match ext {
        "png" => "image/png",
        "jpg" => "image/jpeg",
        _ => return Err(not_found()),
    };
    if hash.len() != 64
        || !hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(not_found());
    }
    let bytes = tokio::fs::read(path_of(node, name))
        .await
        .map_err(|_| not_found())?;
    Ok((bytes, content_type))
}

/// How long an unused image is kept (a preview may be published later the same day).
pub const UNUSED_FOR_MS: i64 = 24 * 3600 * 1000;

/// Removes images that nothing has used for a day: their rows, then their files. Returns
/// how many went.
pub async fn collect_garbage(node: &Node) -> Result<usize, AppError> {
    let before = node.clock.now_ms() - UNUSED_FOR_MS;
    let mut conn = node.db.acquire().await?;
    let unused = crate::db::media::unused_before(&mut conn, before, 1000).await?;
    let mut removed = 0;
    for m in unused {
        if !crate::db::media::remove_unused(&mut conn, &m.hash).await? {
            continue;
        }
        let file = path_of(node, &format!("{}.{}", m.hash, extension(&m.content_type)));
        match tokio::fs::remove_file(&file).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(file = %file.display(), "cannot remove an unused image: {e}"),
        }
        removed += 1;
    }
    Ok(removed)
}

/// Collects unused images every hour until `stop` (run by `serve`).
pub async fn run_collection(
    node: crate::app::AppState,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match collect_garbage(&node).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("removed {n} unused images"),
            Err(e) => tracing::warn!("image collection failed: {e}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn images_are_checked_scaled_and_reencoded() {
        let (bytes, kind, w, h) = process(&png(3000, 1000), Purpose::Header).unwrap();
        assert_eq!((kind, w, h), ("image/jpeg", 1500, 500));
        assert!(bytes.starts_with(&[0xFF, 0xD8]));
        let (_, _, w, h) = process(&png(300, 200), Purpose::Avatar).unwrap();
        assert_eq!((w, h), (300, 200));
        let err = process(b"hello, not an image", Purpose::Story).unwrap_err();
        assert!(err.to_string().starts_with("image: not a PNG"), "{err}");
        let big = vec![0u8; MAX_UPLOAD_BYTES + 1];
        assert!(matches!(
            process(&big, Purpose::Story),
            Err(AppError::TooLarge)
        ));
    }
}
