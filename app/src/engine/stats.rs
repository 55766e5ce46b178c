//! Descriptive statistics with 95 % intervals, for survey results and cohort retrospectives.
//!
//! Every figure comes as an [`Estimate`]: the value, the number of people behind it and a 95 %
//! interval. Small samples get honest intervals rather than none: Student's t for means (Welch's
//! for their differences), Wilson's score interval for proportions, Newcombe's hybrid score
//! interval for differences of proportions, and the adjusted Wald interval for the Net Promoter
//! Score. Where no interval exists (one value), its ends are NaN rather than a made-up zero width.

use serde::{Deserialize, Serialize};

/// The standard normal 97.5 % quantile: the z of a two-sided 95 % interval.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// A figure with the number of people behind it and its 95 % interval.
///
/// An interval end that does not exist (one value only) is NaN. JSON has no NaN, so non-finite
/// numbers travel as `null` and come back as NaN.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// People (or values) behind the figure; for a difference, both sides together.
    pub n: u32,
    /// The point estimate.
    #[serde(with = "non_finite_as_null")]
    pub value: f64,
    /// Lower end of the 95 % interval.
    #[serde(with = "non_finite_as_null")]
    pub low: f64,
    /// Upper end of the 95 % interval.
    #[serde(with = "non_finite_as_null")]
    pub high: f64,
}

impl Estimate {
    /// Whether the estimate has a finite interval (it does not from a single value).
    pub fn has_interval(&self) -> bool {
        self.low.is_finite() && self.high.is_finite()
    }
}

/// Serde for an `f64` that may be NaN: `null` on the wire, because JSON cannot carry NaN and
/// `serde_json` writes `null` for it but refuses to read `null` back into an `f64`.
mod non_finite_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_some(v)
        } else {
            s.serialize_none()
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// Student's t 97.5 % quantiles for df 1..=30 (computed with mpmath from the regularized
/// incomplete beta function; they agree with the printed tables).
const T_975: [f64; 30] = [
    12.706_204_736_17,
    4.302_652_729_749,
    3.182_446_305_284,
    2.776_445_105_198,
    2.570_581_835_636,
    2.446_911_851_145,
    2.364_624_251_593,
    2.306_004_135_204,
    2.262_157_162_798,
    2.228_138_851_986,
    2.200_985_160_092,
    2.178_812_829_667,
    2.160_368_656_463,
    2.144_786_687_918,
    2.131_449_545_560,
    2.119_905_299_221,
    2.109_815_577_833,
    2.100_922_040_241,
    2.093_024_054_408,
    2.085_963_447_266,
    2.079_613_844_728,
    2.073_873_067_904,
    2.068_657_610_419,
    2.063_898_561_628,
    2.059_538_552_753,
    2.055_529_438_643,
    2.051_830_516_480,
    2.048_407_141_795,
    2.045_229_642_133,
    2.042_272_456_301,
];

/// Two-sided 97.5 % quantile of Student's t for `df` degrees of freedom.
///
/// Whole df 1..=30 come from an exact table; df above 30 from the Cornish–Fisher expansion around
/// the normal quantile (error below 4e-8 there, tending to [`Z_975`]); fractional df below 30, as
/// Welch's df usually are, by inverting the t distribution numerically. No degrees of freedom
/// (df ≤ 0 or NaN) → `f64::INFINITY`: no finite interval.
pub fn t_975(df: f64) -> f64 {
    if df.is_nan() || df <= 0.0 {
        return f64::INFINITY;
    }
    if df <= 30.0 && df.fract() == 0.0 {
        return T_975[df as usize - 1];
    }
    if df > 30.0 {
        return t_975_cornish_fisher(df);
    }
    t_975_by_inversion(df)
}

/// The Cornish–Fisher expansion of t's quantile in powers of 1/df (Abramowitz & Stegun 26.7.5).
fn t_975_cornish_fisher(df: f64) -> f64 {
    let z = Z_975;
    let (z2, v) = (z * z, 1.0 / df);
    let g1 = z * (z2 + 1.0) / 4.0;
    let g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
    let g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
    let g4 = z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0;
    z + v * (g1 + v * (g2 + v * (g3 + v * g4)))
}

/// Solves P(|T| > t) = 5 %. With x = df / (df + t²), P(|T| > t) = I_x(df/2, 1/2), which rises with
/// x, so x is found by bisection.
fn t_975_by_inversion(df: f64) -> f64 {
    let (a, mut lo, mut hi) = (df / 2.0, 0.0_f64, 1.0_f64);
    for _ in 0..400 {
        let mid = 0.5 * (lo + hi);
        if incomplete_beta(a, 0.5, mid) < 0.05 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-15 * hi {
            break;
        }
    }
    let x = 0.5 * (lo + hi);
    (df * (1.0 - x) / x).sqrt()
}

/// The regularized incomplete beta function I_x(a, b), by its continued fraction (Numerical
/// Recipes, `betai`), on whichever side converges fast.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of the incomplete beta function, by the modified Lentz method.
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=500 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms; reflection below 1/2). Rust's own is unstable.
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + G + 0.5;
    let series = C[1..].iter().enumerate().fold(C[0], |acc, (i, c)| acc + c / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + series.ln()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample variance (n − 1), two-pass for accuracy; the caller ensures n ≥ 2.
fn variance(values: &[f64]) -> f64 {
    let m = mean(values);
    values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (values.len() - 1) as f64
}

/// Mean with a t-based 95 % interval. None for no values. From one value there is no interval:
/// `low` and `high` are NaN (see [`Estimate::has_interval`]). Equal values give a zero-width
/// interval, which is what the data say.
pub fn mean_ci(values: &[f64]) -> Option<Estimate> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let value = mean(values);
    let (low, high) = match sd(values) {
        None => (f64::NAN, f64::NAN),
        Some(s) => {
            let half = t_975((n - 1) as f64) * s / (n as f64).sqrt();
            (value - half, value + half)
        }
    };
    Some(Estimate { n: n as u32, value, low, high })
}

