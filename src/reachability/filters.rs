//! Security group (SG-1..SG-8) and network ACL (NACL-1..NACL-6) evaluation over address sets.

use std::collections::BTreeSet;

use super::prefixes::{net_range, Coverage, PrefixSet};
use crate::model::*;

/// The far side of an SG check.
pub(crate) struct Peer<'a> {
    /// Addresses the packet is sent to / comes from.
    pub addresses: &'a PrefixSet,
    /// Security groups of the peer ENI, for SG-reference rules (SG-5, SG-6).
    pub groups: &'a [SecurityGroupId],
    /// The prefix list that by definition holds the service's addresses, so a rule naming it
    /// covers the destination even when its entries were not captured.
    pub own_prefix_list: Option<&'a PrefixListId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SgOutcome {
    Allowed,
    /// Only part of the addresses is allowed.
    Partial,
    Denied,
    /// A rule references a prefix list whose entries are not in the snapshot.
    Unknown(String),
}

/// SG-2: the union of the rules of all groups; a rule matches TCP `port` and the peer by
/// CIDR, prefix list or group membership.
pub(crate) fn evaluate_sg(snapshot: &Snapshot, groups: &[&SecurityGroup], is_egress: bool, port: u16, peer: &Peer<'_>) -> SgOutcome {
    // SG-3: only the rules present allow; a group with none in this direction allows nothing.
    let mut allowed = PrefixSet::empty();
    let mut unknown_lists = BTreeSet::new();
    for group in groups {
        let rules = if is_egress { &group.egress } else { &group.ingress };
        for rule in rules.iter().filter(|r| r.allows_tcp_port(port)) {
            allowed = allowed.union(&PrefixSet::from_nets(&rule.cidrs));
            for list in &rule.prefix_list_ids {
                if Some(list) == peer.own_prefix_list {
                    allowed = allowed.union(peer.addresses);
                    continue;
                }
                match snapshot.prefix_lists.get(list).and_then(|p| p.cidrs.as_ref()) {
                    Some(cidrs) => allowed = allowed.union(&PrefixSet::from_nets(cidrs)),
                    None => {
                        unknown_lists.insert(list.to_string());
                    }
                }
            }
            if rule.group_ids.iter().any(|g| peer.groups.contains(g)) {
                // SG-7: a reference matches the private IPs of member ENIs, i.e. the peer.
                allowed = allowed.union(peer.addresses);
            }
        }
    }
    match peer.addresses.covered_by(&allowed) {
        Coverage::All => SgOutcome::Allowed,
        _ if !unknown_lists.is_empty() => SgOutcome::Unknown(format!(
            "the entries of prefix list {} (referenced by a security group rule)",
            unknown_lists.into_iter().collect::<Vec<_>>().join(", ")
        )),
        Coverage::Part => SgOutcome::Partial,
        Coverage::None => SgOutcome::Denied,
    }
}

/// First-match result of a NACL over a set of (remote address, destination port) pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NaclOutcome {
    Allowed,
    /// Every pair is denied; the first denying entry, or `None` for the `*` rule.
    Denied(Option<NetworkAclEntry>),
    /// Some pairs are allowed and some denied (the first denying entry found).
    Partial(Option<NetworkAclEntry>),
}

/// The ACL (its address: the snapshot is borrowed, unchanged, for the whole analysis), the
/// direction and the ports; the remote set is the inner key, looked up without a copy.
type NaclKey = (usize, bool, (u16, u16));

thread_local! {
    /// Answers of [`evaluate_nacl`] for the snapshot being analysed on this thread: the subnets
    /// of a tier, and every service reached the same way, ask the same questions (issue 7).
    static NACL_ANSWERS: std::cell::RefCell<super::fxhash::Answers<NaclKey, PrefixSet, NaclOutcome>> = Default::default();
    /// Per ACL and direction, where the IPv4 CIDRs of its entries cut the address space
    /// ([`entry_cuts`]), and the answers for one range inside one of those intervals.
    static NACL_CUTS: std::cell::RefCell<FastMap<(usize, bool), Cuts>> = Default::default();
    static NACL_INTERVALS: std::cell::RefCell<FastMap<(NaclKey, usize), NaclOutcome>> = Default::default();
}

use super::fxhash::{FastMap, MakeRoom as _};

/// Sorted interval starts (see [`entry_cuts`]).
type Cuts = std::rc::Rc<[u64]>;

