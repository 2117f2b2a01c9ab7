//! Paths that leave the task's VPC: transit gateways (TGW-1..TGW-15) and VPC peering
//! (PCX-1..PCX-11), with the reply's route checked back along every crossing.
//!
//! A [`Walk`] follows one part of the destination from a route of the task's table to a
//! transit gateway or peering connection, then through TGW route tables and attachments into
//! other VPCs, until the packet is delivered to an ENI, leaves through a NAT gateway and an
//! internet gateway, or is dropped. Every table visited is remembered, so a routing loop ends
//! the walk with the cycle named instead of recursing.

use super::filters::{self, NaclOutcome, EPHEMERAL_FULL};
use super::lpm::{self, Choice};
use super::prefixes::{Coverage, PrefixSet};
use super::*;

/// Tables a single walk may visit before it is declared a loop (a TTL, in effect).
const MAX_TABLES: usize = 32;

/// What the packet is after once it leaves the task's VPC.
#[derive(Clone, Copy)]
pub(super) enum Goal<'g, 'a> {
    /// The service's public addresses: an internet exit somewhere (NAT gateway, then IGW).
    Internet,
    /// A private address in a subnet of another VPC (an interface endpoint ENI, a `--to`).
    Deliver(&'g Delivery<'a>),
    /// A private address in no subnet of the snapshot: followed until it leaves the snapshot.
    Outside,
}

pub(super) struct Delivery<'a> {
    pub subnet: &'a Subnet,
    pub addresses: PrefixSet,
}

/// How the packet entered the VPC it is in.
#[derive(Clone, Copy)]
enum Entry<'a> {
    /// From a transit gateway, through `attachment`'s ENI in `ingress` (TGW-3).
    Tgw { tgw: &'a TransitGatewayId, attachment: &'a TgwAttachment, ingress: &'a Subnet },
    /// Over a peering connection (PCX-5: only local delivery from here).
    Peering,
}

/// A boundary the request crossed, to be crossed back by the reply.
#[derive(Clone, Copy)]
enum Crossing<'a> {
    /// A TGW route table lookup for a packet arriving from `from` and sent to `to`.
    TgwTable {
        from: &'a TgwAttachment,
        to: &'a TgwAttachment,
    },
    /// From the TGW into a VPC through `attachment`.
    IntoVpc {
        tgw: &'a TransitGatewayId,
    },
    Peering {
        pcx: &'a PeeringConnection,
    },
}

/// Whether security groups on either side of a crossing may match the other side's groups by
/// reference (SG-5, SG-6, PCX-9, TGW-12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SgReferences {
    /// The destination's inbound rules may match the task's groups.
    pub inbound: bool,
    /// The task's outbound rules may match the destination's groups.
    pub outbound: bool,
}

/// The result of a walk: whether (and how) the goal was reached is in the outcome's facts.
pub(super) struct Walk<'s, 'a> {
    source: &'s Source<'a>,
    goal: Goal<'s, 'a>,
    own_list: Option<&'s PrefixListId>,
    description: &'s str,
    visited: Vec<String>,
    crossings: Vec<Crossing<'a>>,
    /// Hops of the reply's route lookups, shown after the destination.
    pub return_hops: Vec<Hop>,
    /// Set on delivery: whether security-group references work across the crossing, each way
    /// (PCX-9, TGW-12).
    pub sg_references_allowed: Option<SgReferences>,
    /// Deliveries made so far (tells whether a shared walk set `sg_references_allowed`).
    deliveries: usize,
    /// While a walk beyond the first TGW table is being remembered: what it depended on.
    recording: Option<Recording<'a>>,
}

/// Walks remembered per thread within one analysis (issue 7): from a VPC's attachment, entered
/// from the first transit gateway table a pair's packet meets, to its delivery or internet exit
/// and the reply's route back. In a hub-and-spoke estate every spoke's pairs to a centralized
/// endpoint or NAT gateway walk the same hub, so that walk is done once per destination part
/// and replayed for the others.
///
/// A remembered walk depends on the task's addresses only through the checks it records (NACL
/// evaluations and route selections with the task's CIDR as the remote or destination); a
/// later pair replays it only when every one of those checks answers the same for its own
/// CIDR. Only walks that raised no fact of their own are remembered: their hops name no
/// address of the task. The reply's lookup in the first table (whose route must point back at
/// the pair's own attachment) is not remembered but made again, in place, for every pair.
#[derive(Default)]
pub(super) struct HubMemo<'a> {
    walks: FastMap<HubKey, Rc<HubWalk<'a>>>,
    /// The reply's lookups in a first TGW table toward the task subnet being analysed: per
    /// (attachment left by, attachment arrived from), the hops and facts (shared by the
    /// services of a subnet); emptied for each subnet.
    first_tables: FastMap<FirstTableKey, Rc<Replies>>,
    /// ENI walks from the task subnet being analysed that raised no fact (see
    /// [`super::CleanEni`]), with their hops when the walk was shown; emptied for each subnet.
    pub(super) clean_enis: FastMap<super::CleanEni<'a>, Option<Rc<super::CleanHops>>>,
    /// The hop of each ENI (its address) a reused walk was shown to, with the destination's
    /// kind, ID and span it was written for (checked when it is taken again).
    pub(super) destination_hops: FastMap<usize, super::Hop>,
    /// Walks from the task subnet being analysed to public addresses that raised no fact (see
    /// [`super::PublicWalk`]); emptied for each subnet.
    pub(super) public_walks: FastMap<super::PublicWalk, super::Outcome>,
    /// Each interface endpoint's ENI, addresses and atom in each of its subnets (see
    /// [`super::eni_target`]), for the whole analysis.
    pub(super) eni_targets: FastMap<(usize, usize), Rc<super::EniTarget<'a>>>,
}

impl HubMemo<'_> {
    /// Forgets what belongs to the task subnet analysed last (clean ENI walks, public walks,
    /// first-table replies): the next subnet's pairs never ask for it.
    pub(super) fn next_subnet(&mut self) {
        self.clean_enis.clear();
        self.public_walks.clear();
        self.first_tables.clear();
    }
}

/// The attachments left by and arrived from (their addresses).
type FirstTableKey = (usize, usize);
/// Hops and facts of a reply's lookup.
type Replies = (Vec<Hop>, Vec<Fact>);

use super::fxhash::FastMap;
use std::rc::Rc;

/// Everything a walk from a VPC attachment reads, besides the task's addresses.
#[derive(PartialEq, Eq, Hash)]
struct HubKey {
    /// The attachment entered (its address in the snapshot, which outlives the memo).
    attachment: usize,
    /// The task's AZ, name and ID (TGW-4 keeps it without appliance mode).
    az: (Option<String>, Option<String>),
    destination: PrefixSet,
    /// `None`: the internet; `Some(None)`: outside the snapshot; else the delivery subnet (its
    /// address) and addresses.
    goal: Option<Option<(usize, PrefixSet)>>,
    own_list: Option<PrefixListId>,
    description: String,
    port: u16,
    /// Tables visited before (MAX_TABLES counts them).
    depth: usize,
    /// TGW-12 reads the first attachment's option and the task's region.
    first_sg_referencing: Option<bool>,
    task_region: Option<std::sync::Arc<str>>,
}

/// A remembered walk.
struct HubWalk<'a> {
    hops: Vec<Hop>,
    returns: Vec<ReturnItem>,
    egress: Option<Egress>,
    /// The last delivery's TGW-12 answer, when the walk delivered.
    sg_references: Option<Option<SgReferences>>,
    checks: Vec<Check<'a>>,
    /// Tables entered (a replay verifies none was visited before: a loop).
    entered: Vec<String>,
}

enum ReturnItem {
    Hop(Hop),
    /// The reply's lookup in the first TGW table, made again for each pair.
    FirstTable,
}

/// A check whose answer depends on the task's addresses.
#[derive(Clone, Copy)]
enum Check<'a> {
    /// A NACL evaluation with the task's CIDR as the remote, which allowed it.
    Nacl { acl: &'a NetworkAcl, is_egress: bool, ports: (u16, u16) },
    /// A route selection for the task's CIDR, where route `route` takes all of it.
    Route { routes: &'a [Route], route: usize },
}

impl PartialEq for Check<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Check::Nacl { acl: a, is_egress: e, ports: p }, Check::Nacl { acl: b, is_egress: f, ports: q }) => {
                std::ptr::eq(*a, *b) && e == f && p == q
            }
            (Check::Route { routes: a, route: i }, Check::Route { routes: b, route: j }) => {
                std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len() && i == j
            }
            _ => false,
        }
    }
}

