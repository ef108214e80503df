//! Writing stories in the browser (any member of the co-op): a list of drafts and
//! published stories, and one editor with Preview, Save draft, Publish (or, for a published
//! story, Save, which sends an Update) and Delete. The editor's buttons call the same
//! operations as `mutual story` (and `content::drafts`).

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;

use super::editor_form::{EditorForm, read_editor, take_upload};
use super::editor_page::{Place, editor, refused};
use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::accounts::sessions::Session;
use crate::app::{AppState, Node};
use crate::content::stories::{self, StoryChanges};
use crate::content::{coops, drafts};
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/stories.html")]
struct StoriesPage {
    ui: Ui,
    handle: String,
    drafts: Vec<(i64, String, String)>,
    published: Vec<(String, String, String, String)>,
}

/// 403 unless the account is a member of the co-op; returns its canonical handle.
async fn member_of(node: &Node, session: &Session, handle: &str) -> Result<String, AppError> {
    let coop = coops::find(node, handle).await?;
    members::require_member(node, &session.account, coop.row.id).await?;
    Ok(coop.row.handle)
}

/// Reads an editor form, checks its token and the member's rights, then stores its upload.
/// Returns the co-op's handle, the form, and whether its image could be taken (an image
/// that breaks a rule is shown on the form, with the rest as typed).
async fn submitted(
    node: &Node,
    session: &Session,
    handle: &str,
    multipart: Multipart,
) -> Result<(String, EditorForm, Result<(), AppError>), AppError> {
    let (mut form, upload) = read_editor(multipart).await?;
    check_session_csrf(session, &form.csrf)?;
    let handle = member_of(node, session, handle).await?;
    let taken = take_upload(node, &mut form, upload).await;
    Ok((handle, form, taken))
}

/// What the editor of a new story (`draft` None) or of a draft does: preview, save the
/// draft, publish it, or delete the draft. A broken rule shows the form again.
async fn unpublished(
    node: &Node,
    session: &Session,
    handle: String,
    draft: Option<i64>,
    (form, taken): (EditorForm, Result<(), AppError>),
) -> Result<Response, AppError> {
    let place = match draft {
        Some(id) => {
            drafts::find(node, &handle, id).await?;
            Place::draft(handle.clone(), id)
        }
        None => Place::new_story(handle.clone()),
    };
    if let Err(e) = taken {
        return refused(node, session, place, &form, e).await;
    }
    let done = match (form.action.as_str(), draft) {
        ("draft", _) => {
            let author = Some(session.account.id());
            drafts::save(node, &handle, draft, &form.story(), author)
                .await
                .map(|id| see_other(&format!("/manage/{handle}/drafts/{id}"), []))
        }
        ("publish", _) => stories::publish_story(node, &handle, &form.story(), draft)
            .await
            .map(|story| see_other(story.url(&node.base).as_str(), [])),
        ("delete", Some(id)) => {
            drafts::delete(node, &handle, id).await?;
            return Ok(see_other(&format!("/manage/{handle}/stories"), []));
        }
        _ => return editor(node, session, place, &form, true).await,
    };
    match done {
        Ok(response) => Ok(response),
        Err(e) => refused(node, session, place, &form, e).await,
    }
}

/// `GET /manage/{handle}/stories`.
pub async fn http_get_stories(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let handle = member_of(&node, &session, &handle).await?;
    let coop = coops::find(&node, &handle).await?;
    let drafts = drafts::list(&node, &handle)
        .await?
        .into_iter()
        .map(|d| (d.id, d.title, d.kind))
        .collect();
    let published = stories::list(&node, &coop, 100, 0)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.row.public_id.clone(),
                s.row.title.clone(),
                s.row.kind.clone(),
                s.url(&node.base).to_string(),
            )
        })
        .collect();
    page(
        &StoriesPage {
            ui: Ui::new(&node),
            handle,
            drafts,
            published,
        },
        [],
    )
}

#[derive(serde::Deserialize)]
pub struct NewQuery {
    /// A post to answer (the timeline's Reply link).
    in_reply_to: Option<String>,
}

