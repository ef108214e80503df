//! Moderation (issue #7): domain and actor blocks refuse with 403 and store nothing, a
//! block ends follows both ways and purges what was stored, a Flag becomes a report the
//! node admin sees, and the pages and CLI that run them.

mod actor_blocks;
mod cli;
mod domain_blocks;
mod pages;
mod reports;

use mutual::federation::signatures::keys::SigningKey;
use serde_json::{Value, json};
use url::Url;

use crate::helpers::TestNode;
use crate::helpers::peer::PeerActor;

/// Co-op `handle` on `node`, as an actor that can sign requests by hand (to send what
/// the node itself would not send any more).
async fn coop_signer(node: &TestNode, handle: &str) -> PeerActor {
    let coop = mutual::content::coops::find(&node.node, handle)
        .await
        .unwrap();
    PeerActor {
        id: node.actor(handle),
        key_id: mutual::federation::urls::coop_key(&node.base, handle).to_string(),
        key: SigningKey::from_pem(&coop.row.private_key_pem).unwrap(),
        public_key_pem: coop.row.public_key_pem.clone(),
    }
}

/// A Follow of `object` by `actor`, with an id made unique by `n`.
fn follow(actor: &PeerActor, object: &Url, n: u32) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#follows/{n}", actor.id),
        "type": "Follow",
        "actor": actor.id,
        "object": object,
    })
}

/// A Create of a reply to `in_reply_to` by `actor`.
fn reply(actor: &PeerActor, in_reply_to: &Url, n: u32) -> Value {
    let note = format!("{}#notes/{n}", actor.id);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/activity"),
        "type": "Create",
        "actor": actor.id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {
            "id": note, "type": "Note", "attributedTo": actor.id,
            "inReplyTo": in_reply_to, "content": "<p>Buy now!</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        },
    })
}

/// How many rows of `table` have `column` starting with `prefix` (an origin's URLs).
async fn rows_from(node: &TestNode, table: &str, column: &str, prefix: &Url) -> i64 {
    let mut conn = node.node.db.acquire().await.unwrap();
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE $1");
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
        .bind(format!("{}%", prefix.as_str()))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// Whether an activity id was recorded as received.
async fn received(node: &TestNode, id: &str) -> bool {
    let mut conn = node.node.db.acquire().await.unwrap();
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM received_activities WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        > 0
}
