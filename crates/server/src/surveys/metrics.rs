//! The numbers staff read from the surveys: CSAT % (share of 4-5 among CSAT answers), NPS
//! (% promoters 9-10 minus % detractors 0-6) and CES (mean effort, 1-7), per touchpoint and per
//! period. Counts are integers; each figure is given in tenths (rounded half away from zero),
//! so nothing is a float. `read_scores` reads finished responses' scale answers; the rest is
//! arithmetic over them.

use super::definitions::survey_named;
use super::read_value;
use crate::error::ApiResult;
use portico_api::{AnswerValue, QuestionKind, Touchpoint};
use sqlx::AnyPool;

/// Which scale a score is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Csat,
    Nps,
    Ces,
}

impl Scale {
    pub fn of(kind: &QuestionKind) -> Option<Self> {
        match kind {
            QuestionKind::Csat => Some(Self::Csat),
            QuestionKind::Nps => Some(Self::Nps),
            QuestionKind::Ces => Some(Self::Ces),
            _ => None,
        }
    }
}

/// One finished response's answer to its scale question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    pub touchpoint: Touchpoint,
    pub scale: Scale,
    pub score: u8,
    /// When the response was finished (unix seconds).
    pub at: i64,
}

/// `numerator / denominator` in tenths, rounded half away from zero; `None` without a
/// denominator.
fn tenths(numerator: i64, denominator: i64) -> Option<i64> {
    if denominator <= 0 {
        return None;
    }
    let scaled = numerator.abs() * 20 + denominator;
    let rounded = scaled / (2 * denominator);
    Some(if numerator < 0 { -rounded } else { rounded })
}

/// CSAT answers: how many, and how many were 4 or 5.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Csat {
    pub satisfied: u32,
    pub answers: u32,
}

impl Csat {
    /// The share of satisfied answers in tenths of a percent (0..=1000).
    pub fn percent_tenths(&self) -> Option<i64> {
        tenths(100 * i64::from(self.satisfied), i64::from(self.answers))
    }
}

/// NPS answers by group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nps {
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
}

impl Nps {
    pub fn answers(&self) -> u32 {
        self.promoters + self.passives + self.detractors
    }

    /// % promoters minus % detractors, in tenths (-1000..=1000).
    pub fn score_tenths(&self) -> Option<i64> {
        let lead = i64::from(self.promoters) - i64::from(self.detractors);
        tenths(100 * lead, i64::from(self.answers()))
    }
}

/// CES answers: how many and their sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ces {
    pub total: u64,
    pub answers: u32,
}

impl Ces {
    /// The mean effort in tenths (10..=70).
    pub fn mean_tenths(&self) -> Option<i64> {
        tenths(
            i64::try_from(self.total).unwrap_or(i64::MAX / 20),
            i64::from(self.answers),
        )
    }
}

/// Every figure over a set of scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub csat: Csat,
    pub nps: Nps,
    pub ces: Ces,
}

impl Figures {
    /// Counts one score (one out of its scale's range is not counted).
    pub fn count(&mut self, scale: Scale, score: u8) {
        match (scale, score) {
            (Scale::Csat, 1..=5) => {
                self.csat.answers += 1;
                self.csat.satisfied += u32::from(score >= 4);
            }
            (Scale::Nps, 0..=6) => self.nps.detractors += 1,
            (Scale::Nps, 7..=8) => self.nps.passives += 1,
            (Scale::Nps, 9..=10) => self.nps.promoters += 1,
            (Scale::Ces, 1..=7) => {
                self.ces.answers += 1;
                self.ces.total += u64::from(score);
            }
            _ => {}
        }
    }
}

/// The figures of `scores`.
pub fn figures<'a>(scores: impl IntoIterator<Item = &'a Scored>) -> Figures {
    let mut figures = Figures::default();
    for scored in scores {
        figures.count(scored.scale, scored.score);
    }
    figures
}

/// The figures of each touchpoint, in the contract's order.
pub fn by_touchpoint(scores: &[Scored]) -> Vec<(Touchpoint, Figures)> {
    Touchpoint::ALL
        .into_iter()
        .map(|t| (t, figures(scores.iter().filter(|s| s.touchpoint == t))))
        .collect()
}

