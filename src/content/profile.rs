//! A co-op's structured profile: the validated form, the raw input it is built from, and
//! the conversions to and from stored columns.

use url::Url;

use super::vocab::{LegalForm, MembershipType, Nation, Region, Sector};
use crate::AppError;
use crate::db::coops::{CoopRow, ProfileColumns};

/// A validated profile. Every field has passed its rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: String,
    /// Markdown as written.
    pub summary: String,
    pub website: Option<Url>,
    pub legal_form: Option<LegalForm>,
    pub registrar: Option<String>,
    pub registered_number: Option<String>,
    pub membership_type: Option<MembershipType>,
    pub sectors: Vec<Sector>,
    pub nation: Nation,
    pub region: Option<Region>,
    pub locality: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub founded: Option<i64>,
    pub members: Option<i64>,
    pub discoverable: bool,
    pub indexable: bool,
    pub manual_approval: bool,
    /// Whether directories may boost this co-op's stories.
    pub directory_boost: bool,
    /// Whether its `following` collection shows only how many it follows.
    pub hide_following: bool,
    /// Whether its network timeline is a public page (`/coops/HANDLE/network`).
    pub public_network: bool,
}

/// Raw profile input, as the CLI or a form gives it. `None` leaves a field as it is; an
/// empty string clears an optional text field; a non-empty `sectors` replaces the set.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub name: Option<String>,
    pub summary: Option<String>,
    pub website: Option<String>,
    pub legal_form: Option<String>,
    pub registrar: Option<String>,
    pub registered_number: Option<String>,
    pub membership_type: Option<String>,
    pub sectors: Vec<String>,
    pub nation: Option<String>,
    pub region: Option<String>,
    pub locality: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub founded: Option<i64>,
    pub members: Option<i64>,
    pub discoverable: Option<bool>,
    pub indexable: Option<bool>,
    pub manual_approval: Option<bool>,
    pub directory_boost: Option<bool>,
    pub hide_following: Option<bool>,
    pub public_network: Option<bool>,
    /// Whether a `None` number (latitude, longitude, founded, members) clears the stored
    /// one (the web form, which always sends every number) rather than keeping it (the CLI).
    pub clear_numbers: bool,
}

fn invalid(message: String) -> AppError {
    AppError::Invalid(message)
}

/// Applies an optional text change: None keeps, "" clears, anything else is checked.
fn text(
    current: Option<String>,
    change: &Option<String>,
    field: &str,
    max: usize,
) -> Result<Option<String>, AppError> {
    match change.as_deref().map(str::trim) {
        None => Ok(current),
        Some("") => Ok(None),
        Some(v) if v.chars().count() > max => {
            Err(invalid(format!("{field}: at most {max} characters")))
        }
        Some(v) if v.chars().any(char::is_control) => Err(invalid(format!(
            "{field}: control characters are not allowed"
        ))),
        Some(v) => Ok(Some(v.to_string())),
    }
}

/// Applies an optional vocabulary change.
fn choice<T>(
    current: Option<T>,
    change: &Option<String>,
    parse: fn(&str) -> Result<T, AppError>,
) -> Result<Option<T>, AppError> {
    match change.as_deref().map(str::trim) {
        None => Ok(current),
        Some("") => Ok(None),
        Some(v) => parse(v).map(Some),
    }
}

impl Profile {
    /// Builds a new profile: name, nation and at least one sector are required.
    pub fn create(input: &ProfileInput) -> Result<Profile, AppError> {
        let name = input
            .name
            .clone()
            .ok_or_else(|| invalid("name: required".into()))?;
        let nation = input.nation.as_deref().ok_or_else(|| {
            invalid("nation: required (england, scotland, wales, northern-ireland)".into())
        })?;
        if input.sectors.is_empty() {
            return Err(invalid("sector: at least one is required".into()));
        }
        let blank = Profile {
            name,
            summary: String::new(),
            website: None,
            legal_form: None,
            registrar: None,
            registered_number: None,
            membership_type: None,
            sectors: Vec::new(),
            nation: Nation::parse(nation)?,
            region: None,
            locality: None,
            latitude: None,
            longitude: None,
            founded: None,
            members: None,
            discoverable: true,
            indexable: true,
            manual_approval: false,
            directory_boost: true,
            hide_following: false,
            public_network: false,
        };
        blank.apply(input)
    }

