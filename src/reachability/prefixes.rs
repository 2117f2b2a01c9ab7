//! Sets of IPv4 addresses as sorted, disjoint, non-adjacent inclusive ranges.
//!
//! Destinations are sets, not one sample address: a service's addresses can be split by
//! routes (a gateway-endpoint prefix list beside `0.0.0.0/0`), and a security group or NACL
//! rule can cover all, part or none of them. Ranges use `u64` ends so `255.255.255.255`
//! needs no special case.

use std::fmt;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct PrefixSet {
    /// Inclusive `(first, last)` pairs, sorted, disjoint and never adjacent.
    ranges: Vec<(u64, u64)>,
}

/// How much of a set another set covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    All,
    Part,
    None,
}

pub fn net_range(net: &Ipv4Net) -> (u64, u64) {
    (u64::from(u32::from(net.network())), u64::from(u32::from(net.broadcast())))
}

impl PrefixSet {
    pub fn empty() -> Self {
        Self::default()
    }

    pub fn all() -> Self {
        Self { ranges: vec![(0, u64::from(u32::MAX))] }
    }

    pub fn from_ranges(mut ranges: Vec<(u64, u64)>) -> Self {
        ranges.retain(|(a, b)| a <= b);
        ranges.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        Self { ranges: merged }
    }

    pub fn from_nets<'a>(nets: impl IntoIterator<Item = &'a Ipv4Net>) -> Self {
        Self::from_ranges(nets.into_iter().map(net_range).collect())
    }

    pub fn from_net(net: Ipv4Net) -> Self {
        Self::from_nets([&net])
    }

    pub fn from_addr(addr: Ipv4Addr) -> Self {
        let a = u64::from(u32::from(addr));
        Self { ranges: vec![(a, a)] }
    }

    /// Public IPv4 space: everything but the special-purpose ranges (RFC 6890) an AWS public
    /// service address can never be in.
    pub fn public_internet() -> Self {
        const SPECIAL: &[&str] = &[
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/3",
        ];
        // Made once per process (issue 7: parsed again for every pair to a public service).
        static PUBLIC: std::sync::OnceLock<PrefixSet> = std::sync::OnceLock::new();
        PUBLIC
            .get_or_init(|| {
                let special: Vec<Ipv4Net> = SPECIAL.iter().filter_map(|s| s.parse().ok()).collect();
                Self::all().difference(&Self::from_nets(&special))
            })
            .clone()
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub fn ranges(&self) -> &[(u64, u64)] {
        &self.ranges
    }

    /// Number of addresses.
    pub fn size(&self) -> u64 {
        self.ranges.iter().map(|(a, b)| b - a + 1).sum()
    }

    pub fn union(&self, other: &Self) -> Self {
        let mut all = self.ranges.clone();
        all.extend_from_slice(&other.ranges);
        Self::from_ranges(all)
    }

    pub fn intersection(&self, other: &Self) -> Self {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while let (Some(&(a1, b1)), Some(&(a2, b2))) = (self.ranges.get(i), other.ranges.get(j)) {
            let (lo, hi) = (a1.max(a2), b1.min(b2));
            if lo <= hi {
                out.push((lo, hi));
            }
            if b1 < b2 {
                i += 1;
            } else {
                j += 1;
            }
        }
        Self { ranges: out }
    }

    pub fn difference(&self, other: &Self) -> Self {
        let mut out = Vec::new();
        let mut j = 0;
        for &(a, b) in &self.ranges {
            let mut start = a;
            while other.ranges.get(j).is_some_and(|r| r.1 < start) {
                j += 1;
            }
            let mut k = j;
            while let Some(&(oa, ob)) = other.ranges.get(k).filter(|r| r.0 <= b) {
                if oa > start {
                    out.push((start, oa - 1));
                }
                start = start.max(ob + 1);
                if ob >= b {
                    break;
                }
                k += 1;
            }
            if start <= b {
                out.push((start, b));
            }
        }
        Self::from_ranges(out)
    }

    /// How much of `self` lies in `other`.
    pub fn covered_by(&self, other: &Self) -> Coverage {
        if self.is_empty() {
            return Coverage::All;
        }
        let inside = self.intersection(other);
        if inside.is_empty() {
            Coverage::None
        } else if inside == *self {
            Coverage::All
        } else {
            Coverage::Part
        }
    }

    pub fn contains_addr(&self, addr: Ipv4Addr) -> bool {
        let a = u64::from(u32::from(addr));
        self.ranges.iter().any(|&(lo, hi)| lo <= a && a <= hi)
    }

    /// The smallest list of CIDRs whose union is the set.
    pub fn to_nets(&self) -> Vec<Ipv4Net> {
        let mut nets = Vec::new();
        for &(a, b) in &self.ranges {
            let mut start = a;
            while start <= b {
                let max_by_alignment = if start == 0 { 32 } else { start.trailing_zeros().min(32) };
                let mut bits = max_by_alignment;
                while bits > 0 && start + (1u64 << bits) - 1 > b {
                    bits -= 1;
                }
                let prefix_len = 32 - bits as u8;
                if let Ok(net) = Ipv4Net::new(Ipv4Addr::from(start as u32), prefix_len) {
                    nets.push(net);
                }
                start += 1u64 << bits;
            }
        }
        nets
    }
}

