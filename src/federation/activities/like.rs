//! `Like`: received when someone likes a co-op's story; counted on the story's page. Likes
//! of anything else are ignored.

use serde_json::Value;
use url::Url;

use super::{Incoming, id_of};
use crate::AppError;
use crate::content::{conversations, reactions};

/// Counts the signer's like of a story here.
pub async fn receive(ctx: &Incoming<'_>, id: &Url, object: Option<&Value>) -> Result<(), AppError> {
    let target = id_of(object).ok_or_else(|| AppError::BadRequest("Like has no object".into()))?;
    if !ctx.node.is_local(&target) {
        return Ok(());
    }
    match conversations::local_story(ctx.node, &target).await? {
        Some(story) => reactions::like(ctx.node, &story, ctx.signer.as_str(), id.as_str()).await,
        None => Ok(()),
    }
}
