//! `/organise`: a directory organiser's page (and the node admin's): the dashboard, and
//! everything `mutual directory` does: invite (add), remove, boosts on and off, the
//! suggestions, and the sector and nation sub-feeds. The same `directory::` operations as
//! the CLI.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{SignedIn, check_session_csrf, page};
use crate::AppError;
use crate::accounts::sessions::Session;
use crate::app::{AppState, Node};
use crate::content::vocab::{Nation, Sector};
use crate::db::subfeeds::SubfeedRow;
use crate::directory::subfeeds::{self, Slice};
use crate::directory::{boost, consent, organiser};
use crate::federation::objects::timestamp;
use crate::web::i18n::Lang;
use crate::web::ui::Ui;

type Row = (String, String, String, String);

#[derive(Template)]
#[template(path = "accounts/organise.html")]
struct OrganisePage {
    ui: Ui,
    csrf: String,
    message: Option<String>,
    listed: i64,
    joins: Vec<Row>,
    leaves: Vec<Row>,
    failures: Vec<Row>,
    suggestions: Vec<(String, String)>,
    /// (`@handle@domain`, facet, value's name, followers, handle).
    subfeeds: Vec<(String, String, &'static str, i64, String)>,
    /// The (code, name) of sectors and of nations that have no sub-feed yet.
    free_sectors: Vec<(&'static str, &'static str)>,
    free_nations: Vec<(&'static str, &'static str)>,
}

/// The codes of `all` without a sub-feed yet, with their names.
fn free(
    lang: Lang,
    all: &[&'static str],
    taken: &[SubfeedRow],
) -> Vec<(&'static str, &'static str)> {
    all.iter()
        .filter(|code| !taken.iter().any(|s| s.value == **code))
        .map(|code| (*code, lang.vocab(code)))
        .collect()
}

/// 404 on a node without the directory; 403 unless an organiser or the node admin.
fn require_organiser(node: &Node, session: &Session) -> Result<(), AppError> {
    if !node.config.directory.enabled() {
        return Err(AppError::NotFound("this node runs no directory".into()));
    }
    if session.account.is_organiser() || session.account.is_node_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the directory's organisers can do this".into(),
        ))
    }
}

fn rows(list: Vec<(String, String, String, i64)>) -> Vec<Row> {
    list.into_iter()
        .map(|(a, b, c, at)| (a, b, c, timestamp(at)))
        .collect()
}

async fn render(
    node: &Node,
    session: &Session,
    message: Option<String>,
) -> Result<Response, AppError> {
    let d = organiser::dashboard(node).await?;
    let suggestions = organiser::suggestions(node)
        .await?
        .into_iter()
        .map(|(actor, source, _)| (actor, source))
        .collect();
    let taken = subfeeds::list(node).await?;
    let sectors: Vec<&str> = Sector::ALL.iter().map(|s| s.as_str()).collect();
    let nations: Vec<&str> = Nation::ALL.iter().map(|n| n.as_str()).collect();
    let ui = Ui::new(node);
    let domain = node.domain();
    page(
        &OrganisePage {
            free_sectors: free(ui.lang, &sectors, &taken),
            free_nations: free(ui.lang, &nations, &taken),
            subfeeds: taken
                .into_iter()
                .map(|s| {
                    let name = ui.vocab(&s.value);
                    (
                        format!("@{}@{domain}", s.handle),
                        s.facet,
                        name,
                        s.followers,
                        s.handle,
                    )
                })
                .collect(),
            ui,
            csrf: session.csrf.clone(),
            message,
            listed: d.listed,
            joins: rows(d.joins),
            leaves: rows(d.leaves),
            failures: rows(d.refresh_failures),
            suggestions,
        },
        [],
    )
}

/// `GET /organise`.
pub async fn http_get_organise(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    require_organiser(&node, &session)?;
    render(&node, &session, None).await
}

#[derive(Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    switch: String,
}

/// The checks every organiser form passes first.
fn checked(node: &Node, session: &Session, form: &TargetForm) -> Result<(), AppError> {
    require_organiser(node, session)?;
    check_session_csrf(session, &form.csrf)
}

/// `POST /organise/add`: the directory follows the co-op; it is listed once it accepts.
pub async fn http_post_add(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<TargetForm>,
) -> Result<Response, AppError> {
    checked(&node, &session, &form)?;
    let f = consent::invite(&node, form.target.trim()).await?;
    let message = Ui::new(&node).f1("organise.invited", &f.target_id);
    render(&node, &session, Some(message)).await
}

/// `POST /organise/remove`: delists at once and stops following.
pub async fn http_post_remove(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<TargetForm>,
) -> Result<Response, AppError> {
    checked(&node, &session, &form)?;
    let id = consent::remove(&node, form.target.trim()).await?;
    let message = Ui::new(&node).f1("organise.removed", &id);
    render(&node, &session, Some(message)).await
}

/// `POST /organise/boost`: `switch` on or off.
pub async fn http_post_boost(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<TargetForm>,
) -> Result<Response, AppError> {
    checked(&node, &session, &form)?;
    let on = match form.switch.as_str() {
        "on" => true,
        "off" => false,
        other => {
            return Err(AppError::Invalid(format!(
                "switch: '{other}' is not one of on, off"
            )));
        }
    };
    let id = boost::set(&node, form.target.trim(), on).await?;
    let ui = Ui::new(&node);
    let message = ui.f1(
        if on {
            "organise.boosts_on"
        } else {
            "organise.boosts_off"
        },
        &id,
    );
    render(&node, &session, Some(message)).await
}

#[derive(Deserialize)]
pub struct SubfeedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    facet: String,
    #[serde(default)]
    value: String,
}

/// `POST /organise/subfeed`: creates the sub-actor of a sector or a nation.
pub async fn http_post_subfeed(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<SubfeedForm>,
) -> Result<Response, AppError> {
    require_organiser(&node, &session)?;
    check_session_csrf(&session, &form.csrf)?;
    let actor = subfeeds::create(&node, Slice::parse(&form.facet, &form.value)?).await?;
    let handle = format!("@{}@{}", actor.row.handle, node.domain());
    let message = Ui::new(&node).f2("organise.subfeed_created", handle, &actor.profile.name);
    render(&node, &session, Some(message)).await
}

#[derive(Deserialize)]
pub struct SubfeedDeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    handle: String,
}

/// `POST /organise/subfeed/delete`: deletes a sub-feed (its followers are sent a Delete).
pub async fn http_post_subfeed_delete(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<SubfeedDeleteForm>,
) -> Result<Response, AppError> {
    require_organiser(&node, &session)?;
    check_session_csrf(&session, &form.csrf)?;
    subfeeds::delete(&node, &form.handle).await?;
    let handle = format!("@{}@{}", form.handle, node.domain());
    let message = Ui::new(&node).f1("organise.subfeed_deleted", handle);
    render(&node, &session, Some(message)).await
}
