//! The controlled vocabularies of a co-op profile. Each is a closed list, so the directory
//! can facet on exact values, and every bad value gets an error listing the allowed ones.

use crate::AppError;

/// Defines a closed vocabulary: an enum with its wire strings and a checked parser.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $field:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in documented order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as written in the CLI, the database and the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses a value, naming the field and the allowed values on failure.
            pub fn parse(value: &str) -> Result<Self, AppError> {
                let wanted = value.trim().to_ascii_lowercase();
                Self::ALL.iter().copied().find(|v| v.as_str() == wanted).ok_or_else(|| {
                    let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    AppError::Invalid(format!(
                        "{}: '{}' is not one of {}", $field, value, allowed.join(", ")
                    ))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// The legal form a co-op is registered as.
    LegalForm, "legal-form", {
        Society => "society", Company => "company", Cic => "cic", Cio => "cio", Llp => "llp",
        Unincorporated => "unincorporated", Other => "other",
    }
);

vocabulary!(
    /// Who the members of a co-op are.
    MembershipType, "membership-type", {
        Workers => "workers", Freelancers => "freelancers", MultiStakeholder => "multi-stakeholder",
        Consumers => "consumers", Community => "community",
    }
);

vocabulary!(
    /// The art forms a co-op works in.
    Sector, "sector", {
        Film => "film", Music => "music", Theatre => "theatre", VisualArts => "visual-arts",
        Design => "design", Publishing => "publishing", Games => "games", Photography => "photography",
        Dance => "dance", Crafts => "crafts", Heritage => "heritage", Festivals => "festivals",
        Media => "media", Education => "education", Other => "other",
    }
);

vocabulary!(
    /// The four nations of the UK.
    Nation, "nation", {
        England => "england", Scotland => "scotland", Wales => "wales", NorthernIreland => "northern-ireland",
    }
);

vocabulary!(
    /// England's nine ITL1 regions (the other nations are each their own ITL1 region).
    Region, "region", {
        NorthEast => "north-east", NorthWest => "north-west", YorkshireAndTheHumber => "yorkshire-and-the-humber",
        EastMidlands => "east-midlands", WestMidlands => "west-midlands", EastOfEngland => "east-of-england",
        London => "london", SouthEast => "south-east", SouthWest => "south-west",
    }
);

/// The name people read for a vocabulary value: "east-of-england" → "East of England",
/// "cic" → "CIC", "visual-arts" → "Visual arts".
pub fn display_name(value: &str) -> String {
    const SPECIAL: &[(&str, &str)] = &[
        ("cic", "CIC"),
        ("cio", "CIO"),
        ("llp", "LLP"),
        ("north-east", "North East"),
        ("north-west", "North West"),
        ("yorkshire-and-the-humber", "Yorkshire and the Humber"),
        ("east-midlands", "East Midlands"),
        ("west-midlands", "West Midlands"),
        ("east-of-england", "East of England"),
        ("south-east", "South East"),
        ("south-west", "South West"),
        ("northern-ireland", "Northern Ireland"),
    ];
    if let Some((_, name)) = SPECIAL.iter().find(|(v, _)| *v == value) {
        return (*name).to_string();
    }
    let spaced = value.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Handles that co-ops may not take: the node's own actors and the directory's sub-actors.
pub fn is_reserved_handle(handle: &str) -> bool {
    const RESERVED: &[&str] = &[
        "directory",
        "instance",
        "actor",
        "admin",
        "administrator",
        "root",
        "mutual",
        "www",
        "api",
        "inbox",
        "outbox",
        "support",
        "help",
        "about",
        "static",
        "tags",
        "coops",
    ];
    RESERVED.contains(&handle)
        || Sector::parse(handle).is_ok()
        || Nation::parse(handle).is_ok()
        || Region::parse(handle).is_ok()
}

/// Checks a handle: 1–30 of a-z, 0-9, '-' and '_', not reserved.
pub fn check_handle(handle: &str) -> Result<(), AppError> {
    let ok_chars = handle
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if handle.is_empty() || handle.len() > 30 || !ok_chars {
        return Err(AppError::Invalid(format!(
            "handle: '{handle}' must be 1-30 characters of a-z, 0-9, '-' and '_'"
        )));
    }
    if is_reserved_handle(handle) {
        return Err(AppError::Invalid(format!("handle: '{handle}' is reserved")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_sector_names_the_allowed_values() {
        let err = Sector::parse("opera").unwrap_err().to_string();
        assert!(
            err.starts_with("sector: 'opera' is not one of film, music"),
            "{err}"
        );
    }

    #[test]
    fn values_parse_case_insensitively() {
        assert_eq!(
            Nation::parse("Northern-Ireland").unwrap(),
            Nation::NorthernIreland
        );
    }

    #[test]
    fn display_names_keep_proper_nouns_and_acronyms() {
        assert_eq!(display_name("east-of-england"), "East of England");
        assert_eq!(display_name("northern-ireland"), "Northern Ireland");
        assert_eq!(display_name("cic"), "CIC");
        assert_eq!(display_name("visual-arts"), "Visual arts");
        assert_eq!(display_name("film"), "Film");
    }

    #[test]
    fn handles_follow_the_rules() {
        assert!(check_handle("blake-house").is_ok());
        assert!(check_handle("a_1").is_ok());
        for bad in [
            "",
            "Blake",
            "blake house",
            "x".repeat(31).as_str(),
            "directory",
            "film",
            "wales",
            "london",
            "admin",
        ] {
            assert!(check_handle(bad).is_err(), "{bad} should be refused");
        }
    }
}
