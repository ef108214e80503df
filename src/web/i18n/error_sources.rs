//! The error messages in the Rust sources: each string literal given to an `AppError`
//! variant (directly, through `format!`, or through a module's message helper), as a
//! catalogue pattern with `{0}`, `{1}` where the code puts a value. Read by the test that
//! every message of the web pages has Welsh (`error_coverage.rs`).

use std::path::{Path, PathBuf};

use regex::Regex;

/// Calls that build an error from a message: (file, or "" for any, the call, the prefix
/// the call adds).
const CALLS: &[(&str, &str, &str)] = &[
    (
        "",
        r"AppError::(Invalid|BadRequest|Unauthorized|Forbidden|NotFound|Conflict|Gone|TooManyRequests)\(",
        "",
    ),
    ("", r"\bconflict_or\(", ""),
    ("src/content/profile.rs", r"\binvalid\(", ""),
    ("src/content/media.rs", r"\brefuse\(", "image: "),
];

/// The text of the Rust string literal starting at `text[0] == '"'`, and its length.
fn string_literal(text: &str) -> (String, usize) {
    let mut out = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return (out, at + 1),
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('\n') => while chars.next_if(|(_, w)| w.is_whitespace()).is_some() {},
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    (out, text.len())
}

/// The text of a call's arguments, from just after its `(` to its `)`.
fn arguments(text: &str) -> &str {
    let mut depth = 0;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        match c {
            '"' => {
                at += string_literal(&text[at..]).1;
                continue;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return &text[..at],
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        at += c.len_utf8();
    }
    text
}

/// A `format!` string as a catalogue pattern: each `{…}` becomes `{0}`, `{1}`, …
fn as_pattern(format: &str) -> String {
    let hole = Regex::new(r"\{\{|\}\}|\{[^{}]*\}").unwrap();
    let mut n = 0;
    hole.replace_all(format, |c: &regex::Captures| match &c[0] {
        "{{" => "{".to_string(),
        "}}" => "}".to_string(),
        _ => {
            n += 1;
            format!("{{{}}}", n - 1)
        }
    })
    .into_owned()
}

/// The messages a call's arguments hold: a leading literal, and the literal of each
/// `format!` in them (both branches of an `if`, say).
fn messages(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let trimmed = args.trim_start_matches(|c: char| c.is_whitespace() || c == '&');
    if trimmed.starts_with('"') {
        out.push(string_literal(trimmed).0);
    }
    for (at, _) in args.match_indices("format!(") {
        let rest = args[at + "format!(".len()..].trim_start();
        if rest.starts_with('"') {
            out.push(as_pattern(&string_literal(rest).0));
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every (file, message pattern) the sources give to an error, but for the files whose path
/// starts with one of `skipped`.
pub(super) fn error_messages(skipped: &[&str]) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let calls: Vec<(&str, Regex, &str)> = CALLS
        .iter()
        .map(|(file, call, prefix)| (*file, Regex::new(call).unwrap(), *prefix))
        .collect();
    let mut found = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let test_only = ["tests.rs", "error_coverage.rs", "error_sources.rs"]
            .iter()
            .any(|t| name.ends_with(t));
        if test_only || skipped.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (file, call, prefix) in &calls {
            if !file.is_empty() && *file != name {
                continue;
            }
            for m in call.find_iter(code) {
                for message in messages(arguments(&code[m.end()..])) {
                    found.push((name.clone(), format!("{prefix}{message}")));
                }
            }
        }
    }
    found
}

#[test]
fn the_scanner_reads_literals_formats_and_both_branches() {
    assert_eq!(
        as_pattern("{name}: '{}' is {{x}} {v:?}"),
        "{0}: '{1}' is {x} {2}"
    );
    let args = r#"if k { format!("a: @{h} exists") } else { format!("b: '{h}' taken") }) + 1"#;
    assert_eq!(
        messages(arguments(args)),
        vec!["a: @{0} exists", "b: '{0}' taken"]
    );
    let args = "\"title: must be \\\n        1 \\\"to\\\" 200\".into())";
    assert_eq!(
        messages(arguments(args)),
        vec!["title: must be 1 \"to\" 200"]
    );
}