/// Sample standard deviation (n − 1); None for n < 2.
pub fn sd(values: &[f64]) -> Option<f64> {
    (values.len() >= 2).then(|| variance(values).sqrt())
}

/// Wilson's score interval for x/n; the caller ensures 0 < n and x ≤ n. Exact ends at 0 and n.
fn wilson(x: u32, n: u32) -> (f64, f64) {
    let (xf, nf) = (f64::from(x), f64::from(n));
    let p = xf / nf;
    let z2 = Z_975 * Z_975;
    let denominator = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denominator;
    let half = Z_975 * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denominator;
    let low = if x == 0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if x == n { 1.0 } else { (centre + half).min(1.0) };
    (low, high)
}

/// Wilson score 95 % interval of a proportion x/n (value in 0..=1). None for n = 0, and for
/// x > n, which is no proportion.
pub fn proportion_ci(x: u32, n: u32) -> Option<Estimate> {
    if n == 0 || x > n {
        return None;
    }
    let (low, high) = wilson(x, n);
    Some(Estimate { n, value: f64::from(x) / f64::from(n), low, high })
}

/// Net Promoter Score of a set of 0..=10 answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Nps {
    /// Answers counted.
    pub n: u32,
    /// Answers of 9 or 10.
    pub promoters: u32,
    /// Answers of 7 or 8.
    pub passives: u32,
    /// Answers of 0 to 6.
    pub detractors: u32,
    /// % promoters − % detractors, in −100..=100, with its 95 % interval.
    pub score: Estimate,
}

/// NPS from 0..=10 answers (9–10 promoters, 7–8 passives, 0–6 detractors). None for no answers;
/// numbers above 10 are not answers and are left out.
///
/// The interval is the adjusted Wald interval (Rocks, The American Statistician 2016; MeasuringU
/// 2021): add ¾ to promoters and to detractors and 3 to n, then take the normal interval of the
/// difference of the two proportions, clamped to [−100, 100]. Plain Wald, from the variance of the
/// +100/0/−100 values, gives a zero-width interval whenever everyone answered alike; the
/// adjustment keeps small samples honest. From one answer there is no interval (NaN ends).
pub fn nps(answers: &[u8]) -> Option<Nps> {
    let (mut promoters, mut passives, mut detractors) = (0u32, 0u32, 0u32);
    for &answer in answers {
        match answer {
            9..=10 => promoters += 1,
            7..=8 => passives += 1,
            0..=6 => detractors += 1,
            _ => {}
        }
    }
    let n = promoters + passives + detractors;
    if n == 0 {
        return None;
    }
    let value = 100.0 * f64::from(promoters as i32 - detractors as i32) / f64::from(n);
    let (low, high) = if n == 1 {
        (f64::NAN, f64::NAN)
    } else {
        let adjusted_n = f64::from(n) + 3.0;
        let p = (f64::from(promoters) + 0.75) / adjusted_n;
        let d = (f64::from(detractors) + 0.75) / adjusted_n;
        let centre = p - d;
        let half = Z_975 * ((p + d - centre * centre) / adjusted_n).sqrt();
        ((100.0 * (centre - half)).max(-100.0), (100.0 * (centre + half)).min(100.0))
    };
    Some(Nps { n, promoters, passives, detractors, score: Estimate { n, value, low, high } })
}

