//! Times in the log: RFC 3339 text, kept as milliseconds since the Unix epoch (UTC).

use conv_api_definitions::calendar::{civil_from_days, days_from_civil};
use serde::{de, Deserialize, Deserializer};

/// An instant, in whole milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(i64);

const MILLIS_PER_DAY: i64 = 86_400_000;

impl Timestamp {
    /// Parses RFC 3339 such as `2024-05-01T12:00:00.123Z` (any fraction, `Z` or an offset).
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        let shape = || format!("`{text}` is not an RFC 3339 time such as `2024-05-01T12:00:00.123Z`");
        let (date_time, zone) = split_zone(text).ok_or_else(shape)?;
        let (seconds_part, millis) = split_fraction(date_time).ok_or_else(shape)?;
        let [year, month, day, hour, minute, second] = fields(seconds_part).ok_or_else(shape)?;
        let days = days_from_civil(year, month, day);
        if civil_from_days(days) != (year, month, day) {
            return Err(format!("`{text}` has no such date: {year:04}-{month:02}-{day:02}"));
        }
        // a leap second (`23:59:60`, RFC 3339 allows it) is shown as the last
        // millisecond of its minute, so that times stay in order
        if hour > 23 || minute > 59 || second > 60 || zone.abs() >= 24 * 60 {
            return Err(format!("`{text}` has a time of day or offset out of range"));
        }
        let (second, millis) = if second == 60 { (59, 999) } else { (second, millis) };
        let of_day = (hour * 3600 + minute * 60 + second) * 1000 + millis;
        Ok(Timestamp(days * MILLIS_PER_DAY + of_day - zone * 60_000))
    }

    /// The UTC date, such as `2024-05-01`.
    pub fn date(self) -> String {
        let (year, month, day) = civil_from_days(self.0.div_euclid(MILLIS_PER_DAY));
        format!("{year:04}-{month:02}-{day:02}")
    }

    /// The UTC time of day with milliseconds, such as `12:00:00.123`.
    pub fn time_of_day(self) -> String {
        let millis = self.0.rem_euclid(MILLIS_PER_DAY);
        let (seconds, millis) = (millis / 1000, millis % 1000);
        format!("{:02}:{:02}:{:02}.{millis:03}", seconds / 3600, seconds % 3600 / 60, seconds % 60)
    }

    /// Milliseconds from `earlier` to this instant (negative when it is before).
    pub fn millis_since(self, earlier: Timestamp) -> i64 {
        self.0 - earlier.0
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(de::Error::custom)
    }
}

