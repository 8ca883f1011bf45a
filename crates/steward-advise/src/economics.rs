//! What a query costs and what fixing it saves, in database-seconds per day and in money.
//!
//! A query's database time is its measured execution time (pg_stat_statements' exec time, or
//! log durations) scaled from the observation window to a day. One second of execution keeps
//! about one vCPU busy for a second (I/O waits included, which makes this an upper bound on CPU
//! but a fair measure of capacity used); capacity is priced per vCPU-hour.
//!
//! The time after a fix is an **estimate**: the measured time times a cost ratio. Rules and the
//! N+1 detector supply rule-of-thumb ratios ([`rule_cost_ratio`], [`NPLUS1_COST_RATIO`]); the
//! what-if index advisor supplies ratios measured from plans (estimated cost after ÷ before).

use crate::WorkloadQuery;
use serde::Serialize;

/// The default price of one vCPU-hour in US dollars: AWS RDS for PostgreSQL db.m6i.large
/// (2 vCPUs, 8 GiB) on demand, single-AZ, us-east-1, about $0.171 an hour — $0.0855 per
/// vCPU-hour. Typical general-purpose managed PostgreSQL lands between $0.05 and $0.15.
pub const DEFAULT_PRICE_PER_VCPU_HOUR: f64 = 0.0855;

/// Average days per month (365.25 / 12).
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// Estimated share of a child query's time that remains when N separate lookups become one
/// batched query: the rows are still found through the same index, but executor start-up,
/// locking and index descent are paid once per batch instead of once per row. Round trips
/// (network, client and driver time, not part of database time) are saved on top of this.
pub const NPLUS1_COST_RATIO: f64 = 0.3;

/// The price of capacity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Price {
    pub per_vcpu_hour: f64,
    /// ISO 4217 code of `per_vcpu_hour`.
    pub currency: &'static str,
}

impl Default for Price {
    fn default() -> Self {
        Price {
            per_vcpu_hour: DEFAULT_PRICE_PER_VCPU_HOUR,
            currency: "USD",
        }
    }
}

impl Price {
    /// Money per month for a steady load of `seconds_per_day` database-seconds a day.
    pub fn per_month(&self, seconds_per_day: f64) -> f64 {
        seconds_per_day * DAYS_PER_MONTH / 3600.0 * self.per_vcpu_hour
    }
}

/// What a query costs now and what a fix is estimated to save.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Savings {
    pub calls_per_day: f64,
    pub mean_ms: f64,
    /// Database time per day now.
    pub db_seconds_per_day: f64,
    /// Estimated database time per day after the fix.
    pub after_seconds_per_day: f64,
    pub saved_seconds_per_day: f64,
    /// `saved_seconds_per_day` priced per month.
    pub saved_per_month: f64,
    /// What it costs now, per month.
    pub cost_per_month: f64,
    /// The ratio applied (after ÷ before), 0..=1.
    pub cost_ratio_after: f64,
}

impl Savings {
    /// The economics of fixing `query`, observed over `window_days`, when the fix leaves
    /// `cost_ratio_after` of its time (clamped to 0..=1; 1 saves nothing).
    pub fn estimate(
        query: &WorkloadQuery,
        window_days: f64,
        cost_ratio_after: f64,
        price: Price,
    ) -> Savings {
        let days = if window_days.is_finite() && window_days > 0.0 {
            window_days
        } else {
            1.0
        };
        let ratio = if cost_ratio_after.is_finite() {
            cost_ratio_after.clamp(0.0, 1.0)
        } else {
            1.0
        };
        let db_seconds_per_day = query.total_ms / 1000.0 / days;
        let after_seconds_per_day = db_seconds_per_day * ratio;
        let saved_seconds_per_day = db_seconds_per_day - after_seconds_per_day;
        Savings {
            calls_per_day: query.calls as f64 / days,
            mean_ms: query.mean_ms(),
            db_seconds_per_day,
            after_seconds_per_day,
            saved_seconds_per_day,
            saved_per_month: price.per_month(saved_seconds_per_day),
            cost_per_month: price.per_month(db_seconds_per_day),
            cost_ratio_after: ratio,
        }
    }

    /// What the query costs as it is (nothing saved).
    pub fn current(query: &WorkloadQuery, window_days: f64, price: Price) -> Savings {
        Savings::estimate(query, window_days, 1.0, price)
    }
}

/// Rule-of-thumb share of a query's time left after fixing what a query rule found, or `None`
/// when the fix is about correctness or clarity rather than time (nothing is claimed).
pub fn rule_cost_ratio(rule: &str) -> Option<f64> {
    Some(match rule {
        // Keyset pagination reads one page instead of offset + page rows; deep pages dominate.
        "offset-pagination" => 0.3,
        // An index-usable predicate instead of a scan with a function on every row.
        "non-sargable-predicate" => 0.2,
        // A trigram index or a prefix search instead of scanning every row.
        "leading-wildcard-like" => 0.2,
        // EXISTS stops at the first row; count(*) reads all of them.
        "count-for-existence" => 0.5,
        // A join runs the subquery once instead of once per outer row.
        "correlated-subquery" => 0.4,
        // Sorting the whole table to pick random rows vs. TABLESAMPLE or a random key.
        "order-by-random" => 0.1,
        // Fewer columns: less I/O and network, sometimes an index-only scan.
        "select-star" => 0.9,
        // A cross join that was meant to be a join produces far fewer rows once joined.
        "implicit-cross-join" => 0.5,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(calls: u64, total_ms: f64) -> WorkloadQuery {
        WorkloadQuery {
            text: "SELECT 1".into(),
            calls,
            total_ms,
            rows: calls,
            shared_blks_hit: 0,
            shared_blks_read: 0,
        }
    }

    #[test]
    fn per_day_and_money() {
        // 12,000 calls of 5 ms over half a day: 24,000 calls/day, 120 s/day.
        let s = Savings::estimate(&q(12_000, 60_000.0), 0.5, 0.25, Price::default());
        assert!((s.calls_per_day - 24_000.0).abs() < 1e-9);
        assert!((s.mean_ms - 5.0).abs() < 1e-9);
        assert!((s.db_seconds_per_day - 120.0).abs() < 1e-9);
        assert!((s.after_seconds_per_day - 30.0).abs() < 1e-9);
        assert!((s.saved_seconds_per_day - 90.0).abs() < 1e-9);
        let expected = 90.0 * DAYS_PER_MONTH / 3600.0 * DEFAULT_PRICE_PER_VCPU_HOUR;
        assert!((s.saved_per_month - expected).abs() < 1e-12);
    }

    #[test]
    fn ratios_are_clamped_and_windows_sane() {
        let s = Savings::estimate(&q(10, 10.0), 0.0, 2.0, Price::default());
        assert_eq!(s.cost_ratio_after, 1.0);
        assert_eq!(s.saved_seconds_per_day, 0.0);
        assert_eq!(s.calls_per_day, 10.0);
        let s = Savings::estimate(&q(10, 10.0), 1.0, f64::NAN, Price::default());
        assert_eq!(s.cost_ratio_after, 1.0);
    }

    #[test]
    fn a_full_vcpu_for_a_month() {
        let price = Price {
            per_vcpu_hour: 0.1,
            currency: "USD",
        };
        assert!((price.per_month(86_400.0) - 0.1 * 24.0 * DAYS_PER_MONTH).abs() < 1e-9);
    }
}