/// What a walk being remembered has depended on so far.
struct Recording<'a> {
    checks: Vec<Check<'a>>,
    entered: Vec<String>,
    /// False once the walk did something a replay could not reproduce.
    is_reusable: bool,
    /// Where the walk's reply hops start in `return_hops`.
    returns_start: usize,
    /// The first table's reply lookups made during the walk: where their hops start, how many.
    first_table: Vec<(usize, usize)>,
    /// Facts raised by those lookups (the only facts a remembered walk may have).
    first_table_facts: usize,
}

impl<'s, 'a> Walk<'s, 'a> {
    pub(super) fn new(source: &'s Source<'a>, goal: Goal<'s, 'a>, own_list: Option<&'s PrefixListId>, description: &'s str) -> Self {
        Walk {
            source,
            goal,
            own_list,
            description,
            visited: vec![source.table.id.to_string()],
            crossings: Vec::new(),
            return_hops: Vec::new(),
            sg_references_allowed: None,
            deliveries: 0,
            recording: None,
        }
    }

    fn snapshot(&self) -> &'a Snapshot {
        self.source.snapshot
    }

    /// Records a table visit; a second visit is a routing loop.
    fn enter(&mut self, id: &str, route: Option<Span>, o: &mut Outcome) -> bool {
        if let Some(position) = self.visited.iter().position(|v| v == id) {
            let mut cycle: Vec<String> = self.visited.get(position..).unwrap_or_default().to_vec();
            cycle.push(id.to_owned());
            o.facts.push(Fact::RoutingLoop { cycle, route_table: id.to_owned(), route });
            return false;
        }
        if self.visited.len() >= MAX_TABLES {
            let mut cycle = self.visited.clone();
            cycle.push(id.to_owned());
            o.facts.push(Fact::RoutingLoop { cycle, route_table: id.to_owned(), route });
            return false;
        }
        self.visited.push(id.to_owned());
        if let Some(recording) = &mut self.recording {
            recording.entered.push(id.to_owned());
        }
        true
    }

    /// A NACL check with the task's CIDR as the remote (recorded when remembering a walk).
    fn task_nacl(&mut self, subnet: &'a Subnet, is_egress: bool, leg: Leg, ports: (u16, u16), facts: &mut Vec<Fact>) {
        let before = facts.len();
        nacl_check(self.source, subnet, is_egress, leg, &self.source.cidr, ports, facts);
        if let Some(recording) = &mut self.recording {
            // No fact means the ACL allowed it (NACL-6 included); anything else is not reused.
            match self.source.lookups.network_acl(&subnet.id) {
                Some(acl) if facts.len() == before => recording.checks.push(Check::Nacl { acl, is_egress, ports }),
                _ => recording.is_reusable = false,
            }
        }
    }

    /// Route selection for the task's CIDR in `routes` (recorded when remembering a walk).
    fn task_routes(&mut self, routes: &'a [Route]) -> lpm::Parts {
        let parts = lpm::partition_shared(self.snapshot(), routes, &self.source.cidr, None);
        if let Some(recording) = &mut self.recording {
            match &*parts {
                [(Choice::Route(i), part)] if *part == *self.source.cidr => recording.checks.push(Check::Route { routes, route: *i }),
                _ => recording.is_reusable = false,
            }
        }
        parts
    }

    /// Whether `walk`'s recorded checks answer the same for this pair's task.
    fn replays(&self, walk: &HubWalk<'a>) -> bool {
        let snapshot = self.snapshot();
        let task = &self.source.cidr;
        walk.entered.iter().all(|t| !self.visited.contains(t))
            && walk.checks.iter().all(|check| match *check {
                Check::Nacl { acl, is_egress, ports } => filters::evaluate_nacl_shared(acl, is_egress, task, ports) == NaclOutcome::Allowed,
                Check::Route { routes, route } => match &*lpm::partition_shared(snapshot, routes, task, None) {
                    [(Choice::Route(i), part)] => *i == route && *part == **task,
                    _ => false,
                },
            })
    }

    /// TGW-3, TGW-4 from the first TGW table of the walk: a remembered walk replayed, or the
    /// walk made (and remembered when it can be reused).
    fn enter_vpc_shared(
        &mut self,
        from: &'a TgwAttachment,
        tgw: &'a TransitGatewayId,
        attachment: &'a TgwAttachment,
        az: Zone<'_>,
        dst: &PrefixSet,
        o: &mut Outcome,
    ) {
        let Some(memo) = self.source.hub else {
            self.enter_vpc(tgw, attachment, az, dst, o);
            return;
        };
        let key = HubKey {
            attachment: std::ptr::from_ref(attachment) as usize,
            az: (az.name.map(str::to_owned), az.id.map(str::to_owned)),
            destination: dst.clone(),
            goal: match self.goal {
                Goal::Internet => None,
                Goal::Outside => Some(None),
                Goal::Deliver(d) => Some(Some((std::ptr::from_ref(d.subnet) as usize, d.addresses.clone()))),
            },
            own_list: self.own_list.cloned(),
            description: self.description.to_owned(),
            port: self.source.port,
            depth: self.visited.len(),
            first_sg_referencing: from.sg_referencing,
            task_region: self.source.task_region(),
        };
        let known = memo.borrow().walks.get(&key).cloned();
        if let Some(walk) = known.filter(|w| self.replays(w)) {
            #[cfg(test)]
            tests::REPLAYS.set(tests::REPLAYS.get() + 1);
            o.hops.extend(walk.hops.iter().cloned());
            for item in &walk.returns {
                match item {
                    ReturnItem::Hop(h) => self.return_hops.push(h.clone()),
                    ReturnItem::FirstTable => self.reverse_first_table(o),
                }
            }
            if walk.egress.is_some() {
                o.egress = walk.egress;
            }
            if let Some(answer) = walk.sg_references {
                self.sg_references_allowed = answer;
            }
            return;
        }
        // A remembered walk is replayed into shown paths: its hops are written in full.
        let _loud = super::Quiet::off();
        self.recording = Some(Recording {
            checks: Vec::new(),
            entered: Vec::new(),
            is_reusable: true,
            returns_start: self.return_hops.len(),
            first_table: Vec::new(),
            first_table_facts: 0,
        });
        let deliveries = self.deliveries;
        let mut sub = Outcome::default();
        self.enter_vpc(tgw, attachment, az, dst, &mut sub);
        let Some(recording) = self.recording.take() else { return };
        if recording.is_reusable && sub.facts.len() == recording.first_table_facts {
            let mut returns = Vec::new();
            let mut first_table = recording.first_table.iter().peekable();
            let mut skip = 0;
            for (at, h) in self.return_hops.iter().enumerate().skip(recording.returns_start) {
                while let Some(&&(start, count)) = first_table.peek() {
                    if start != at {
                        break;
                    }
                    returns.push(ReturnItem::FirstTable);
                    skip += count;
                    first_table.next();
                }
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                returns.push(ReturnItem::Hop(h.clone()));
            }
            // A lookup that added no hop still stands in its place.
            returns.extend(first_table.map(|_| ReturnItem::FirstTable));
            let mut checks: Vec<Check<'a>> = Vec::new();
            for check in recording.checks {
                if !checks.contains(&check) {
                    checks.push(check);
                }
            }
            let walk = HubWalk {
                hops: sub.hops.clone(),
                returns,
                egress: sub.egress,
                sg_references: (self.deliveries != deliveries).then_some(self.sg_references_allowed),
                checks,
                entered: recording.entered,
            };
            memo.borrow_mut().walks.insert(key, Rc::new(walk));
        }
        o.hops.extend(sub.hops);
        o.facts.extend(sub.facts);
        if sub.egress.is_some() {
            o.egress = sub.egress;
        }
    }

    fn leave(&mut self) {
        self.visited.pop();
    }

    fn is_captured(&self, key: &str) -> bool {
        self.snapshot().is_captured_anywhere(key)
    }

    /// A route of a VPC table (`table`, in `from_subnet`'s VPC) sends `dst` to `tgw_id`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn via_tgw(
        &mut self,
        from_subnet: &'a Subnet,
        is_origin: bool,
        table: &RouteTable,
        route: &Route,
        tgw_id: &TransitGatewayId,
        dst: &PrefixSet,
        o: &mut Outcome,
    ) {
        let snapshot = self.snapshot();
        let vpc = &from_subnet.vpc_id;
        let Some(attachment) = self.source.lookups.tgw_attachment_of_vpc(tgw_id, vpc) else {
            if self.is_captured("TransitGatewayVpcAttachments") || self.is_captured("TransitGatewayAttachments") {
                // RT-13, TGW-14: a TGW is a route target only with an attachment in the VPC.
                o.facts.push(Fact::TgwAttachmentUnusable {
                    tgw: tgw_id.clone(),
                    attachment: None,
                    vpc: Some(vpc.clone()),
                    reason: format!("{vpc} has no attachment to {tgw_id}"),
                    route_table: Some(table.id.clone()),
                    route: Some(route.span),
                });
            } else {
                o.facts.push(Fact::NotCaptured {
                    key: "TransitGatewayVpcAttachments".to_owned(),
                    needed_for: format!("the attachment of {vpc} to {tgw_id}"),
                    resource_id: tgw_id.to_string(),
                });
            }
            return;
        };
        let tgw_id: &'a TransitGatewayId = &attachment.tgw;
        let zone = from_subnet.zone();
        let az = zone.name;
        // TGW-2: only an attachment subnet in the source's AZ carries its traffic.
        let in_az = attachment.subnet_ids.iter().filter_map(|s| self.source.lookups.subnet(s)).find(|s| zone.holds(s));
        // The attachment is the VPC's, and `in_az` is in the source's AZ (or none is).
        let site = ("attachment", std::ptr::from_ref(attachment) as usize, in_az.map_or(0, |s| std::ptr::from_ref(s) as usize));
        o.hops.push(hop_at(site, || {
            hop(
                "transit_gateway_attachment",
                &attachment.id,
                match in_az {
                    Some(s) => format!("{vpc} → {tgw_id} through {} ({})", s.id, az.unwrap_or("?")),
                    None => format!("{vpc} → {tgw_id}"),
                },
                Some(attachment.span),
            )
        }));
        if !attachment.is_available() {
            o.facts.push(Fact::TgwAttachmentUnusable {
                tgw: tgw_id.clone(),
                attachment: Some(attachment.id.clone()),
                vpc: Some(vpc.clone()),
                reason: format!("attachment {} is `{}`, not `available` (TGW-10)", attachment.id, attachment.state),
                route_table: Some(table.id.clone()),
                route: Some(route.span),
            });
            return;
        }
        let Some(ingress) = in_az else {
            let Some(az) = az else {
                o.facts.push(Fact::NotCaptured {
                    key: "Subnets".to_owned(),
                    needed_for: format!("the Availability Zone of {} (TGW-2)", from_subnet.id),
                    resource_id: from_subnet.id.to_string(),
                });
                return;
            };
            let mut attachment_azs: Vec<String> =
                attachment.subnet_ids.iter().filter_map(|s| snapshot.subnets.get(s).and_then(|s| s.availability_zone.clone())).collect();
            attachment_azs.sort();
            o.facts.push(Fact::TgwNoAttachmentInAz {
                tgw: tgw_id.clone(),
                attachment: attachment.id.clone(),
                subnet: from_subnet.id.clone(),
                az: az.to_owned(),
                attachment_azs,
            });
            return;
        };
        if is_origin {
            into_tgw(self.source, from_subnet, ingress, dst, &mut o.facts);
        }
        o.hops.push(hop_at(("tgw", std::ptr::from_ref(tgw_id) as usize, 0), || {
            let tgw = snapshot.transit_gateways.get(tgw_id);
            hop(
                "transit_gateway",
                tgw_id,
                tgw.and_then(|t| t.name.as_deref()).map_or("transit gateway".to_owned(), |n| format!("transit gateway {n}")),
                tgw.map(|t| t.span),
            )
        }));
        self.tgw_lookup(tgw_id, attachment, zone, dst, o);
    }

    /// TGW-5, TGW-8: the lookup in the table associated with `from`.
    fn tgw_lookup(&mut self, tgw: &'a TransitGatewayId, from: &'a TgwAttachment, az: Zone<'_>, dst: &PrefixSet, o: &mut Outcome) {
        let snapshot = self.snapshot();
        let Some(table) = self.associated_table(tgw, from, false, o) else { return };
        if !self.enter(table.id.as_str(), None, o) {
            return;
        }
        for (choice, part) in lpm::partition_shared(snapshot, &table.routes, dst, self.own_list).iter() {
            let description = if *part == *dst { self.description.to_owned() } else { part.to_string() };
            let route = match choice {
                Choice::Route(i) => match table.routes.get(*i) {
                    Some(r) => r,
                    None => continue,
                },
                Choice::NoRoute => {
                    o.hops.push(hop(
                        "transit_gateway_route_table",
                        &table.id,
                        format_args!("no route for {description}"),
                        Some(table.span),
                    ));
                    if table.unresolved_propagations.is_empty() && table.routes_captured && !table.is_truncated {
                        o.facts.push(Fact::TgwNoRoute {
                            table: table.id.clone(),
                            destination: description,
                            from: from.id.clone(),
                            route: None,
                            is_blackhole: false,
                            is_return: false,
                        });
                    } else {
                        o.facts.push(tgw_routes_incomplete(table));
                    }
                    continue;
                }
                Choice::Ambiguous(routes) => {
                    o.facts.push(Fact::UnmodelledHop {
                        route_table: RouteTableId::from(table.id.to_string()),
                        route: routes.first().and_then(|i| table.routes.get(*i)).map_or(table.span, |r| r.span),
                        target_kind: "equal-cost transit gateway routes (ECMP or identical propagated CIDRs, TGW-7)".to_owned(),
                        target: routes
                            .iter()
                            .filter_map(|i| table.routes.get(*i))
                            .map(|r| r.target.id().to_owned())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                    continue;
                }
                Choice::UnknownPrefixList(_) => {
                    o.facts.push(Fact::NotCaptured {
                        key: "ManagedPrefixLists".to_owned(),
                        needed_for: format!("a prefix-list route of {}", table.id),
                        resource_id: table.id.to_string(),
                    });
                    continue;
                }
            };
            o.hops.push(hop_at(("tgw_route", std::ptr::from_ref(route) as usize, 0), || {
                let origin = if route.origin == RouteOrigin::Propagated { "propagated" } else { "static" };
                hop(
                    "transit_gateway_route_table",
                    &table.id,
                    format_args!("{} → {} ({origin})", route.destination, route.target.id()),
                    Some(route.span),
                )
            }));
            // TGW-7, TGW-8: routes the snapshot does not hold (learned over BGP, or past a
            // truncated list) may be more specific than the one chosen, and would win.
            if may_hide_longer_routes(table, route) {
                o.facts.push(tgw_routes_incomplete(table));
            }
            let RouteTarget::TgwAttachment(to_id) = &route.target else {
                // TGW-9: a blackhole route drops.
                o.facts.push(Fact::TgwNoRoute {
                    table: table.id.clone(),
                    destination: description,
                    from: from.id.clone(),
                    route: Some(route.span),
                    is_blackhole: true,
                    is_return: false,
                });
                continue;
            };
            let Some(to) = self.source.lookups.tgw_attachment(tgw, to_id) else {
                o.facts.push(Fact::NotCaptured {
                    key: "TransitGatewayAttachments".to_owned(),
                    needed_for: format!("attachment {to_id} of {tgw}"),
                    resource_id: to_id.to_string(),
                });
                continue;
            };
            if !to.is_available() {
                o.facts.push(Fact::TgwAttachmentUnusable {
                    tgw: tgw.clone(),
                    attachment: Some(to.id.clone()),
                    vpc: to.vpc_id(),
                    reason: format!("attachment {} is `{}`, not `available` (TGW-10)", to.id, to.state),
                    route_table: None,
                    route: Some(route.span),
                });
                continue;
            }
            self.crossings.push(Crossing::TgwTable { from, to });
            match &to.kind {
                TgwAttachmentKind::Vpc => match self.source.hub {
                    // The first TGW table of the walk: what follows is shared (issue 7). A hop
                    // already at an internet gateway would change the walk's own IGW hop.
                    Some(_)
                        if self.crossings.len() == 1
                            && self.recording.is_none()
                            && !o.hops.iter().any(|h| h.kind == "internet_gateway") =>
                    {
                        self.enter_vpc_shared(from, tgw, to, az, part, o);
                    }
                    _ => self.enter_vpc(tgw, to, az, part, o),
                },
                TgwAttachmentKind::Peering => {
                    // TGW-15: the same attachment ID on the peer gateway; static routes only.
                    let peer_tgw = TransitGatewayId::from(to.resource_id.clone());
                    match snapshot.tgw_attachments.get_key_value(&(peer_tgw, to.id.clone())) {
                        Some(((peer, _), peer_side)) => {
                            o.hops.push(hop(
                                "transit_gateway",
                                peer,
                                format!("peer transit gateway over {}", to.id),
                                snapshot.transit_gateways.get(peer).map(|t| t.span),
                            ));
                            // The reply's lookup on this gateway is the one of `to`'s table
                            // (checked for the crossing just pushed).
                            self.tgw_lookup(peer, peer_side, Zone::default(), part, o);
                        }
                        None => o.facts.push(Fact::NotCaptured {
                            key: "TransitGatewayAttachments".to_owned(),
                            needed_for: format!("the far side of TGW peering attachment {} on {}", to.id, to.resource_id),
                            resource_id: to.id.to_string(),
                        }),
                    }
                }
                other => {
                    // VPN, Direct Connect gateway and Connect attachments lead outside AWS's
                    // recorded configuration: the exit is named, the verdict is `unknown`.
                    let what = match other {
                        TgwAttachmentKind::Vpn => "Site-to-Site VPN connection",
                        TgwAttachmentKind::DirectConnectGateway => "Direct Connect gateway",
                        TgwAttachmentKind::Connect => "Connect (GRE) peer",
                        _ => "attachment",
                    };
                    o.hops.push(hop(
                        "transit_gateway_attachment",
                        &to.id,
                        format!("{tgw} → {what} {} (leaves the snapshot)", to.resource_id),
                        Some(to.span),
                    ));
                    o.facts.push(Fact::UnmodelledHop {
                        route_table: RouteTableId::from(table.id.to_string()),
                        route: route.span,
                        target_kind: format!(
                            "{what} {} (outside the snapshot) over transit gateway {} attachment",
                            to.resource_id,
                            other.as_str()
                        ),
                        target: to.id.to_string(),
                    });
                }
            }
            self.crossings.pop();
        }
        self.leave();
    }

    /// TGW-5: the table associated with `attachment`, or the fact that says why there is none.
    fn associated_table(
        &self,
        tgw: &TransitGatewayId,
        attachment: &TgwAttachment,
        is_return: bool,
        o: &mut Outcome,
    ) -> Option<&'a TgwRouteTable> {
        let snapshot = self.snapshot();
        let Some(table_id) = &attachment.association else {
            if self.is_captured("TransitGatewayAttachments") {
                o.facts.push(Fact::TgwAttachmentUnusable {
                    tgw: tgw.clone(),
                    attachment: Some(attachment.id.clone()),
                    vpc: attachment.vpc_id(),
                    reason: format!(
                        "attachment {} is not associated with a transit gateway route table, so {} arriving from it have no table (TGW-5)",
                        attachment.id,
                        if is_return { "replies" } else { "packets" }
                    ),
                    route_table: None,
                    route: None,
                });
            } else {
                o.facts.push(Fact::NotCaptured {
                    key: "TransitGatewayAttachments".to_owned(),
                    needed_for: format!("the route table association of {}", attachment.id),
                    resource_id: attachment.id.to_string(),
                });
            }
            return None;
        };
        let table = snapshot.tgw_route_tables.get(table_id);
        if table.is_none() {
            o.facts.push(Fact::NotCaptured {
                key: "TransitGatewayRouteTables".to_owned(),
                needed_for: format!("{table_id}, associated with {}", attachment.id),
                resource_id: table_id.to_string(),
            });
        }
        table
    }

    /// TGW-3, TGW-4: into the VPC of `attachment`, at its subnet in the packet's AZ.
    fn enter_vpc(&mut self, tgw: &'a TransitGatewayId, attachment: &'a TgwAttachment, az: Zone<'_>, dst: &PrefixSet, o: &mut Outcome) {
        let mut subnets: Vec<&'a Subnet> = attachment.subnet_ids.iter().filter_map(|s| self.source.lookups.subnet(s)).collect();
        subnets.sort_by(|a, b| (&a.availability_zone, &a.id).cmp(&(&b.availability_zone, &b.id)));
        // TGW-4: without appliance mode the TGW keeps the source AZ when it can; with it, a
        // flow hash picks any attachment subnet, so every one of them must work.
        // By AZ ID when known: the next VPC may be another account's, which names AZs otherwise.
        let same_az = subnets.iter().find(|s| az.holds(s)).or(subnets.first()).copied();
        // Matched by name across accounts (an AZ ID missing on either side): each account maps
        // AZ names its own way, so the match is an assumption, said as one.
        if let (Some(chosen), false) = (same_az.filter(|s| az.holds(s)), attachment.appliance_mode) {
            let task = self.source.subnet;
            if (az.id.is_none() || chosen.availability_zone_id.is_none())
                && task.owner_id.is_some()
                && chosen.owner_id.is_some()
                && task.owner_id != chosen.owner_id
            {
                o.facts.push(Fact::Assumption {
                    text: format!(
                        "attachment subnet {} (account {}) is taken as the task's AZ by its name, {}, without AZ IDs: each account maps AZ names its own way (TGW-4); capture `AvailabilityZoneId` of both accounts' subnets",
                        chosen.id,
                        chosen.owner_id.as_deref().unwrap_or("?"),
                        chosen.availability_zone.as_deref().unwrap_or("?")
                    ),
                    resource_id: Some(attachment.id.to_string()),
                });
            }
        }
        let ingresses: Vec<&'a Subnet> = if attachment.appliance_mode { subnets.clone() } else { same_az.into_iter().collect() };
        if ingresses.is_empty() {
            if attachment.subnet_ids.is_empty() {
                o.facts.push(Fact::TgwAttachmentUnusable {
                    tgw: tgw.clone(),
                    attachment: Some(attachment.id.clone()),
                    vpc: attachment.vpc_id(),
                    reason: format!("attachment {} has no subnets", attachment.id),
                    route_table: None,
                    route: None,
                });
            } else {
                o.facts.push(Fact::NotCaptured {
                    key: "Subnets".to_owned(),
                    needed_for: format!("the subnets of {}", attachment.id),
                    resource_id: attachment.id.to_string(),
                });
            }
            return;
        }
        for ingress in ingresses {
            let name = ingress.availability_zone.as_deref().unwrap_or("?");
            // Another account may name the same AZ otherwise: then both names are given.
            let az = match (az.name, az.id) {
                (Some(task), Some(id)) if task != name && az.holds(ingress) => format!("{name}, {id}: the task's {task}"),
                _ => name.to_owned(),
            };
            o.hops.push(hop(
                "transit_gateway_attachment",
                &attachment.id,
                if attachment.appliance_mode {
                    format!(
                        "{tgw} → {} through {} ({az}; appliance mode: a flow may use any attachment AZ, each is checked)",
                        attachment.resource_id, ingress.id
                    )
                } else {
                    format!("{tgw} → {} through {} ({az})", attachment.resource_id, ingress.id)
                },
                Some(attachment.span),
            ));
            self.crossings.push(Crossing::IntoVpc { tgw });
            self.in_vpc(Entry::Tgw { tgw, attachment, ingress }, dst, o);
            self.crossings.pop();
        }
    }

    /// TGW-3: routing inside a VPC the packet entered from a TGW, by the ingress subnet's table.
    fn in_vpc(&mut self, entry: Entry<'a>, dst: &PrefixSet, o: &mut Outcome) {
        let snapshot = self.snapshot();
        let Entry::Tgw { tgw, attachment, ingress } = entry else { return };
        let Some((table, _)) = self.source.lookups.route_table(&ingress.id) else {
            o.facts.push(Fact::NotCaptured {
                key: "RouteTables".to_owned(),
                needed_for: format!("the route table of attachment subnet {}", ingress.id),
                resource_id: ingress.id.to_string(),
            });
            return;
        };
        if !self.enter(table.id.as_str(), None, o) {
            return;
        }
        let vpc = ingress.vpc_id.clone();
        for (choice, part) in lpm::partition_shared(snapshot, &table.routes, dst, self.own_list).iter() {
            let description = if *part == *dst { self.description.to_owned() } else { part.to_string() };
            let route = match choice {
                Choice::Route(i) => match table.routes.get(*i) {
                    Some(r) => r,
                    None => continue,
                },
                Choice::NoRoute => {
                    o.hops.push(hop("route_table", &table.id, format_args!("no route for {description}"), Some(table.span)));
                    o.facts.push(Fact::TgwDestinationRouteMissing {
                        route_table: table.id.clone(),
                        vpc: vpc.clone(),
                        destination: description,
                        attachment: attachment.id.clone(),
                    });
                    continue;
                }
                Choice::Ambiguous(routes) => {
                    o.facts.push(super::ambiguous_fact(table, routes));
                    continue;
                }
                Choice::UnknownPrefixList(_) => {
                    o.facts.push(Fact::NotCaptured {
                        key: "ManagedPrefixLists".to_owned(),
                        needed_for: format!("a prefix-list route of {}", table.id),
                        resource_id: table.id.to_string(),
                    });
                    continue;
                }
            };
            o.hops.push(super::route_hop(table, route));
            if route.is_blackhole {
                o.facts.push(super::blackhole_fact(snapshot, table, route));
                continue;
            }
            let edge = |kind: &str| Fact::EdgeToEdge {
                entered_by: attachment.id.to_string(),
                vpc: vpc.clone(),
                target: route.target.id().to_owned(),
                target_kind: kind.to_owned(),
                route_table: Some(table.id.clone()),
                route: Some(route.span),
            };
            match (&route.target, self.goal) {
                (RouteTarget::Local, Goal::Deliver(d)) if d.subnet.vpc_id == vpc => self.deliver(entry, d, o),
                (RouteTarget::NatGateway(nat), Goal::Internet) => self.nat_in_hub(tgw, ingress, nat, part, o),
                (RouteTarget::Local, Goal::Outside) => o.facts.push(Fact::OutsideSnapshot {
                    destination: description,
                    reason: format!(
                        "inside the CIDR of {vpc} but in none of its captured subnets, so nothing in the snapshot answers there"
                    ),
                }),
                // IGW-1: the IGW translates only its own VPC's addresses that have a public IP.
                (RouteTarget::InternetGateway(_), _) => o.facts.push(edge("internet gateway")),
                // EP-25: a Gateway Load Balancer endpoint inserts an appliance (not modelled).
                (RouteTarget::VpcEndpoint(id), _)
                    if snapshot.vpc_endpoints.get(id).is_some_and(|e| e.endpoint_type == EndpointType::GatewayLoadBalancer) =>
                {
                    self.appliance(tgw, attachment, &vpc, table, route, o);
                }
                // EP-14: a gateway endpoint serves only its own VPC.
                (RouteTarget::VpcEndpoint(_), _) => o.facts.push(edge("gateway endpoint")),
                (RouteTarget::NetworkInterface(_) | RouteTarget::Instance(_), _) => self.appliance(tgw, attachment, &vpc, table, route, o),
                (RouteTarget::PeeringConnection(_), _) => o.facts.push(edge("VPC peering connection")),
                (RouteTarget::TransitGateway(next), _) => self.via_tgw(ingress, false, table, route, next, part, o),
                // RT-14: whether a virtual private gateway forwards what entered the VPC from a
                // transit gateway attachment is not in aws-semantics (PCX-5 covers peering
                // only): the hop is not modelled, and the result unknown (VPCR108).
                (other, _) => unmodelled(o, table, route, other),
            }
        }
        self.leave();
    }

    /// A route in a VPC entered from a TGW sends the packet to a stateful appliance: the
    /// appliance itself is not modelled (RT-14, EP-25), and without appliance mode on the
    /// attachment the reply may come back through another AZ (TGW-4).
    fn appliance(
        &self,
        tgw: &TransitGatewayId,
        attachment: &TgwAttachment,
        vpc: &VpcId,
        table: &RouteTable,
        route: &Route,
        o: &mut Outcome,
    ) {
        unmodelled(o, table, route, &route.target);
        if !attachment.appliance_mode {
            o.facts.push(Fact::ApplianceModeMissing {
                tgw: tgw.clone(),
                attachment: attachment.id.clone(),
                vpc: vpc.clone(),
                appliance: route.target.id().to_owned(),
                route_table: table.id.clone(),
                route: route.span,
            });
        }
    }

    /// PCX-1..PCX-9: a route of the task's table sends `dst` over a peering connection.
    pub(super) fn via_peering(&mut self, table: &RouteTable, route: &Route, pcx_id: &PeeringConnectionId, o: &mut Outcome) {
        let snapshot = self.snapshot();
        let vpc = &self.source.subnet.vpc_id;
        let Some(pcx) = snapshot.peering_connections.get(pcx_id) else {
            o.facts.push(Fact::NotCaptured {
                key: "VpcPeeringConnections".to_owned(),
                needed_for: format!("{pcx_id}"),
                resource_id: pcx_id.to_string(),
            });
            return;
        };
        let peer = pcx.peer_of(vpc);
        o.hops.push(hop(
            "peering_connection",
            pcx_id,
            match peer {
                Some(p) => format!(
                    "{vpc} → {}{}",
                    p.vpc_id.as_ref().map_or("?", |v| v.as_str()),
                    p.region.as_deref().map(|r| format!(" ({r})")).unwrap_or_default()
                ),
                None => format!("from {vpc}"),
            },
            Some(pcx.span),
        ));
        if !pcx.is_active() {
            o.facts.push(Fact::PeeringNotActive {
                pcx: pcx_id.clone(),
                status: pcx.status.clone(),
                route_table: table.id.clone(),
                route: route.span,
            });
            return;
        }
        let Some(peer_vpc) = peer.and_then(|p| p.vpc_id.clone()) else {
            o.facts.push(Fact::UnmodelledHop {
                route_table: table.id.clone(),
                route: route.span,
                target_kind: format!("peering connection that does not name {vpc}"),
                target: pcx_id.to_string(),
            });
            return;
        };
        // PCX-4: AWS refuses to peer VPCs whose CIDRs overlap (any associated block).
        let cidrs = |v: &VpcId| snapshot.vpcs.get(v).map(|v| v.cidrs.clone()).unwrap_or_default();
        let (ours, theirs) = (cidrs(vpc), cidrs(&peer_vpc));
        let overlap = ours.iter().find_map(|a| theirs.iter().find(|b| a.contains(*b) || b.contains(a)).map(|b| (a, b)));
        if let Some((a, b)) = overlap {
            o.facts.push(Fact::PeeringCidrOverlap {
                pcx: pcx_id.clone(),
                vpcs: (vpc.clone(), peer_vpc.clone()),
                overlap: (a.to_string(), b.to_string()),
            });
            return;
        }
        match self.goal {
            Goal::Deliver(d) if d.subnet.vpc_id == peer_vpc => {
                self.crossings.push(Crossing::Peering { pcx });
                self.deliver(Entry::Peering, d, o);
                self.crossings.pop();
            }
            Goal::Outside
                if snapshot.vpcs.get(&peer_vpc).is_some_and(|v| {
                    v.cidrs.iter().any(|c| self.description.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| c.contains(&ip)))
                }) =>
            {
                o.facts.push(Fact::OutsideSnapshot {
                    destination: self.description.to_owned(),
                    reason: format!(
                        "inside the CIDR of {peer_vpc} but in none of its captured subnets, so nothing in the snapshot answers there"
                    ),
                });
            }
            // PCX-5: the peer VPC only delivers to its own addresses (its NAT gateway is not
            // usable from here, NAT-7).
            _ => o.facts.push(Fact::EdgeToEdge {
                entered_by: pcx_id.to_string(),
                vpc: peer_vpc,
                target: self.description.to_owned(),
                target_kind: match self.goal {
                    Goal::Internet => "internet gateway or NAT gateway".to_owned(),
                    Goal::Deliver(_) | Goal::Outside => "network beyond the peer (peering is not transitive, PCX-1)".to_owned(),
                },
                route_table: Some(table.id.clone()),
                route: Some(route.span),
            }),
        }
    }

    /// The packet reached the destination's subnet: NACLs on the far side, the reply's route.
    fn deliver(&mut self, entry: Entry<'a>, d: &Delivery<'a>, o: &mut Outcome) {
        let snapshot = self.snapshot();
        let source = self.source;
        self.deliveries += 1;
        match entry {
            Entry::Tgw { ingress, .. } => self.out_of_tgw(ingress, d.subnet, &d.addresses, &mut o.facts),
            // NACL-4, NACL-5: a plain subnet boundary on each side.
            Entry::Peering => {
                if let Some(recording) = &mut self.recording {
                    recording.is_reusable = false;
                }
                nacl_between(source, d.subnet, &d.addresses, &mut o.facts);
            }
        }
        let same_region = |a: Option<String>, b: Option<String>| a.is_some() && a == b;
        let task_region = source.task_region().map(|r| r.to_string());
        let crossed_tgw = self.crossings.iter().any(|c| matches!(c, Crossing::TgwTable { .. }));
        let references = match entry {
            // PCX-9: same-region peering only, both ways (SG-5, SG-6).
            Entry::Peering => {
                let allowed = same_region(task_region, snapshot.region_of_vpc(&d.subnet.vpc_id));
                SgReferences { inbound: allowed, outbound: allowed && !crossed_tgw }
            }
            // TGW-12: inbound references across one TGW in one region, with the option on the
            // TGW and on both attachments; outbound references across a TGW never.
            Entry::Tgw { tgw, attachment, .. } => {
                let first = self.crossings.iter().find_map(|c| match c {
                    Crossing::TgwTable { from, .. } => Some(*from),
                    _ => None,
                });
                let hops = self.crossings.iter().filter(|c| matches!(c, Crossing::TgwTable { .. })).count();
                let inbound = hops == 1
                    && snapshot.transit_gateways.get(tgw).is_some_and(|t| t.sg_referencing)
                    && attachment.sg_referencing != Some(false)
                    && first.is_some_and(|f| f.sg_referencing != Some(false))
                    && same_region(task_region, snapshot.region_of_vpc(&d.subnet.vpc_id));
                SgReferences { inbound, outbound: false }
            }
        };
        self.sg_references_allowed = Some(references);
        self.check_return(d.subnet, o);
    }

    /// TGW-11: TGW → `next` (the destination ENI's or the NAT's subnet) through the attachment
    /// subnet `attachment` the packet entered by.
    fn out_of_tgw(&mut self, attachment: &'a Subnet, next: &'a Subnet, dst: &PrefixSet, facts: &mut Vec<Fact>) {
        let port = (self.source.port, self.source.port);
        if attachment.id != next.id {
            nacl_check(self.source, attachment, true, Leg::Request, dst, port, facts);
            self.task_nacl(next, false, Leg::Request, port, facts);
        }
        // The reply goes instance → TGW: outbound by destination on `next`, inbound by source on
        // the attachment subnet (both on one NACL when they are the same subnet).
        self.task_nacl(next, true, Leg::Return, EPHEMERAL_FULL, facts);
        nacl_check(self.source, attachment, false, Leg::Return, dst, EPHEMERAL_FULL, facts);
    }

    /// Centralized egress (NAT-9, TGW-EGRESS): a NAT gateway in the VPC the TGW delivered to.
    fn nat_in_hub(&mut self, tgw: &'a TransitGatewayId, ingress: &'a Subnet, nat_id: &NatGatewayId, dst: &PrefixSet, o: &mut Outcome) {
        let snapshot = self.snapshot();
        let Some(nat) = snapshot.nat_gateways.get(nat_id) else {
            o.facts.push(Fact::NotCaptured {
                key: "NatGateways".to_owned(),
                needed_for: format!("{nat_id}"),
                resource_id: nat_id.to_string(),
            });
            return;
        };
        o.hops.push(hop(
            "nat_gateway",
            nat_id,
            format!(
                "{} NAT in {}",
                if nat.is_private { "private" } else { "public" },
                nat.subnet_id.as_ref().map_or("?".to_owned(), ToString::to_string)
            ),
            Some(nat.span),
        ));
        if !nat.state.eq_ignore_ascii_case("available") {
            o.facts.push(Fact::NatNotAvailable { nat: nat_id.clone(), state: nat.state.clone() });
            return;
        }
        // NAT-4, NAT-10: the attachment subnet the TGW used and the NAT should share an AZ.
        if let Some(fact) = super::nat_cross_az(snapshot, nat, ingress) {
            o.facts.push(fact);
        }
        let Some(nat_subnet) = nat.subnet_id.as_ref().and_then(|s| snapshot.subnets.get(s)) else {
            o.facts.push(Fact::UnmodelledHop {
                route_table: self.source.table.id.clone(),
                route: nat.span,
                target_kind: if nat.is_regional {
                    "regional NAT gateway (NAT-5)".to_owned()
                } else {
                    "NAT gateway without a captured subnet".to_owned()
                },
                target: nat_id.to_string(),
            });
            return;
        };
        self.out_of_tgw(ingress, nat_subnet, dst, &mut o.facts);
        let Some((nat_table, _)) = self.source.lookups.route_table(&nat_subnet.id) else {
            o.facts.push(Fact::NotCaptured {
                key: "RouteTables".to_owned(),
                needed_for: format!("the route table of NAT subnet {}", nat_subnet.id),
                resource_id: nat_subnet.id.to_string(),
            });
            return;
        };
        let mut reached = false;
        let mut first = true;
        // The internet gateway the traffic leaves by, whose replies are looked at once below.
        let mut exit: Option<&InternetGatewayId> = None;
        let parts = lpm::partition_shared(snapshot, &nat_table.routes, dst, self.own_list);
        for (choice, part) in parts.iter() {
            let route = match choice {
                Choice::Route(i) => nat_table.routes.get(*i),
                _ => None,
            };
            if first {
                o.hops.push(hop(
                    "route_table",
                    &nat_table.id,
                    route.map_or(format!("no route for {}", self.description), |r| format!("{} → {}", r.destination, r.target.id())),
                    Some(route.map_or(nat_table.span, |r| r.span)),
                ));
                first = false;
            }
            let no_internet = |reason: String, route: Option<Span>| Fact::NatSubnetNoInternetRoute {
                nat: nat_id.clone(),
                route_table: nat_table.id.clone(),
                route,
                reason,
            };
            let Some(route) = route else {
                o.facts.push(match choice {
                    // The destination as the walk names it (the service's public addresses),
                    // not the pieces of the address space it was cut into.
                    Choice::NoRoute => {
                        no_internet(format!("has no route for {} (no 0.0.0.0/0 to an internet gateway)", self.description), None)
                    }
                    _ => Fact::UnmodelledHop {
                        route_table: nat_table.id.clone(),
                        route: nat_table.span,
                        target_kind: "ambiguous or uncaptured prefix-list route".to_owned(),
                        target: part.to_string(),
                    },
                });
                continue;
            };
            if route.is_blackhole {
                o.facts.push(super::blackhole_fact(snapshot, nat_table, route));
                continue;
            }
            match &route.target {
                RouteTarget::InternetGateway(igw_id) if nat.is_private => {
                    let _ = igw_id;
                    o.facts.push(Fact::PrivateNatToInternet { nat: nat_id.clone(), route_table: nat_table.id.clone(), route: route.span });
                }
                RouteTarget::InternetGateway(igw_id) => match snapshot.internet_gateways.get(igw_id) {
                    None => o.facts.push(Fact::NotCaptured {
                        key: "InternetGateways".to_owned(),
                        needed_for: format!("{igw_id}"),
                        resource_id: igw_id.to_string(),
                    }),
                    Some(igw) if !igw.attached_vpcs.contains(&nat_table.vpc_id) => o.facts.push(Fact::IgwNotAttached {
                        route_table: nat_table.id.clone(),
                        route: route.span,
                        igw: igw_id.clone(),
                        vpc: nat_table.vpc_id.clone(),
                    }),
                    Some(igw) => {
                        if !o.hops.iter().any(|h| &*h.resource_id == igw_id.as_str()) {
                            o.hops.push(hop(
                                "internet_gateway",
                                igw_id,
                                "NAT's Elastic IP to the service's public endpoint",
                                Some(igw.span),
                            ));
                        }
                        // IGW-8 on the hub NAT's subnet.
                        if let Some(bpa) = snapshot.bpa_blocking(nat_subnet, true) {
                            o.facts.push(Fact::BlockPublicAccess {
                                mode: bpa.mode.clone(),
                                options: bpa.span,
                                vpc: nat_table.vpc_id.clone(),
                                subnet: nat_subnet.id.clone(),
                                igw: igw_id.clone(),
                                route_table: nat_table.id.clone(),
                                route: route.span,
                            });
                            continue;
                        }
                        nacl_check(self.source, nat_subnet, true, Leg::Request, part, (self.source.port, self.source.port), &mut o.facts);
                        nacl_check_nat_ports(self.source, nat_subnet, part, &mut o.facts);
                        exit.get_or_insert(igw_id);
                        reached = true;
                    }
                },
                RouteTarget::TransitGateway(other) if other == tgw => {
                    o.facts.push(no_internet(format!("routes {part} back to the transit gateway {tgw}"), Some(route.span)));
                }
                RouteTarget::NatGateway(other) => {
                    o.facts.push(no_internet(format!("routes {part} to a NAT gateway again ({other})"), Some(route.span)));
                }
                RouteTarget::Local => o.facts.push(no_internet("only has the local route for it".to_owned(), Some(route.span))),
                // NAT-8(4), EP-11: the hub NAT subnet's table sends the service's prefix list to a
                // gateway endpoint of the egress VPC, which the translated packet (from the NAT's
                // own address) may use. A private NAT gateway's case is not modelled.
                RouteTarget::VpcEndpoint(endpoint_id) if !nat.is_private => {
                    let endpoint =
                        snapshot.vpc_endpoints.get(endpoint_id).filter(|e| super::is_gateway_endpoint_of(self.source.service, e));
                    let Some(endpoint) = endpoint else {
                        unmodelled(o, nat_table, route, &route.target);
                        continue;
                    };
                    if !super::enter_gateway_endpoint(endpoint, "prefix-list route of the NAT subnet's table", o) {
                        continue;
                    }
                    nacl_check(self.source, nat_subnet, true, Leg::Request, part, (self.source.port, self.source.port), &mut o.facts);
                    nacl_check_nat_ports(self.source, nat_subnet, part, &mut o.facts);
                    reached = true;
                }
                other => unmodelled(o, nat_table, route, other),
            }
        }
        // The replies come back to the NAT's private address, in its subnet.
        if let (Some(igw_id), Some(cidr)) = (exit, nat_subnet.cidr) {
            super::igw_reply(snapshot, igw_id, &nat_table.vpc_id, &PrefixSet::from_net(cidr), o);
        }
        if reached {
            o.egress = Some(Egress::NatGateway);
        }
        self.check_return(nat_subnet, o);
    }

    /// PCX-10, PCX-5: a reply sent over peering connection `target` from `vpc` to a peer whose
    /// own CIDRs hold all of `addresses` (the task's, in an overlapping VPC) is delivered in that
    /// peer, and a peering carries nothing further: it never reaches the task.
    fn peer_holding(&self, vpc: &VpcId, target: &RouteTarget, addresses: &PrefixSet) -> Option<VpcId> {
        let RouteTarget::PeeringConnection(pcx) = target else { return None };
        let pcx = self.snapshot().peering_connections.get(pcx)?;
        let peer = [&pcx.requester, &pcx.accepter].into_iter().filter_map(|side| side.vpc_id.as_ref()).find(|v| *v != vpc)?;
        let cidrs = &self.snapshot().vpcs.get(peer)?.cidrs;
        (!cidrs.is_empty() && addresses.covered_by(&PrefixSet::from_nets(cidrs)) == Coverage::All).then(|| peer.clone())
    }

    /// TGW-2 for the reply: a route to the TGW carries it only where the VPC's attachment has a
    /// subnet in the reply's AZ (a hub NAT or endpoint ENI in an AZ the attachment leaves out
    /// cannot answer).
    fn reply_enters_tgw(&mut self, tgw: &TransitGatewayId, reply_subnet: &'a Subnet, o: &mut Outcome) {
        let Some(attachment) = self.source.lookups.tgw_attachment_of_vpc(tgw, &reply_subnet.vpc_id) else { return };
        let zone = reply_subnet.zone();
        let Some(az) = zone.name.or(zone.id) else { return };
        let subnets: Vec<&Subnet> = attachment.subnet_ids.iter().filter_map(|s| self.source.lookups.subnet(s)).collect();
        if subnets.is_empty() || subnets.iter().any(|s| zone.holds(s)) {
            return;
        }
        let mut attachment_azs: Vec<String> = subnets.iter().filter_map(|s| s.availability_zone.clone()).collect();
        attachment_azs.sort();
        o.facts.push(Fact::TgwNoAttachmentInAz {
            tgw: tgw.clone(),
            attachment: attachment.id.clone(),
            subnet: reply_subnet.id.clone(),
            az: az.to_owned(),
            attachment_azs,
        });
    }

    /// PCX-3, TGW-5, NAT-9: the reply, from `reply_subnet` to the task's subnet, must route
    /// back across every crossing of the request.
    fn check_return(&mut self, reply_subnet: &'a Subnet, o: &mut Outcome) {
        let Some(last) = self.crossings.last().copied() else { return };
        let (expected, via): (RouteTarget, String) = match last {
            Crossing::IntoVpc { tgw, .. } => (RouteTarget::TransitGateway(tgw.clone()), tgw.to_string()),
            Crossing::Peering { pcx } => (RouteTarget::PeeringConnection(pcx.id.clone()), pcx.id.to_string()),
            Crossing::TgwTable { .. } => return,
        };
        let Some((table, _)) = self.source.lookups.route_table(&reply_subnet.id) else {
            o.facts.push(Fact::NotCaptured {
                key: "RouteTables".to_owned(),
                needed_for: format!("the route table of {} for the reply", reply_subnet.id),
                resource_id: reply_subnet.id.to_string(),
            });
            return;
        };
        let mut shown = false;
        for (choice, part) in self.task_routes(&table.routes).iter() {
            let route = match choice {
                Choice::Route(i) => table.routes.get(*i),
                _ => None,
            };
            match route {
                Some(r) if !r.is_blackhole && r.target == expected => {
                    if !shown {
                        self.return_hops.push(hop_at(("reply_route", std::ptr::from_ref(r) as usize, 0), || {
                            hop("return_route_table", &table.id, format_args!("reply {} → {}", r.destination, r.target.id()), Some(r.span))
                        }));
                        shown = true;
                        if let Crossing::IntoVpc { tgw } = last {
                            self.reply_enters_tgw(tgw, reply_subnet, o);
                        }
                    }
                }
                // An IGW or NAT gateway does not carry a reply to a private address back.
                Some(r) if !r.is_blackhole && r.target != RouteTarget::Local && !is_internet_exit(&r.target) => {
                    let delivered_in = self.peer_holding(&table.vpc_id, &r.target, part);
                    // The reply's decisive lookup: where it leaves instead.
                    self.return_hops.push(hop(
                        "return_route_table",
                        &table.id,
                        format_args!("reply {} → {} (not {via})", r.destination, r.target.id()),
                        Some(r.span),
                    ));
                    o.facts.push(Fact::AsymmetricReturn {
                        route_table: table.id.to_string(),
                        destination: part.to_string(),
                        expected: via.clone(),
                        found: r.target.id().to_owned(),
                        route: Some(r.span),
                        delivered_in,
                    })
                }
                Some(r) => {
                    self.return_hops.push(hop("return_route_table", &table.id, format_args!("no route back for {part}"), Some(r.span)));
                    o.facts.push(Fact::ReturnRouteMissing {
                        route_table: table.id.clone(),
                        vpc: table.vpc_id.clone(),
                        destination: part.to_string(),
                        via: via.clone(),
                        route: Some(r.span),
                    });
                }
                None => {
                    self.return_hops.push(hop("return_route_table", &table.id, format_args!("no route back for {part}"), Some(table.span)));
                    o.facts.push(Fact::ReturnRouteMissing {
                        route_table: table.id.clone(),
                        vpc: table.vpc_id.clone(),
                        destination: part.to_string(),
                        via: via.clone(),
                        route: None,
                    });
                }
            }
        }
        // TGW-5: each TGW lookup of the request is made again for the reply, in the table
        // associated with the attachment the request left by.
        let crossings: Vec<(usize, Crossing<'a>)> = self.crossings.iter().copied().enumerate().rev().collect();
        for (index, crossing) in crossings {
            let Crossing::TgwTable { from, to } = crossing else { continue };
            match &mut self.recording {
                // The first table's lookup (back to the task's own attachment) is made again
                // for every pair that replays a remembered walk.
                Some(recording) if index == 0 => {
                    let (hops, facts) = (self.return_hops.len(), o.facts.len());
                    recording.first_table.push((hops, 0));
                    self.reverse_first(from, to, o);
                    if let Some(recording) = &mut self.recording {
                        if let Some(last) = recording.first_table.last_mut() {
                            last.1 = self.return_hops.len() - hops;
                        }
                        recording.first_table_facts += o.facts.len() - facts;
                    }
                }
                _ => {
                    let record = self.recording.is_some();
                    self.reverse_tgw_table(from, to, record, o);
                }
            }
        }
    }

    /// The reply's lookup in the first TGW table of the walk (see [`HubMemo`]).
    fn reverse_first_table(&mut self, o: &mut Outcome) {
        if let Some(&Crossing::TgwTable { from, to }) = self.crossings.first() {
            self.reverse_first(from, to, o);
        }
    }

    /// [`Self::reverse_tgw_table`] for the first table, shared by the pairs of a subnet.
    fn reverse_first(&mut self, from: &'a TgwAttachment, to: &'a TgwAttachment, o: &mut Outcome) {
        let Some(memo) = self.source.hub else {
            self.reverse_tgw_table(from, to, false, o);
            return;
        };
        // The task's CIDR is the subnet's: the answers are forgotten at each workload subnet.
        let key = (std::ptr::from_ref(from) as usize, std::ptr::from_ref(to) as usize);
        let known = memo.borrow().first_tables.get(&key).cloned();
        if let Some(known) = known {
            self.return_hops.extend(known.0.iter().cloned());
            o.facts.extend(known.1.iter().cloned());
            return;
        }
        let (hops, facts) = (self.return_hops.len(), o.facts.len());
        let loud = super::Quiet::off();
        self.reverse_tgw_table(from, to, false, o);
        drop(loud);
        let answer = (self.return_hops.get(hops..).unwrap_or_default().to_vec(), o.facts.get(facts..).unwrap_or_default().to_vec());
        memo.borrow_mut().first_tables.insert(key, Rc::new(answer));
    }

    /// TGW-5: the reply's lookup in the table associated with `to`, which must lead back to
    /// `from`.
    /// `record`: inside a remembered walk, for a table other than the first (made again).
    fn reverse_tgw_table(&mut self, from: &'a TgwAttachment, to: &'a TgwAttachment, record: bool, o: &mut Outcome) {
        let Some(table) = self.associated_table(&to.tgw, to, true, o) else { return };
        let parts = if record {
            self.task_routes(&table.routes)
        } else {
            lpm::partition_shared(self.snapshot(), &table.routes, &self.source.cidr, None)
        };
        for (choice, part) in parts.iter() {
            let route = match choice {
                Choice::Route(i) => table.routes.get(*i),
                _ => None,
            };
            match route {
                Some(r) if r.target == RouteTarget::TgwAttachment(from.id.clone()) => {
                    if may_hide_longer_routes(table, r) {
                        o.facts.push(tgw_routes_incomplete(table));
                    }
                    self.return_hops.push(hop_at(
                        ("reply_tgw_route", std::ptr::from_ref(r) as usize, std::ptr::from_ref(from) as usize),
                        || {
                            hop(
                                "return_transit_gateway_route_table",
                                &table.id,
                                format_args!("reply {} → {}", r.destination, from.id),
                                Some(r.span),
                            )
                        },
                    ));
                }
                Some(r) if !r.is_blackhole => o.facts.push(Fact::AsymmetricReturn {
                    route_table: table.id.to_string(),
                    destination: part.to_string(),
                    expected: from.id.to_string(),
                    found: r.target.id().to_owned(),
                    route: Some(r.span),
                    delivered_in: None,
                }),
                _ if matches!(choice, Choice::NoRoute)
                    && !(table.unresolved_propagations.is_empty() && table.routes_captured && !table.is_truncated) =>
                {
                    o.facts.push(tgw_routes_incomplete(table));
                }
                other => {
                    self.return_hops.push(hop(
                        "return_transit_gateway_route_table",
                        &table.id,
                        format!("no route back for {part}"),
                        Some(other.map_or(table.span, |r| r.span)),
                    ));
                    o.facts.push(Fact::TgwNoRoute {
                        table: table.id.clone(),
                        destination: part.to_string(),
                        from: to.id.clone(),
                        route: other.map(|r| r.span),
                        is_blackhole: other.is_some(),
                        is_return: true,
                    });
                }
            }
        }
    }
}

