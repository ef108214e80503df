//! The catalogues are complete: every key has a Welsh message that is not the English one
//! (unless it is a proper noun on the allow-list), the same placeholders in both, and every
//! key the templates and the code use exists.

use std::collections::BTreeSet;

use super::*;
use crate::content::vocab::{LegalForm, MembershipType, Nation, Region, Sector};

/// Keys whose Welsh is rightly the same as the English: names and abbreviations.
const SAME_IN_WELSH: &[&str] = &["brand.name", "data.csv", "data.json", "data.atom"];

fn catalogue(code: &str) -> &'static HashMap<&'static str, &'static str> {
    CATALOGUES.get(code).unwrap()
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"\{\d\}").unwrap();
    re.find_iter(text).map(|m| m.as_str().to_string()).collect()
}

#[test]
fn every_line_of_each_catalogue_is_a_message_and_no_key_repeats() {
    for (code, text) in SOURCES {
        let mut seen = BTreeSet::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line
                .split_once(" = ")
                .unwrap_or_else(|| panic!("{code}.txt line {}: no ' = ' in {line:?}", n + 1));
            assert!(!value.trim().is_empty(), "{code}.txt: {key} is empty");
            assert!(seen.insert(key.trim()), "{code}.txt: {key} appears twice");
        }
    }
}

#[test]
fn every_key_has_a_welsh_message_that_is_not_the_english_one() {
    let en = catalogue("en");
    let cy = catalogue("cy");
    let mut missing: Vec<&str> = en
        .keys()
        .filter(|k| !cy.contains_key(*k))
        .copied()
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "keys with no Welsh message: {missing:?}"
    );
    let mut extra: Vec<&str> = cy
        .keys()
        .filter(|k| !en.contains_key(*k))
        .copied()
        .collect();
    extra.sort();
    assert!(
        extra.is_empty(),
        "Welsh keys with no English message: {extra:?}"
    );
    let mut same: Vec<&str> = en
        .iter()
        .filter(|(k, v)| cy.get(*k) == Some(*v) && !SAME_IN_WELSH.contains(k))
        .map(|(k, _)| *k)
        .collect();
    same.sort();
    assert!(
        same.is_empty(),
        "Welsh messages identical to the English: {same:?}"
    );
    for (key, text) in en {
        assert_eq!(
            placeholders(text),
            placeholders(cy[key]),
            "{key}: the placeholders differ between English and Welsh"
        );
    }
}

#[test]
fn every_vocabulary_value_month_and_story_kind_has_a_name() {
    let mut values: Vec<&str> = Vec::new();
    values.extend(Sector::ALL.iter().map(|v| v.as_str()));
    values.extend(Nation::ALL.iter().map(|v| v.as_str()));
    values.extend(Region::ALL.iter().map(|v| v.as_str()));
    values.extend(MembershipType::ALL.iter().map(|v| v.as_str()));
    values.extend(LegalForm::ALL.iter().map(|v| v.as_str()));
    values.extend(crate::directory::index::STORY_KINDS.iter().copied());
    let en = catalogue("en");
    for v in values {
        assert!(
            en.contains_key(format!("vocab.{v}").as_str()),
            "no name for vocab.{v}"
        );
    }
    for key in [
        "role.admin",
        "role.member",
        "followers.state.pending",
        "followers.state.accepted",
        "followers.state.rejected",
        "pform.current.avatar",
        "pform.current.header",
        "pform.upload.avatar",
        "pform.upload.header",
    ] {
        assert!(en.contains_key(key), "no {key}");
    }
    for kind in crate::directory::index::STORY_KINDS {
        for prefix in ["stories.kind", "stories.heading"] {
            assert!(
                en.contains_key(format!("{prefix}.{kind}").as_str()),
                "no {prefix}.{kind}"
            );
        }
    }
    for kind in crate::federation::activities::create::POST_TYPES {
        let key = format!("timeline.kind.{kind}");
        assert!(en.contains_key(key.as_str()), "no {key}");
    }
    for m in 1..=12 {
        assert!(
            en.contains_key(format!("month.{m}").as_str()),
            "no month.{m}"
        );
    }
}