/// `GET /manage/{handle}/stories/new[?in_reply_to=URL]`.
pub async fn http_get_new(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    axum::extract::Query(q): axum::extract::Query<NewQuery>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let handle = member_of(&node, &session, &handle).await?;
    let place = Place::new_story(handle);
    let form = EditorForm {
        in_reply_to: q.in_reply_to.unwrap_or_default(),
        ..Default::default()
    };
    editor(&node, &session, place, &form, false).await
}

/// `POST /manage/{handle}/stories/new`: preview, save a draft, or publish.
pub async fn http_post_new(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (handle, form, taken) = submitted(&node, &session, &handle, multipart).await?;
    unpublished(&node, &session, handle, None, (form, taken)).await
}

/// `GET /manage/{handle}/drafts/{id}`.
pub async fn http_get_draft(
    State(node): State<AppState>,
    Path((handle, id)): Path<(String, i64)>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let handle = member_of(&node, &session, &handle).await?;
    let d = drafts::find(&node, &handle, id).await?;
    let form = EditorForm {
        title: d.title,
        body: d.body,
        tags: d.tags,
        kind: d.kind,
        language: d.language,
        image_hash: d.image_hash.unwrap_or_default(),
        alt: d.image_alt,
        in_reply_to: d.in_reply_to.unwrap_or_default(),
        ..Default::default()
    };
    let place = Place::draft(handle, id);
    editor(&node, &session, place, &form, false).await
}

/// `POST /manage/{handle}/drafts/{id}`: preview, save, publish or delete the draft.
pub async fn http_post_draft(
    State(node): State<AppState>,
    Path((handle, id)): Path<(String, i64)>,
    SignedIn(session): SignedIn,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (handle, form, taken) = submitted(&node, &session, &handle, multipart).await?;
    unpublished(&node, &session, handle, Some(id), (form, taken)).await
}

/// `GET /manage/{handle}/stories/{id}/edit`: a published story of this co-op.
pub async fn http_get_edit(
    State(node): State<AppState>,
    Path((handle, id)): Path<(String, String)>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let handle = member_of(&node, &session, &handle).await?;
    let s = stories::find_live(&node, Some(&handle), &id).await?;
    let first = s.images.first();
    let form = EditorForm {
        title: s.row.title.clone(),
        body: s.row.body.clone(),
        tags: s.tags.join(" "),
        kind: s.row.kind.clone(),
        language: s.row.language.clone(),
        image_hash: first.map(|i| i.hash.clone()).unwrap_or_default(),
        alt: first.map(|i| i.alt.clone()).unwrap_or_default(),
        ..Default::default()
    };
    let place = Place::published(handle, &id);
    editor(&node, &session, place, &form, false).await
}

/// `POST /manage/{handle}/stories/{id}/edit`: preview, save (sends an Update) or delete
/// (sends a Delete).
pub async fn http_post_edit(
    State(node): State<AppState>,
    Path((handle, id)): Path<(String, String)>,
    SignedIn(session): SignedIn,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let (handle, form, taken) = submitted(&node, &session, &handle, multipart).await?;
    stories::find_live(&node, Some(&handle), &id).await?;
    let place = Place::published(handle.clone(), &id);
    if let Err(e) = taken {
        return refused(&node, &session, place, &form, e).await;
    }
    let done = match form.action.as_str() {
        "save" => {
            let new = form.story();
            let changes = StoryChanges {
                title: Some(new.title),
                body: Some(new.body),
                tags: Some(new.tags),
                kind: Some(new.kind),
                language: Some(new.language),
                images: Some(new.images),
            };
            stories::edit(&node, Some(&handle), &id, &changes)
                .await
                .map(|story| see_other(story.url(&node.base).as_str(), []))
        }
        "delete" => {
            stories::delete(&node, Some(&handle), &id).await?;
            return Ok(see_other(&format!("/manage/{handle}/stories"), []));
        }
        _ => return editor(&node, &session, place, &form, true).await,
    };
    match done {
        Ok(response) => Ok(response),
        Err(e) => refused(&node, &session, place, &form, e).await,
    }
}
