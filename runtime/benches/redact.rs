//! How long the last scan of a logged text takes with more known secrets.
//!
//! `cargo bench -p conv-api-runtime --bench redact` cleans a response's headers (a
//! 332-byte text, as a call logs one) with 1 to 1,024 known values, random as API
//! keys are, in rounds that take turns, and prints the median time per text and its
//! ratio to one known value, the common case. Then, with 1,024 values known, the time
//! adding a new value takes and the time of the first scan after it, which builds the
//! searcher of the values added since the settled searcher was (a thread of the
//! redactor's own builds that one, over every value, after every few new values).

use std::hint::black_box;
use std::time::{Duration, Instant};

use conv_api_runtime::{Redactor, SecretString};

const HEADERS: &str = "content-type:application/json; charset=utf-8\ncontent-length:27\n\
    date:Mon, 30 Nov 2026 01:00:00 GMT\nserver:gateway/1.2\nx-request-id:7f3c2a9e-5b1d-4c8e-9a6f-2d4b8c1e7a3f\n\
    x-ratelimit-limit:1000\nx-ratelimit-remaining:999\nx-ratelimit-reset:1764464400\ncache-control:no-store\n\
    strict-transport-security:max-age=31536000\nvary:accept-encoding\n";
const COUNTS: [usize; 6] = [1, 2, 3, 10, 100, 1024];
const TEXTS_PER_ROUND: usize = 20_000;
const ROUNDS: usize = 9;
/// The lengths of the values the searcher is built for: an API key's, and a long token's.
const BUILD_LENGTHS: [usize; 2] = [40, 1200];
/// Enough new values that several settled searchers are built meanwhile.
const BUILD_ROUNDS: usize = 45;
/// Long enough for the redactor's thread to build the settled searcher over the
/// values just added.
const SETTLING: Duration = Duration::from_millis(500);

fn main() {
    let redactors: Vec<Redactor> = COUNTS.iter().map(|&count| redactor_knowing(count)).collect();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); COUNTS.len()];
    for _ in 0..ROUNDS {
        for (redactor, times) in redactors.iter().zip(&mut times) {
            times.push(nanos_per_text(redactor));
        }
    }
    let medians: Vec<f64> = times.iter_mut().map(|times| median(times)).collect();
    println!("the last scan of a {}-byte logged text, median of {ROUNDS} rounds", HEADERS.len());
    for (count, median) in COUNTS.iter().zip(&medians) {
        println!("{count:5} known values: {median:7.0} ns a text, {:5.2}x one value's", median / medians[0]);
    }
    println!("a new value with 1,024 values known, median and slowest of {BUILD_ROUNDS}, one every 20 ms");
    let mut values = RandomValues::default();
    for length in BUILD_LENGTHS {
        let redactor = Redactor::new();
        for _ in 0..1023 {
            redactor.add_secret(&SecretString::from(values.next(length)));
        }
        std::thread::sleep(SETTLING);
        let (mut adding, mut scanning): (Vec<f64>, Vec<f64>) = (0..BUILD_ROUNDS)
            .map(|_| {
                std::thread::sleep(Duration::from_millis(20));
                let started = Instant::now();
                redactor.add_secret(&SecretString::from(values.next(length)));
                let added = started.elapsed().as_secs_f64() * 1e3;
                let started = Instant::now();
                black_box(redactor.text(black_box(HEADERS)));
                (added, started.elapsed().as_secs_f64() * 1e3)
            })
            .unzip();
        let slowest = |times: &[f64]| times.iter().copied().fold(0.0, f64::max);
        let (slowest_add, slowest_scan) = (slowest(&adding), slowest(&scanning));
        println!(
            "  values of {length:4} bytes: adding {:6.3} ms (slowest {slowest_add:6.3}), the first scan after {:6.3} ms (slowest {slowest_scan:6.3})",
            median(&mut adding),
            median(&mut scanning),
        );
    }
}

/// A redactor knowing `count` random 32-character values, its searcher built.
fn redactor_knowing(count: usize) -> Redactor {
    let redactor = Redactor::new();
    let mut values = RandomValues::default();
    for _ in 0..count {
        redactor.add_secret(&SecretString::from(values.next(32)));
    }
    std::thread::sleep(SETTLING);
    assert_eq!(redactor.text(HEADERS), HEADERS, "no value is in the text");
    redactor
}

/// Random letters and digits, as API keys are: xorshift, random enough that values
/// start with any character.
struct RandomValues(u64);

impl Default for RandomValues {
    fn default() -> Self {
        RandomValues(0x9E37_79B9_7F4A_7C15)
    }
}

impl RandomValues {
    fn next(&mut self, length: usize) -> String {
        (0..length)
            .map(|_| {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(self.0 % 62) as usize])
            })
            .collect()
    }
}

fn nanos_per_text(redactor: &Redactor) -> f64 {
    let started = Instant::now();
    for _ in 0..TEXTS_PER_ROUND {
        black_box(redactor.text(black_box(HEADERS)));
    }
    started.elapsed().as_secs_f64() * 1e9 / TEXTS_PER_ROUND as f64
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
