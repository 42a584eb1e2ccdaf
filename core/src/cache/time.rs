//! Cache timestamps: written as the AWS CLI writes them, read as leniently as any tool wrote them.
//!
//! The AWS CLI v2 writes `strftime('%Y-%m-%dT%H:%M:%SZ')` of a UTC time (sub-seconds dropped).
//! Other tools wrote RFC 3339 with offsets or fractions, and old botocore wrote `%Z`, which gave
//! `2019-11-14T04:05:45UTC`. Done by hand (days from civil, after Howard Hinnant) because a date
//! crate would add several crates to a core that must stay small.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: i64 = 86_400;

/// The earliest time written, `0001-01-01T00:00:00Z` (Python's `datetime.min`: botocore cannot
/// read year 0), in seconds from the Unix epoch.
const MIN_SECONDS: i64 = days_from_civil(1, 1, 1) * SECONDS_PER_DAY;

/// The latest time written, `9999-12-31T23:59:59Z`: the largest a four-digit year holds, and the
/// time a registration that never expires is written with.
pub(crate) const MAX_SECONDS: i64 =
    days_from_civil(9999, 12, 31) * SECONDS_PER_DAY + SECONDS_PER_DAY - 1;

/// Days from 1970-01-01 to the given proleptic Gregorian date (negative before it).
const fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (month as i64 + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date `days` after 1970-01-01: (year, month, day).
const fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

const fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

const fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whole seconds from the Unix epoch, rounded down (so 1969-12-31T23:59:59.5Z is -1).
fn epoch_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            -whole - i64::from(before.subsec_nanos() > 0)
        }
    }
}

/// The time `seconds` (and `nanos`) from the Unix epoch, if the platform can hold it.
fn from_epoch(seconds: i64, nanos: u32) -> Option<SystemTime> {
    let base = if seconds >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(seconds.unsigned_abs()))?
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(seconds.unsigned_abs()))?
    };
    base.checked_add(Duration::from_nanos(u64::from(nanos)))
}

/// `time` as the AWS CLI writes it, `YYYY-MM-DDTHH:MM:SSZ` in UTC, sub-seconds dropped.
///
/// Times outside years 0001 to 9999, which Python's `datetime` cannot hold, are written as the
/// nearest end of that range.
pub(crate) fn format(time: SystemTime) -> String {
    let seconds = epoch_seconds(time).clamp(MIN_SECONDS, MAX_SECONDS);
    let (year, month, day) = civil_from_days(seconds.div_euclid(SECONDS_PER_DAY));
    let of_day = seconds.rem_euclid(SECONDS_PER_DAY);
    let (hour, minute, second) = (of_day / 3600, of_day / 60 % 60, of_day % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// The time a registration that never expires is written with: `9999-12-31T23:59:59Z`.
pub(crate) fn never() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(MAX_SECONDS.unsigned_abs())
}

/// Why a timestamp could not be read; each says what it is, without repeating the text.
pub(crate) type Reason = &'static str;

const SHAPE: Reason = "is not of the form YYYY-MM-DDTHH:MM:SSZ";

/// Reads a timestamp: `YYYY-MM-DD`, `T`, `t` or a space, `HH:MM:SS`, optional fraction (`.` or
/// `,` and any number of digits; nanoseconds kept), then `Z`, `z`, `UTC` (any case, the legacy
/// botocore form) or an offset `+HH:MM`, `+HHMM`, `+HH` (or `-`), optionally after spaces.
pub(crate) fn parse(text: &str) -> Result<SystemTime, Reason> {
    let mut cursor = Cursor {
        rest: text.trim().as_bytes(),
    };
    let year = cursor.number(4)?;
    cursor.expect(b'-')?;
    let month = cursor.number(2)?;
    cursor.expect(b'-')?;
    let day = cursor.number(2)?;
    if !cursor.eat_any(b"Tt ") {
        return Err(SHAPE);
    }
    let hour = cursor.number(2)?;
    cursor.expect(b':')?;
    let minute = cursor.number(2)?;
    cursor.expect(b':')?;
    let second = cursor.number(2)?;
    let nanos = if cursor.eat_any(b".,") {
        cursor.fraction()?
    } else {
        0
    };
    let offset = cursor.zone()?;

    let year = i64::from(year);
    if !(1..=12).contains(&month) {
        return Err("has a month out of range");
    }
    if !(1..=days_in_month(year, month)).contains(&day) {
        return Err("has a day out of range for its month");
    }
    if hour > 23 {
        return Err("has an hour out of range");
    }
    if minute > 59 {
        return Err("has a minute out of range");
    }
    if second > 59 {
        return Err("has a second out of range");
    }
    let seconds = days_from_civil(year, month, day) * SECONDS_PER_DAY
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset;
    from_epoch(seconds, nanos).ok_or("is out of the range this platform can hold")
}

struct Cursor<'a> {
    rest: &'a [u8],
}

