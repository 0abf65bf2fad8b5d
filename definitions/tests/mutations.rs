//! A seeded mutation fuzz of the diagnostics: the repository's valid definitions
//! files, copies of them with secrets written in, and the MOCKS.md example, each with
//! one or two slips a person makes. Whatever the slip, checking never panics, says
//! the same twice, points inside the file, and never shows a secret written in it.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use conv_api_definitions::{mocks, parse_bytes_with_recovery, parse_str, Definitions, Diagnostics};

/// Mutants made of each file.
const MUTANTS_PER_FILE: usize = 150;

/// Folders of valid definitions and mocks files, from the workspace root (a folder
/// that is not there, as in a packaged crate, is skipped).
const VALID_FILES: &[&str] = &[
    "examples/apis",
    "tests/fixtures",
    "definitions/tests/fixtures/good",
    "definitions/tests/fixtures/adk",
    "macros/tests/fixtures",
];

/// Secrets written where `password`, `value`, `client_secret` and `tls.client_key`
/// take a reference.
const SECRETS: [(&str, &str); 4] = [
    ("password", "Pw7qXz3kLm9rTb"),
    ("value", "Kv4sWn8jHd2yQe"),
    ("client_secret", "Cs5tRb1mGx6uZp"),
    ("client_key", "Ck8vHq2pWs6nLd"),
];

/// Text a person types by mistake, inserted anywhere.
const TYPED: &[&str] = &[":", "{", "}", "[", "]", "\"", "'", "#", ",", "-", " ", "\t", "\u{feff}", "\r", "\\", "é"];

/// A tiny deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The files to mutate, as (name, text, the definitions it mocks if mocks): the valid
/// files, and copies of the definitions with secrets written in; a mocks file
/// (`api_mocks:`) mocks the first definitions that accept it.
fn bases() -> Vec<(String, String, Option<Definitions>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    let mut files: Vec<(String, String)> = VALID_FILES
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap_or_else(|error| panic!("{dir}: {error}")))
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| (path.strip_prefix(root).unwrap().display().to_string(), std::fs::read_to_string(&path).unwrap()))
        .collect();
    let is_mocks = |text: &str| text.contains("\napi_mocks:");
    files.sort_by_key(|(name, text)| (is_mocks(text), name.clone()));
    let (mut bases, mut definitions) = (Vec::new(), Vec::new());
    for (name, text) in files {
        if is_mocks(&text) {
            let mocked = definitions.iter().find(|d| mocks::parse_str(&name, &text, d).is_ok());
            let mocked = mocked.unwrap_or_else(|| panic!("no definitions accept {name}")).clone();
            bases.push((name, text, Some(mocked)));
            continue;
        }
        definitions.push(parse_str(&name, &text).unwrap_or_else(|d| panic!("{name}:\n{d}")).definitions);
        let written = with_secrets_written(&text);
        if written != text {
            bases.push((format!("{name}, secrets written"), written, None));
        }
        bases.push((name, text, None));
    }
    bases
}

/// `text` with each secret setting's `{ secret: NAME }` replaced by a written secret.
fn with_secrets_written(text: &str) -> String {
    let mut out = text.to_string();
    for (setting, secret) in SECRETS {
        let reference = format!("{setting}: {{ secret: ");
        while let Some(at) = out.find(&reference) {
            let end = at + out[at..].find('}').expect("a closed reference") + 1;
            out.replace_range(at..end, &format!("{setting}: {secret}"));
        }
    }
    out
}

/// Whether `text` shows any 6 characters in a row of a written secret (a slip inside
/// a secret leaves 6 of them whole).
fn shows_a_secret(text: &str) -> bool {
    SECRETS.iter().any(|(_, secret)| (0..=secret.len() - 6).any(|at| text.contains(&secret[at..at + 6])))
}