/// How long a bucket of [`over_time`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Seven days from the start (or the end of the previous bucket).
    Week,
    /// Up to the next first of a month, midnight in China (UTC+8).
    Month,
}

/// The figures of one stretch of time: `starts <= at < ends`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub starts: i64,
    pub ends: i64,
    pub figures: Figures,
}

const CHINA: i64 = 8 * 3600;

/// The first instant of the month after the one `at` falls in, in China's calendar.
fn next_month(at: i64) -> i64 {
    let local = time::OffsetDateTime::from_unix_timestamp(at + CHINA)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let (year, month) = match local.month() {
        time::Month::December => (local.year() + 1, time::Month::January),
        month => (local.year(), month.next()),
    };
    time::Date::from_calendar_date(year, month, 1)
        .map(|date| date.midnight().assume_utc().unix_timestamp() - CHINA)
        .unwrap_or(i64::MAX)
}

/// The figures between `from` and `until`, period by period (the last bucket ends at `until`),
/// for one touchpoint or all.
pub fn over_time(
    scores: &[Scored],
    touchpoint: Option<Touchpoint>,
    from: i64,
    until: i64,
    period: Period,
) -> Vec<Bucket> {
    let mut buckets = Vec::new();
    let mut starts = from;
    while starts < until {
        let ends = match period {
            Period::Week => starts.saturating_add(7 * 24 * 3600),
            Period::Month => next_month(starts),
        }
        .min(until);
        let inside = scores.iter().filter(|s| {
            (starts..ends).contains(&s.at) && touchpoint.is_none_or(|t| s.touchpoint == t)
        });
        buckets.push(Bucket {
            starts,
            ends,
            figures: figures(inside),
        });
        starts = ends;
    }
    buckets
}

