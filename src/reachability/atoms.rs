//! Address atoms (issue 7): the snapshot's prefixes cut the IPv4 space into intervals, and two
//! addresses in the same interval are inside or outside every one of those prefixes together.
//!
//! Every prefix an address is compared with while a packet is walked to a private address is
//! one of the snapshot's: route destinations of VPC and transit gateway tables (and the entries
//! of the prefix lists they name), NACL entries, security-group rules (CIDRs and prefix lists),
//! VPC and subnet CIDRs (the local route, the subnet that holds an address), and the
//! special-purpose ranges that are never public. So every route selection, NACL and
//! security-group evaluation answers the same for two addresses of one atom; only the texts
//! that name the address differ.

use crate::model::Snapshot;

use super::prefixes::{net_range, PrefixSet};

/// The first address of every interval, sorted (0 is always one).
#[derive(Debug)]
pub(crate) struct Atoms {
    starts: Vec<u64>,
}

impl Atoms {
    pub(crate) fn new(snapshot: &Snapshot) -> Self {
        let mut starts = vec![0];
        let mut cut = |(a, b): (u64, u64)| {
            starts.push(a);
            starts.push(b + 1);
        };
        let nets = snapshot
            .vpcs
            .values()
            .flat_map(|v| v.cidrs.iter())
            .chain(snapshot.subnets.values().filter_map(|s| s.cidr.as_ref()))
            .chain(snapshot.prefix_lists.values().filter_map(|p| p.cidrs.as_ref()).flatten())
            .chain(snapshot.network_acls.values().flat_map(|a| a.inbound.iter().chain(&a.outbound)).filter_map(|e| e.cidr.as_ref()))
            .chain(snapshot.security_groups.values().flat_map(|g| g.ingress.iter().chain(&g.egress)).flat_map(|r| r.cidrs.iter()));
        for net in nets {
            cut(net_range(net));
        }
        let routes = snapshot
            .route_tables
            .values()
            .flat_map(|t| t.routes.iter())
            .chain(snapshot.tgw_route_tables.values().flat_map(|t| t.routes.iter()));
        for route in routes {
            if let crate::model::RouteDestination::Ipv4(net) = &route.destination {
                cut(net_range(net));
            }
        }
        for &range in PrefixSet::public_internet().ranges() {
            cut(range);
        }
        starts.sort_unstable();
        starts.dedup();
        Atoms { starts }
    }

    /// The atom of a single address; `None` for any other set.
    pub(crate) fn of(&self, addresses: &PrefixSet) -> Option<usize> {
        match addresses.ranges() {
            &[(a, b)] if a == b => Some(self.starts.partition_point(|&s| s <= a)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_share_an_atom_only_between_the_same_boundaries() {
        let text = r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
            "Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"}],
            "NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Associations": [], "Entries": [
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "10.0.1.7/32"}]}]}"#;
        let snapshot = crate::model::load_str("atoms.json", text).expect("loads");
        let atoms = Atoms::new(&snapshot);
        let atom = |ip: &str| atoms.of(&PrefixSet::from_addr(ip.parse().expect("an address")));
        assert_eq!(atom("10.0.1.5"), atom("10.0.1.6"));
        // The NACL entry's /32 is its own atom.
        assert_ne!(atom("10.0.1.6"), atom("10.0.1.7"));
        assert_ne!(atom("10.0.1.7"), atom("10.0.1.8"));
        assert_eq!(atom("10.0.1.8"), atom("10.0.1.200"));
        // The subnet's and the VPC's edges.
        assert_ne!(atom("10.0.1.255"), atom("10.0.2.0"));
        assert_ne!(atom("10.0.255.255"), atom("10.1.0.0"));
        assert_eq!(atoms.of(&PrefixSet::from_net("10.0.1.0/24".parse().expect("a CIDR"))), None);
    }
}
