//! Dates of the proleptic Gregorian calendar counted in days from 1970-01-01 (Howard
//! Hinnant's algorithms), for the log's RFC 3339 times, which the runtime writes and
//! the `conv-api` tool reads back.

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (negative before it).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date (year, month, day) `days` after 1970-01-01 (the inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_both_ways() {
        let known = [(0, (1970, 1, 1)), (-1, (1969, 12, 31)), (11_016, (2000, 2, 29)), (19_675, (2023, 11, 14))];
        for (days, date) in known {
            assert_eq!(civil_from_days(days), date, "{days} days");
            assert_eq!(days_from_civil(date.0, date.1, date.2), days, "{date:?}");
        }
        // a date that does not exist reads back as another one, which is how the tool tells
        assert_eq!(civil_from_days(days_from_civil(2023, 2, 29)), (2023, 3, 1));
    }
}