/// The text before the zone, and the zone's offset east of UTC in minutes.
fn split_zone(text: &str) -> Option<(&str, i64)> {
    if let Some(rest) = text.strip_suffix(['Z', 'z']) {
        return Some((rest, 0));
    }
    let split = text.len().checked_sub(6)?;
    let (rest, zone) = (text.get(..split)?, text.get(split..)?.as_bytes());
    let sign = match zone[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours = digits(zone.get(1..3)?)?;
    let minutes = digits(zone.get(4..6)?)?;
    // `+00:99` is no offset: out of range, as `+24:00` is
    let minutes = if minutes > 59 { 24 * 60 } else { minutes };
    (zone[3] == b':').then_some((rest, sign * (hours * 60 + minutes)))
}

/// The text before the fraction of a second, and the fraction in whole milliseconds.
fn split_fraction(text: &str) -> Option<(&str, i64)> {
    let Some((seconds, fraction)) = text.split_once('.') else {
        return Some((text, 0));
    };
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis = fraction.bytes().chain(std::iter::repeat(b'0')).take(3).fold(0, |n, b| n * 10 + i64::from(b - b'0'));
    Some((seconds, millis))
}

/// Year, month, day, hour, minute and second of `YYYY-MM-DDTHH:MM:SS`.
fn fields(text: &str) -> Option<[i64; 6]> {
    let bytes = text.as_bytes();
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    let shaped = bytes.len() == 19
        && separators.iter().all(|&(at, separator)| bytes[at] == separator)
        && matches!(bytes[10], b'T' | b't' | b' ');
    if !shaped {
        return None;
    }
    let ranges = [0..4, 5..7, 8..10, 11..13, 14..16, 17..19];
    let mut values = [0; 6];
    for (value, range) in values.iter_mut().zip(ranges) {
        *value = digits(&bytes[range])?;
    }
    Some(values)
}

/// The value of ASCII decimal digits; `None` if one is not a digit.
fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0, |n, &b| b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0')))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn parse(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    #[test]
    fn reads_the_runtime_form() {
        let time = parse("2024-05-01T12:34:56.789Z");
        assert_eq!((time.date().as_str(), time.time_of_day().as_str()), ("2024-05-01", "12:34:56.789"));
        assert_eq!(parse("1970-01-01T00:00:00.000Z"), Timestamp(0));
        assert_eq!(parse("2023-11-14T22:13:20.000Z"), Timestamp(1_700_000_000_000));
        assert_eq!(parse("2000-02-29T00:00:00.250Z"), Timestamp(951_782_400_250));
    }

    #[test]
    fn fractions_and_offsets() {
        assert_eq!(parse("2024-05-01T12:00:00Z"), parse("2024-05-01T12:00:00.000Z"));
        assert_eq!(parse("2024-05-01T12:00:00.1Z").millis_since(parse("2024-05-01T12:00:00Z")), 100);
        assert_eq!(parse("2024-05-01T12:00:00.123999z"), parse("2024-05-01T12:00:00.123Z"));
        assert_eq!(parse("2024-05-01T14:30:00+02:30"), parse("2024-05-01T12:00:00Z"));
        let late = parse("2024-12-31T23:00:00-01:00");
        assert_eq!((late.date().as_str(), late.time_of_day().as_str()), ("2025-01-01", "00:00:00.000"));
    }

    #[test]
    fn before_the_epoch_still_reads_as_a_date() {
        let time = parse("1969-12-31T23:59:59.500Z");
        assert_eq!(time.millis_since(Timestamp(0)), -500);
        assert_eq!((time.date().as_str(), time.time_of_day().as_str()), ("1969-12-31", "23:59:59.500"));
    }

    #[test]
    fn rejects_other_shapes_and_impossible_dates() {
        for text in
            ["", "yesterday", "2024-05-01", "2024-05-01T12:00:00", "2024-05-01T12:00:00.Z", "2024-5-01T12:00:00Z"]
        {
            let error = Timestamp::parse(text).unwrap_err();
            assert!(error.contains("is not an RFC 3339 time"), "{text}: {error}");
        }
        assert!(Timestamp::parse("2023-02-29T00:00:00Z").unwrap_err().contains("no such date: 2023-02-29"));
        assert!(Timestamp::parse("2024-05-01T24:00:00Z").unwrap_err().contains("out of range"));
        assert!(Timestamp::parse("2024-05-01T12:00:00+24:00").unwrap_err().contains("out of range"));
        assert!(Timestamp::parse("2024-05-01T12:00:00+00:99").unwrap_err().contains("out of range"));
        assert!(Timestamp::parse("2024-05-01T12:00:61Z").unwrap_err().contains("out of range"));
    }

    #[test]
    fn a_leap_second_reads_as_the_end_of_its_minute() {
        assert_eq!(parse("2016-12-31T23:59:60Z").time_of_day(), "23:59:59.999");
    }

    /// Days from 1970-01-01 to the first of `month` in `year`, counted a month at a time.
    fn days_counted(year: i64, month: i64) -> i64 {
        let leap = |year: i64| (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let month_days = |year, month| match month {
            2 if leap(year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let (mut days, mut at) = (0, (1970, 1));
        while at < (year, month) {
            days += month_days(at.0, at.1);
            at = if at.1 == 12 { (at.0 + 1, 1) } else { (at.0, at.1 + 1) };
        }
        while at > (year, month) {
            at = if at.1 == 1 { (at.0 - 1, 12) } else { (at.0, at.1 - 1) };
            days -= month_days(at.0, at.1);
        }
        days
    }

    proptest! {
        /// Any time of years 0001 to 9998, with any offset, is the instant a month-by-month
        /// count of days gives, and its UTC date and time read back as written.
        #[test]
        fn any_time_is_the_instant_a_calendar_count_gives(
            year in 1i64..=9998,
            month in 1i64..=12,
            day in 1i64..=28,
            millis in 0..MILLIS_PER_DAY,
            offset in -(24 * 60 - 1)..24 * 60i64,
        ) {
            let utc = Timestamp((days_counted(year, month) + day - 1) * MILLIS_PER_DAY + millis);
            let written = format!("{}T{}Z", utc.date(), utc.time_of_day());
            prop_assert_eq!(&written[..10], format!("{year:04}-{month:02}-{day:02}"));
            prop_assert_eq!(Timestamp::parse(&written), Ok(utc));
            let local = Timestamp(utc.0 + offset * 60_000);
            let sign = if offset < 0 { '-' } else { '+' };
            let zone = format!("{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60);
            let with_offset = format!("{}T{}{zone}", local.date(), local.time_of_day());
            prop_assert_eq!(Timestamp::parse(&with_offset), Ok(utc), "{}", with_offset);
        }

        #[test]
        fn any_text_is_read_or_refused_with_its_reason(text in "[0-9Tt:.Zz+ -]{0,32}|\\PC{0,32}") {
            if let Err(error) = Timestamp::parse(&text) {
                prop_assert!(error.starts_with(&format!("`{text}`")), "{}", error);
            }
        }
    }
}
