//! The instance actor: a node-wide `Application` that signs outgoing GETs, so servers in
//! "secure mode" answer our fetches. Its key pair lives in the settings table.

use serde_json::{Value, json};
use url::Url;

use super::fetch::Signer;
use super::signatures::keys::{SigningKey, generate_rsa_keypair};
use super::{context, urls};
use crate::AppError;
use crate::db::{self, Db};

/// The preferred username of the instance actor (a reserved handle).
pub const INSTANCE_USERNAME: &str = "instance";

/// The loaded instance actor.
#[derive(Clone)]
pub struct InstanceActor {
    id: Url,
    key_id: Url,
    public_key_pem: String,
    key: SigningKey,
}

impl InstanceActor {
    /// Loads the key pair, generating and storing one on first start.
    pub async fn load_or_create(db: &Db, base: &Url) -> Result<InstanceActor, AppError> {
        let mut conn = db.acquire().await?;
        let (private_pem, public_pem) = match (
            db::settings::get(&mut conn, "instance_private_key").await?,
            db::settings::get(&mut conn, "instance_public_key").await?,
        ) {
            (Some(private), Some(public)) => (private, public),
            _ => {
                let pair = generate_rsa_keypair().map_err(|e| AppError::Internal(e.to_string()))?;
                // Two processes may start at once: whichever stored first wins, and both use it.
                let public = db::settings::get_or_insert(
                    &mut conn,
                    "instance_public_key",
                    &pair.public_key_pem,
                )
                .await?;
                let private = if public == pair.public_key_pem {
                    db::settings::get_or_insert(
                        &mut conn,
                        "instance_private_key",
                        &pair.private_key_pem,
                    )
                    .await?
                } else {
                    wait_for_private(&mut conn).await?
                };
                (private, public)
            }
        };
        let key =
            SigningKey::from_pem(&private_pem).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(InstanceActor {
            id: urls::instance_actor(base),
            key_id: urls::instance_key(base),
            public_key_pem: public_pem,
            key,
        })
    }

    /// The signer for outgoing requests.
    pub fn signer(&self) -> Signer {
        Signer {
            key_id: self.key_id.clone(),
            key: self.key.clone(),
        }
    }

    /// The public key, as SPKI PEM.
    pub fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    /// The actor document.
    pub fn to_json(&self, base: &Url) -> Value {
        json!({
            "@context": context::full(),
            "id": self.id,
            "type": "Application",
            "preferredUsername": INSTANCE_USERNAME,
            "name": "mutual instance actor",
            "inbox": urls::shared_inbox(base),
            "outbox": format!("{}/outbox", self.id),
            "endpoints": { "sharedInbox": urls::shared_inbox(base) },
            "manuallyApprovesFollowers": true,
            "discoverable": false,
            "indexable": false,
            "url": base,
            "publicKey": { "id": self.key_id, "owner": self.id, "publicKeyPem": self.public_key_pem },
        })
    }
}

async fn wait_for_private(conn: &mut db::Conn) -> Result<String, AppError> {
    for _ in 0..50 {
        if let Some(private) = db::settings::get(conn, "instance_private_key").await? {
            return Ok(private);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(AppError::Internal(
        "instance key pair is half-stored".into(),
    ))
}
