//! Every error message a person using the web pages can meet has a pattern in the catalogue
//! (`err.*`), so that the error page shows it in Welsh: some `err.*` pattern must match each
//! message the Rust sources give an `AppError` (`error_sources.rs`), and each field name
//! the shared helpers are given.

use super::error_sources::error_messages;
use super::errors::{PREFIX, Piece, matching, pieces};
use super::{CATALOGUES, Lang};

/// Sources only peers, the CLI or start-up can reach: their messages need no Welsh.
const PEER_OR_CLI_ONLY: &[&str] = &[
    "src/federation/",
    "src/delivery/",
    "src/cli/",
    "src/config.rs",
    "src/db/",
];

/// Messages of web-reachable modules that stay English on purpose, with why.
const LEFT_IN_ENGLISH: &[(&str, &str)] = &[
    // The rest is axum's own English description of a malformed multipart form.
    ("src/web/accounts/mod.rs", "form: {0}"),
    // The helper itself: its callers' messages are checked with its "image: " prefix.
    ("src/content/media.rs", "image: {0}"),
];

/// One character of a pattern: a literal one, or the start of a value (any one character,
/// then any more).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    Any,
    Star,
}

fn tokens(pattern: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for piece in pieces(pattern) {
        match piece {
            Piece::Text(t) => out.extend(t.chars().map(Token::Char)),
            Piece::Slot(_) => out.extend([Token::Any, Token::Star]),
        }
    }
    out
}

/// Whether the catalogue pattern `b` covers the source pattern `a` when the source's values
/// may spell out some of the pattern's literal text (a field name given to a shared helper),
/// while the pattern's placeholders catch only the source's values, never its literal text.
fn overlap(a: &[Token], b: &[Token]) -> bool {
    let mut seen = vec![vec![false; b.len() + 1]; a.len() + 1];
    let mut todo = vec![(0, 0)];
    while let Some((i, j)) = todo.pop() {
        if std::mem::replace(&mut seen[i][j], true) {
            continue;
        }
        if i == a.len() && j == b.len() {
            return true;
        }
        if a.get(i) == Some(&Token::Star) {
            todo.push((i + 1, j));
        }
        if b.get(j) == Some(&Token::Star) {
            todo.push((i, j + 1));
        }
        if let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
            let same = match (x, y) {
                (Token::Char(p), Token::Char(q)) => p == q,
                (Token::Char(_), _) => false,
                _ => true,
            };
            let next = (
                i + usize::from(x != Token::Star),
                j + usize::from(y != Token::Star),
            );
            if same && next != (i, j) {
                todo.push(next);
            }
        }
    }
    false
}

/// Whether a catalogue pattern covers the source's message.
fn covered(source: &str, patterns: &[Vec<Token>]) -> bool {
    // Each value as a character no literal text has: the catalogue's own matcher first…
    let sample: String = pieces(source)
        .iter()
        .map(|p| match p {
            Piece::Text(t) => *t,
            Piece::Slot(_) => "\u{1}",
        })
        .collect();
    matching(&sample).is_some() || {
        // …else a value that a pattern spells out (a field name given to a helper).
        let wanted = tokens(source);
        patterns.iter().any(|p| overlap(&wanted, p))
    }
}

#[test]
fn every_error_message_of_the_web_pages_has_a_welsh_pattern() {
    let en = CATALOGUES.get("en").unwrap();
    let patterns: Vec<Vec<Token>> = en
        .iter()
        .filter(|(k, _)| k.starts_with(PREFIX))
        .map(|(_, v)| tokens(v))
        .collect();
    let found = error_messages(PEER_OR_CLI_ONLY);
    assert!(found.len() > 100, "only {} messages found", found.len());
    let mut missing: Vec<String> = found
        .iter()
        .filter(|(file, m)| !LEFT_IN_ENGLISH.contains(&(file.as_str(), m.as_str())))
        .filter(|(_, m)| !covered(m, &patterns))
        .map(|(file, m)| format!("{file}: {m}"))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "error messages with no err.* pattern in locales/en.txt:\n{}",
        missing.join("\n")
    );
    for (file, message) in LEFT_IN_ENGLISH {
        assert!(
            found.iter().any(|(f, m)| f == file && m == message),
            "{file} no longer says {message:?}: take it off LEFT_IN_ENGLISH"
        );
    }
}

