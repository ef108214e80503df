//! What this node calls an actor: its name and `@user@host`, from the remote-actor cache
//! or, for a co-op here, from the co-op itself. Nothing is fetched.

use url::Url;

use crate::app::Node;
use crate::content::{coops, html};
use crate::{AppError, db, federation};

/// (name, handle) of an actor; its URL for both when nothing is known of it.
pub async fn of_actor(node: &Node, actor_id: &str) -> Result<(String, String), AppError> {
    let Ok(url) = Url::parse(actor_id) else {
        return Ok((actor_id.to_string(), actor_id.to_string()));
    };
    if node.is_local(&url)
        && let Some(handle) = federation::urls::coop_handle_of(&node.base, &url)
        && let Some(coop) = coops::find_to_name(node, &handle).await?
    {
        return Ok((
            coop.profile.name,
            format!("@{}@{}", coop.row.handle, node.domain()),
        ));
    }
    let mut conn = node.db.acquire().await?;
    let cached = db::remote_actors::by_id(&mut conn, actor_id).await?;
    let host = crate::config::authority(&url);
    Ok(match cached {
        Some(a) => {
            let handle = match &a.preferred_username {
                Some(user) => format!("@{user}@{host}"),
                None => actor_id.to_string(),
            };
            let name = a
                .name
                .filter(|n| !n.trim().is_empty())
                .map(|n| html::plain_text(&n))
                .unwrap_or_else(|| handle.clone());
            (name, handle)
        }
        None => (actor_id.to_string(), actor_id.to_string()),
    })
}