/// Forgets this thread's remembered answers (at the start and end of every analysis: the keys
/// are only unique within one snapshot).
pub(crate) fn clear_cache() {
    NACL_ANSWERS.with(|answers| answers.borrow_mut().clear());
    NACL_CUTS.with(|cuts| cuts.borrow_mut().clear());
    NACL_INTERVALS.with(|answers| answers.borrow_mut().clear());
}

/// The entries [`evaluate_nacl`] reads: IPv4, and matching TCP.
fn tcp_entries(acl: &NetworkAcl, is_egress: bool) -> impl Iterator<Item = &NetworkAclEntry> {
    if is_egress { acl.outbound.iter() } else { acl.inbound.iter() }.filter(|e| e.cidr.is_some() && e.protocol.matches_tcp())
}

/// The first address of every interval the entries' CIDRs cut the address space into, sorted:
/// every address of an interval is inside or outside each entry's CIDR alike.
fn entry_cuts(acl: &NetworkAcl, is_egress: bool) -> Cuts {
    let mut cuts = vec![0];
    for (a, b) in tcp_entries(acl, is_egress).filter_map(|e| e.cidr.as_ref()).map(net_range) {
        cuts.push(a);
        cuts.push(b + 1);
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.into()
}

/// [`evaluate_nacl`], remembered per thread until [`clear_cache`]. A remote that is one range
/// inside one interval of the entries' cuts is answered as any other such range of the same
/// interval: each cell of it is matched by the same entries (issue 7: the task CIDRs and
/// endpoint addresses a hub's ACLs are asked about fall in a few intervals).
pub(crate) fn evaluate_nacl_shared(acl: &NetworkAcl, is_egress: bool, remote: &PrefixSet, ports: (u16, u16)) -> NaclOutcome {
    let key = (std::ptr::from_ref(acl) as usize, is_egress, ports);
    if let &[(a, b)] = remote.ranges() {
        let cuts = NACL_CUTS.with(|cuts| {
            let mut cuts = cuts.borrow_mut();
            if let Some(known) = cuts.get(&(key.0, is_egress)) {
                return known.clone();
            }
            cuts.make_room();
            cuts.entry((key.0, is_egress)).or_insert_with(|| entry_cuts(acl, is_egress)).clone()
        });
        let interval = cuts.partition_point(|&s| s <= a);
        if interval == cuts.partition_point(|&s| s <= b) {
            let question = (key, interval);
            if let Some(known) = NACL_INTERVALS.with(|answers| answers.borrow().get(&question).cloned()) {
                return known;
            }
            let outcome = evaluate_nacl(acl, is_egress, remote, ports);
            NACL_INTERVALS.with(|answers| {
                let mut answers = answers.borrow_mut();
                answers.make_room();
                answers.insert(question, outcome.clone());
            });
            return outcome;
        }
    }
    if let Some(known) = NACL_ANSWERS.with(|answers| answers.borrow().get(&key, remote)) {
        return known;
    }
    let outcome = evaluate_nacl(acl, is_egress, remote, ports);
    NACL_ANSWERS.with(|answers| answers.borrow_mut().insert(key, remote.clone(), outcome.clone()));
    outcome
}

/// NACL-2: rules in number order, first match decides, `*` denies the rest. The remote set
/// and port range are cut into cells on every rule boundary, so each cell is decided by one
/// rule and the answer is exact.
pub(crate) fn evaluate_nacl(acl: &NetworkAcl, is_egress: bool, remote: &PrefixSet, ports: (u16, u16)) -> NaclOutcome {
    let entries: Vec<&NetworkAclEntry> = tcp_entries(acl, is_egress).collect();
    let mut addr_cuts: BTreeSet<u64> = BTreeSet::new();
    let mut port_cuts: BTreeSet<u32> = BTreeSet::new();
    for &(a, b) in remote.ranges() {
        addr_cuts.insert(a);
        addr_cuts.insert(b + 1);
    }
    port_cuts.insert(u32::from(ports.0));
    port_cuts.insert(u32::from(ports.1) + 1);
    for entry in &entries {
        if let Some(cidr) = entry.cidr {
            let (a, b) = net_range(&cidr);
            addr_cuts.insert(a);
            addr_cuts.insert(b + 1);
        }
        if let (Protocol::Tcp, Some((from, to))) = (entry.protocol, entry.ports) {
            port_cuts.insert(u32::from(from));
            port_cuts.insert(u32::from(to) + 1);
        }
    }
    let addr_cuts: Vec<u64> = addr_cuts.into_iter().collect();
    let port_cuts: Vec<u32> = port_cuts.into_iter().filter(|p| *p >= u32::from(ports.0) && *p <= u32::from(ports.1) + 1).collect();

    let mut any_allowed = false;
    let mut any_denied = false;
    let mut first_deny: Option<&NetworkAclEntry> = None;
    for window in addr_cuts.windows(2) {
        let &[lo, next] = window else { continue };
        let hi = next - 1;
        if !remote.ranges().iter().any(|&(a, b)| a <= lo && hi <= b) {
            continue;
        }
        for pw in port_cuts.windows(2) {
            let Some(&port) = pw.first() else { continue };
            let decision = entries.iter().find(|e| {
                let in_cidr = e.cidr.map(|c| {
                    let (a, b) = net_range(&c);
                    a <= lo && hi <= b
                });
                let in_ports = match (e.protocol, e.ports) {
                    (Protocol::Tcp, Some((from, to))) => u32::from(from) <= port && port <= u32::from(to),
                    _ => true,
                };
                in_cidr == Some(true) && in_ports
            });
            match decision {
                Some(e) if e.is_allow => any_allowed = true,
                Some(e) => {
                    any_denied = true;
                    if first_deny.is_none_or(|d| e.rule_number < d.rule_number) {
                        first_deny = Some(e);
                    }
                }
                None => any_denied = true,
            }
        }
    }
    match (any_allowed, any_denied) {
        (_, false) => NaclOutcome::Allowed,
        (false, true) => NaclOutcome::Denied(first_deny.cloned()),
        (true, true) => NaclOutcome::Partial(first_deny.cloned()),
    }
}

/// The ephemeral ranges of NACL-6: what AWS recommends opening, and the Linux default that
/// a Fargate task most likely uses.
pub(crate) const EPHEMERAL_FULL: (u16, u16) = (1024, 65535);
pub(crate) const EPHEMERAL_LINUX: (u16, u16) = (32768, 60999);

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use ipnet::Ipv4Net;
    use proptest::prelude::*;

    use super::*;

    /// A small universe so the oracle can enumerate every (address, port) pair: addresses in
    /// 10.0.0.0/26 (plus entries for 0.0.0.0/0 and an IPv6 entry), ports 440..=447.
    const BASE: u32 = 0x0A00_0000;
    const PORTS: (u16, u16) = (440, 447);

    fn entry() -> impl Strategy<Value = NetworkAclEntry> {
        let cidr = prop_oneof![
            8 => (0u32..64, 26u8..=32).prop_map(|(offset, len)| Some(Ipv4Net::new(Ipv4Addr::from(BASE + offset), len).unwrap().trunc())),
            1 => Just(Some("0.0.0.0/0".parse().unwrap())),
            1 => Just(None),
        ];
        let protocol = prop_oneof![Just(Protocol::Tcp), Just(Protocol::All), Just(Protocol::Udp), Just(Protocol::Other(50))];
        let ports = prop_oneof![Just(None), (436u16..452, 0u16..6).prop_map(|(from, len)| Some((from, from + len)))];
        (1i64..40, protocol, any::<bool>(), cidr, ports).prop_map(|(rule_number, protocol, is_allow, cidr, ports)| NetworkAclEntry {
            rule_number,
            protocol,
            is_allow,
            is_egress: true,
            cidr,
            ports,
            span: Span::default(),
        })
    }

    fn acl() -> impl Strategy<Value = NetworkAcl> {
        proptest::collection::vec(entry(), 0..8).prop_map(|mut entries| {
            // The model's invariant: unique rule numbers, sorted (NACL-2).
            entries.sort_by_key(|e| e.rule_number);
            entries.dedup_by_key(|e| e.rule_number);
            NetworkAcl {
                id: "acl-1".into(),
                vpc_id: "vpc-1".into(),
                is_default: false,
                subnet_ids: Vec::new(),
                inbound: Vec::new(),
                outbound: entries,
                inbound_default: None,
                outbound_default: None,
                span: Span::default(),
            }
        })
    }

    fn remote() -> impl Strategy<Value = PrefixSet> {
        proptest::collection::vec((0u64..64, 0u64..16), 1..4).prop_map(|v| {
            PrefixSet::from_ranges(v.into_iter().map(|(a, l)| (u64::from(BASE) + a, u64::from(BASE) + (a + l).min(63))).collect())
        })
    }

    /// NACL-2 read literally, one packet at a time: of the entries that match (IPv4 CIDR holds
    /// the address; protocol -1, or TCP with no range or a range holding the port), the lowest
    /// rule number decides; none matching is the `*` deny.
    fn oracle(acl: &NetworkAcl, remote: &PrefixSet, ports: (u16, u16)) -> NaclOutcome {
        let mut allowed = false;
        let mut denied = false;
        let mut first_deny: Option<&NetworkAclEntry> = None;
        for &(a, b) in remote.ranges() {
            for addr in a..=b {
                let ip = Ipv4Addr::from(u32::try_from(addr).unwrap());
                for port in ports.0..=ports.1 {
                    let decider = acl
                        .outbound
                        .iter()
                        .filter(|e| e.cidr.is_some_and(|c| c.contains(&ip)))
                        .filter(|e| match e.protocol {
                            Protocol::All => true,
                            Protocol::Tcp => e.ports.is_none_or(|(from, to)| from <= port && port <= to),
                            _ => false,
                        })
                        .min_by_key(|e| e.rule_number);
                    match decider {
                        Some(e) if e.is_allow => allowed = true,
                        Some(e) => {
                            denied = true;
                            if first_deny.is_none_or(|d| e.rule_number < d.rule_number) {
                                first_deny = Some(e);
                            }
                        }
                        None => denied = true,
                    }
                }
            }
        }
        match (allowed, denied) {
            (_, false) => NaclOutcome::Allowed,
            (false, true) => NaclOutcome::Denied(first_deny.cloned()),
            (true, true) => NaclOutcome::Partial(first_deny.cloned()),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The cell-splitting evaluation equals the packet-by-packet reading of NACL-2,
        /// including which denying entry is reported.
        #[test]
        fn nacl_evaluation_matches_packet_by_packet_oracle(acl in acl(), remote in remote(), from in 440u16..448, len in 0u16..8) {
            let ports = (from, (from + len).min(PORTS.1));
            prop_assert_eq!(evaluate_nacl(&acl, true, &remote, ports), oracle(&acl, &remote, ports));
        }

        /// Remembered answers, those given per interval of the entries' cuts included, are
        /// the oracle's for every remote asked in turn (single addresses and ranges, which
        /// share intervals, and sets of several ranges).
        #[test]
        fn remembered_nacl_answers_match_the_oracle(acl in acl(), remotes in proptest::collection::vec(remote(), 1..12), from in 440u16..448) {
            // The cache is keyed by the ACL's address, which a later case may reuse.
            clear_cache();
            let ports = (from, (from + 2).min(PORTS.1));
            for remote in &remotes {
                for single in std::iter::once(remote.clone()).chain(remote.ranges().iter().map(|&r| PrefixSet::from_ranges(vec![r]))) {
                    prop_assert_eq!(evaluate_nacl_shared(&acl, true, &single, ports), oracle(&acl, &single, ports));
                }
            }
            clear_cache();
        }
    }

    #[test]
    fn lower_rule_number_wins_over_later_allow() {
        let deny = NetworkAclEntry {
            rule_number: 90,
            protocol: Protocol::Tcp,
            is_allow: false,
            is_egress: true,
            cidr: Some("10.0.0.0/26".parse().unwrap()),
            ports: Some((443, 443)),
            span: Span::default(),
        };
        let allow = NetworkAclEntry {
            rule_number: 100,
            protocol: Protocol::All,
            is_allow: true,
            cidr: Some("0.0.0.0/0".parse().unwrap()),
            ports: None,
            ..deny.clone()
        };
        let acl = NetworkAcl {
            id: "acl-1".into(),
            vpc_id: "vpc-1".into(),
            is_default: false,
            subnet_ids: Vec::new(),
            inbound: Vec::new(),
            outbound: vec![deny.clone(), allow],
            inbound_default: None,
            outbound_default: None,
            span: Span::default(),
        };
        let remote = PrefixSet::from_net("10.0.0.5/32".parse().unwrap());
        assert_eq!(evaluate_nacl(&acl, true, &remote, (443, 443)), NaclOutcome::Denied(Some(deny)));
        assert_eq!(evaluate_nacl(&acl, true, &remote, (444, 444)), NaclOutcome::Allowed);
    }
}
