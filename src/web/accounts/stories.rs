//! Writing stories in the browser (any member of the co-op): a list of drafts and
//! published stories, and one editor with Preview, Save draft, Publish (or, for a published
//! story, Save, which sends an Update) and Delete. The editor's buttons call the same
//! operations as `mutual story` (and `content::drafts`).

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;

use super::editor_form::{EditorForm, read_editor, take_upload};
use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::accounts::sessions::Session;
use crate::app::{AppState, Node};
use crate::content::media;
use crate::content::stories::{self, KINDS, StoryChanges};
use crate::content::{coops, drafts, html};
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/stories.html")]
struct StoriesPage {
    ui: Ui,
    handle: String,
    drafts: Vec<(i64, String, String)>,
    published: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "accounts/editor.html")]
struct EditorPage {
    ui: Ui,
    csrf: String,
    handle: String,
    heading: &'static str,
    action: String,
    title: String,
    body: String,
    tags: String,
    kinds: Vec<(&'static str, bool)>,
    /// (code, its name in its own language, selected).
    languages: Vec<(String, String, bool)>,
    preview: Option<String>,
    published: bool,
    deletable: bool,
    image_hash: String,
    image_url: Option<String>,
    alt: String,
    /// The post this story answers (a URL; empty for a plain story).
    in_reply_to: String,
}

/// 403 unless the account is a member of the co-op; returns its canonical handle.
async fn member_of(node: &Node, session: &Session, handle: &str) -> Result<String, AppError> {
    let coop = coops::find(node, handle).await?;
    members::require_member(node, &session.account, coop.row.id).await?;
    Ok(coop.row.handle)
}

/// The languages a story can be written in, from the editor (the CLI takes any tag).
const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("cy", "Cymraeg"),
    ("gd", "Gàidhlig"),
    ("ga", "Gaeilge"),
    ("kw", "Kernewek"),
];

/// Where the editor is, and what it edits.
struct Place {
    handle: String,
    heading: &'static str,
    action: String,
    published: bool,
    deletable: bool,
}

impl Place {
    fn new_story(handle: String) -> Place {
        Place {
            action: format!("/manage/{handle}/stories/new"),
            handle,
            heading: "editor.new",
            published: false,
            deletable: false,
        }
    }

    fn draft(handle: String, id: i64) -> Place {
        Place {
            action: format!("/manage/{handle}/drafts/{id}"),
            handle,
            heading: "editor.draft",
            published: false,
            deletable: true,
        }
    }

    fn published(handle: String, id: &str) -> Place {
        Place {
            action: format!("/manage/{handle}/stories/{id}/edit"),
            handle,
            heading: "editor.published",
            published: true,
            deletable: true,
        }
    }
}

async fn editor(
    node: &Node,
    session: &Session,
    place: Place,
    form: &EditorForm,
    preview: bool,
) -> Result<Response, AppError> {
    let image_url = if form.image_hash.is_empty() {
        None
    } else {
        let mut conn = node.db.acquire().await?;
        crate::db::media::find(&mut conn, &form.image_hash)
            .await?
            .map(|m| media::url(&node.base, &m.hash, &m.content_type).to_string())
    };
    let kinds = KINDS
        .iter()
        .map(|k| {
            (
                *k,
                *k == form.kind || (form.kind.is_empty() && *k == "story"),
            )
        })
        .collect();
    let ui = Ui::new(node);
    let language = if form.language.is_empty() {
        ui.lang.code()
    } else {
        form.language.as_str()
    };
    let mut languages: Vec<(String, String, bool)> = LANGUAGES
        .iter()
        .map(|(code, name)| (code.to_string(), name.to_string(), *code == language))
        .collect();
    if !languages.iter().any(|l| l.2) {
        // A tag given on the command line, kept as it is.
        languages.push((language.to_string(), language.to_string(), true));
    }
    page(
        &EditorPage {
            ui,
            languages,
            csrf: session.csrf.clone(),
            handle: place.handle,
            heading: place.heading,
            action: place.action,
            title: form.title.clone(),
            body: form.body.clone(),
            tags: form.tags.clone(),
            kinds,
            preview: preview.then(|| html::markdown(&form.body)),
            published: place.published,
            deletable: place.deletable,
            image_hash: form.image_hash.clone(),
            image_url,
            alt: form.alt.clone(),
            in_reply_to: form.in_reply_to.clone(),
        },
        [],
    )
}

/// Reads an editor form, checks its token and the member's rights, then stores its upload.
/// Returns the co-op's handle and the form.
async fn submitted(
    node: &Node,
    session: &Session,
    handle: &str,
    multipart: Multipart,
) -> Result<(String, EditorForm), AppError> {
    let (mut form, upload) = read_editor(multipart).await?;
    check_session_csrf(session, &form.csrf)?;
    let handle = member_of(node, session, handle).await?;
    take_upload(node, &mut form, upload).await?;
    Ok((handle, form))
}

/// What the editor of a new story (`draft` None) or of a draft does: preview, save the
/// draft, publish it, or delete the draft.
async fn unpublished(
    node: &Node,
    session: &Session,
    handle: String,
    draft: Option<i64>,
    form: EditorForm,
) -> Result<Response, AppError> {
    match (form.action.as_str(), draft) {
        ("draft", _) => {
            let author = Some(session.account.id());
            let id = drafts::save(node, &handle, draft, &form.story(), author).await?;
            Ok(see_other(&format!("/manage/{handle}/drafts/{id}"), []))
        }
        ("publish", _) => {
            let story = stories::publish_story(node, &handle, &form.story(), draft).await?;
            Ok(see_other(story.url(&node.base).as_str(), []))
        }
        ("delete", Some(id)) => {
            drafts::delete(node, &handle, id).await?;
            Ok(see_other(&format!("/manage/{handle}/stories"), []))
        }
        (_, Some(id)) => {
            drafts::find(node, &handle, id).await?;
            editor(node, session, Place::draft(handle, id), &form, true).await
        }
        (_, None) => editor(node, session, Place::new_story(handle), &form, true).await,
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
    let (handle, form) = submitted(&node, &session, &handle, multipart).await?;
    unpublished(&node, &session, handle, None, form).await
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
    let (handle, form) = submitted(&node, &session, &handle, multipart).await?;
    unpublished(&node, &session, handle, Some(id), form).await
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
    let (handle, form) = submitted(&node, &session, &handle, multipart).await?;
    match form.action.as_str() {
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
            let story = stories::edit(&node, Some(&handle), &id, &changes).await?;
            Ok(see_other(story.url(&node.base).as_str(), []))
        }
        "delete" => {
            stories::delete(&node, Some(&handle), &id).await?;
            Ok(see_other(&format!("/manage/{handle}/stories"), []))
        }
        _ => {
            stories::find_live(&node, Some(&handle), &id).await?;
            let place = Place::published(handle, &id);
            editor(&node, &session, place, &form, true).await
        }
    }
}
