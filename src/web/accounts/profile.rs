//! `/manage/{handle}/profile`: a co-op's admins edit every profile field in one form.
//! Saving calls `content::coops::edit` (as `mutual coop edit` does), which sends an
//! `Update` of the actor to the co-op's followers.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{SignedIn, check_session_csrf, page, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::app::AppState;
use crate::content::coops;
use crate::content::profile::{Profile, ProfileInput};
use crate::content::vocab::{LegalForm, MembershipType, Nation, Region, Sector};
use crate::web::ui::Ui;

/// A text field with its explanation.
struct TextField {
    name: &'static str,
    label: &'static str,
    help: &'static str,
    value: String,
}

/// A choice from a closed vocabulary.
struct Choice {
    name: &'static str,
    label: &'static str,
    help: &'static str,
    optional: bool,
    options: Vec<(&'static str, bool)>,
}

#[derive(Template)]
#[template(path = "accounts/profile.html")]
struct ProfilePage {
    ui: Ui,
    csrf: String,
    handle: String,
    texts: Vec<TextField>,
    choices: Vec<Choice>,
    sectors: Vec<(&'static str, bool)>,
    flags: Vec<(&'static str, &'static str, bool)>,
    /// (avatar | header, label, help, current URL).
    pictures: Vec<(&'static str, &'static str, &'static str, Option<String>)>,
}

fn choice<T: Copy + PartialEq>(
    (name, label, help): (&'static str, &'static str, &'static str),
    all: &[T],
    as_str: fn(T) -> &'static str,
    current: Option<T>,
    optional: bool,
) -> Choice {
    let options = all
        .iter()
        .map(|v| (as_str(*v), current == Some(*v)))
        .collect();
    Choice {
        name,
        label,
        help,
        optional,
        options,
    }
}

fn shown<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn text(name: &'static str, label: &'static str, help: &'static str, value: String) -> TextField {
    TextField {
        name,
        label,
        help,
        value,
    }
}

fn form_of(p: &Profile) -> (Vec<TextField>, Vec<Choice>) {
    let texts = vec![
        text("name", "pform.name", "pform.name.help", p.name.clone()),
        text(
            "summary",
            "pform.summary",
            "pform.summary.help",
            p.summary.clone(),
        ),
        text(
            "website",
            "pform.website",
            "pform.website.help",
            shown(&p.website),
        ),
        text(
            "locality",
            "pform.locality",
            "pform.locality.help",
            shown(&p.locality),
        ),
        text(
            "registrar",
            "pform.registrar",
            "pform.registrar.help",
            shown(&p.registrar),
        ),
        text(
            "registered_number",
            "pform.registered_number",
            "pform.registered_number.help",
            shown(&p.registered_number),
        ),
        text(
            "founded",
            "pform.founded",
            "pform.founded.help",
            shown(&p.founded),
        ),
        text(
            "members",
            "pform.members",
            "pform.members.help",
            shown(&p.members),
        ),
        text(
            "latitude",
            "pform.latitude",
            "pform.latitude.help",
            shown(&p.latitude),
        ),
        text(
            "longitude",
            "pform.longitude",
            "pform.longitude.help",
            shown(&p.longitude),
        ),
    ];
    let choices = vec![
        choice(
            ("nation", "pform.nation", "pform.nation.help"),
            Nation::ALL,
            Nation::as_str,
            Some(p.nation),
            false,
        ),
        choice(
            ("region", "pform.region", "pform.region.help"),
            Region::ALL,
            Region::as_str,
            p.region,
            true,
        ),
        choice(
            ("legal_form", "pform.legal_form", "pform.legal_form.help"),
            LegalForm::ALL,
            LegalForm::as_str,
            p.legal_form,
            true,
        ),
        choice(
            (
                "membership_type",
                "pform.membership_type",
                "pform.membership_type.help",
            ),
            MembershipType::ALL,
            MembershipType::as_str,
            p.membership_type,
            true,
        ),
    ];
    (texts, choices)
}

fn picture_url(
    node: &crate::app::Node,
    picture: &Option<crate::db::media::MediaRow>,
) -> Option<String> {
    picture
        .as_ref()
        .map(|m| crate::content::media::url(&node.base, &m.hash, &m.content_type).to_string())
}

/// `GET /manage/{handle}/profile` (the co-op's admins).
pub async fn http_get_profile(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    members::require_admin(&node, &session.account, coop.row.id).await?;
    let p = &coop.profile;
    let (texts, choices) = form_of(p);
    page(
        &ProfilePage {
            ui: Ui::new(&node),
            csrf: session.csrf.clone(),
            handle: coop.row.handle.clone(),
            texts,
            choices,
            sectors: Sector::ALL
                .iter()
                .map(|s| (s.as_str(), p.sectors.contains(s)))
                .collect(),
            pictures: vec![
                (
                    "avatar",
                    "pform.avatar",
                    "pform.avatar.help",
                    picture_url(&node, &coop.avatar),
                ),
                (
                    "header",
                    "pform.header",
                    "pform.header.help",
                    picture_url(&node, &coop.header),
                ),
            ],
            flags: vec![
                ("discoverable", "pform.discoverable", p.discoverable),
                ("indexable", "pform.indexable", p.indexable),
                (
                    "manual_approval",
                    "pform.manual_approval",
                    p.manual_approval,
                ),
                (
                    "directory_boost",
                    "pform.directory_boost",
                    p.directory_boost,
                ),
                ("hide_following", "pform.hide_following", p.hide_following),
                ("public_network", "pform.public_network", p.public_network),
            ],
        },
        [],
    )
}

fn number<T: std::str::FromStr>(
    fields: &HashMap<String, Vec<String>>,
    name: &str,
    what: &str,
) -> Result<Option<T>, AppError> {
    match one(fields, name).map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| AppError::Invalid(format!("{name}: '{v}' is not {what}"))),
    }
}

fn one<'a>(fields: &'a HashMap<String, Vec<String>>, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(|v| v.first()).map(String::as_str)
}

/// The form's fields as a profile change: empty text or an empty number clears a field,
/// an unchecked box is off.
fn input_of(fields: &HashMap<String, Vec<String>>) -> Result<ProfileInput, AppError> {
    let text = |name: &str| Some(one(fields, name).unwrap_or_default().to_string());
    let flag = |name: &str| Some(one(fields, name) == Some("on"));
    let sectors = fields.get("sectors").cloned().unwrap_or_default();
    if sectors.is_empty() {
        return Err(AppError::Invalid("sector: at least one is required".into()));
    }
    Ok(ProfileInput {
        name: text("name"),
        summary: text("summary"),
        website: text("website"),
        legal_form: text("legal_form"),
        registrar: text("registrar"),
        registered_number: text("registered_number"),
        membership_type: text("membership_type"),
        sectors,
        nation: text("nation"),
        region: text("region"),
        locality: text("locality"),
        latitude: number(fields, "latitude", "a number")?,
        longitude: number(fields, "longitude", "a number")?,
        founded: number(fields, "founded", "a year")?,
        members: number(fields, "members", "a whole number")?,
        discoverable: flag("discoverable"),
        indexable: flag("indexable"),
        manual_approval: flag("manual_approval"),
        directory_boost: flag("directory_boost"),
        hide_following: flag("hide_following"),
        public_network: flag("public_network"),
        clear_numbers: true,
    })
}

/// A form body's fields; a name may repeat (the sector boxes).
pub fn fields_of(body: &str) -> HashMap<String, Vec<String>> {
    let mut fields: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(body.as_bytes()) {
        fields
            .entry(k.into_owned())
            .or_default()
            .push(v.into_owned());
    }
    fields
}

/// `POST /manage/{handle}/profile`: saves and sends the `Update`; a bad field is 422 with
/// its rule, and nothing is saved.
pub async fn http_post_profile(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
    body: String,
) -> Result<Response, AppError> {
    let fields = fields_of(&body);
    check_session_csrf(&session, one(&fields, "csrf").unwrap_or_default())?;
    let coop = coops::find(&node, &handle).await?;
    members::require_admin(&node, &session.account, coop.row.id).await?;
    coops::edit(&node, &coop.row.handle, &input_of(&fields)?).await?;
    Ok(see_other(
        &format!("/manage/{}/profile", coop.row.handle),
        [],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::{Lang, translate_detail};

    /// `number` puts the field's name in its message: each has its Welsh pattern.
    #[test]
    fn a_number_that_is_not_one_is_refused_in_welsh_too() {
        for name in ["latitude", "longitude", "founded", "members"] {
            let fields = fields_of(&format!("sectors=film&{name}=lots"));
            let message = input_of(&fields).unwrap_err().to_string();
            assert!(message.starts_with(name), "{message}");
            assert!(translate_detail(Lang::Cy, &message).is_some(), "{message}");
        }
    }
}
