//! The profile form's page: every field with its explanation, filled from the stored
//! profile, or from the fields just submitted when a save was refused (then with the rule
//! it broke beside the field, `FormErrors`).

use std::collections::HashMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::page;
use crate::AppError;
use crate::app::Node;
use crate::content::coops::Coop;
use crate::content::profile::Profile;
use crate::content::vocab::{LegalForm, MembershipType, Nation, Region, Sector};
use crate::web::form_errors::FormErrors;
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
    errors: FormErrors,
}

/// What the form shows: the stored profile, or the fields as they were submitted.
pub enum Shown<'a> {
    Stored(&'a Profile),
    Submitted(&'a HashMap<String, Vec<String>>),
}

fn shown<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl Shown<'_> {
    /// A text field's or a choice's value, as the form shows it ("" for none).
    fn value(&self, name: &str) -> String {
        let p = match self {
            Shown::Submitted(fields) => {
                return fields
                    .get(name)
                    .and_then(|v| v.first())
                    .cloned()
                    .unwrap_or_default();
            }
            Shown::Stored(p) => p,
        };
        match name {
            "name" => p.name.clone(),
            "summary" => p.summary.clone(),
            "website" => shown(&p.website),
            "locality" => shown(&p.locality),
            "registrar" => shown(&p.registrar),
            "registered_number" => shown(&p.registered_number),
            "founded" => shown(&p.founded),
            "members" => shown(&p.members),
            "latitude" => shown(&p.latitude),
            "longitude" => shown(&p.longitude),
            "nation" => p.nation.as_str().to_string(),
            "region" => shown(&p.region.map(Region::as_str)),
            "legal_form" => shown(&p.legal_form.map(LegalForm::as_str)),
            "membership_type" => shown(&p.membership_type.map(MembershipType::as_str)),
            _ => String::new(),
        }
    }

    /// Whether a setting's box is ticked.
    fn ticked(&self, name: &str) -> bool {
        let p = match self {
            Shown::Submitted(_) => return self.value(name) == "on",
            Shown::Stored(p) => p,
        };
        match name {
            "discoverable" => p.discoverable,
            "indexable" => p.indexable,
            "manual_approval" => p.manual_approval,
            "directory_boost" => p.directory_boost,
            "hide_following" => p.hide_following,
            "public_network" => p.public_network,
            _ => false,
        }
    }

    fn has_sector(&self, sector: Sector) -> bool {
        match self {
            Shown::Submitted(fields) => fields
                .get("sectors")
                .is_some_and(|v| v.iter().any(|s| s == sector.as_str())),
            Shown::Stored(p) => p.sectors.contains(&sector),
        }
    }
}

/// (name, label, help) of each text field, in the form's order.
const TEXTS: &[(&str, &str, &str)] = &[
    ("name", "pform.name", "pform.name.help"),
    ("summary", "pform.summary", "pform.summary.help"),
    ("website", "pform.website", "pform.website.help"),
    ("locality", "pform.locality", "pform.locality.help"),
    ("registrar", "pform.registrar", "pform.registrar.help"),
    (
        "registered_number",
        "pform.registered_number",
        "pform.registered_number.help",
    ),
    ("founded", "pform.founded", "pform.founded.help"),
    ("members", "pform.members", "pform.members.help"),
    ("latitude", "pform.latitude", "pform.latitude.help"),
    ("longitude", "pform.longitude", "pform.longitude.help"),
];

/// The settings' boxes: (name, label).
const FLAGS: &[(&str, &str)] = &[
    ("discoverable", "pform.discoverable"),
    ("indexable", "pform.indexable"),
    ("manual_approval", "pform.manual_approval"),
    ("directory_boost", "pform.directory_boost"),
    ("hide_following", "pform.hide_following"),
    ("public_network", "pform.public_network"),
];

/// The form's fields, by the name a rule's message starts with.
const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("summary", "summary"),
    ("website", "website"),
    ("locality", "locality"),
    ("registrar", "registrar"),
    ("registered_number", "registered_number"),
    ("founded", "founded"),
    ("members", "members"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
    ("nation", "nation"),
    ("region", "region"),
    ("legal_form", "legal_form"),
    ("membership_type", "membership_type"),
    ("sector", "sectors"),
    ("sectors", "sectors"),
];

fn choice(
    shown: &Shown,
    (name, label, help): (&'static str, &'static str, &'static str),
    all: Vec<&'static str>,
    optional: bool,
) -> Choice {
    let current = shown.value(name);
    Choice {
        name,
        label,
        help,
        optional,
        options: all.into_iter().map(|v| (v, v == current)).collect(),
    }
}

fn choices(shown: &Shown) -> Vec<Choice> {
    vec![
        choice(
            shown,
            ("nation", "pform.nation", "pform.nation.help"),
            Nation::ALL.iter().map(|v| v.as_str()).collect(),
            false,
        ),
        choice(
            shown,
            ("region", "pform.region", "pform.region.help"),
            Region::ALL.iter().map(|v| v.as_str()).collect(),
            true,
        ),
        choice(
            shown,
            ("legal_form", "pform.legal_form", "pform.legal_form.help"),
            LegalForm::ALL.iter().map(|v| v.as_str()).collect(),
            true,
        ),
        choice(
            shown,
            (
                "membership_type",
                "pform.membership_type",
                "pform.membership_type.help",
            ),
            MembershipType::ALL.iter().map(|v| v.as_str()).collect(),
            true,
        ),
    ]
}

fn picture_url(node: &Node, picture: &Option<crate::db::media::MediaRow>) -> Option<String> {
    picture
        .as_ref()
        .map(|m| crate::content::media::url(&node.base, &m.hash, &m.content_type).to_string())
}

/// The profile form of `coop`, showing `shown`, with `errors`.
pub fn show(
    node: &Node,
    csrf: &str,
    coop: &Coop,
    shown: Shown,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let texts = TEXTS
        .iter()
        .map(|(name, label, help)| TextField {
            name,
            label,
            help,
            value: shown.value(name),
        })
        .collect();
    page(
        &ProfilePage {
            ui: Ui::new(node),
            csrf: csrf.to_string(),
            handle: coop.row.handle.clone(),
            texts,
            choices: choices(&shown),
            sectors: Sector::ALL
                .iter()
                .map(|s| (s.as_str(), shown.has_sector(*s)))
                .collect(),
            pictures: vec![
                (
                    "avatar",
                    "pform.avatar",
                    "pform.avatar.help",
                    picture_url(node, &coop.avatar),
                ),
                (
                    "header",
                    "pform.header",
                    "pform.header.help",
                    picture_url(node, &coop.header),
                ),
            ],
            flags: FLAGS
                .iter()
                .map(|(name, label)| (*name, *label, shown.ticked(name)))
                .collect(),
            errors,
        },
        [],
    )
}

/// The form again, as submitted, after `error`: a broken rule (422) beside its field,
/// answered with 422; any other error as it is.
pub fn refused(
    node: &Node,
    csrf: &str,
    coop: &Coop,
    fields: &HashMap<String, Vec<String>>,
    error: AppError,
) -> Result<Response, AppError> {
    let errors = FormErrors::from_error(error, crate::web::i18n::current(), FIELDS)?;
    let mut response = show(node, csrf, coop, Shown::Submitted(fields), errors)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
