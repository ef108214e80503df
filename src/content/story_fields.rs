//! The rules a story's fields follow, shared by publishing, editing, drafts and the CLI:
//! title, body, tags, kind, language and images' alt text. Each bad value is a 422 that
//! names the field and its rule.

use crate::AppError;

/// The kinds of story: `storyKind` on the wire, a facet in directories.
pub const KINDS: &[&str] = &["story", "research", "news", "event"];

/// Alt text is required, so people who cannot see an image know what it shows.
pub fn check_alt(alt: &str) -> Result<String, AppError> {
    let alt = alt.trim();
    if alt.is_empty() {
        return Err(AppError::Invalid(
            "alt: describe the image for people who cannot see it".into(),
        ));
    }
    if alt.chars().count() > 1500 {
        return Err(AppError::Invalid("alt: at most 1500 characters".into()));
    }
    Ok(alt.to_string())
}

/// A kind, checked: one of [`KINDS`] (empty means `story`).
pub fn check_kind(kind: &str) -> Result<String, AppError> {
    let kind = kind.trim().to_ascii_lowercase();
    if kind.is_empty() {
        return Ok("story".into());
    }
    if KINDS.contains(&kind.as_str()) {
        Ok(kind)
    } else {
        Err(AppError::Invalid(format!(
            "kind: '{kind}' is not one of {}",
            KINDS.join(", ")
        )))
    }
}

/// A language tag, checked (BCP 47's shape: `en`, `cy`, `gd`, `en-GB`; empty means `en`).
pub fn check_language(language: &str) -> Result<String, AppError> {
    let language = language.trim();
    if language.is_empty() {
        return Ok("en".into());
    }
    let mut parts = language.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok && language.len() <= 35 {
        Ok(language.to_string())
    } else {
        Err(AppError::Invalid(format!(
            "language: '{language}' is not a language tag such as en, cy or gd"
        )))
    }
}

pub fn check_title(title: &str) -> Result<String, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::Invalid(
            "title: must be 1 to 200 characters".into(),
        ));
    }
    Ok(title.to_string())
}

pub fn check_body(body: &str) -> Result<String, AppError> {
    if body.trim().is_empty() {
        return Err(AppError::Invalid("body: must not be empty".into()));
    }
    if body.len() > 200_000 {
        return Err(AppError::Invalid("body: at most 200000 bytes".into()));
    }
    Ok(body.to_string())
}

/// Tags are hashtags: letters, digits and '_', up to 64 characters; a leading '#' is dropped.
pub fn check_tags(tags: &[String]) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim().trim_start_matches('#').to_lowercase();
        if tag.is_empty()
            || tag.chars().count() > 64
            || !tag.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            return Err(AppError::Invalid(format!(
                "tag: '{tag}' must be 1 to 64 letters, digits or '_'"
            )));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out.sort();
    Ok(out)
}
