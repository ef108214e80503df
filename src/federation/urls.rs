//! Every URL this node mints, in one place.

use url::Url;

fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    url.set_path(path);
    url
}

/// A co-op's actor id, which is also its profile page.
pub fn coop(base: &Url, handle: &str) -> Url {
    join(base, &format!("/coops/{handle}"))
}

/// A sub-resource of a co-op: inbox, outbox, followers, following, featured.
pub fn coop_part(base: &Url, handle: &str, part: &str) -> Url {
    join(base, &format!("/coops/{handle}/{part}"))
}

/// The id of a co-op's public key.
pub fn coop_key(base: &Url, handle: &str) -> Url {
    let mut url = coop(base, handle);
    url.set_fragment(Some("main-key"));
    url
}

/// A story's Note id, which is also its page.
pub fn story(base: &Url, handle: &str, public_id: &str) -> Url {
    join(base, &format!("/coops/{handle}/stories/{public_id}"))
}

/// The id of the Create that published a story.
pub fn story_create(base: &Url, handle: &str, public_id: &str) -> Url {
    join(
        base,
        &format!("/coops/{handle}/stories/{public_id}/activity"),
    )
}

/// The shared inbox.
pub fn shared_inbox(base: &Url) -> Url {
    join(base, "/inbox")
}

/// A fresh id for an activity that is not tied to a story.
pub fn new_activity(base: &Url) -> Url {
    join(base, &format!("/activities/{}", uuid::Uuid::new_v4()))
}

/// A tag's page.
pub fn tag(base: &Url, tag: &str) -> Url {
    join(base, &format!("/tags/{tag}"))
}

/// The instance actor.
pub fn instance_actor(base: &Url) -> Url {
    join(base, "/actor")
}

/// The instance actor's key id.
pub fn instance_key(base: &Url) -> Url {
    let mut url = instance_actor(base);
    url.set_fragment(Some("main-key"));
    url
}

/// Recognises `/coops/{handle}` and returns the handle.
pub fn coop_handle_of(base: &Url, url: &Url) -> Option<String> {
    if !super::origin::same_origin(base, url) {
        return None;
    }
    let rest = url.path().strip_prefix("/coops/")?;
    (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
}

/// The (handle, public id) of a local story's URL (`{base}/coops/{handle}/stories/{id}`).
pub fn story_of(base: &Url, url: &Url) -> Option<(String, String)> {
    if !super::origin::same_origin(base, url) {
        return None;
    }
    let rest = url.path().strip_prefix("/coops/")?;
    let (handle, id) = rest.split_once("/stories/")?;
    let plain = |s: &str| !s.is_empty() && !s.contains('/');
    (plain(handle) && plain(id)).then(|| (handle.to_string(), id.to_string()))
}
