//! A rate limit as Torii states them and as callers name them: `200/min`, `5/s`. The client paces to it, the mock
//! enforces it.

use std::time::Duration;

/// How many requests may go out per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

/// Text that is not a rate; says what a rate looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not N/min, N/s or N/h (N at least 1)")]
pub struct NotARate(pub String);

impl Rate {
    pub fn per_minute(count: u32) -> Rate {
        Rate { count, per: Duration::from_secs(60) }
    }

    /// `N/min`, `N/s` or `N/h` (`N` a whole number of at least 1).
    pub fn parse(text: &str) -> Result<Rate, NotARate> {
        let refuse = || NotARate(text.to_string());
        let (count, unit) = text.split_once('/').ok_or_else(refuse)?;
        let count: u32 = count.trim().parse().ok().filter(|n| *n >= 1).ok_or_else(refuse)?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "min" | "m" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            _ => return Err(refuse()),
        };
        Ok(Rate { count, per })
    }

    /// Requests a second at this rate.
    pub fn per_second(&self) -> f64 {
        f64::from(self.count) / self.per.as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_count_over_unit() {
        assert_eq!(Rate::parse("200/min").unwrap(), Rate::per_minute(200));
        assert_eq!(Rate::parse(" 5 / s ").unwrap(), Rate { count: 5, per: Duration::from_secs(1) });
        assert_eq!(Rate::parse("1000/h").unwrap().per_second(), 1000.0 / 3600.0);
        for bad in ["", "0/min", "-1/s", "1.5/s", "5/week", "five/min", "5"] {
            assert_eq!(Rate::parse(bad), Err(NotARate(bad.to_string())), "{bad}");
        }
    }
}