/// `text` with one slip, and what it was. Half the slips of a file with a secret
/// written in are on a line that holds one.
fn slip(text: &str, rng: &mut Rng) -> (String, String) {
    let lines: Vec<&str> = text.split_inclusive('\n').chain(text.is_empty().then_some("")).collect();
    let secret_lines: Vec<usize> = (0..lines.len()).filter(|&j| shows_a_secret(lines[j])).collect();
    let j = match secret_lines.is_empty() || rng.below(2) == 0 {
        true => rng.below(lines.len()),
        false => *rng.pick(&secret_lines),
    };
    let (line, next) = (lines[j], lines.get(j + 1).copied().unwrap_or_default());
    let indent = line.len() - line.trim_start_matches(' ').len();
    let at = *rng.pick(&line.char_indices().map(|(at, _)| at).chain([line.len()]).collect::<Vec<_>>());
    let after = line[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let colons: Vec<usize> = line.match_indices(": ").map(|(at, _)| at + 1).collect();
    let no_space = colons.get(rng.below(colons.len().max(1))).map_or(line.len(), |&at| at);
    let unspaced = format!("{}{}", &line[..no_space], line[no_space..].trim_start());
    let (typed, glue) = (rng.pick(TYPED), rng.pick(&["", " "]));
    let joined = format!("{}{glue}{}", line.trim_end_matches('\n'), next.trim_start());
    // what the slip was, and what it writes in place of `line` and `next`
    let (what, written) = match rng.below(15) {
        0 => ("delete the line".to_string(), next.to_string()),
        1 => ("duplicate the line".into(), format!("{line}{line}{next}")),
        2 => ("swap the line with the next".into(), format!("{next}{line}")),
        3 | 4 => (format!("join the next line with {glue:?}"), joined),
        5 => ("indent one more space".into(), format!(" {line}{next}")),
        6 => ("indent one space less".into(), format!("{}{next}", line.strip_prefix(' ').unwrap_or(line))),
        7 => ("indent with tabs".into(), format!("{}{}{next}", "\t".repeat(indent.div_ceil(2)), &line[indent..])),
        8 => ("no space after a colon".into(), format!("{unspaced}{next}")),
        9 => ("end the line with CRLF".into(), format!("{}{next}", line.replace('\n', "\r\n"))),
        10 | 11 => (format!("delete the character at byte {at}"), format!("{}{}{next}", &line[..at], &line[after..])),
        12 | 13 => (format!("insert {typed:?} at byte {at}"), format!("{}{typed}{}{next}", &line[..at], &line[at..])),
        _ => {
            let (slip, mutant) = match rng.below(4) {
                0 => ("a byte order mark first", format!("\u{feff}{text}")),
                1 => ("every line ends with CRLF", text.replace('\n', "\r\n")),
                2 => ("every line ends with CR", text.replace('\n', "\r")),
                _ => ("every line doubled", text.replace('\n', "\n\n")),
            };
            return (mutant, slip.into());
        }
    };
    let rest = lines.get(j + 2..).unwrap_or_default().concat();
    (format!("{}{written}{rest}", lines[..j].concat()), format!("{what} of line {}", j + 1))
}

/// The diagnostics of `bytes`, read as definitions or as mocks of `mocks_of`.
fn diagnostics_of(bytes: &[u8], mocks_of: Option<&Definitions>) -> Diagnostics {
    match mocks_of {
        None => parse_bytes_with_recovery("apis.yaml", bytes).diagnostics,
        Some(definitions) => {
            mocks::parse_bytes("mocks.yaml", bytes, definitions).err().unwrap_or_else(|| Diagnostics::new("", vec![]))
        }
    }
}

/// The lines as YAML ends them (`\n`, `\r\n` or a `\r` alone); a first byte order mark
/// takes no column.
fn yaml_lines(text: &str) -> Vec<&str> {
    let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    while !rest.is_empty() {
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        lines.push(&rest[..end]);
        rest = rest[end..].strip_prefix("\r\n").or_else(|| rest.get(end + 1..)).unwrap_or_default();
    }
    lines
}

/// The invariants `bytes` breaks, each with what shows it.
fn broken_invariants(bytes: &[u8], mocks_of: Option<&Definitions>) -> Vec<(&'static str, String)> {
    let Ok(diagnostics) = catch_unwind(AssertUnwindSafe(|| diagnostics_of(bytes, mocks_of))) else {
        return vec![("no panic", String::new())];
    };
    let (rendered, mut broken) = (diagnostics.to_string(), Vec::new());
    let again = diagnostics_of(bytes, mocks_of).to_string();
    if again != rendered {
        broken.push(("the same output twice", format!("first:\n{rendered}\nthen:\n{again}")));
    }
    let text = String::from_utf8_lossy(bytes);
    let lines = yaml_lines(&text);
    for d in &diagnostics.items {
        let (line, column) = (d.span.line as usize, d.span.column as usize);
        let length = lines.get(line.wrapping_sub(1)).map_or(0, |l| l.chars().count());
        if line == 0 || line > lines.len().max(1) || column == 0 || column > length + 1 {
            broken.push(("a position inside the file", format!("{line}:{column}, lines: {}\n{rendered}", lines.len())));
        }
    }
    if shows_a_secret(&rendered) {
        broken.push(("no written secret shown", rendered));
    }
    broken
}

#[test]
fn mutants_of_valid_files_keep_the_invariants_of_diagnostics() {
    let started = std::time::Instant::now();
    let mut rng = Rng(0x5EED_C0DE_2024_0001);
    // per invariant broken, the mutant of fewest slips, then shortest, that breaks it:
    // (text, its slips, what shows it broken)
    let mut simplest: BTreeMap<&str, (String, String, String)> = BTreeMap::new();
    let mut count = 0;
    for (name, base, mocks_of) in bases() {
        for _ in 0..MUTANTS_PER_FILE {
            let (mut text, mut what) = slip(&base, &mut rng);
            if rng.below(4) == 0 {
                let (twice, second) = slip(&text, &mut rng);
                (text, what) = (twice, format!("{what}, then {second}"));
            }
            let mut bytes = text.into_bytes();
            if rng.below(40) == 0 {
                bytes.insert(rng.below(bytes.len() + 1), 0xFF);
                what.push_str(", then a byte that is not UTF-8");
            }
            count += 1;
            for (invariant, detail) in broken_invariants(&bytes, mocks_of.as_ref()) {
                let shown = String::from_utf8_lossy(&bytes).into_owned();
                let rank = |text: &str, what: &str| (what.matches(", then").count(), text.len());
                if simplest.get(invariant).is_none_or(|(t, w, _)| rank(&shown, &what) < rank(t, w)) {
                    simplest.insert(invariant, (shown, format!("{name}: {what}"), detail));
                }
            }
        }
    }
    println!("{count} mutants in {:?}", started.elapsed());
    let report: Vec<String> = simplest
        .iter()
        .map(|(invariant, (text, what, detail))| format!("=== broken: {invariant}\n--- {what}:\n{text}\n--- {detail}"))
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}
