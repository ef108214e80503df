//! `/admin`: the node admin creates co-ops and invites their first member, blocks
//! domains (`domain_blocks.rs`) and reads reports.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::invites;
use crate::accounts::sessions::Session;
use crate::app::{AppState, Node};
use crate::content::coops;
use crate::content::profile::ProfileInput;
use crate::content::vocab::{Nation, Sector};
use crate::federation::objects::timestamp;
use crate::moderation::{domains, reports};
use crate::web::ui::Ui;

#[derive(Template)]
#[template(path = "accounts/admin.html")]
struct AdminPage {
    ui: Ui,
    csrf: String,
    coops: Vec<String>,
    link: Option<String>,
    nations: Vec<&'static str>,
    sectors: Vec<&'static str>,
    directory: bool,
    /// Blocked domains with when (RFC 3339).
    blocked: Vec<(String, String)>,
    reports: Vec<ReportView>,
}

/// A report as the page shows it (askama escapes every field).
struct ReportView {
    /// The Flag's id (what "dealt with" names).
    id: String,
    received: String,
    reporter: String,
    objects: Vec<String>,
    content: String,
}

/// The reports shown on the page, newest first.
const REPORTS_SHOWN: i64 = 50;

/// 403 unless the session is the node admin's.
pub(super) fn require_node_admin(session: &Session) -> Result<(), AppError> {
    if session.account.is_node_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the node admin can do this".into(),
        ))
    }
}

pub(super) async fn render(
    node: &Node,
    session: &Session,
    link: Option<String>,
) -> Result<Response, AppError> {
    let coops = coops::list(node)
        .await?
        .into_iter()
        .map(|c| c.row.handle)
        .collect();
    let blocked = domains::list(node)
        .await?
        .into_iter()
        .map(|b| (b.domain, timestamp(b.created_at)))
        .collect();
    let reports = reports::list(node, REPORTS_SHOWN, false)
        .await?
        .into_iter()
        .map(|r| ReportView {
            id: r.activity_id,
            received: timestamp(r.received_at),
            reporter: r.reporter,
            objects: r.objects,
            content: r.content,
        })
        .collect();
    page(
        &AdminPage {
            ui: Ui::new(node),
            csrf: session.csrf.clone(),
            coops,
            link,
            nations: Nation::ALL.iter().map(|n| n.as_str()).collect(),
            sectors: Sector::ALL.iter().map(|s| s.as_str()).collect(),
            directory: node.config.directory.enabled(),
            blocked,
            reports,
        },
        [],
    )
}

/// `GET /admin`.
pub async fn http_get_admin(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    require_node_admin(&session)?;
    render(&node, &session, None).await
}

#[derive(Deserialize)]
pub struct CoopForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    nation: String,
    #[serde(default)]
    sector: String,
}

/// `POST /admin/coops`: creates a co-op (the same operation as `mutual coop create`).
pub async fn http_post_coop(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<CoopForm>,
) -> Result<Response, AppError> {
    require_node_admin(&session)?;
    check_session_csrf(&session, &form.csrf)?;
    let input = ProfileInput {
        name: Some(form.name),
        nation: Some(form.nation).filter(|n| !n.is_empty()),
        sectors: vec![form.sector]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
        ..Default::default()
    };
    coops::create(&node, form.handle.trim(), &input).await?;
    Ok(see_other("/admin", []))
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    coop: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/invites`: an invitation link to a co-op, shown once.
pub async fn http_post_invite(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    require_node_admin(&session)?;
    check_session_csrf(&session, &form.csrf)?;
    let link =
        invites::invite_member(&node, Some(&session.account), form.coop.trim(), &form.role).await?;
    render(&node, &session, Some(link.to_string())).await
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/organisers`: an organiser invitation link (directory nodes), shown once.
pub async fn http_post_organiser(
    State(node): State<AppState>,
    SignedIn(session): SignedIn,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    require_node_admin(&session)?;
    check_session_csrf(&session, &form.csrf)?;
    let link = invites::invite_organiser(&node, &session.account).await?;
    render(&node, &session, Some(link.to_string())).await
}
