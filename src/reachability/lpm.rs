//! Route selection over address sets (RT-4, RT-5): longest prefix first, then static over
//! prefix-list over propagated routes. A destination set is cut into parts that each take one
//! route, so a service whose addresses are split by routes has every part followed.

use std::collections::{BTreeMap, BTreeSet};

use super::prefixes::{net_range, PrefixSet};
use crate::model::*;

/// The route a part of the destination takes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Choice {
    /// Index into the table's `routes`.
    Route(usize),
    NoRoute,
    /// RT-5(3): overlapping prefix-list routes with different targets; AWS picks one.
    Ambiguous(Vec<usize>),
    /// A prefix-list route whose entries are not in the snapshot could match.
    UnknownPrefixList(usize),
}

struct Candidate {
    lo: u64,
    hi: u64,
    len: u8,
    /// 0 static CIDR, 1 prefix list, 2 propagated (RT-5(2)).
    class: u8,
    route: usize,
    /// A prefix list of unknown entries, standing for exactly the destination.
    is_unknown_length: bool,
}

/// The route list (its address and length: the snapshot is borrowed, unchanged, for the whole
/// analysis) and the task's own prefix list; the destination is the inner key, looked up
/// without a copy.
type PartitionKey = (usize, usize, Option<PrefixListId>);

/// Parts of a destination and the route each takes, shared by every pair that asks.
pub(crate) type Parts = std::rc::Rc<[(Choice, PrefixSet)]>;

thread_local! {
    /// Answers of [`partition`] for the snapshot being analysed on this thread, keyed by the
    /// route list's address: the snapshot is borrowed, unchanged, for the whole analysis, and the
    /// answers are forgotten at its start and end (issue 7: per route table and destination).
    static PARTS: std::cell::RefCell<super::fxhash::Answers<PartitionKey, PrefixSet, Parts>> = Default::default();
}

/// Forgets this thread's remembered answers.
pub(crate) fn clear_cache() {
    PARTS.with(|parts| parts.borrow_mut().clear());
}

/// [`partition`], remembered per thread until [`clear_cache`].
pub(crate) fn partition_shared(
    snapshot: &Snapshot,
    routes: &[Route],
    destination: &PrefixSet,
    own_prefix_list: Option<&PrefixListId>,
) -> Parts {
    let key = (routes.as_ptr() as usize, routes.len(), own_prefix_list.cloned());
    if let Some(known) = PARTS.with(|parts| parts.borrow().get(&key, destination)) {
        return known;
    }
    let answer: Parts = partition(snapshot, routes, destination, own_prefix_list).into();
    PARTS.with(|parts| parts.borrow_mut().insert(key, destination.clone(), answer.clone()));
    answer
}