impl Cursor<'_> {
    /// Exactly `len` ASCII digits.
    fn number(&mut self, len: usize) -> Result<u32, Reason> {
        if self.rest.len() < len || !self.rest[..len].iter().all(u8::is_ascii_digit) {
            return Err(SHAPE);
        }
        let (digits, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    }

    fn eat_any(&mut self, set: &[u8]) -> bool {
        match self.rest.split_first() {
            Some((first, rest)) if set.contains(first) => {
                self.rest = rest;
                true
            }
            _ => false,
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), Reason> {
        if self.eat_any(&[byte]) {
            Ok(())
        } else {
            Err(SHAPE)
        }
    }

    /// One or more digits after the decimal sign, as nanoseconds (digits past the ninth dropped).
    fn fraction(&mut self) -> Result<u32, Reason> {
        let len = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return Err(SHAPE);
        }
        let (digits, rest) = self.rest.split_at(len);
        self.rest = rest;
        let nanos = digits
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(9)
            .fold(0, |n, d| n * 10 + u32::from(d - b'0'));
        Ok(nanos)
    }

    /// The zone, as seconds east of UTC; it must end the text.
    fn zone(&mut self) -> Result<i64, Reason> {
        while self.eat_any(b" ") {}
        let offset = match self.rest {
            [] => return Err("has no time zone"),
            [b'Z' | b'z'] => 0,
            zone if zone.eq_ignore_ascii_case(b"UTC") => 0,
            [sign @ (b'+' | b'-'), rest @ ..] => {
                self.rest = rest;
                let hours = self.number(2)?;
                let colon = self.eat_any(b":");
                let minutes = if colon || !self.rest.is_empty() {
                    self.number(2)?
                } else {
                    0
                };
                if !self.rest.is_empty() {
                    return Err(SHAPE);
                }
                if hours > 23 || minutes > 59 {
                    return Err("has an offset out of range");
                }
                let east = i64::from(hours * 3600 + minutes * 60);
                return Ok(if *sign == b'-' { -east } else { east });
            }
            _ => return Err(SHAPE),
        };
        self.rest = &[];
        Ok(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(seconds: i64) -> SystemTime {
        from_epoch(seconds, 0).unwrap()
    }

    #[test]
    fn civil_days_agree_with_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(1900, 1, 1), -25_567);
        assert_eq!(civil_from_days(-25_567), (1900, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        // python3 -c 'import calendar; print(calendar.timegm((9999,12,31,23,59,59)))'
        assert_eq!(MAX_SECONDS, 253_402_300_799);
        // python3 -c 'import datetime as d; print((d.date(1,1,1) - d.date(1970,1,1)).days - 366)'
        assert_eq!(MIN_SECONDS / SECONDS_PER_DAY, -719_162);
    }

    #[test]
    fn formats_as_the_aws_cli() {
        assert_eq!(format(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(format(at(1_700_000_000)), "2023-11-14T22:13:20Z");
        assert_eq!(
            format(at(1_700_000_000) + Duration::from_millis(999)),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(format(at(-1)), "1969-12-31T23:59:59Z");
        assert_eq!(
            format(UNIX_EPOCH - Duration::from_millis(1)),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(format(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(format(at(MAX_SECONDS)), "9999-12-31T23:59:59Z");
        assert_eq!(format(never()), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn out_of_range_times_are_written_as_the_nearest_end() {
        assert_eq!(format(at(MAX_SECONDS + 1)), "9999-12-31T23:59:59Z");
        assert_eq!(format(at(i64::MAX / 2)), "9999-12-31T23:59:59Z");
        assert_eq!(format(at(MIN_SECONDS)), "0001-01-01T00:00:00Z");
        assert_eq!(format(at(MIN_SECONDS - 1)), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn reads_every_form_tools_have_written() {
        let t = at(1_573_704_345); // 2019-11-14T04:05:45Z
        for text in [
            "2019-11-14T04:05:45Z",
            "2019-11-14t04:05:45z",
            "2019-11-14 04:05:45Z",
            "2019-11-14T04:05:45UTC",
            "2019-11-14T04:05:45utc",
            "2019-11-14T04:05:45 UTC",
            "2019-11-14T04:05:45+00:00",
            "2019-11-14T04:05:45-00:00",
            "2019-11-14T05:05:45+01:00",
            "2019-11-14T05:05:45+0100",
            "2019-11-14T05:05:45+01",
            "2019-11-13T20:05:45-08:00",
            "2019-11-13T20:05:45-0800",
            "2019-11-14T04:05:45.0Z",
            " 2019-11-14T04:05:45Z\n",
        ] {
            assert_eq!(parse(text), Ok(t), "{text}");
        }
        assert_eq!(
            parse("2019-11-14T04:05:45.5Z"),
            Ok(t + Duration::from_millis(500))
        );
        assert_eq!(
            parse("2019-11-14T04:05:45,123456Z"),
            Ok(t + Duration::from_micros(123_456))
        );
        assert_eq!(
            parse("2019-11-14T04:05:45.1234567891234Z"),
            Ok(t + Duration::from_nanos(123_456_789))
        );
        assert_eq!(
            parse("2019-11-14T04:05:45.000000001+00:00"),
            Ok(t + Duration::from_nanos(1))
        );
    }

    #[test]
    fn reads_the_edges_of_the_range() {
        assert_eq!(parse("1969-12-31T23:59:59Z"), Ok(at(-1)));
        assert_eq!(parse("1900-01-01T00:00:00Z"), Ok(at(-2_208_988_800)));
        assert_eq!(parse("9999-12-31T23:59:59Z"), Ok(at(MAX_SECONDS)));
        assert_eq!(
            parse("9999-12-31T23:59:59-23:59"),
            Ok(at(MAX_SECONDS + 86_340))
        );
        assert_eq!(parse("2000-02-29T00:00:00Z"), Ok(at(951_782_400)));
        assert!(parse("0000-01-01T00:00:00+23:59").is_ok());
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for (text, reason) in [
            ("", SHAPE),
            ("2019-11-14", SHAPE),
            ("2019-11-14T04:05Z", SHAPE),
            ("19-11-14T04:05:45Z", SHAPE),
            ("2019-11-14T04:05:45.Z", SHAPE),
            ("2019-11-14T04:05:45ZZ", SHAPE),
            ("2019-11-14T04:05:45+1", SHAPE),
            ("2019-11-14T04:05:45+01:0", SHAPE),
            ("2019-11-14T04:05:45+01:00:00", SHAPE),
            ("2019-11-14T04:05:45 PST", SHAPE),
            ("2019-11-14X04:05:45Z", SHAPE),
            ("2019-11-14T04:05:45", "has no time zone"),
            (
                "2019-02-30T00:00:00Z",
                "has a day out of range for its month",
            ),
            (
                "2019-02-29T00:00:00Z",
                "has a day out of range for its month",
            ),
            (
                "1900-02-29T00:00:00Z",
                "has a day out of range for its month",
            ),
            (
                "2019-04-31T00:00:00Z",
                "has a day out of range for its month",
            ),
            (
                "2019-01-00T00:00:00Z",
                "has a day out of range for its month",
            ),
            ("2019-13-01T00:00:00Z", "has a month out of range"),
            ("2019-00-01T00:00:00Z", "has a month out of range"),
            ("2019-11-14T24:00:00Z", "has an hour out of range"),
            ("2019-11-14T04:60:00Z", "has a minute out of range"),
            ("2019-11-14T04:05:60Z", "has a second out of range"),
            ("2019-11-14T04:05:45+24:00", "has an offset out of range"),
            ("2019-11-14T04:05:45+01:60", "has an offset out of range"),
            ("２０１９-11-14T04:05:45Z", SHAPE),
        ] {
            assert_eq!(parse(text), Err(reason), "{text}");
        }
    }

    proptest! {
        #[test]
        fn whole_seconds_round_trip(seconds in MIN_SECONDS..=MAX_SECONDS) {
            let time = at(seconds);
            prop_assert_eq!(parse(&format(time)), Ok(time));
        }

        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse(&text);
        }

        #[test]
        fn never_panics_near_the_shape(
            text in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?( ?(Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?))?"
        ) {
            if let Ok(time) = parse(&text) {
                // Whatever is read back is written as a valid timestamp.
                prop_assert!(parse(&format(time)).is_ok());
            }
        }
    }
}
