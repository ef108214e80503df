//! The directory's own actor: a `Service` with handle `directory`, stored beside the
//! co-ops (kind `directory`) so it shares their keys, followers, follows and deliveries.

use crate::app::Node;
use crate::content::coops::{self, Coop};
use crate::content::profile::{Profile, ProfileInput};
use crate::federation::signatures::keys::generate_rsa_keypair;
use crate::{AppError, db, now_ms};

/// The directory actor's handle (reserved for co-ops).
pub const HANDLE: &str = "directory";

/// Creates the directory actor on first start of a directory node.
pub async fn ensure(node: &Node) -> Result<(), AppError> {
    if coops::find_optional(node, HANDLE).await?.is_some() {
        return Ok(());
    }
    let domain = node.domain();
    let input = ProfileInput {
        name: Some(format!("Directory of cultural co-ops on {domain}")),
        summary: Some(format!(
            "A consent-based index of the UK's cultural co-operatives. Follow this account for the \
             movement's stories. To be listed, follow @{HANDLE}@{domain} from your co-op's account."
        )),
        nation: Some("england".into()),
        sectors: vec!["other".into()],
        ..Default::default()
    };
    let profile = Profile::create(&input)?;
    let keys = generate_rsa_keypair().map_err(|e| AppError::Internal(e.to_string()))?;
    let mut conn = node.db.acquire().await?;
    let inserted = db::coops::insert(
        &mut conn,
        "directory",
        HANDLE,
        &profile.columns(),
        &keys.private_key_pem,
        &keys.public_key_pem,
        now_ms(),
    )
    .await;
    match inserted {
        Ok(_) => Ok(()),
        // Another process created it first.
        Err(e) if matches!(&e, sqlx::Error::Database(d) if d.is_unique_violation()) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The directory actor, or 404 when this node is not a directory.
pub async fn find(node: &Node) -> Result<Coop, AppError> {
    if !node.config.directory.enabled() {
        return Err(AppError::NotFound(
            "this node does not run a directory".into(),
        ));
    }
    coops::find(node, HANDLE).await
}

/// Whether a local actor is the directory's.
pub fn is_directory(coop: &Coop) -> bool {
    coop.row.kind == "directory"
}