/// Splits `destination` by the route each part takes among `routes` (a VPC route table's, or
/// a transit gateway route table's: TGW-8 has the same order, static over prefix-list over
/// propagated).
///
/// `own_prefix_list` is the AWS-managed list that by definition holds the destination (S3 or
/// DynamoDB): a route to it covers the destination even when its entries were not captured.
pub(crate) fn partition(
    snapshot: &Snapshot,
    routes: &[Route],
    destination: &PrefixSet,
    own_prefix_list: Option<&PrefixListId>,
) -> Vec<(Choice, PrefixSet)> {
    let mut candidates = Vec::new();
    let mut unknown_lists = Vec::new();
    // Only routes that overlap the destination's span can take a part of it: the others are
    // skipped before any cut is made (a hub table holds a route per spoke).
    let (Some(&(span_lo, _)), Some(&(_, span_hi))) = (destination.ranges().first(), destination.ranges().last()) else {
        return Vec::new();
    };
    let overlaps = |lo: u64, hi: u64| lo <= span_hi && span_lo <= hi;
    for (index, route) in routes.iter().enumerate() {
        match &route.destination {
            RouteDestination::Ipv4(net) => {
                let (lo, hi) = net_range(net);
                if !overlaps(lo, hi) {
                    continue;
                }
                let class = if route.origin == RouteOrigin::Propagated { 2 } else { 0 };
                candidates.push(Candidate { lo, hi, len: net.prefix_len(), class, route: index, is_unknown_length: false });
            }
            RouteDestination::Ipv6(_) => {}
            // A gateway endpoint's AWS-managed list holds only its own service's addresses
            // (EP-11): for any other destination it is disjoint and never matches.
            RouteDestination::PrefixList(list)
                if Some(list) != own_prefix_list
                    && matches!(&route.target, RouteTarget::VpcEndpoint(e)
                        if snapshot.vpc_endpoints.get(e).is_some_and(|e| e.endpoint_type == EndpointType::Gateway)) => {}
            RouteDestination::PrefixList(list) => match snapshot.prefix_lists.get(list).and_then(|p| p.cidrs.as_ref()) {
                Some(cidrs) => {
                    for net in cidrs {
                        let (lo, hi) = net_range(net);
                        if !overlaps(lo, hi) {
                            continue;
                        }
                        candidates.push(Candidate { lo, hi, len: net.prefix_len(), class: 1, route: index, is_unknown_length: false });
                    }
                }
                None if Some(list) == own_prefix_list => {
                    for &(lo, hi) in destination.ranges() {
                        candidates.push(Candidate { lo, hi, len: 0, class: 1, route: index, is_unknown_length: true });
                    }
                }
                None => unknown_lists.push(index),
            },
        }
    }

    // The choice changes only at the candidates' edges: each segment between them (within the
    // destination's span) has one choice, and its part is the destination's ranges inside it
    // (issue 7: a public destination has hundreds of ranges, a spoke's table a few routes).
    let mut cuts: Vec<u64> = Vec::with_capacity(2 * candidates.len() + 2);
    cuts.extend([span_lo, span_hi + 1]);
    for c in &candidates {
        cuts.extend([c.lo, c.hi + 1].into_iter().filter(|&cut| span_lo < cut && cut <= span_hi));
    }
    cuts.sort_unstable();
    cuts.dedup();

    let mut parts: BTreeMap<Choice, Vec<(u64, u64)>> = BTreeMap::new();
    let mut range_index = 0;
    let ranges = destination.ranges();
    for window in cuts.windows(2) {
        let &[lo, next] = window else { continue };
        let hi = next - 1;
        while ranges.get(range_index).is_some_and(|r| r.1 < lo) {
            range_index += 1;
        }
        let inside =
            ranges.get(range_index..).unwrap_or_default().iter().take_while(|&&(a, _)| a <= hi).map(|&(a, b)| (a.max(lo), b.min(hi)));
        let mut inside = inside.peekable();
        if inside.peek().is_none() {
            continue;
        }
        let choice = choose(&candidates, lo, hi, routes, &unknown_lists);
        parts.entry(choice).or_default().extend(inside);
    }
    parts.into_iter().map(|(choice, ranges)| (choice, PrefixSet::from_ranges(ranges))).collect()
}

fn choose(candidates: &[Candidate], lo: u64, hi: u64, routes: &[Route], unknown_lists: &[usize]) -> Choice {
    let matching: Vec<&Candidate> = candidates.iter().filter(|c| c.lo <= lo && hi <= c.hi).collect();
    let has_unknown_length = matching.iter().any(|c| c.is_unknown_length);
    let known: Vec<&&Candidate> = matching.iter().filter(|c| !c.is_unknown_length).collect();
    let Some(best_len) = known.iter().map(|c| c.len).max() else {
        if let Some(c) = matching.iter().find(|c| c.is_unknown_length) {
            return Choice::Route(c.route);
        }
        return match unknown_lists.first() {
            Some(&index) => Choice::UnknownPrefixList(index),
            None => Choice::NoRoute,
        };
    };
    if has_unknown_length && best_len > 0 {
        // The service's own list (entries not captured) competes with a specific CIDR route:
        // which is longer cannot be told.
        if let Some(c) = matching.iter().find(|c| c.is_unknown_length) {
            return Choice::UnknownPrefixList(c.route);
        }
    }
    if has_unknown_length {
        if let Some(c) = matching.iter().find(|c| c.is_unknown_length) {
            return Choice::Route(c.route);
        }
    }
    // A list of unknown entries might hold a longer match for this part, unless the part is the
    // VPC's own (the local route matches it) and the list's target cannot take addresses from
    // the local route: only a NAT gateway, ENI or (GWLB) endpoint target can (RT-3, RT-8).
    let local_covers = known.iter().any(|c| routes.get(c.route).is_some_and(|r| r.target == RouteTarget::Local));
    let can_take_local = |index: usize| {
        routes.get(index).is_none_or(|r| {
            matches!(
                r.target,
                RouteTarget::NatGateway(_) | RouteTarget::NetworkInterface(_) | RouteTarget::Instance(_) | RouteTarget::VpcEndpoint(_)
            )
        })
    };
    if let Some(&index) = unknown_lists.iter().find(|&&i| !local_covers || can_take_local(i)) {
        return Choice::UnknownPrefixList(index);
    }
    let longest: Vec<&&&Candidate> = known.iter().filter(|c| c.len == best_len).collect();
    let Some(best_class) = longest.iter().map(|c| c.class).min() else { return Choice::NoRoute };
    let mut winners: Vec<usize> = longest.iter().filter(|c| c.class == best_class).map(|c| c.route).collect();
    winners.sort_unstable();
    winners.dedup();
    if winners.len() > 1 {
        let targets: BTreeSet<String> = winners.iter().filter_map(|&i| routes.get(i)).map(|r| r.target.id().to_owned()).collect();
        if targets.len() > 1 {
            return Choice::Ambiguous(winners);
        }
    }
    winners.first().map_or(Choice::NoRoute, |&i| Choice::Route(i))
}