fn is_internet_exit(target: &RouteTarget) -> bool {
    matches!(target, RouteTarget::InternetGateway(_) | RouteTarget::NatGateway(_) | RouteTarget::EgressOnlyInternetGateway(_))
}

/// Whether `table` may hold routes the snapshot lacks (a truncated list, a propagation of
/// BGP-learned or uncaptured prefixes) that are more specific than `route`.
fn may_hide_longer_routes(table: &TgwRouteTable, route: &Route) -> bool {
    let incomplete = table.is_truncated || !table.unresolved_propagations.is_empty();
    incomplete && !matches!(route.destination, RouteDestination::Ipv4(net) if net.prefix_len() == 32)
}

fn tgw_routes_incomplete(table: &TgwRouteTable) -> Fact {
    // The key that is missing, as the README names it.
    let (key, reason) = if table.is_truncated {
        ("TransitGatewayRoutes", "its route list was truncated (AdditionalRoutesAvailable)".to_owned())
    } else if !table.routes_captured {
        (
            "TransitGatewayStaticRoutes",
            "its static routes are not in the snapshot (a `TransitGatewayStaticRoutes` item for the table, `\"Routes\": []` for none, or a `search-transit-gateway-routes` answer)".to_owned(),
        )
    } else if table.unresolved_propagations.iter().any(|r| r == crate::model::PROPAGATIONS_NOT_CAPTURED) {
        ("TransitGatewayPropagations", table.unresolved_propagations.join("; "))
    } else {
        ("TransitGatewayRoutes", table.unresolved_propagations.join("; "))
    };
    Fact::NotCaptured {
        key: key.to_owned(),
        needed_for: format!("the routes of {}: {reason}", table.id),
        resource_id: table.id.to_string(),
    }
}

