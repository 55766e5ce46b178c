//! Where a program objective stands against its target.
//!
//! Cumulative metrics (the share of mentees who completed two goals) grow through the cohort, so
//! before the objective's date they are judged against the part of the target due by now (the
//! target times the share of the time from the cohort's start to the date that has passed). Rates
//! (meetings per month, satisfaction) and skill growth (measured at the end) are judged against
//! the whole target. After the date, the target was met or missed.

use crate::domain::metrics::types::Standing;
use crate::domain::program::types::Metric;

/// Whether a metric accumulates over the cohort.
pub fn cumulative(metric: Metric) -> bool {
    matches!(metric, Metric::MenteesCompletingTwoGoals)
}

/// The unit a metric's value is shown in.
pub fn unit(metric: Metric) -> &'static str {
    match metric {
        Metric::MenteesCompletingTwoGoals | Metric::PairsMeetingTwiceMonthly => "%",
        Metric::MeanSkillGrowth => " points",
        Metric::SurveySatisfaction => " / 5",
    }
}

/// A value to one decimal, with its unit.
pub fn shown(value: f64, metric: Metric) -> String {
    let v = (value * 10.0).round() / 10.0;
    let text = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") };
    format!("{text}{}", unit(metric))
}

/// Where `value` stands against `target` on day `today`, for a cohort that started on `start`,
/// with the objective due on `due`; and why, in a sentence.
pub fn standing(
    metric: Metric,
    value: Option<f64>,
    target: f64,
    start: i64,
    due: i64,
    today: i64,
) -> (Standing, String) {
    let Some(value) = value else {
        let why = match metric {
            Metric::MeanSkillGrowth => "Measured once mentees have both a start and an end assessment.",
            Metric::SurveySatisfaction => {
                "Shown once at least 5 answers to satisfaction or mentor-effectiveness questions came in."
            }
            _ => "No pairs to measure yet.",
        };
        return (Standing::NoData, why.into());
    };
    let target_text = shown(target, metric);
    if today > due {
        return if value >= target {
            (Standing::Met, format!("Target {target_text} reached by the date."))
        } else {
            (Standing::Missed, format!("Below the target of {target_text} at the date."))
        };
    }
    if value >= target {
        return (Standing::OnTrack, format!("At or above the target of {target_text}."));
    }
    if cumulative(metric) && due > start {
        let elapsed = ((today - start) as f64 / (due - start) as f64).clamp(0.0, 1.0);
        let expected = target * elapsed;
        if value >= expected {
            return (
                Standing::OnTrack,
                format!("Expected about {} by now; target {target_text}.", shown(expected, metric)),
            );
        }
        return (Standing::AtRisk, format!("Expected about {} by now; target {target_text}.", shown(expected, metric)));
    }
    (Standing::AtRisk, format!("Below the target of {target_text}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standings() {
        let m = Metric::MenteesCompletingTwoGoals;
        // Half-way through, a target of 60 % expects 30 % by now.
        assert_eq!(standing(m, Some(35.0), 60.0, 0, 100, 50).0, Standing::OnTrack);
        let (s, why) = standing(m, Some(25.0), 60.0, 0, 100, 50);
        assert_eq!((s, why.as_str()), (Standing::AtRisk, "Expected about 30% by now; target 60%."));
        assert_eq!(standing(m, Some(60.0), 60.0, 0, 100, 101).0, Standing::Met);
        assert_eq!(standing(m, Some(59.9), 60.0, 0, 100, 101).0, Standing::Missed);
        assert_eq!(standing(m, None, 60.0, 0, 100, 50).0, Standing::NoData);
        // A rate is judged against the whole target before the date.
        let r = Metric::SurveySatisfaction;
        assert_eq!(standing(r, Some(4.1), 4.0, 0, 100, 10).0, Standing::OnTrack);
        assert_eq!(standing(r, Some(3.9), 4.0, 0, 100, 10).0, Standing::AtRisk);
        assert_eq!(standing(r, Some(3.9), 4.0, 0, 100, 100).0, Standing::AtRisk, "due today still counts");
        assert_eq!(shown(4.25, r), "4.3 / 5");
        assert_eq!(shown(1.0, Metric::MeanSkillGrowth), "1 points");
    }
}
