//! List prices for the cost findings (aws-semantics §12), as data: one row per region whose
//! prices are known; every other region is reported with the us-east-1 row and says so. Not a
//! rule: no code of its own.

/// Monthly figures use 730 hours.
pub(super) const HOURS_PER_MONTH: f64 = 730.0;

#[derive(Debug, Clone, Copy)]
pub(super) struct Prices {
    pub region: &'static str,
    /// Interface endpoint, per endpoint per AZ-hour.
    pub endpoint_az_hour: f64,
    /// Interface endpoint data, per GB (first tier).
    pub endpoint_gb: f64,
    /// NAT gateway, per hour.
    pub nat_hour: f64,
    /// NAT gateway data processing, per GB.
    pub nat_gb: f64,
    /// Public IPv4 address, per hour (IGW-10: every public IPv4, a task's included).
    pub public_ipv4_hour: f64,
    /// Cross-AZ data transfer, per GB in each direction.
    pub cross_az_gb: f64,
}

/// aws-semantics §12.
const US_EAST_1: Prices = Prices {
    region: "us-east-1",
    endpoint_az_hour: 0.01,
    endpoint_gb: 0.01,
    nat_hour: 0.045,
    nat_gb: 0.045,
    public_ipv4_hour: 0.005,
    cross_az_gb: 0.01,
};

const TABLE: &[Prices] = &[US_EAST_1];

/// The prices of `region`, and whether they are that region's own.
pub(super) fn prices(region: &str) -> (Prices, bool) {
    match TABLE.iter().find(|p| p.region == region) {
        Some(p) => (*p, true),
        None => (US_EAST_1, false),
    }
}

/// "us-east-1 list prices" or "us-east-1 list prices; eu-west-1 may differ".
pub(super) fn basis(region: &str) -> String {
    let (p, own) = prices(region);
    if own {
        format!("{} list prices", p.region)
    } else {
        format!("{} list prices; {region} may differ", p.region)
    }
}

pub(super) fn monthly(hourly: f64) -> String {
    format!("${:.2}", hourly * HOURS_PER_MONTH)
}