/// TGW-11, NACL-9: task subnet → TGW through the attachment subnet `attachment` of the same
/// VPC; the TGW's ENIs have no SG, so only NACLs are checked (SG-10).
fn into_tgw(source: &Source<'_>, task: &Subnet, attachment: &Subnet, dst: &PrefixSet, facts: &mut Vec<Fact>) {
    let port = (source.port, source.port);
    // Request: the task subnet's outbound rules (by destination) and the attachment subnet's
    // inbound rules (by source); in one subnet both are the same NACL's.
    nacl_check(source, task, true, Leg::Request, dst, port, facts);
    nacl_check(source, attachment, false, Leg::Request, &source.cidr, port, facts);
    if task.id != attachment.id {
        // Reply TGW → task: the attachment subnet's outbound, the task subnet's inbound. In
        // one subnet, neither is checked.
        nacl_check(source, attachment, true, Leg::Return, &source.cidr, EPHEMERAL_FULL, facts);
        nacl_check(source, task, false, Leg::Return, dst, EPHEMERAL_FULL, facts);
    }
}

#[cfg(test)]
mod tests {
    use crate::generate::{generate, Options};
    use crate::model;
    use crate::reachability::{self, services, Sharing};

    thread_local! {
        /// Remembered walks replayed on this thread.
        pub(super) static REPLAYS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// The generated estate's pairs to the hub's endpoints and NAT gateways replay the walks
    /// of the first spoke that made them, and the walks to an endpoint's ENIs are made once per
    /// subnet and atom: sharing is not only correct (tests/scale.rs) but used.
    /// 1,900 pairs stay on this thread (below the parallel threshold).
    #[test]
    fn hub_walks_are_replayed_across_spokes() {
        let (text, _) = generate(Options { vpcs: 10, seed: 1 });
        let snapshot = model::load_str("estate.json", &text).expect("loads");
        let services: Vec<_> = services::STACK_PROFILE.iter().filter_map(|id| services::lookup(id)).collect();
        let (workloads, _) = reachability::default_workloads(&snapshot);
        REPLAYS.set(0);
        reachability::CLEAN_SKIPS.set(0);
        reachability::PUBLIC_REUSES.set(0);
        let shared = reachability::analyze_with(&snapshot, &workloads, &services, Sharing::On);
        let (replays, skips, reuses) = (REPLAYS.get(), reachability::CLEAN_SKIPS.get(), reachability::PUBLIC_REUSES.get());
        assert_eq!(shared.results.len(), 1_900);
        // 10 spokes × 10 subnets × 13 hub endpoints, each over its three ENIs: 3,900 ENI walks,
        // of which those to the first endpoint are made per subnet and atom (300) and the
        // others skipped or their hops reused (a walk that raises a fact is never reused). The
        // walks made, and the NAT path, replay the hub's walks.
        assert!(replays > 400, "only {replays} replays");
        assert!(skips > 3_000, "only {skips} ENI walks skipped");
        // Four services go to the same public addresses (ECS agent and telemetry, IAM, the
        // management plane): one walk per subnet, three reused (300 at most; none where the walk
        // raised a fact, as in the spokes broken on purpose).
        assert!(reuses > 250 && reuses <= 300, "{reuses} public walks reused");
        REPLAYS.set(0);
        reachability::CLEAN_SKIPS.set(0);
        reachability::PUBLIC_REUSES.set(0);
        reachability::analyze_with(&snapshot, &workloads, &services, Sharing::Off);
        assert_eq!(reachability::PUBLIC_REUSES.get(), 0, "no public walk is reused when sharing is off");
        assert_eq!(REPLAYS.get(), 0, "nothing is replayed when sharing is off");
        assert_eq!(reachability::CLEAN_SKIPS.get(), 0, "no ENI walk is skipped when sharing is off");
    }
}