/// Every literal key in a call like `ui.t("key")`, `.count("key", n)` or `.format("key", …)`
/// in the templates and the web code.
#[test]
fn every_key_used_in_templates_and_code_exists() {
    let re = regex::Regex::new(r#"\.(t|f1|f2|f3|count|format)\(\s*"([a-z0-9_.-]+)""#).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["templates", "src/web"] {
        collect(&root.join(dir), &mut files);
    }
    let en = catalogue("en");
    // Keys kept in the code's tables (labels of the profile form, editor headings, …): any
    // string literal that starts with a catalogue's prefix and a dot.
    let prefixes: BTreeSet<&str> = en.keys().filter_map(|k| k.split('.').next()).collect();
    let literal = regex::Regex::new(r#""([a-z_]+)\.([a-z0-9_.-]+)""#).unwrap();
    let mut used = 0;
    for file in files.into_iter().filter(|f| !f.ends_with("i18n/tests.rs")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for c in re.captures_iter(&text) {
            let key = &c[2];
            used += 1;
            let keys: Vec<String> = if &c[1] == "count" {
                vec![format!("{key}.one"), format!("{key}.other")]
            } else {
                vec![key.to_string()]
            };
            for k in keys {
                assert!(
                    en.contains_key(k.as_str()),
                    "{}: no message {k}",
                    file.display()
                );
            }
        }
        if file.extension().is_some_and(|e| e == "rs") {
            for c in literal.captures_iter(&text) {
                let key = format!("{}.{}", &c[1], &c[2]);
                let file_name = [".html", ".css", ".js", ".json", ".csv", ".atom", ".txt"]
                    .iter()
                    .any(|e| key.ends_with(e));
                if prefixes.contains(&c[1]) && !key.ends_with('.') && !file_name {
                    assert!(
                        en.contains_key(key.as_str()),
                        "{}: no message {key}",
                        file.display()
                    );
                }
            }
        }
    }
    assert!(
        used > 100,
        "only {used} keys found: is the pattern still right?"
    );
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "html" || e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn accept_language_picks_the_best_of_english_and_welsh() {
    assert_eq!(Lang::from_accept_language("cy"), Some(Lang::Cy));
    assert_eq!(
        Lang::from_accept_language("cy-GB,cy;q=0.9,en;q=0.8"),
        Some(Lang::Cy)
    );
    assert_eq!(
        Lang::from_accept_language("en-GB,en;q=0.9,cy;q=0.8"),
        Some(Lang::En)
    );
    assert_eq!(
        Lang::from_accept_language("fr, cy;q=0.5, en;q=0.4"),
        Some(Lang::Cy)
    );
    assert_eq!(
        Lang::from_accept_language("cy;q=0, en;q=0.1"),
        Some(Lang::En)
    );
    assert_eq!(Lang::from_accept_language("de, fr"), None);
    assert_eq!(Lang::from_accept_language(""), None);
}

#[test]
fn messages_fill_values_and_count() {
    assert_eq!(Lang::En.count("count.coops", 1), "1 co-op");
    assert_eq!(Lang::En.count("count.coops", 3), "3 co-ops");
    assert_eq!(Lang::Cy.vocab("wales"), "Cymru");
    assert_eq!(Lang::Cy.date("2026-12-04T10:00:00Z"), "4 Rhagfyr 2026");
    assert_eq!(Lang::En.date("2026-12-04T10:00:00Z"), "4 December 2026");
    // A value holding a placeholder is shown as typed, not filled in again.
    assert_eq!(
        Lang::En.format("pages.page_of", &[&"{1}", &7]),
        "Page {1} of 7"
    );
}
