//! The story editor's page: the form as stored or as just submitted, with a preview, and
//! with the rule it broke beside the field when a save was refused (`FormErrors`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::editor_form::EditorForm;
use super::page;
use crate::AppError;
use crate::accounts::sessions::Session;
use crate::app::Node;
use crate::content::stories::KINDS;
use crate::content::{html, media};
use crate::web::form_errors::FormErrors;
use crate::web::ui::Ui;

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
    errors: FormErrors,
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
pub struct Place {
    handle: String,
    heading: &'static str,
    action: String,
    published: bool,
    deletable: bool,
}

impl Place {
    pub fn new_story(handle: String) -> Place {
        Place {
            action: format!("/manage/{handle}/stories/new"),
            handle,
            heading: "editor.new",
            published: false,
            deletable: false,
        }
    }

    pub fn draft(handle: String, id: i64) -> Place {
        Place {
            action: format!("/manage/{handle}/drafts/{id}"),
            handle,
            heading: "editor.draft",
            published: false,
            deletable: true,
        }
    }

    pub fn published(handle: String, id: &str) -> Place {
        Place {
            action: format!("/manage/{handle}/stories/{id}/edit"),
            handle,
            heading: "editor.published",
            published: true,
            deletable: true,
        }
    }
}

/// The editor showing `form` (with its preview when `preview`).
pub async fn editor(
    node: &Node,
    session: &Session,
    place: Place,
    form: &EditorForm,
    preview: bool,
) -> Result<Response, AppError> {
    show(node, session, place, form, preview, FormErrors::none()).await
}

/// The form's fields, by the name a rule's message starts with.
const FIELDS: &[(&str, &str)] = &[
    ("title", "title"),
    ("body", "body"),
    ("tag", "tags"),
    ("tags", "tags"),
    ("kind", "kind"),
    ("language", "language"),
    ("image", "image"),
    ("alt", "alt"),
];

/// The editor again after `error`: when it is a broken rule (422), the form as submitted
/// with the rule beside its field, answered with 422; any other error as it is.
pub async fn refused(
    node: &Node,
    session: &Session,
    place: Place,
    form: &EditorForm,
    error: AppError,
) -> Result<Response, AppError> {
    let lang = crate::web::i18n::current();
    let errors = FormErrors::from_error(error, lang, FIELDS)?;
    let mut response = show(node, session, place, form, false, errors).await?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

async fn show(
    node: &Node,
    session: &Session,
    place: Place,
    form: &EditorForm,
    preview: bool,
    errors: FormErrors,
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
            errors,
        },
        [],
    )
}