    /// Returns this profile with `input` applied and every rule checked.
    pub fn apply(&self, input: &ProfileInput) -> Result<Profile, AppError> {
        let name = match &input.name {
            Some(n) if n.trim().is_empty() => {
                return Err(invalid("name: must not be empty".into()));
            }
            Some(n) if n.trim().chars().count() > 100 => {
                return Err(invalid("name: at most 100 characters".into()));
            }
            Some(n) => n.trim().to_string(),
            None => self.name.clone(),
        };
        let summary = match &input.summary {
            Some(s) if s.chars().count() > 5000 => {
                return Err(invalid("summary: at most 5000 characters".into()));
            }
            Some(s) => s.trim().to_string(),
            None => self.summary.clone(),
        };
        let website = match input.website.as_deref().map(str::trim) {
            None => self.website.clone(),
            Some("") => None,
            Some(w) => Some(parse_website(w)?),
        };
        let mut sectors = self.sectors.clone();
        if !input.sectors.is_empty() {
            sectors = input
                .sectors
                .iter()
                .map(|s| Sector::parse(s))
                .collect::<Result<_, _>>()?;
            sectors.sort();
            sectors.dedup();
        }
        let nation = match &input.nation {
            Some(n) => Nation::parse(n)?,
            None => self.nation,
        };
        let mut region = choice(self.region, &input.region, Region::parse)?;
        if nation != Nation::England {
            if input
                .region
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty())
            {
                return Err(invalid(format!(
                    "region: only England has ITL1 regions; leave it out for {nation}"
                )));
            }
            region = None;
        }
        let keep = |given: Option<f64>, stored: Option<f64>| {
            if input.clear_numbers {
                given
            } else {
                given.or(stored)
            }
        };
        let latitude = keep(input.latitude, self.latitude);
        let longitude = keep(input.longitude, self.longitude);
        check_coordinates(latitude, longitude)?;
        let founded = if input.clear_numbers {
            input.founded
        } else {
            input.founded.or(self.founded)
        };
        let this_year = i64::from(chrono::Datelike::year(&chrono::Utc::now()));
        if let Some(year) = founded.filter(|y| !(1750..=this_year).contains(y)) {
            return Err(invalid(format!(
                "founded: {year} is not a year between 1750 and {this_year}"
            )));
        }
        let members = if input.clear_numbers {
            input.members
        } else {
            input.members.or(self.members)
        };
        if let Some(n) = members.filter(|n| !(1..=10_000_000).contains(n)) {
            return Err(invalid(format!(
                "members: {n} is not between 1 and 10000000"
            )));
        }
        let registered_number = text(
            self.registered_number.clone(),
            &input.registered_number,
            "registered-number",
            40,
        )?;
        if let Some(number) = &registered_number
            && !number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-' || c == '/')
        {
            return Err(invalid(
                "registered-number: only letters, digits, spaces, '-' and '/'".into(),
            ));
        }
        Ok(Profile {
            name,
            summary,
            website,
            legal_form: choice(self.legal_form, &input.legal_form, LegalForm::parse)?,
            registrar: text(self.registrar.clone(), &input.registrar, "registrar", 100)?,
            registered_number,
            membership_type: choice(
                self.membership_type,
                &input.membership_type,
                MembershipType::parse,
            )?,
            sectors,
            nation,
            region,
            locality: text(self.locality.clone(), &input.locality, "locality", 100)?,
            latitude: latitude.map(coarse),
            longitude: longitude.map(coarse),
            founded,
            members,
            discoverable: input.discoverable.unwrap_or(self.discoverable),
            indexable: input.indexable.unwrap_or(self.indexable),
            manual_approval: input.manual_approval.unwrap_or(self.manual_approval),
            directory_boost: input.directory_boost.unwrap_or(self.directory_boost),
            hide_following: input.hide_following.unwrap_or(self.hide_following),
            public_network: input.public_network.unwrap_or(self.public_network),
        })
    }

    /// Reads a profile back from its stored row and sectors. Stored values were validated
    /// on the way in; an unknown stored value (from a newer version) is dropped.
    pub fn from_row(row: &CoopRow, sectors: &[String]) -> Profile {
        // Sectors keep the documented order of the vocabulary, however they were stored.
        let mut sectors: Vec<Sector> = sectors
            .iter()
            .filter_map(|s| Sector::parse(s).ok())
            .collect();
        sectors.sort();
        Profile {
            name: row.name.clone(),
            summary: row.summary.clone(),
            website: row.website.as_deref().and_then(|w| Url::parse(w).ok()),
            legal_form: row
                .legal_form
                .as_deref()
                .and_then(|v| LegalForm::parse(v).ok()),
            registrar: row.registrar.clone(),
            registered_number: row.registered_number.clone(),
            membership_type: row
                .membership_type
                .as_deref()
                .and_then(|v| MembershipType::parse(v).ok()),
            sectors,
            nation: Nation::parse(&row.nation).unwrap_or(Nation::England),
            region: row.region.as_deref().and_then(|v| Region::parse(v).ok()),
            locality: row.locality.clone(),
            latitude: row.latitude,
            longitude: row.longitude,
            founded: row.founded,
            members: row.members,
            discoverable: crate::db::flag(row.discoverable),
            indexable: crate::db::flag(row.indexable),
            manual_approval: crate::db::flag(row.manual_approval),
            directory_boost: crate::db::flag(row.directory_boost),
            hide_following: crate::db::flag(row.hide_following),
            public_network: crate::db::flag(row.public_network),
        }
    }

    /// The stored columns of this profile.
    pub fn columns(&self) -> ProfileColumns<'_> {
        ProfileColumns {
            name: &self.name,
            summary: &self.summary,
            website: self.website.as_ref().map(Url::as_str),
            legal_form: self.legal_form.map(|v| v.as_str()),
            registrar: self.registrar.as_deref(),
            registered_number: self.registered_number.as_deref(),
            membership_type: self.membership_type.map(|v| v.as_str()),
            nation: self.nation.as_str(),
            region: self.region.map(|v| v.as_str()),
            locality: self.locality.as_deref(),
            latitude: self.latitude,
            longitude: self.longitude,
            founded: self.founded,
            members: self.members,
            discoverable: self.discoverable,
            indexable: self.indexable,
            manual_approval: self.manual_approval,
            directory_boost: self.directory_boost,
            hide_following: self.hide_following,
            public_network: self.public_network,
        }
    }
}

fn parse_website(text: &str) -> Result<Url, AppError> {
    let url = Url::parse(text)
        .map_err(|_| invalid(format!("website: '{text}' is not a URL (https://…)")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(format!(
            "website: '{text}' must be an http or https URL"
        )));
    }
    Ok(url)
}

/// Latitude and longitude come together, and within the UK and its waters.
fn check_coordinates(latitude: Option<f64>, longitude: Option<f64>) -> Result<(), AppError> {
    match (latitude, longitude) {
        (None, None) => Ok(()),
        (Some(lat), Some(lon)) if (49.0..=61.5).contains(&lat) && (-11.0..=2.5).contains(&lon) => {
            Ok(())
        }
        (Some(_), Some(_)) => Err(invalid(
            "latitude/longitude: must be in the UK (latitude 49 to 61.5, longitude -11 to 2.5)"
                .into(),
        )),
        _ => Err(invalid("latitude/longitude: give both or neither".into())),
    }
}

/// Coordinates are kept coarse: two decimal places, about a kilometre.
fn coarse(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