/// Difference of two proportions x1/n1 − x2/n2 with Newcombe's hybrid score interval (method 10
/// of Newcombe, Statistics in Medicine 1998), built from the two Wilson intervals; it stays in
/// [−1, 1]. None if either n is 0 (or an x exceeds its n). `n` of the result is n1 + n2.
pub fn diff_proportions(x1: u32, n1: u32, x2: u32, n2: u32) -> Option<Estimate> {
    let first = proportion_ci(x1, n1)?;
    let second = proportion_ci(x2, n2)?;
    let (p1, p2) = (first.value, second.value);
    let value = p1 - p2;
    let low = value - ((p1 - first.low).powi(2) + (second.high - p2).powi(2)).sqrt();
    let high = value + ((first.high - p1).powi(2) + (p2 - second.low).powi(2)).sqrt();
    Some(Estimate { n: n1.saturating_add(n2), value, low, high })
}

/// Difference of two means a − b with Welch's t interval (Welch–Satterthwaite df). None if either
/// side has < 2 values. If neither side varies, the interval has zero width. `n` is both sides.
pub fn diff_means(a: &[f64], b: &[f64]) -> Option<Estimate> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (va, vb) = (variance(a) / na, variance(b) / nb);
    let value = mean(a) - mean(b);
    let se2 = va + vb;
    let half = if se2 == 0.0 {
        0.0
    } else {
        let df = se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
        t_975(df) * se2.sqrt()
    };
    Some(Estimate { n: (a.len() + b.len()) as u32, value, low: value - half, high: value + half })
}

/// Hedges' g (bias-corrected standardised mean difference of a − b) with its approximate 95 %
/// interval: g ± 1.96·SE, with Var(d) = (n1 + n2)/(n1·n2) + d²/(2(n1 + n2)) and
/// g = J·d, J = 1 − 3/(4(n1 + n2) − 9) (Borenstein et al., Introduction to Meta-Analysis, ch. 4).
/// None if either side < 2 or the pooled sd is 0. `n` is both sides.
pub fn hedges_g(a: &[f64], b: &[f64]) -> Option<Estimate> {
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let pooled = (((n1 - 1.0) * variance(a) + (n2 - 1.0) * variance(b)) / (n1 + n2 - 2.0)).sqrt();
    if !pooled.is_finite() || pooled == 0.0 {
        return None;
    }
    let d = (mean(a) - mean(b)) / pooled;
    let j = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0);
    let se = j * ((n1 + n2) / (n1 * n2) + d * d / (2.0 * (n1 + n2))).sqrt();
    let value = j * d;
    Some(Estimate { n: (a.len() + b.len()) as u32, value, low: value - Z_975 * se, high: value + Z_975 * se })
}

/// Difference of two NPS, a − b, in points (−200..=200), with the adjusted-Wald interval of each
/// side (see [`nps`]) combined: centre difference ± 1.96·√(var a + var b). None if either side has
/// no answers; NaN ends if either has one answer only.
pub fn diff_nps(a: &[u8], b: &[u8]) -> Option<Estimate> {
    let (x, y) = (nps(a)?, nps(b)?);
    let value = x.score.value - y.score.value;
    let n = x.n.saturating_add(y.n);
    if x.n < 2 || y.n < 2 {
        return Some(Estimate { n, value, low: f64::NAN, high: f64::NAN });
    }
    let adjusted = |s: &Nps| {
        let m = f64::from(s.n) + 3.0;
        let p = (f64::from(s.promoters) + 0.75) / m;
        let d = (f64::from(s.detractors) + 0.75) / m;
        (p - d, (p + d - (p - d) * (p - d)) / m)
    };
    let ((ca, va), (cb, vb)) = (adjusted(&x), adjusted(&y));
    let half = Z_975 * (va + vb).sqrt();
    let centre = ca - cb;
    Some(Estimate { n, value, low: (100.0 * (centre - half)).max(-200.0), high: (100.0 * (centre + half)).min(200.0) })
}