/// Property tests against naive oracles (issue 6): longest-prefix match with the AWS
/// tie-breaks, and the partition of a destination into disjoint parts that cover it.
#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod props {
    use std::net::Ipv4Addr;

    use ipnet::Ipv4Net;

    use proptest::prelude::*;

    use super::*;

    fn route(net: Ipv4Net, propagated: bool, index: usize) -> Route {
        Route {
            destination: RouteDestination::Ipv4(net),
            target: RouteTarget::Local,
            origin: if propagated { RouteOrigin::Propagated } else { RouteOrigin::Static },
            is_blackhole: false,
            index,
            span: Span::default(),
        }
    }

    /// Routes inside 10.0.0.0/16, lengths 16-32, unique per (CIDR, origin) as AWS requires.
    fn routes() -> impl Strategy<Value = Vec<Route>> {
        proptest::collection::vec((0u32..65536, 16u8..=32, any::<bool>()), 0..12).prop_map(|specs| {
            let mut seen = BTreeSet::new();
            let mut out = Vec::new();
            for (offset, len, propagated) in specs {
                let net = Ipv4Net::new(Ipv4Addr::from(0x0a00_0000 | offset), len).unwrap().trunc();
                if seen.insert((net, propagated)) {
                    let index = out.len();
                    out.push(route(net, propagated, index));
                }
            }
            out
        })
    }

    /// The naive answer for one address: the longest match, static before propagated (RT-5).
    fn oracle(routes: &[Route], addr: u32) -> Choice {
        let a = Ipv4Addr::from(addr);
        routes
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match &r.destination {
                RouteDestination::Ipv4(net) if net.contains(&a) => Some((net.prefix_len(), r.origin == RouteOrigin::Static, i)),
                _ => None,
            })
            .max_by_key(|(len, is_static, _)| (*len, *is_static))
            .map_or(Choice::NoRoute, |(_, _, i)| Choice::Route(i))
    }

    /// Whether the parts of `destination` are disjoint, cover it exactly, take one part per
    /// choice, and give every address the oracle's route.
    fn agrees_with_the_oracle(routes: &[Route], destination: &PrefixSet) -> Result<(), TestCaseError> {
        let parts = partition(&Snapshot::default(), routes, destination, None);
        let mut union = PrefixSet::empty();
        for (_, part) in &parts {
            prop_assert!(union.intersection(part).is_empty(), "parts overlap");
            union = union.union(part);
        }
        prop_assert_eq!(&union, destination);
        let mut choices: Vec<&Choice> = parts.iter().map(|(c, _)| c).collect();
        choices.dedup();
        prop_assert_eq!(choices.len(), parts.len(), "one part per choice");
        for (choice, part) in &parts {
            for &(lo, hi) in part.ranges() {
                for addr in lo..=hi {
                    prop_assert_eq!(choice, &oracle(routes, addr as u32), "address {}", Ipv4Addr::from(addr as u32));
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn partition_matches_the_per_address_oracle(routes in routes(), offset in 0u32..65536, len in 22u8..=32) {
            let destination_net = Ipv4Net::new(Ipv4Addr::from(0x0a00_0000 | offset), len).unwrap().trunc();
            agrees_with_the_oracle(&routes, &PrefixSet::from_net(destination_net))?;
        }

        /// The same for destinations of several ranges with gaps between them (a service's
        /// public addresses), which the partition cuts only at the routes' edges (issue 7).
        #[test]
        fn partition_of_scattered_ranges_matches_the_oracle(
            routes in routes(),
            nets in proptest::collection::vec((0u32..65536, 24u8..=32), 1..6),
        ) {
            let nets: Vec<Ipv4Net> = nets.iter().map(|&(offset, len)| Ipv4Net::new(Ipv4Addr::from(0x0a00_0000 | offset), len).unwrap().trunc()).collect();
            agrees_with_the_oracle(&routes, &PrefixSet::from_nets(&nets))?;
        }
    }
}
