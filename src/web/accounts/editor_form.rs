//! The story editor's form: read from multipart (for its image), with the upload stored
//! only after the form's token and the member's rights are checked.

use axum::extract::Multipart;

use super::multipart_error;
use crate::AppError;
use crate::app::Node;
use crate::content::drafts;
use crate::content::media::{self, Purpose};
use crate::content::stories::{self, ImageRef, NewStory};

/// What the editor's form sends (multipart, for the image).
#[derive(Default)]
pub struct EditorForm {
    pub csrf: String,
    pub action: String,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub kind: String,
    pub language: String,
    pub alt: String,
    /// An image already uploaded (kept across a preview, or from the draft).
    pub image_hash: String,
    /// The post this story answers (a URL), when it is a reply.
    pub in_reply_to: String,
    /// "on" when the image is to be taken off the story.
    pub remove_image: String,
}

impl EditorForm {
    pub fn story(&self) -> NewStory {
        let images = if self.image_hash.is_empty() || self.remove_image == "on" {
            Vec::new()
        } else {
            vec![ImageRef {
                hash: self.image_hash.clone(),
                alt: self.alt.clone(),
            }]
        };
        NewStory {
            title: self.title.clone(),
            body: self.body.clone(),
            tags: drafts::tags_of(&self.tags),
            kind: self.kind.clone(),
            language: self.language.clone(),
            in_reply_to: Some(self.in_reply_to.trim().to_string()).filter(|u| !u.is_empty()),
            images,
        }
    }
}

/// Reads the editor's fields and the uploaded image's bytes (not yet stored: the form's
/// token and the member's rights are checked first).
pub async fn read_editor(
    mut multipart: Multipart,
) -> Result<(EditorForm, Option<Vec<u8>>), AppError> {
    let mut form = EditorForm::default();
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "image" {
            let bytes = field.bytes().await.map_err(multipart_error)?;
            if !bytes.is_empty() {
                upload = Some(bytes.to_vec());
            }
            continue;
        }
        let text = field.text().await.map_err(multipart_error)?;
        let slot = match name.as_str() {
            "csrf" => &mut form.csrf,
            "action" => &mut form.action,
            "title" => &mut form.title,
            "body" => &mut form.body,
            "tags" => &mut form.tags,
            "kind" => &mut form.kind,
            "language" => &mut form.language,
            "alt" => &mut form.alt,
            "image_hash" => &mut form.image_hash,
            "in_reply_to" => &mut form.in_reply_to,
            "remove_image" => &mut form.remove_image,
            _ => continue,
        };
        *slot = text;
    }
    Ok((form, upload))
}

/// Stores an uploaded image (decoded, checked, re-encoded), which then replaces the
/// form's image. Its alt text is required once it is attached to a story.
pub async fn take_upload(
    node: &Node,
    form: &mut EditorForm,
    upload: Option<Vec<u8>>,
) -> Result<(), AppError> {
    if let Some(bytes) = upload {
        if form.action == "publish" || form.action == "save" {
            // Refused before anything is stored.
            stories::check_alt(&form.alt)?;
        }
        form.image_hash = media::store(node, bytes, Purpose::Story).await?.hash;
    }
    Ok(())
}