/// Whether two intervals overlap widely: each contains the other's estimate.
pub fn overlap_widely(a: &Estimate, b: &Estimate) -> bool {
    a.has_interval() && b.has_interval() && (a.low..=a.high).contains(&b.value) && (b.low..=b.high).contains(&a.value)
}

/// With `m` comparisons at 95 % and nothing really different: how many would look clear by chance
/// (0.05·m), and the chance that at least one does (1 − 0.95^m).
pub fn chance_findings(m: usize) -> (f64, f64) {
    (0.05 * m as f64, 1.0 - 0.95f64.powi(m as i32))
}

#[cfg(test)]
mod tests {

    #[test]
    fn nps_differences_are_antisymmetric_and_contain_the_difference() {
        let a = [10, 9, 9, 8, 7, 3, 10, 9];
        let b = [6, 5, 9, 7, 8, 2, 10];
        let d = diff_nps(&a, &b).unwrap();
        let e = diff_nps(&b, &a).unwrap();
        // a: 5 promoters, 1 detractor of 8 → 50; b: 2 and 3 of 7 → −14.29.
        assert!((d.value - (50.0 + 100.0 / 7.0)).abs() < 1e-9);
        assert!((d.value + e.value).abs() < 1e-9 && (d.low + e.high).abs() < 1e-9);
        assert!(d.low < d.value && d.value < d.high && d.n == 15);
        assert!(!diff_nps(&[9], &b).unwrap().has_interval());
        assert!(diff_nps(&[], &b).is_none());
    }

