//! `POST /manage/{handle}/avatar` and `/header`: a co-op's admins upload its pictures
//! (`content::coops::set_picture`, which sends an `Update` with the new `icon` / `image`).

use axum::extract::{Multipart, Path, State};
use axum::response::Response;

use super::{SignedIn, check_session_csrf, multipart_error, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::app::AppState;
use crate::content::coops;
use crate::content::media::Purpose;

/// The form's CSRF token and the image's bytes (empty when no file was chosen).
async fn read(mut multipart: Multipart) -> Result<(String, Vec<u8>), AppError> {
    let failed = multipart_error;
    let (mut csrf, mut image) = (String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(failed)? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(failed)?,
            "image" => image = field.bytes().await.map_err(failed)?.to_vec(),
            _ => {}
        }
    }
    Ok((csrf, image))
}

async fn upload(
    node: AppState,
    handle: String,
    session: crate::accounts::sessions::Session,
    multipart: Multipart,
    purpose: Purpose,
) -> Result<Response, AppError> {
    let (csrf, image) = read(multipart).await?;
    check_session_csrf(&session, &csrf)?;
    let coop = coops::find(&node, &handle).await?;
    members::require_admin(&node, &session.account, coop.row.id).await?;
    if image.is_empty() {
        return Err(AppError::Invalid("image: choose a file".into()));
    }
    coops::set_picture(&node, &coop.row.handle, purpose, image).await?;
    Ok(see_other(
        &format!("/manage/{}/profile", coop.row.handle),
        [],
    ))
}

/// `POST /manage/{handle}/avatar`.
pub async fn http_post_avatar(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    multipart: Multipart,
) -> Result<Response, AppError> {
    upload(node, handle, session, multipart, Purpose::Avatar).await
}

/// `POST /manage/{handle}/header`.
pub async fn http_post_header(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    multipart: Multipart,
) -> Result<Response, AppError> {
    upload(node, handle, session, multipart, Purpose::Header).await
}
