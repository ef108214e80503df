//! `/manage/{handle}/profile`: a co-op's admins edit every profile field in one form.
//! Saving calls `content::coops::edit` (as `mutual coop edit` does), which sends an
//! `Update` of the actor to the co-op's followers.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;

use super::profile_form::{self, Shown};
use super::{SignedIn, check_session_csrf, see_other};
use crate::AppError;
use crate::accounts::members;
use crate::app::AppState;
use crate::content::coops;
use crate::content::profile::ProfileInput;
use crate::web::form_errors::FormErrors;

/// `GET /manage/{handle}/profile` (the co-op's admins).
pub async fn http_get_profile(
    State(node): State<AppState>,
    Path(handle): Path<String>,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let coop = coops::find(&node, &handle).await?;
    members::require_admin(&node, &session.account, coop.row.id).await?;
    let shown = Shown::Stored(&coop.profile);
    profile_form::show(&node, &session.csrf, &coop, shown, FormErrors::none())
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

/// `POST /manage/{handle}/profile`: saves and sends the `Update`; a bad field is 422, the
/// form shown again as submitted with the rule beside the field, and nothing is saved.
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
    let saved = match input_of(&fields) {
        Ok(input) => coops::edit(&node, &coop.row.handle, &input)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = saved {
        return profile_form::refused(&node, &session.csrf, &coop, &fields, e);
    }
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