/// The scale answers of responses finished in `from..until`.
pub async fn read_scores(db: &AnyPool, from: i64, until: i64) -> ApiResult<Vec<Scored>> {
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT r.survey, r.finished_at, a.question, a.value FROM survey_responses r \
         JOIN survey_answers a ON a.response_id = r.id \
         WHERE r.finished_at >= $1 AND r.finished_at < $2",
    )
    .bind(from)
    .bind(until)
    .fetch_all(db)
    .await?;
    let mut scores = Vec::new();
    for (survey, at, question, value) in rows {
        let survey = survey_named(&survey).ok_or(crate::error::ApiError::Corrupt("a survey id"))?;
        let Some(first) = survey.questions.first().filter(|q| q.id == question) else {
            continue;
        };
        let (Some(scale), AnswerValue::Score(score)) =
            (Scale::of(&first.answer), read_value(&value)?)
        else {
            continue;
        };
        scores.push(Scored {
            touchpoint: survey.touchpoint,
            scale,
            score,
            at,
        });
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(touchpoint: Touchpoint, scale: Scale, score: u8, at: i64) -> Scored {
        Scored {
            touchpoint,
            scale,
            score,
            at,
        }
    }

    #[test]
    fn csat_is_the_share_of_fours_and_fives() {
        // 5, 4, 4, 3, 1, 2: three of six satisfied = 50.0 %.
        let scores: Vec<_> = [5, 4, 4, 3, 1, 2]
            .map(|s| scored(Touchpoint::Delivery, Scale::Csat, s, 0))
            .to_vec();
        let f = figures(&scores);
        assert_eq!(
            f.csat,
            Csat {
                satisfied: 3,
                answers: 6
            }
        );
        assert_eq!(f.csat.percent_tenths(), Some(500));
        // Two of three: 66.666... % is 66.7 %.
        let two_of_three = Csat {
            satisfied: 2,
            answers: 3,
        };
        assert_eq!(two_of_three.percent_tenths(), Some(667));
        // One of eight: 12.5 % exactly; 1 of 16: 6.25 % rounds up to 6.3 %.
        assert_eq!(
            Csat {
                satisfied: 1,
                answers: 8
            }
            .percent_tenths(),
            Some(125)
        );
        assert_eq!(
            Csat {
                satisfied: 1,
                answers: 16
            }
            .percent_tenths(),
            Some(63)
        );
        assert_eq!(Csat::default().percent_tenths(), None);
    }

    #[test]
    fn nps_is_promoters_minus_detractors() {
        // 10, 9, 9 promoters; 8, 7 passives; 6, 0 detractors: (3 - 2) / 7 = 14.2857 % -> 14.3.
        let scores: Vec<_> = [10, 9, 9, 8, 7, 6, 0]
            .map(|s| scored(Touchpoint::Support, Scale::Nps, s, 0))
            .to_vec();
        let nps = figures(&scores).nps;
        assert_eq!((nps.promoters, nps.passives, nps.detractors), (3, 2, 2));
        assert_eq!(nps.score_tenths(), Some(143));
        // More detractors: 1 promoter, 2 detractors of 3 = -33.333 % -> -33.3; 1 of 8 -> -12.5.
        let low = Nps {
            promoters: 1,
            passives: 0,
            detractors: 2,
        };
        assert_eq!(low.score_tenths(), Some(-333));
        let eighth = Nps {
            promoters: 0,
            passives: 7,
            detractors: 1,
        };
        assert_eq!(eighth.score_tenths(), Some(-125));
        // Rounded half away from zero both ways: -1/16 = -6.25 % -> -6.3.
        let sixteenth = Nps {
            promoters: 0,
            passives: 15,
            detractors: 1,
        };
        assert_eq!(sixteenth.score_tenths(), Some(-63));
        assert_eq!(
            Nps {
                promoters: 4,
                passives: 0,
                detractors: 0
            }
            .score_tenths(),
            Some(1000)
        );
    }

    #[test]
    fn ces_is_the_mean_effort() {
        // 7, 6, 5, 2: 20 / 4 = 5.0; 7, 6, 6: 19 / 3 = 6.333 -> 6.3; 1, 2 -> 1.5.
        let mean = |scores: &[u8]| {
            let s: Vec<_> = scores
                .iter()
                .map(|s| scored(Touchpoint::Return, Scale::Ces, *s, 0))
                .collect();
            figures(&s).ces.mean_tenths()
        };
        assert_eq!(mean(&[7, 6, 5, 2]), Some(50));
        assert_eq!(mean(&[7, 6, 6]), Some(63));
        assert_eq!(mean(&[1, 2]), Some(15));
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[8, 0]), None, "off the scale is not counted");
    }

    #[test]
    fn figures_split_by_touchpoint_and_period() {
        const DAY: i64 = 24 * 3600;
        // 2026-01-01 00:00 in China.
        let start = 1_767_196_800;
        let scores = [
            scored(Touchpoint::Delivery, Scale::Csat, 5, start + DAY),
            scored(Touchpoint::Delivery, Scale::Csat, 2, start + 8 * DAY),
            scored(Touchpoint::Support, Scale::Nps, 10, start + 9 * DAY),
            scored(Touchpoint::Return, Scale::Ces, 6, start + 40 * DAY),
        ];
        let by = by_touchpoint(&scores);
        assert_eq!(by[0].0, Touchpoint::Delivery);
        assert_eq!(
            by[0].1.csat,
            Csat {
                satisfied: 1,
                answers: 2
            }
        );
        assert_eq!(by[2].1.nps.promoters, 1);
        let weeks = over_time(
            &scores,
            Some(Touchpoint::Delivery),
            start,
            start + 14 * DAY,
            Period::Week,
        );
        assert_eq!(weeks.len(), 2);
        assert_eq!((weeks[0].starts, weeks[0].ends), (start, start + 7 * DAY));
        assert_eq!(weeks[0].figures.csat.percent_tenths(), Some(1000));
        assert_eq!(weeks[1].figures.csat.percent_tenths(), Some(0));
        assert_eq!(weeks[1].figures.nps.answers(), 0, "one touchpoint only");
        // January has 31 days; the second bucket is February up to `until`.
        let months = over_time(&scores, None, start, start + 45 * DAY, Period::Month);
        assert_eq!(months.len(), 2);
        assert_eq!(months[0].ends, start + 31 * DAY);
        assert_eq!(months[1].ends, start + 45 * DAY);
        assert_eq!(months[0].figures.nps.answers(), 1);
        assert_eq!(months[1].figures.ces.mean_tenths(), Some(60));
        // December rolls over to January of the next year.
        assert_eq!(next_month(start - DAY), start);
    }
}