impl fmt::Display for PrefixSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nets = self.to_nets();
        if nets.is_empty() {
            return f.write_str("(none)");
        }
        const SHOWN: usize = 4;
        let text: Vec<String> = nets.iter().take(SHOWN).map(ToString::to_string).collect();
        f.write_str(&text.join(", "))?;
        if nets.len() > SHOWN {
            write!(f, " and {} more", nets.len() - SHOWN)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(nets: &[&str]) -> PrefixSet {
        let nets: Vec<Ipv4Net> = nets.iter().map(|n| n.parse().unwrap()).collect();
        PrefixSet::from_nets(&nets)
    }

    #[test]
    fn difference_and_union_round_trip() {
        let all = PrefixSet::all();
        let ten = set(&["10.0.0.0/8"]);
        let rest = all.difference(&ten);
        assert_eq!(rest.union(&ten), all);
        assert!(rest.intersection(&ten).is_empty());
        assert_eq!(ten.covered_by(&all), Coverage::All);
        assert_eq!(all.covered_by(&ten), Coverage::Part);
        assert_eq!(ten.covered_by(&set(&["192.168.0.0/16"])), Coverage::None);
    }

    #[test]
    fn to_nets_is_minimal() {
        let s = set(&["10.0.0.0/25", "10.0.0.128/25"]);
        assert_eq!(s.to_nets(), vec!["10.0.0.0/24".parse::<Ipv4Net>().unwrap()]);
        assert_eq!(PrefixSet::all().to_nets(), vec!["0.0.0.0/0".parse::<Ipv4Net>().unwrap()]);
    }

    #[test]
    fn public_internet_excludes_private_space() {
        let public = PrefixSet::public_internet();
        assert!(!public.contains_addr("10.1.2.3".parse().unwrap()));
        assert!(public.contains_addr("52.216.1.1".parse().unwrap()));
        assert!(!public.contains_addr("192.168.1.1".parse().unwrap()));
    }
}

/// Set algebra against a naive oracle over a small universe (issue 6).
#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod props {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    fn set() -> impl Strategy<Value = Vec<(u64, u64)>> {
        proptest::collection::vec((0u64..512, 0u64..64), 0..8).prop_map(|v| v.into_iter().map(|(a, l)| (a, a + l)).collect())
    }

    fn members(ranges: &[(u64, u64)]) -> BTreeSet<u64> {
        ranges.iter().flat_map(|&(a, b)| a..=b).collect()
    }

    proptest! {
        #[test]
        fn set_operations_match_the_oracle(a in set(), b in set()) {
            let (sa, sb) = (PrefixSet::from_ranges(a.clone()), PrefixSet::from_ranges(b.clone()));
            let (ma, mb) = (members(&a), members(&b));
            prop_assert_eq!(members(sa.ranges()), ma.clone());
            prop_assert_eq!(members(sa.union(&sb).ranges()), ma.union(&mb).copied().collect::<BTreeSet<_>>());
            prop_assert_eq!(members(sa.intersection(&sb).ranges()), ma.intersection(&mb).copied().collect::<BTreeSet<_>>());
            prop_assert_eq!(members(sa.difference(&sb).ranges()), ma.difference(&mb).copied().collect::<BTreeSet<_>>());
            prop_assert_eq!(sa.size(), ma.len() as u64);
            // Normal form: sorted, disjoint, not adjacent.
            for w in sa.ranges().windows(2) {
                prop_assert!(w[0].1 + 1 < w[1].0);
            }
        }
    }
}