#[test]
fn messages_built_outside_a_literal_call_have_welsh_too() {
    for message in [
        crate::AppError::TooLarge.to_string().as_str(),
        crate::accounts::sessions::LOGIN_FAILED,
        "internal server error",
    ] {
        assert!(
            super::translate_detail(Lang::Cy, message).is_some(),
            "{message}"
        );
    }
}

#[test]
fn each_error_pattern_numbers_its_placeholders_once_from_zero_and_says_something() {
    let en = CATALOGUES.get("en").unwrap();
    let mut seen = std::collections::HashMap::new();
    for (key, text) in en.iter().filter(|(k, _)| k.starts_with(PREFIX)) {
        let mut slots = Vec::new();
        let mut literal = 0;
        for piece in pieces(text) {
            match piece {
                Piece::Slot(n) => slots.push(n),
                Piece::Text(t) => literal += t.trim().chars().count(),
            }
        }
        let mut sorted = slots.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            (0..slots.len()).collect::<Vec<_>>(),
            "{key}: {text}"
        );
        assert!(literal >= 8, "{key}: too little literal text to match on");
        if let Some(other) = seen.insert(*text, *key) {
            panic!("{key} and {other} are the same English text");
        }
    }
}

/// The helpers shared by several fields put the field's name in a value: each name they
/// are given has its own pattern (reading the sources cannot tell which names they get).
#[test]
fn shared_helpers_have_welsh_for_every_field_they_name() {
    use crate::content::profile::{Profile, ProfileInput};
    use crate::content::vocab::{LegalForm, MembershipType, Nation, Region, Sector};
    let mut messages = vec![
        Sector::parse("opera").unwrap_err().to_string(),
        Nation::parse("mercia").unwrap_err().to_string(),
        Region::parse("wessex").unwrap_err().to_string(),
        LegalForm::parse("guild").unwrap_err().to_string(),
        MembershipType::parse("patrons").unwrap_err().to_string(),
    ];
    let params = std::collections::HashMap::from([
        ("page".to_string(), "two".to_string()),
        ("per_page".to_string(), "ten".to_string()),
    ]);
    for name in ["page", "per_page"] {
        let e = crate::web::directory::int_param(&params, name).unwrap_err();
        messages.push(e.to_string());
    }
    let profile = Profile::create(&ProfileInput {
        name: Some("Reel".into()),
        nation: Some("wales".into()),
        sectors: vec!["film".into()],
        ..Default::default()
    })
    .unwrap();
    let fields: [fn(&mut ProfileInput, String); 3] = [
        |i, v| i.registrar = Some(v),
        |i, v| i.registered_number = Some(v),
        |i, v| i.locality = Some(v),
    ];
    for set in fields {
        for value in ["x".repeat(101), "a\u{7}b".to_string()] {
            let mut input = ProfileInput::default();
            set(&mut input, value);
            messages.push(profile.apply(&input).unwrap_err().to_string());
        }
    }
    // The post a reply, a boost or a like names (content::conversations::post_and_author).
    for field in ["in-reply-to", "url"] {
        messages.push(format!("{field}: 'x' is not a URL"));
        messages.push(format!("{field}: no story at http://h/x"));
        messages.push(format!("{field}: http://h/x is not a post"));
    }
    for message in messages {
        let welsh = super::translate_detail(Lang::Cy, &message);
        assert!(welsh.is_some(), "no Welsh for {message:?}");
    }
}

#[test]
fn a_source_value_may_spell_out_a_field_but_a_pattern_never_swallows_source_text() {
    assert!(overlap(
        &tokens("{0}: '{1}' is not {2}"),
        &tokens("members: '{0}' is not a whole number")
    ));
    assert!(!overlap(&tokens("title: {0}"), &tokens("body: {0}")));
    assert!(!overlap(
        &tokens("sub-feed: @{0} already exists"),
        &tokens("{0} is not the author of {1}")
    ));
}
