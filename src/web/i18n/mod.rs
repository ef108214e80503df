//! The interface's languages: English and Welsh (Cymraeg). Every string people read on a
//! page comes from the message catalogues in `locales/` (`key = text` lines, `{0}`, `{1}`
//! for values), built into the binary. The language of a request is the `mutual_lang`
//! cookie set by the switcher, else the best of `Accept-Language`, else English.

mod errors;
mod request;

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;

pub use errors::translate_detail;
pub use request::{
    LANG_COOKIE, current, current_node, current_path, http_get_language, with_language,
};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Cy,
}

impl Lang {
    /// Every language, English first (the fallback).
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Cy];

    /// The BCP 47 code, as in `<html lang>` and `contentMap`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    /// The language named in its own language, for the switcher.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
        }
    }

    /// A code (`en`, `cy`, `cy-GB`, any case) as a language of ours.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best of our languages for an `Accept-Language` header (highest q; on a tie the
    /// one listed first), or None when it names neither.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l)
    }

    /// The message of `key`; English when this language lacks it, the key itself when
    /// no catalogue has it (the catalogue tests make both impossible for shipped keys).
    pub fn t(self, key: &str) -> &'static str {
        CATALOGUES
            .get(&self.code())
            .and_then(|c| c.get(key))
            .or_else(|| CATALOGUES.get("en").and_then(|c| c.get(key)))
            .copied()
            .unwrap_or_else(|| {
                tracing::warn!("no message for key {key}");
                ""
            })
    }

    /// The message of `key` with `{0}`, `{1}`, … replaced by `values`, in one pass (a
    /// value that itself holds `{1}` is shown as it is).
    pub fn format(self, key: &str, values: &[&dyn Display]) -> String {
        let values: Vec<String> = values.iter().map(ToString::to_string).collect();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        errors::fill(self.t(key), &values)
    }

    /// `key.one` for 1, else `key.other`, with `{0}` the number.
    pub fn count(self, key: &str, n: i64) -> String {
        let which = if n == 1 { "one" } else { "other" };
        self.format(&format!("{key}.{which}"), &[&n])
    }

    /// The people's name of a vocabulary value (sector, nation, region, …, story kind).
    pub fn vocab(self, value: &str) -> &'static str {
        self.t(&format!("vocab.{value}"))
    }

    /// An RFC 3339 time as a date people read: "4 December 2026", "4 Rhagfyr 2026".
    pub fn date(self, rfc3339: &str) -> String {
        match chrono::DateTime::parse_from_rfc3339(rfc3339) {
            Ok(t) => {
                use chrono::Datelike;
                let month = self.t(&format!("month.{}", t.month()));
                format!("{} {month} {}", t.day(), t.year())
            }
            Err(_) => rfc3339.to_string(),
        }
    }
}

/// The catalogue files, by language code.
const SOURCES: [(&str, &str); 2] = [
    ("en", include_str!("../../../locales/en.txt")),
    ("cy", include_str!("../../../locales/cy.txt")),
];

static CATALOGUES: LazyLock<HashMap<&'static str, HashMap<&'static str, &'static str>>> =
    LazyLock::new(|| {
        SOURCES
            .iter()
            .map(|(code, text)| (*code, parse(text)))
            .collect()
    });

/// `key = text` lines; blank lines and lines starting with `#` are skipped.
fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

#[cfg(test)]
mod error_coverage;
#[cfg(test)]
mod error_sources;
#[cfg(test)]
mod tests;