    #[test]
    fn wide_overlap_and_chance_findings() {
        let e = |value, low, high| Estimate { n: 10, value, low, high };
        assert!(overlap_widely(&e(1.0, 0.0, 2.0), &e(1.5, 0.8, 2.2)));
        assert!(!overlap_widely(&e(1.0, 0.0, 2.0), &e(2.5, 1.8, 3.2)));
        assert!(!overlap_widely(&e(1.0, f64::NAN, f64::NAN), &e(1.0, 0.0, 2.0)));
        let (expected, at_least_one) = chance_findings(20);
        assert!((expected - 1.0).abs() < 1e-12 && (at_least_one - 0.641_514).abs() < 1e-6);
        assert_eq!(chance_findings(0), (0.0, 0.0));
    }
    use proptest::prelude::*;

    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!((actual - expected).abs() <= tolerance, "{actual} is not within {tolerance} of {expected}");
    }

    /// R's `sleep` data (Cushny & Peebles), extra hours of sleep under two drugs.
    const SLEEP_1: [f64; 10] = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const SLEEP_2: [f64; 10] = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    #[test]
    fn t_quantiles_match_tables_and_mpmath() {
        close(t_975(1.0), 12.706, 1e-3);
        close(t_975(10.0), 2.228, 1e-3);
        close(t_975(30.0), 2.042, 1e-3);
        // Above 30 and fractional df: references from mpmath (30 digits, incomplete beta).
        close(t_975(40.0), 2.021_075_390_306, 1e-7);
        close(t_975(120.0), 1.979_930_405_082, 1e-9);
        close(t_975(1000.0), 1.962_339_080_826, 1e-12);
        close(t_975(f64::INFINITY), Z_975, 1e-15);
        close(t_975(1.5), 6.016_663_104_428, 1e-9);
        close(t_975(2.5), 3.574_654_842_004, 1e-9);
        close(t_975(29.5), 2.043_724_966_772, 1e-9);
        assert_eq!(t_975(0.0), f64::INFINITY);
        assert_eq!(t_975(-1.0), f64::INFINITY);
        assert_eq!(t_975(f64::NAN), f64::INFINITY);
    }

    #[test]
    fn inversion_agrees_with_the_table_and_the_expansion() {
        for df in 1..=30 {
            close(t_975_by_inversion(f64::from(df)), T_975[df as usize - 1], 1e-10);
        }
        for df in [30.0, 35.5, 50.0, 80.0] {
            close(t_975_by_inversion(df), t_975_cornish_fisher(df), 5e-8);
        }
    }

    #[test]
    fn mean_ci_matches_r_t_test() {
        // R: t.test(sleep$extra[1:10]) → mean 0.75, 95 % CI -0.5297804 2.0297804.
        let e = mean_ci(&SLEEP_1).unwrap();
        assert_eq!(e.n, 10);
        close(e.value, 0.75, 1e-12);
        close(e.low, -0.529_780_4, 1e-7);
        close(e.high, 2.029_780_4, 1e-7);
        close(sd(&SLEEP_1).unwrap(), 1.789_009_658, 1e-9);
    }

    #[test]
    fn mean_ci_edges() {
        assert_eq!(mean_ci(&[]), None);
        let one = mean_ci(&[4.0]).unwrap();
        assert_eq!((one.n, one.value), (1, 4.0));
        assert!(one.low.is_nan() && one.high.is_nan() && !one.has_interval());
        let same = mean_ci(&[3.0; 6]).unwrap();
        assert_eq!((same.value, same.low, same.high), (3.0, 3.0, 3.0));
        assert_eq!(sd(&[1.0]), None);
        assert_eq!(sd(&[2.0, 2.0]), Some(0.0));
    }

    #[test]
    fn wilson_matches_reference_values() {
        // 81/263 (Wilson 1927 style example; mpmath): 0.2552885, 0.3662096.
        let e = proportion_ci(81, 263).unwrap();
        close(e.value, 81.0 / 263.0, 1e-15);
        close(e.low, 0.255_288_519_9, 1e-9);
        close(e.high, 0.366_209_577_0, 1e-9);
        let none = proportion_ci(0, 10).unwrap();
        assert_eq!((none.value, none.low), (0.0, 0.0));
        close(none.high, 0.277_532_799_9, 1e-9);
        let all = proportion_ci(10, 10).unwrap();
        assert_eq!((all.value, all.high), (1.0, 1.0));
        close(all.low, 0.722_467_200_1, 1e-9);
        assert_eq!(proportion_ci(0, 0), None);
        assert_eq!(proportion_ci(3, 2), None);
    }

    #[test]
    fn newcombe_matches_his_paper() {
        // Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 − 48/80 = 0.2,
        // method 10 gives 0.0524 to 0.3339.
        let e = diff_proportions(56, 70, 48, 80).unwrap();
        assert_eq!(e.n, 150);
        close(e.value, 0.2, 1e-12);
        close(e.low, 0.052_431_472_4, 1e-9);
        close(e.high, 0.333_872_654_0, 1e-9);
        // Extremes stay inside [−1, 1].
        let e = diff_proportions(10, 10, 0, 10).unwrap();
        assert!(e.value == 1.0 && e.high <= 1.0 && e.low > 0.0);
        assert_eq!(diff_proportions(1, 0, 1, 2), None);
        assert_eq!(diff_proportions(1, 2, 0, 0), None);
    }

    #[test]
    fn welch_matches_r_and_a_hand_example() {
        // R: t.test(extra ~ group, data = sleep) → df 17.776, 95 % CI -3.3654832 0.2054832.
        let e = diff_means(&SLEEP_1, &SLEEP_2).unwrap();
        assert_eq!(e.n, 20);
        close(e.value, -1.58, 1e-12);
        close(e.low, -3.365_483_2, 1e-7);
        close(e.high, 0.205_483_2, 1e-7);
        // By hand: a = 1..=5 (mean 3, s² 2.5), b = 2, 4, 6, 8 (mean 5, s² 20/3).
        // va = 2.5/5 = 0.5, vb = (20/3)/4 = 5/3, se = √(13/6) = 1.471960.
        // df = (13/6)² / (0.5²/4 + (5/3)²/3) = 4.694444 / 0.988426 = 4.749415.
        // t(4.749415) = 2.611916 (mpmath) → −2 ± 3.844636 = −5.844636 .. 1.844636.
        let e = diff_means(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 4.0, 6.0, 8.0]).unwrap();
        close(e.value, -2.0, 1e-12);
        close(e.low, -5.844_636_384, 1e-8);
        close(e.high, 1.844_636_384, 1e-8);
    }

    #[test]
    fn welch_edges() {
        assert_eq!(diff_means(&[1.0], &[1.0, 2.0]), None);
        assert_eq!(diff_means(&[1.0, 2.0], &[]), None);
        let flat = diff_means(&[2.0, 2.0], &[1.0, 1.0, 1.0]).unwrap();
        assert_eq!((flat.value, flat.low, flat.high), (1.0, 1.0, 1.0));
        // One side flat: df = n − 1 of the other side.
        let e = diff_means(&[0.0, 0.0], &[1.0, 3.0]).unwrap();
        close(e.high - e.value, t_975(1.0) * 1.0, 1e-12);
    }

    #[test]
    fn hedges_g_matches_borenstein() {
        // Borenstein et al. (2009) ch. 4: means 103 and 100, sd 5.5 and 4.5, n 50 each →
        // d = 0.5970, J = 0.9923, g = 0.5924, Var(g) = 0.0411. Built as two symmetric halves
        // so the samples have exactly those means and sds.
        let half = |centre: f64, sd: f64| {
            let c = sd * (49.0_f64 / 50.0).sqrt();
            let mut v = vec![centre + c; 25];
            v.extend(vec![centre - c; 25]);
            v
        };
        let (a, b) = (half(103.0, 5.5), half(100.0, 4.5));
        close(sd(&a).unwrap(), 5.5, 1e-12);
        let e = hedges_g(&a, &b).unwrap();
        assert_eq!(e.n, 100);
        close(e.value, 0.592_441_580_3, 1e-9);
        close(((e.high - e.low) / (2.0 * Z_975)).powi(2), 0.041_143_479_16, 1e-10);
        close(e.low, 0.194_885_318_9, 1e-9);
        close(e.high, 0.989_997_841_6, 1e-9);
        assert_eq!(hedges_g(&[1.0, 1.0], &[1.0, 1.0]), None);
        assert_eq!(hedges_g(&[1.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn nps_counts_and_interval() {
        // 5 promoters, 3 passives, 2 detractors: NPS 30. Adjusted Wald: p = 5.75/13,
        // d = 2.75/13, centre = 3/13 = 0.230769, var = (8.5/13 − (3/13)²) = 0.600592,
        // se = √(0.600592/13) = 0.214941 → 23.08 ± 42.13 = −19.05 .. 65.20.
        let e = nps(&[10, 9, 9, 10, 9, 8, 7, 7, 3, 6]).unwrap();
        assert_eq!((e.n, e.promoters, e.passives, e.detractors), (10, 5, 3, 2));
        close(e.score.value, 30.0, 1e-12);
        let (p, d) = (5.75 / 13.0, 2.75 / 13.0);
        let se = ((p + d - (p - d) * (p - d)) / 13.0_f64).sqrt();
        close(e.score.low, 100.0 * (p - d - Z_975 * se), 1e-9);
        close(e.score.low, -19.05, 0.01);
        close(e.score.high, 65.20, 0.01);
        assert_eq!(nps(&[]), None);
        assert_eq!(nps(&[11, 200]), None);
        let one = nps(&[10]).unwrap();
        assert!(one.score.value == 100.0 && !one.score.has_interval());
        let all = nps(&[10; 4]).unwrap();
        assert!(all.score.high == 100.0 && all.score.low < 50.0, "{all:?}");
    }

    #[test]
    fn nps_interval_holds_the_score_for_every_small_sample() {
        for n in 2u32..=60 {
            for promoters in 0..=n {
                for detractors in 0..=(n - promoters) {
                    let mut answers = vec![10u8; promoters as usize];
                    answers.extend(vec![0u8; detractors as usize]);
                    answers.extend(vec![8u8; (n - promoters - detractors) as usize]);
                    let s = nps(&answers).unwrap().score;
                    assert!(s.low <= s.value && s.value <= s.high, "{n} {promoters} {detractors}: {s:?}");
                    assert!(s.low >= -100.0 && s.high <= 100.0);
                }
            }
        }
    }

    #[test]
    fn estimates_without_an_interval_survive_json() {
        let one = mean_ci(&[2.5]).unwrap();
        let text = serde_json::to_string(&one).unwrap();
        assert_eq!(text, r#"{"n":1,"value":2.5,"low":null,"high":null}"#);
        let back: Estimate = serde_json::from_str(&text).unwrap();
        assert!(back.n == 1 && back.value == 2.5 && back.low.is_nan() && back.high.is_nan());
        let full = proportion_ci(3, 7).unwrap();
        assert_eq!(serde_json::from_str::<Estimate>(&serde_json::to_string(&full).unwrap()).unwrap(), full);
    }

    proptest! {
        #[test]
        fn mean_ci_holds_the_mean_and_narrows_with_n(
            pattern in prop::collection::vec(-50.0f64..50.0, 2..12),
            repeats in 1usize..8,
        ) {
            prop_assume!(sd(&pattern).unwrap() > 1e-6);
            // The same spread at n and at n + len(pattern): the larger sample is narrower.
            let small: Vec<f64> = pattern.iter().copied().cycle().take(pattern.len() * repeats).collect();
            let large: Vec<f64> = pattern.iter().copied().cycle().take(pattern.len() * (repeats + 1)).collect();
            let (s, l) = (mean_ci(&small).unwrap(), mean_ci(&large).unwrap());
            prop_assert!(s.low <= s.value && s.value <= s.high);
            prop_assert!(l.low <= l.value && l.value <= l.high);
            prop_assert!(l.high - l.low < s.high - s.low);
            // Symmetric around the mean.
            prop_assert!(((s.high - s.value) - (s.value - s.low)).abs() <= 1e-9 * (1.0 + s.high - s.low));
        }

        #[test]
        fn proportion_ci_stays_in_unit_range_and_mirrors(n in 1u32..2000, share in 0.0f64..=1.0) {
            let x = ((f64::from(n) * share).round() as u32).min(n);
            let e = proportion_ci(x, n).unwrap();
            prop_assert!(0.0 <= e.low && e.low <= e.value && e.value <= e.high && e.high <= 1.0);
            // x/n and (n − x)/n are mirror images.
            let m = proportion_ci(n - x, n).unwrap();
            prop_assert!((e.low - (1.0 - m.high)).abs() < 1e-12 && (e.high - (1.0 - m.low)).abs() < 1e-12);
            // Narrower with more people at the same share.
            let big = proportion_ci(x * 4, n * 4).unwrap();
            prop_assert!(big.high - big.low < e.high - e.low);
        }

        #[test]
        fn newcombe_holds_the_difference_and_is_antisymmetric(
            n1 in 1u32..300, n2 in 1u32..300, s1 in 0.0f64..=1.0, s2 in 0.0f64..=1.0,
        ) {
            let (x1, x2) = ((f64::from(n1) * s1) as u32, (f64::from(n2) * s2) as u32);
            let e = diff_proportions(x1, n1, x2, n2).unwrap();
            prop_assert!(-1.0 <= e.low && e.low <= e.value && e.value <= e.high && e.high <= 1.0);
            let r = diff_proportions(x2, n2, x1, n1).unwrap();
            prop_assert!((e.low + r.high).abs() < 1e-12 && (e.high + r.low).abs() < 1e-12);
        }

        #[test]
        fn welch_and_hedges_hold_the_estimate_and_are_antisymmetric(
            a in prop::collection::vec(0.0f64..10.0, 2..30),
            b in prop::collection::vec(0.0f64..10.0, 2..30),
        ) {
            let e = diff_means(&a, &b).unwrap();
            let r = diff_means(&b, &a).unwrap();
            prop_assert!(e.low <= e.value && e.value <= e.high);
            prop_assert!((e.low + r.high).abs() < 1e-9 && (e.high + r.low).abs() < 1e-9);
            if let (Some(g), Some(h)) = (hedges_g(&a, &b), hedges_g(&b, &a)) {
                prop_assert!(g.low <= g.value && g.value <= g.high);
                prop_assert!((g.value + h.value).abs() < 1e-9 && (g.low + h.high).abs() < 1e-9);
            }
        }

        #[test]
        fn t_quantile_falls_with_df(df in 0.05f64..200.0, step in 0.01f64..5.0) {
            prop_assert!(t_975(df) > t_975(df + step));
            prop_assert!(t_975(df + step) > Z_975);
        }
    }
}
