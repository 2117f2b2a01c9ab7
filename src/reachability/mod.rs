//! What the network does with a packet: for each workload subnet and required service, DNS
//! as seen from the VPC, then the forward walk hop by hop (route tables, gateways, endpoints)
//! with the filters at every boundary (security groups, NACLs in both directions).
//!
//! The public API takes IDs and service ids and returns [`PairResult`]s that carry their
//! path and the [`Fact`]s that decided them; nothing here renders text for people.
//!
//! Pairs share work (issue 7): route selections and NACL evaluations are remembered per thread
//! within one analysis; what a workload subnet's pairs have in common is found once per subnet
//! (`Unit`) and each service's hostname and DNS answer once per VPC (`ServiceView`); the walk
//! beyond a pair's first transit gateway table is remembered and replayed for later pairs once
//! the checks it made with the task's own addresses answer the same (see `transit::HubMemo`;
//! [`Sharing::Off`] walks every pair alone, the reference the tests compare against). A walk to
//! an endpoint's ENI is not made again when one to an address of the same atom (see `atoms`)
//! from the same subnet raised no fact (a shown one's hops are reused, the destination's own
//! rewritten), a subnet's clean walk to the public addresses serves every service that goes
//! there (`PublicWalk`), and hops are shared by every path that has them ([`Hop`]).

mod atoms;
pub mod dns;
mod dns_firewall;
pub mod facts;
pub mod filters;
pub(crate) mod fxhash;
pub mod graph;
mod hygiene;
pub mod lpm;
mod policy;
pub mod prefixes;
pub mod services;
mod transit;

use std::collections::BTreeSet;

use fxhash::MakeRoom as _;

use crate::model::*;
pub use facts::{Effect, Fact, Leg, TaskIpv6};
use filters::{evaluate_sg, NaclOutcome, Peer, SgOutcome, EPHEMERAL_FULL, EPHEMERAL_LINUX};
use lpm::Choice;
use prefixes::PrefixSet;
pub use services::ServiceSpec;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Reachable,
    Unknown,
    Unreachable,
}

/// What really carries the traffic to the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Egress {
    InterfaceEndpoint,
    GatewayEndpoint,
    NatGateway,
    InternetGateway,
    /// Delivered to a private address in the snapshot (a `--to` destination's ENI).
    NetworkInterface,
}

/// The runner's own classification (the guide's "access type"): DNS answer and public IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessType {
    VpcEndpoint,
    NatGateway,
    InternetGateway,
}

/// One step of a path.
///
/// A pointer to a shared [`HopData`] (read through it with `hop.kind`, `hop.detail`, …): the
/// same hop recurs in thousands of paths (a spoke's route, the hub's attachments, a remembered
/// walk replayed for many pairs), and each path holds 8 bytes per hop instead of a copy
/// (issue 7: 190,000 paths of about 20 hops at 1,000 VPCs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop(std::sync::Arc<HopData>);

/// What a [`Hop`] says.
#[derive(Debug, PartialEq, Eq, serde::Serialize)]
pub struct HopData {
    pub kind: &'static str,
    pub resource_id: std::sync::Arc<str>,
    pub detail: std::sync::Arc<str>,
    #[serde(skip)]
    pub span: Option<Span>,
}

impl std::ops::Deref for Hop {
    type Target = HopData;

    fn deref(&self) -> &HopData {
        &self.0
    }
}

impl serde::Serialize for Hop {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Tasks whose reachability is analysed: an ECS service, or subnets given on the command line.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub subnet_ids: Vec<SubnetId>,
    /// `None`: the VPC default security group (FG-2).
    pub security_group_ids: Option<Vec<SecurityGroupId>>,
    pub assign_public_ip: bool,
    pub span: Option<Span>,
}

#[derive(Debug, Clone)]
pub struct PairResult {
    /// Shared by the workload's results.
    pub workload: std::sync::Arc<str>,
    pub vpc_id: Option<VpcId>,
    pub subnet_id: SubnetId,
    /// Shared by the subnet's results.
    pub availability_zone: Option<std::sync::Arc<str>>,
    pub service: &'static ServiceSpec,
    /// Shared by the results of the same service in a VPC.
    pub hostname: std::sync::Arc<str>,
    pub port: u16,
    pub verdict: Verdict,
    pub access_type: Option<AccessType>,
    pub egress: Option<Egress>,
    pub path: Vec<Hop>,
    pub facts: Vec<Fact>,
}

/// The result of analysing a snapshot.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub results: Vec<PairResult>,
    /// Facts about the analysis as a whole (assumed workloads, for instance).
    pub facts: Vec<Fact>,
}

/// Workloads from the snapshot's ECS services, or every subnet with its VPC's default group
/// and no public IP when there are none (stated as an assumption in [`Analysis::facts`]).
pub fn default_workloads(snapshot: &Snapshot) -> (Vec<Workload>, Option<Fact>) {
    if !snapshot.ecs_services.is_empty() {
        let names = workload_names(&snapshot.ecs_services);
        let workloads = snapshot
            .ecs_services
            .iter()
            .zip(names)
            .map(|(s, name)| Workload {
                name,
                subnet_ids: s.subnet_ids.clone(),
                security_group_ids: s.security_group_ids.clone(),
                assign_public_ip: s.assign_public_ip,
                span: Some(s.span),
            })
            .collect();
        return (workloads, None);
    }
    let workloads = snapshot
        .subnets
        .values()
        .map(|s| Workload {
            name: s.id.to_string(),
            subnet_ids: vec![s.id.clone()],
            security_group_ids: None,
            assign_public_ip: false,
            span: None,
        })
        .collect();
    let fact = Fact::Assumption {
        text: "no ECS services in the snapshot: every subnet is audited with its VPC's default security group and no public IP".to_owned(),
        resource_id: None,
    };
    (workloads, Some(fact))
}

/// A way the task may reach the service over IPv6 when its IPv4 path fails (only when
/// `task_ipv6` is possible: FG-1, SG-8): an interface endpoint whose private DNS also answers
/// AAAA (`DnsRecordIpType` `dualstack`, EP-4), or DNS64 on the subnet with `64:ff9b::/96` routed
/// to a NAT gateway (NAT-11) for a public name; what it is and the resource it goes through.
/// IPv6 paths are not analysed, so the result is unknown.
fn ipv6_alternative(
    snapshot: &Snapshot,
    subnet: &Subnet,
    task_ipv6: TaskIpv6,
    table: &RouteTable,
    answer: &dns::Answer,
) -> Option<(String, String)> {
    if task_ipv6 != TaskIpv6::Possible {
        return None;
    }
    let (how, resource) = match answer {
        dns::Answer::Endpoint { endpoint, .. } => {
            let e = snapshot.vpc_endpoints.get(endpoint).filter(|e| e.dns_records_dualstack)?;
            (format!("interface endpoint {} answers with AAAA records too (DnsRecordIpType dualstack)", e.id), e.id.to_string())
        }
        dns::Answer::Public if subnet.dns64 => {
            let nat64 = table.routes.iter().find_map(|r| match (&r.destination, &r.target) {
                (RouteDestination::Ipv6(dest), RouteTarget::NatGateway(nat))
                    if !r.is_blackhole && dest.eq_ignore_ascii_case("64:ff9b::/96") =>
                {
                    Some(nat)
                }
                _ => None,
            })?;
            (format!("DNS64 is on and {} routes 64:ff9b::/96 to {nat64} (NAT64)", table.id), nat64.to_string())
        }
        _ => return None,
    };
    Some((how, resource))
}

/// EP-1, DNS-9: `endpoint` is an interface endpoint whose service is not the one `service`
/// needs (compared without the region, which cross-region endpoints change, EP-23).
fn endpoint_of_another_service(
    snapshot: &Snapshot,
    endpoint: &VpcEndpointId,
    service: &ServiceSpec,
    region: &str,
    hostname: &str,
    via: &str,
) -> Option<Fact> {
    let e = snapshot.vpc_endpoints.get(endpoint).filter(|e| e.endpoint_type == EndpointType::Interface)?;
    let expected = service.endpoint_service_name(region);
    if e.service_name == expected {
        return None;
    }
    let without_region = |name: &str| -> String {
        let rest = name.strip_prefix("com.amazonaws.").unwrap_or(name);
        match rest.split_once('.') {
            Some((first, tail)) if crate::model::load::is_region_name(first) => tail.to_owned(),
            _ => rest.to_owned(),
        }
    };
    (!expected.is_empty() && !e.service_name.is_empty() && without_region(&e.service_name) != without_region(&expected)).then(|| {
        Fact::EndpointOfAnotherService {
            endpoint: e.id.clone(),
            service_name: e.service_name.clone(),
            expected,
            hostname: hostname.to_owned(),
            via: via.to_owned(),
        }
    })
}

/// FG-1, SG-8: whether a task in `subnet` may send IPv6 to `port`: the subnet has an IPv6 CIDR,
/// and a task group's egress rule for the port holds an IPv6 range, or a reference or prefix
/// list (which may hold IPv6 addresses).
fn task_ipv6(subnet: &Subnet, groups: &[&SecurityGroup], port: u16) -> TaskIpv6 {
    if !subnet.has_ipv6 {
        return TaskIpv6::NoSubnetCidr;
    }
    let may_send = groups
        .iter()
        .flat_map(|g| &g.egress)
        .any(|r| r.allows_tcp_port(port) && (r.has_ipv6 || !r.group_ids.is_empty() || !r.prefix_list_ids.is_empty()));
    if may_send {
        TaskIpv6::Possible
    } else {
        TaskIpv6::NoGroupEgress
    }
}

/// Each ECS service's workload name: its service name, which ECS makes unique within a
/// cluster only. Services of one name in several clusters are named `cluster/name`, and by
/// their ARN where that is not enough (several accounts or regions), so that no two workloads,
/// and no two results of `diff` or `test`, share a name; the last resort is the position.
fn workload_names(services: &[crate::model::EcsService]) -> Vec<String> {
    let count = |names: &[String], name: &str| names.iter().filter(|n| n.as_str() == name).count();
    let plain: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
    let qualified: Vec<String> = services
        .iter()
        .zip(&plain)
        .map(|(s, name)| match &s.cluster {
            Some(cluster) if count(&plain, name) > 1 => format!("{cluster}/{name}"),
            _ => name.clone(),
        })
        .collect();
    let by_arn: Vec<String> = services
        .iter()
        .zip(&qualified)
        .map(|(s, name)| match &s.arn {
            Some(arn) if count(&qualified, name) > 1 => arn.clone(),
            _ => name.clone(),
        })
        .collect();
    by_arn.iter().enumerate().map(|(i, name)| if count(&by_arn, name) > 1 { format!("{name} #{}", i + 1) } else { name.clone() }).collect()
}

/// Analyses every workload subnet against every service.
///
/// Workload subnets are independent: they are cut into contiguous chunks analysed on the
/// machine's cores (scoped threads) and joined in order, so the result is the same, in the same
/// order, as a single-threaded run.
pub fn analyze(snapshot: &Snapshot, workloads: &[Workload], services: &[&'static ServiceSpec]) -> Analysis {
    analyze_with(snapshot, workloads, services, Sharing::On)
}

/// Whether pairs share the walks beyond their first transit gateway table (issue 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// A walk that entered a VPC from a transit gateway is remembered and replayed for every
    /// later pair that enters it the same way, once the checks that depend on the task's own
    /// addresses are verified to answer the same (see `transit::HubMemo`).
    On,
    /// Every pair walked on its own: the reference the shared walk is tested against.
    Off,
}

/// [`analyze`], with the sharing of walks between pairs chosen.
pub fn analyze_with(snapshot: &Snapshot, workloads: &[Workload], services: &[&'static ServiceSpec], sharing: Sharing) -> Analysis {
    clear_caches();
    let units: Vec<(&Workload, &SubnetId)> = workloads.iter().flat_map(|w| w.subnet_ids.iter().map(move |s| (w, s))).collect();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).min(MAX_THREADS);
    let parallel = threads > 1 && units.len() * services.len() >= PARALLEL_MIN_PAIRS;
    let lookups = std::thread::scope(|scope| {
        // Shared walks need the address atoms: made on another core while this one makes the
        // lookups, rather than by the first pair while the other threads wait (issue 7).
        let atoms = (parallel && sharing == Sharing::On)
            .then(|| std::thread::Builder::new().spawn_scoped(scope, || atoms::Atoms::new(snapshot)).ok())
            .flatten();
        let lookups = Lookups::new(snapshot);
        if let Some(Ok(atoms)) = atoms.map(std::thread::ScopedJoinHandle::join) {
            let _ = lookups.atoms.set(atoms);
        }
        lookups
    });
    let job = Job { snapshot, units: &units, services, sharing, lookups: &lookups };
    let left = std::sync::Mutex::new(0..units.len());
    // The analysis-wide checks start while the other threads still free what they shared.
    std::thread::scope(|scope| {
        let results = if parallel {
            analyze_shared(scope, job, &left, threads)
        } else {
            let all = std::cell::Cell::new(Some(0..units.len()));
            let results = Vec::with_capacity(units.len() * services.len());
            analyze_blocks(job, &|| all.take(), results, |blocks| blocks.results)
        };
        // This thread's caches are freed while the other core makes half of the checks.
        let facts = hygiene::global(snapshot, workloads, &results, clear_caches);
        Analysis { results, facts }
    })
}

/// Forgets the answers shared between pairs on this thread (they hold one snapshot's IDs).
fn clear_caches() {
    TEXTS.with(|texts| *texts.borrow_mut() = Default::default());
    HOPS.with(|hops| *hops.borrow_mut() = Default::default());
    SITES.with(|sites| *sites.borrow_mut() = Default::default());
    filters::clear_cache();
    lpm::clear_cache();
}

/// Threads used by [`analyze`] at most, and the number of pairs below which it stays on one.
const MAX_THREADS: usize = 8;
const PARALLEL_MIN_PAIRS: usize = 2_000;

/// Workload subnets claimed at a time by a thread of [`analyze_shared`].
const BLOCK_UNITS: usize = 16;

/// What every thread of an analysis reads: the workload subnets ("units") and the services to
/// analyse for each.
#[derive(Clone, Copy)]
struct Job<'j, 'a> {
    snapshot: &'a Snapshot,
    units: &'j [(&'a Workload, &'a SubnetId)],
    services: &'j [&'static ServiceSpec],
    sharing: Sharing,
    lookups: &'a Lookups<'a>,
}

/// Analyses `units` on `threads` threads, results in the order of `units`. This thread takes
/// blocks of units from the front and writes their results straight into the vector it
/// returns; the others take blocks from the back, until the two ends meet, so no thread waits
/// for another with work left (issue 7: halves cut in advance finished up to 50 ms apart).
/// Only the back blocks' results are moved, once, to follow the front ones.
fn analyze_shared<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    job: Job<'env, 'env>,
    left: &'env std::sync::Mutex<std::ops::Range<usize>>,
    threads: usize,
) -> Vec<PairResult> {
    // `left`: the units not yet claimed, `start..end`.
    let claim = move |from_front: bool| -> Option<std::ops::Range<usize>> {
        let mut left = left.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if left.is_empty() {
            return None;
        }
        let take = BLOCK_UNITS.min(left.len());
        Some(if from_front {
            left.start += take;
            left.start - take..left.start
        } else {
            left.end -= take;
            left.end..left.end + take
        })
    };
    // Each other thread sends its blocks, then frees what it shared (while this one goes on),
    // or sends its panic.
    let (sent, received) = std::sync::mpsc::channel::<std::thread::Result<Blocks>>();
    for _ in 1..threads {
        let sent = sent.clone();
        scope.spawn(move || {
            let deliver = |back: Blocks| {
                let _ = sent.send(Ok(back));
            };
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze_blocks(job, &|| claim(false), Vec::new(), deliver)));
            if let Err(payload) = outcome {
                let _ = sent.send(Err(payload));
            }
        });
    }
    drop(sent);
    // This thread's allocator already holds the memory the load freed; its vector is made
    // for every result, so it never moves (pages are touched only when written).
    let all = Vec::with_capacity(job.units.len() * job.services.len());
    let mut results = analyze_blocks(job, &|| claim(true), all, |blocks| blocks.results);
    let mut backs = Vec::new();
    for _ in 1..threads {
        match received.recv() {
            Ok(Ok(back)) => backs.push(back),
            // A worker panicked: re-raise it on this thread, as a single-threaded run would.
            Ok(Err(payload)) => std::panic::resume_unwind(payload),
            Err(_) => break,
        }
    }
    // The back threads' blocks interleave: take them by their first unit. Each back thread
    // claimed its blocks from the back, so its lowest block is at the end of its vector: each
    // block is moved once, from that end (issue 7: reversing them first moved them thrice).
    let mut blocks: Vec<(usize, usize, usize)> =
        backs.iter().enumerate().flat_map(|(thread, back)| back.blocks.iter().map(move |&(start, len)| (start, len, thread))).collect();
    blocks.sort_unstable();
    for (_, len, thread) in blocks {
        if let Some(back) = backs.get_mut(thread) {
            let from = back.results.len().saturating_sub(len);
            results.extend(back.results.drain(from..));
        }
    }
    results
}

/// The results of the blocks one thread analysed, one after the other, and each block's first
/// unit and number of results.
struct Blocks {
    results: Vec<PairResult>,
    blocks: Vec<(usize, usize)>,
}

/// Analyses the blocks of `units` that `claim` hands out, with one thread's shared walks and
/// views, appending their results to `results`, and gives them to `deliver` before freeing
/// the walks and views.
fn analyze_blocks<R>(
    job: Job<'_, '_>,
    claim: &dyn Fn() -> Option<std::ops::Range<usize>>,
    results: Vec<PairResult>,
    deliver: impl FnOnce(Blocks) -> R,
) -> R {
    let Job { snapshot, units, services, sharing, lookups } = job;
    clear_caches();
    let memo = std::cell::RefCell::new(transit::HubMemo::default());
    let hub = (sharing == Sharing::On).then_some(&memo);
    let mut views: fxhash::FastMap<ViewKey, std::rc::Rc<[ServiceView<'_>]>> = Default::default();
    let mut serving = hygiene::Serving::default();
    let mut out = Blocks { results, blocks: Vec::new() };
    let results = &mut out.results;
    while let Some(range) = claim() {
        let (start, before) = (range.start, results.len());
        for &(workload, subnet) in units.get(range).unwrap_or_default() {
            if let Some(memo) = hub {
                memo.borrow_mut().next_subnet();
            }
            let unit = Unit::new(snapshot, workload, subnet, lookups);
            let unit_views = if sharing == Sharing::On {
                // Most VPCs hold several workload subnets; each VPC's views are few.
                let key = unit.view_key();
                if !views.contains_key(&key) {
                    views.make_room();
                }
                views.entry(key).or_insert_with(|| service_views(&unit, services)).clone()
            } else {
                service_views(&unit, services)
            };
            let first = results.len();
            for (service, view) in services.iter().zip(unit_views.iter()) {
                results.push(analyze_pair(snapshot, &unit, service, view, hub, lookups));
            }
            if let Some(subnet_results) = results.get_mut(first..) {
                ecr_layer_check(subnet_results);
                hygiene::per_subnet(snapshot, subnet_results, &mut serving);
            }
        }
        out.blocks.push((start, results.len() - before));
    }
    // Delivered before this thread's shared walks and views are freed.
    deliver(out)
}

/// EP-20: ECR endpoints are useless for pulls when the layers in S3 cannot be fetched.
fn ecr_layer_check(results: &mut [PairResult]) {
    let ecr_ok = results.iter().any(|r| matches!(r.service.id, "ecr.api" | "ecr.dkr") && r.verdict == Verdict::Reachable);
    if !ecr_ok {
        return;
    }
    for r in results.iter_mut().filter(|r| r.service.id == "s3" && r.verdict == Verdict::Unreachable) {
        let route_table = r.path.iter().find(|h| h.kind == "route_table").map(|h| RouteTableId::from(&*h.resource_id));
        if let Some(route_table) = route_table {
            r.facts.push(Fact::EcrWithoutS3Path { subnet: r.subnet_id.clone(), route_table });
        }
    }
}

/// Outcome of following one part of the destination.
#[derive(Debug, Clone, Default)]
struct Outcome {
    hops: Vec<Hop>,
    facts: Vec<Fact>,
    egress: Option<Egress>,
}

impl Outcome {
    fn verdict(&self) -> Verdict {
        verdict_of(&self.facts)
    }
}

fn verdict_of(facts: &[Fact]) -> Verdict {
    match facts.iter().map(Fact::effect).max() {
        Some(Effect::Blocks) => Verdict::Unreachable,
        Some(Effect::Uncertain) => Verdict::Unknown,
        _ => Verdict::Reachable,
    }
}

fn hop(kind: &'static str, id: impl HopId, detail: impl std::fmt::Display, span: Option<Span>) -> Hop {
    let (resource_id, detail) = if QUIET.get() {
        let blank = TEXTS.with(|texts| texts.borrow().2.clone());
        (blank.clone(), blank)
    } else {
        (id.into_text(), intern(detail))
    };
    // A text's address identifies it (interned, or a snapshot ID's own): one text at two
    // addresses only makes two equal hops.
    let key =
        (kind, std::sync::Arc::as_ptr(&resource_id).cast::<u8>() as usize, std::sync::Arc::as_ptr(&detail).cast::<u8>() as usize, span);
    HOPS.with(|hops| {
        let mut hops = hops.borrow_mut();
        if let Some(known) = hops.get(&key) {
            return known.clone();
        }
        // Most hops recur within one VPC's pairs.
        hops.make_room();
        let hop = Hop(std::sync::Arc::new(HopData { kind, resource_id, detail, span }));
        hops.insert(key, hop.clone());
        hop
    })
}

/// A hop's resource ID: the snapshot's own ID text shared as it is (issue 7: an ID was
/// written out and looked up again for every hop), any other text interned.
trait HopId {
    fn into_text(self) -> std::sync::Arc<str>;
}

macro_rules! hop_ids {
    ($($id:ty),* $(,)?) => {$(
        impl HopId for &$id {
            fn into_text(self) -> std::sync::Arc<str> {
                std::sync::Arc::clone(&self.0)
            }
        }
    )*};
}

hop_ids!(
    SubnetId,
    RouteTableId,
    InternetGatewayId,
    EgressOnlyInternetGatewayId,
    NatGatewayId,
    VpcEndpointId,
    PeeringConnectionId,
    TransitGatewayId,
    TransitGatewayAttachmentId,
    TransitGatewayRouteTableId,
);

impl HopId for &str {
    fn into_text(self) -> std::sync::Arc<str> {
        intern(self)
    }
}

/// An interned text (a hostname).
impl HopId for &std::sync::Arc<str> {
    fn into_text(self) -> std::sync::Arc<str> {
        std::sync::Arc::clone(self)
    }
}

/// What a hop's text is made from when it depends on nothing but one or two resources of the
/// snapshot: a name for the call site (one text format each) and the resources' addresses (the
/// snapshot outlives the analysis, and [`clear_caches`] forgets them after it).
type HopSite = (&'static str, usize, usize);

thread_local! {
    /// Hops made on this thread during one analysis by [`hop_at`], by site.
    static SITES: std::cell::RefCell<fxhash::FastMap<HopSite, Hop>> = Default::default();
}

/// The hop `make` makes for `site`, made once per thread and analysis (issue 7: the same
/// route's, attachment's and gateway's texts were written again for every pair, about a tenth
/// of the analysis). `site` must name everything the text and span are made from, and its
/// resources must be the snapshot's own.
fn hop_at(site: HopSite, make: impl FnOnce() -> Hop) -> Hop {
    if QUIET.get() {
        // A blank hop is not remembered for paths that are shown.
        return make();
    }
    if let Some(known) = SITES.with(|sites| sites.borrow().get(&site).cloned()) {
        return known;
    }
    let made = make();
    SITES.with(|sites| {
        let mut sites = sites.borrow_mut();
        sites.make_room();
        sites.insert(site, made.clone());
    });
    made
}

/// The `route_table` hop of `route`, a route of `table` (both the snapshot's own).
fn route_hop(table: &RouteTable, route: &Route) -> Hop {
    hop_at(("route", std::ptr::from_ref(route) as usize, 0), || {
        hop("route_table", &table.id, format_args!("{} → {}", route.destination, route.target.id()), Some(route.span))
    })
}

thread_local! {
    /// Set while walking toward an ENI whose path will not be shown: hops keep their kind but
    /// no text (their facts are unaffected). Never set while a walk is being remembered.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Sets [`QUIET`] for its lifetime (or clears it), restoring the previous state when dropped.
struct Quiet(bool);

impl Quiet {
    /// Quiet unless `shown`.
    fn unless(shown: bool) -> Self {
        Quiet(QUIET.replace(!shown))
    }

    /// Hops written in full, whatever the caller's state (for walks that are remembered).
    fn off() -> Self {
        Quiet(QUIET.replace(false))
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        QUIET.set(self.0);
    }
}

thread_local! {
    /// Hop texts written on this thread during one analysis, each kept once (issue 7): the
    /// same route, attachment and subnet texts recur in thousands of paths, which share them.
    /// A scratch buffer to write into, so a text already known costs no allocation.
    static TEXTS: std::cell::RefCell<(String, fxhash::FastSet<std::sync::Arc<str>>, std::sync::Arc<str>)> = Default::default();
}

thread_local! {
    /// Hops made on this thread during one analysis, each kept once, keyed by their kind, their
    /// interned texts' addresses and their span.
    static HOPS: std::cell::RefCell<fxhash::FastMap<HopKey, Hop>> = Default::default();
}

/// A hop's kind, the addresses of its interned texts, and its span.
type HopKey = (&'static str, usize, usize, Option<Span>);

/// The shared copy of `value`'s text.
fn intern(value: impl std::fmt::Display) -> std::sync::Arc<str> {
    use std::fmt::Write as _;
    TEXTS.with(|texts| {
        let mut texts = texts.borrow_mut();
        let (scratch, known, _) = &mut *texts;
        scratch.clear();
        // Writing to a String cannot fail.
        let _ = write!(scratch, "{value}");
        if let Some(text) = known.get(scratch.as_str()) {
            return text.clone();
        }
        let text: std::sync::Arc<str> = std::sync::Arc::from(scratch.as_str());
        // A text forgotten is only written again.
        known.make_room();
        known.insert(text.clone());
        text
    })
}

/// Region of a VPC: its scope's, else from a subnet's availability zone name.
fn region_for(snapshot: &Snapshot, vpc: Option<&Vpc>, subnet: &Subnet) -> Option<String> {
    if let Some(region) = vpc.and_then(|v| snapshot.region_of(v.scope)) {
        return Some(region.to_owned());
    }
    let az = subnet.availability_zone.as_deref()?;
    let region = az.trim_end_matches(|c: char| c.is_ascii_lowercase());
    (region.len() < az.len() && model::load::is_region_name(region)).then(|| region.to_owned())
}

use crate::model;

/// Hash indexes over the snapshot's subnets for one analysis (issue 7): a walk asks for a
/// subnet, its route table and its NACL many times per pair, and the snapshot's ordered maps
/// compare IDs as strings. They answer what the snapshot's own lookups answer.
pub(crate) struct Lookups<'a> {
    snapshot: &'a Snapshot,
    subnets: fxhash::FastMap<&'a str, &'a Subnet>,
    tables: fxhash::FastMap<&'a str, Option<(&'a RouteTable, bool)>>,
    acls: fxhash::FastMap<&'a str, Option<&'a NetworkAcl>>,
    enis: fxhash::FastMap<&'a str, &'a NetworkInterface>,
    /// Transit gateway attachments by gateway and ID, and a gateway's first attachment to a
    /// VPC (in the snapshot's order), as [`Snapshot::tgw_attachment`] and
    /// [`Snapshot::tgw_attachment_of_vpc`] answer.
    tgw_attachments: fxhash::FastMap<(&'a str, &'a str), &'a model::TgwAttachment>,
    tgw_attachments_to_vpc: fxhash::FastMap<(&'a str, &'a str), &'a model::TgwAttachment>,
    endpoints: fxhash::FastMap<&'a str, &'a VpcEndpoint>,
    security_groups: fxhash::FastMap<&'a str, &'a SecurityGroup>,
    /// Made on first use (only when pairs share walks).
    atoms: std::sync::OnceLock<atoms::Atoms>,
    public: std::sync::OnceLock<PrefixSet>,
}

impl<'a> Lookups<'a> {
    fn new(snapshot: &'a Snapshot) -> Self {
        let mut lookups = Lookups {
            snapshot,
            subnets: Default::default(),
            tables: Default::default(),
            acls: Default::default(),
            enis: snapshot.network_interfaces.iter().map(|(id, eni)| (id.as_str(), eni)).collect(),
            tgw_attachments: snapshot.tgw_attachments.iter().map(|((tgw, id), a)| ((tgw.as_str(), id.as_str()), a)).collect(),
            tgw_attachments_to_vpc: Default::default(),
            endpoints: snapshot.vpc_endpoints.iter().map(|(id, e)| (id.as_str(), e)).collect(),
            security_groups: snapshot.security_groups.iter().map(|(id, g)| (id.as_str(), g)).collect(),
            atoms: std::sync::OnceLock::new(),
            public: std::sync::OnceLock::new(),
        };
        for attachment in snapshot.tgw_attachments.values() {
            if attachment.kind == model::TgwAttachmentKind::Vpc {
                lookups.tgw_attachments_to_vpc.entry((attachment.tgw.as_str(), &attachment.resource_id)).or_insert(attachment);
            }
        }
        for (id, subnet) in &snapshot.subnets {
            lookups.subnets.insert(id.as_str(), subnet);
            lookups.tables.insert(id.as_str(), snapshot.effective_route_table(id));
            lookups.acls.insert(id.as_str(), snapshot.effective_network_acl(id));
        }
        lookups
    }

    fn subnet(&self, id: &SubnetId) -> Option<&'a Subnet> {
        self.subnets.get(id.as_str()).copied()
    }

    /// The public addresses less those of the AWS-managed S3 and DynamoDB lists, which hold
    /// only those services' addresses: where every other service may be (made on first use).
    fn public_besides_gateway_services(&self) -> &PrefixSet {
        self.public.get_or_init(|| {
            let mut public = PrefixSet::public_internet();
            for list in self.snapshot.prefix_lists.values() {
                let is_service_list = list
                    .name
                    .as_deref()
                    .is_some_and(|n| n.starts_with("com.amazonaws.") && (n.ends_with(".s3") || n.ends_with(".dynamodb")));
                if let (true, Some(cidrs)) = (is_service_list, &list.cidrs) {
                    public = public.difference(&PrefixSet::from_nets(cidrs));
                }
            }
            public
        })
    }

    /// The snapshot's VPC endpoint `id`.
    fn endpoint(&self, id: &VpcEndpointId) -> Option<&'a VpcEndpoint> {
        self.endpoints.get(id.as_str()).copied()
    }

    /// The snapshot's security group `id`.
    fn security_group(&self, id: &SecurityGroupId) -> Option<&'a SecurityGroup> {
        self.security_groups.get(id.as_str()).copied()
    }

    /// [`Snapshot::tgw_attachment`].
    pub(super) fn tgw_attachment(&self, tgw: &TransitGatewayId, id: &TransitGatewayAttachmentId) -> Option<&'a model::TgwAttachment> {
        self.tgw_attachments.get(&(tgw.as_str(), id.as_str())).copied()
    }

    /// [`Snapshot::tgw_attachment_of_vpc`].
    pub(super) fn tgw_attachment_of_vpc(&self, tgw: &TransitGatewayId, vpc: &VpcId) -> Option<&'a model::TgwAttachment> {
        self.tgw_attachments_to_vpc.get(&(tgw.as_str(), vpc.as_str())).copied()
    }

    /// The snapshot's network interface `id`.
    fn eni(&self, id: &NetworkInterfaceId) -> Option<&'a NetworkInterface> {
        self.enis.get(id.as_str()).copied()
    }

    fn atoms(&self) -> &atoms::Atoms {
        self.atoms.get_or_init(|| atoms::Atoms::new(self.snapshot))
    }

    /// [`Snapshot::effective_route_table`].
    fn route_table(&self, id: &SubnetId) -> Option<(&'a RouteTable, bool)> {
        match self.tables.get(id.as_str()) {
            Some(known) => *known,
            None => self.snapshot.effective_route_table(id),
        }
    }

    /// [`Snapshot::effective_network_acl`].
    fn network_acl(&self, id: &SubnetId) -> Option<&'a NetworkAcl> {
        match self.acls.get(id.as_str()) {
            Some(known) => *known,
            None => self.snapshot.effective_network_acl(id),
        }
    }
}

/// Everything about the source side of one pair.
struct Source<'a> {
    snapshot: &'a Snapshot,
    subnet: &'a Subnet,
    /// The subnet's CIDR, and the task's groups: shared by the subnet's pairs.
    cidr: std::rc::Rc<PrefixSet>,
    groups: std::rc::Rc<[&'a SecurityGroup]>,
    group_ids: std::rc::Rc<[SecurityGroupId]>,
    has_public_ip: bool,
    table: &'a RouteTable,
    service: &'static ServiceSpec,
    /// Destination port of the request.
    port: u16,
    /// Walks shared with the other pairs analysed on this thread; `None`: walk alone.
    hub: Option<&'a std::cell::RefCell<transit::HubMemo<'a>>>,
    lookups: &'a Lookups<'a>,
    /// The region of the task's VPC ([`Snapshot::region_of_vpc`]).
    task_region: Option<std::sync::Arc<str>>,
}

impl Source<'_> {
    /// [`Snapshot::region_of_vpc`] of the task's VPC.
    fn task_region(&self) -> Option<std::sync::Arc<str>> {
        self.task_region.clone()
    }
}

/// The task's group IDs and groups, or the fact that says which one is not in the snapshot.
type TaskGroups<'a> = Result<(std::rc::Rc<[SecurityGroupId]>, std::rc::Rc<[&'a SecurityGroup]>), Box<Fact>>;

/// What the pairs of one workload subnet share, found once for all its services.
struct Unit<'a> {
    workload: &'a Workload,
    /// Shared by the workload's results.
    workload_name: std::sync::Arc<str>,
    subnet_id: &'a SubnetId,
    subnet: Option<&'a Subnet>,
    vpc: Option<&'a Vpc>,
    region: Option<String>,
    account: Option<&'a str>,
    subnet_hop: Option<Hop>,
    /// [`Snapshot::region_of_vpc`] of the subnet's VPC.
    task_region: Option<std::sync::Arc<str>>,
    availability_zone: Option<std::sync::Arc<str>>,
    /// The subnet's IPv4 CIDR as a set.
    cidr: Option<std::rc::Rc<PrefixSet>>,
    /// FG-2: the task's groups (no groups means the VPC default group), or the fact that says
    /// which one is not in the snapshot; `None` when the VPC is not.
    groups: Option<TaskGroups<'a>>,
    table: Option<&'a RouteTable>,
}

impl<'a> Unit<'a> {
    fn new(snapshot: &'a Snapshot, workload: &'a Workload, subnet_id: &'a SubnetId, lookups: &Lookups<'a>) -> Self {
        let subnet = lookups.subnet(subnet_id);
        let vpc = subnet.and_then(|s| snapshot.vpcs.get(&s.vpc_id));
        let subnet_hop = subnet.map(|subnet| {
            hop(
                "subnet",
                &subnet.id,
                format_args!(
                    "{} in {}",
                    subnet.cidr.map_or("IPv6-only".to_owned(), |c| c.to_string()),
                    subnet.availability_zone.as_deref().unwrap_or("unknown AZ")
                ),
                Some(subnet.span),
            )
        });
        let groups = vpc.map(|vpc| {
            let group_ids: Vec<SecurityGroupId> = match &workload.security_group_ids {
                Some(ids) => ids.clone(),
                None => match snapshot.default_security_group.get(&vpc.id) {
                    Some(id) => vec![id.clone()],
                    None => {
                        return Err(Box::new(Fact::NotCaptured {
                            key: "SecurityGroups".to_owned(),
                            needed_for: format!("the default security group of {}", vpc.id),
                            resource_id: vpc.id.to_string(),
                        }))
                    }
                },
            };
            let mut groups = Vec::with_capacity(group_ids.len());
            for id in &group_ids {
                match snapshot.security_groups.get(id) {
                    Some(g) => groups.push(g),
                    None => {
                        return Err(Box::new(Fact::NotCaptured {
                            key: "SecurityGroups".to_owned(),
                            needed_for: format!("security group {id}"),
                            resource_id: id.to_string(),
                        }))
                    }
                }
            }
            Ok((group_ids.into(), groups.into()))
        });
        Unit {
            workload,
            workload_name: intern(&workload.name),
            subnet_id,
            subnet,
            vpc,
            region: subnet.and_then(|s| region_for(snapshot, vpc, s)),
            account: vpc.and_then(|v| snapshot.account_of(v.scope)),
            subnet_hop,
            task_region: subnet.and_then(|s| snapshot.region_of_vpc(&s.vpc_id)).map(std::sync::Arc::from),
            availability_zone: subnet.and_then(|s| s.availability_zone.as_deref()).map(std::sync::Arc::from),
            cidr: subnet.and_then(|s| s.cidr).map(|c| std::rc::Rc::new(PrefixSet::from_net(c))),
            groups,
            table: lookups.route_table(subnet_id).map(|(table, _)| table),
        }
    }

    /// Keys the services' views: the same for every subnet of a VPC (and region).
    fn view_key(&self) -> ViewKey {
        (self.vpc.map_or(0, |v| std::ptr::from_ref(v) as usize), self.region.clone())
    }
}

/// A VPC (its address in the snapshot, 0 for none) and the region its names are asked in.
type ViewKey = (usize, Option<String>);

/// One service as seen from one VPC (issue 7: a DNS view per VPC): its hostname, and the VPC
/// resolver's answer with its hop, found on first use.
struct ServiceView<'a> {
    hostname: std::sync::Arc<str>,
    dns: std::cell::OnceCell<(dns::Resolution, Hop)>,
    /// The private hosted zones associated with the VPC, shared by its services' views.
    zones: std::rc::Rc<std::cell::OnceCell<Vec<&'a HostedZone>>>,
}

/// The views of `services` from the unit's VPC, in the same order.
fn service_views<'a>(unit: &Unit<'a>, services: &[&'static ServiceSpec]) -> std::rc::Rc<[ServiceView<'a>]> {
    let region = unit.region.as_deref().unwrap_or("<region>");
    let zones = std::rc::Rc::default();
    services
        .iter()
        .map(|service| ServiceView {
            hostname: intern(service.hostname(if unit.subnet.is_some() { region } else { "<region>" }, unit.account)),
            dns: std::cell::OnceCell::new(),
            zones: std::rc::Rc::clone(&zones),
        })
        .collect()
}

fn analyze_pair<'a>(
    snapshot: &'a Snapshot,
    unit: &Unit<'a>,
    service: &'static ServiceSpec,
    view: &ServiceView<'a>,
    hub: Option<&'a std::cell::RefCell<transit::HubMemo<'a>>>,
    lookups: &'a Lookups<'a>,
) -> PairResult {
    let subnet_id = unit.subnet_id;
    let mut result = PairResult {
        workload: unit.workload_name.clone(),
        vpc_id: None,
        subnet_id: subnet_id.clone(),
        availability_zone: None,
        service,
        hostname: view.hostname.clone(),
        port: service.port,
        verdict: Verdict::Unknown,
        access_type: None,
        egress: None,
        path: Vec::new(),
        facts: Vec::new(),
    };
    let (Some(subnet), Some(subnet_hop)) = (unit.subnet, &unit.subnet_hop) else {
        result.facts.push(Fact::NotCaptured {
            key: "Subnets".to_owned(),
            needed_for: format!("subnet {subnet_id}"),
            resource_id: subnet_id.to_string(),
        });
        return result;
    };
    result.vpc_id = Some(subnet.vpc_id.clone());
    result.availability_zone = unit.availability_zone.clone();
    // What the walk needs, or the fact that says what is missing (the path is then the
    // subnet's hop alone; a walked pair's path is made to measure below).
    let needs = 'needs: {
        let Some(vpc) = unit.vpc else {
            break 'needs Err(Some(Fact::NotCaptured {
                key: "Vpcs".to_owned(),
                needed_for: format!("VPC {} of {subnet_id}", subnet.vpc_id),
                resource_id: subnet.vpc_id.to_string(),
            }));
        };
        let Some(region) = &unit.region else {
            break 'needs Err(Some(Fact::NotCaptured {
                key: "Region".to_owned(),
                needed_for: "the service hostnames".to_owned(),
                resource_id: vpc.id.to_string(),
            }));
        };
        let Some(cidr) = &unit.cidr else {
            break 'needs Err(Some(Fact::Ipv6OnlySubnet { subnet: subnet.id.clone() }));
        };
        let (group_ids, groups) = match &unit.groups {
            Some(Ok((ids, groups))) => (ids.clone(), groups.clone()),
            Some(Err(fact)) => break 'needs Err(Some(Fact::clone(fact))),
            // A VPC was found above, so its groups were looked for.
            None => break 'needs Err(None),
        };
        let Some(table) = unit.table else {
            break 'needs Err(Some(if snapshot.is_captured(vpc.scope, "RouteTables") {
                Fact::ImplicitResourceMissing {
                    key: "RouteTables".to_owned(),
                    what: format!(
                        "route table for {subnet_id}: no explicit association, and no main table of {} (every VPC has one, RT-1)",
                        vpc.id
                    ),
                    resource_id: subnet_id.to_string(),
                }
            } else {
                Fact::NotCaptured {
                    key: "RouteTables".to_owned(),
                    needed_for: format!("the route table of {subnet_id} (no explicit association and no main table)"),
                    resource_id: subnet_id.to_string(),
                }
            }));
        };
        Ok((vpc, region, cidr, group_ids, groups, table))
    };
    let (vpc, region, cidr, group_ids, groups, table) = match needs {
        Ok(needs) => needs,
        Err(missing) => {
            result.path = vec![subnet_hop.clone()];
            result.facts.extend(missing);
            return result;
        }
    };

    let (resolution, dns_hop) = view.dns.get_or_init(|| {
        let resolution = match service.address {
            Some(ip) => dns::Resolution {
                chain: Vec::new(),
                answer: dns::Answer::Address(ip),
                facts: Vec::new(),
                detail: format!("{ip} (an address, no DNS)"),
            },
            None => {
                let zones = view.zones.get_or_init(|| snapshot.zones_of_vpc(&vpc.id).filter(|z| z.is_private).collect());
                dns::resolve(snapshot, vpc, zones, service, region, &view.hostname)
            }
        };
        let dns_hop = hop("dns", &view.hostname, &resolution.detail, None);
        (resolution, dns_hop)
    });
    // FG-4: an interface endpoint, a public IP and the IGW, or a NAT gateway.
    result.access_type = match &resolution.answer {
        dns::Answer::Endpoint { .. } => Some(AccessType::VpcEndpoint),
        dns::Answer::Public if unit.workload.assign_public_ip => Some(AccessType::InternetGateway),
        dns::Answer::Public => Some(AccessType::NatGateway),
        _ => None,
    };
    result.facts.extend(resolution.facts.iter().cloned());
    // EP-1: the name may lead to an endpoint of another service (a hand-written or copied zone).
    if let dns::Answer::Endpoint { endpoint, via, .. } = &resolution.answer {
        result.facts.extend(endpoint_of_another_service(snapshot, endpoint, service, region, &view.hostname, via));
    }
    // FG-1, SG-8: an endpoint that answers with AAAA records only leaves a task without an IPv6
    // address (its subnet has no IPv6 CIDR), or whose groups allow no IPv6 egress, no way there.
    let task_ipv6 = task_ipv6(subnet, &groups, service.port);
    if task_ipv6 != TaskIpv6::Possible {
        for fact in &mut result.facts {
            if let Fact::EndpointDnsIpv6Only { task_ipv6: reach, .. } = fact {
                *reach = task_ipv6;
            }
        }
    }

    let source = Source {
        snapshot,
        subnet,
        cidr: cidr.clone(),
        groups,
        group_ids,
        has_public_ip: unit.workload.assign_public_ip,
        table,
        service,
        port: service.port,
        hub,
        lookups,
        task_region: unit.task_region.clone(),
    };
    let outcome = match &resolution.answer {
        dns::Answer::Fails | dns::Answer::Unknown => Outcome::default(),
        dns::Answer::Endpoint { endpoint, subnets, .. } => walk_to_endpoint(&source, endpoint, subnets.as_deref()),
        dns::Answer::Public => walk_public(&source, region),
        dns::Answer::Address(ip) => walk_to_address(&source, *ip, region),
    };
    // Kept for the whole analysis: made to measure rather than grown and shrunk (issue 7).
    let mut path = Vec::with_capacity(2 + outcome.hops.len());
    path.push(subnet_hop.clone());
    path.push(dns_hop.clone());
    path.extend(outcome.hops);
    result.path = path;
    result.facts.extend(outcome.facts);
    result.egress = outcome.egress;
    result.verdict = verdict_of(&result.facts);
    if matches!(resolution.answer, dns::Answer::Unknown) && result.verdict == Verdict::Reachable {
        result.verdict = Verdict::Unknown;
    }
    // A verdict of reachable needs a way out; nothing followed (an empty destination) is no
    // proof of anything.
    if result.verdict == Verdict::Reachable && result.egress.is_none() && !matches!(resolution.answer, dns::Answer::Unknown) {
        result.facts.push(Fact::OutsideSnapshot {
            destination: result.hostname.to_string(),
            reason: "no route was followed to any of its addresses, so no path is known".to_owned(),
        });
        result.verdict = verdict_of(&result.facts);
    }
    if result.verdict != Verdict::Reachable {
        result.egress = None;
        // The bypassed endpoint or the DNS attribute is why the private path was not taken.
        let only_context = !result.facts.iter().any(|f| f.effect() == Effect::Blocks);
        if result.verdict == Verdict::Unreachable || only_context {
            for fact in &mut result.facts {
                fact.escalate();
            }
        }
        result.verdict = verdict_of(&result.facts);
        // An IPv6 way the IPv4 analysis cannot judge: not sure it fails.
        if result.verdict == Verdict::Unreachable {
            if let Some((how, resource)) = ipv6_alternative(snapshot, subnet, task_ipv6, table, &resolution.answer) {
                result.facts.push(Fact::Ipv6PathNotAnalysed {
                    subnet: subnet.id.clone(),
                    hostname: result.hostname.to_string(),
                    how,
                    resource,
                });
                result.verdict = Verdict::Unknown;
            }
        }
        if !snapshot.is_captured(vpc.scope, "ProfileAssociations") {
            profile_assumptions(&mut result.facts);
        }
    }
    dedup_facts(&mut result.facts);
    // Kept for the whole analysis (190,000 results at 1,000 VPCs): no spare capacity.
    result.path.shrink_to_fit();
    result.facts.shrink_to_fit();
    result
}

/// DNS-8: when Route 53 Profiles are not captured, a failure blamed on a private zone or
/// Resolver rule not associated with the VPC says that it assumes no Profile carries it there.
fn profile_assumptions(facts: &mut Vec<Fact>) {
    let assumed: Vec<Fact> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::PhzNotAssociated { zone, zone_name, vpc, is_blocking: true, .. } => Some(Fact::Assumption {
                text: format!(
                    "Route 53 Profiles (`ProfileAssociations`) are not captured: assumed none carries private hosted zone {zone_name} to {vpc} (DNS-8)"
                ),
                resource_id: Some(zone.to_string()),
            }),
            Fact::ResolverRuleNotAssociated { rule, vpc, is_blocking: true, .. } => Some(Fact::Assumption {
                text: format!(
                    "Route 53 Profiles (`ProfileAssociations`) are not captured: assumed none carries Resolver rule {rule} to {vpc} (DNS-8)"
                ),
                resource_id: Some(rule.to_string()),
            }),
            _ => None,
        })
        .collect();
    facts.extend(assumed);
}

fn dedup_facts(facts: &mut Vec<Fact>) {
    let mut seen = Vec::new();
    facts.retain(|f| {
        if seen.contains(f) {
            false
        } else {
            seen.push(f.clone());
            true
        }
    });
}

/// SG egress of the task (SG-5) toward `peer`.
fn task_egress(source: &Source<'_>, peer: &Peer<'_>, destination: &str, facts: &mut Vec<Fact>) {
    match evaluate_sg(source.snapshot, &source.groups, true, source.port, peer) {
        SgOutcome::Allowed => {}
        SgOutcome::Denied => facts.push(Fact::TaskSgBlocksEgress {
            groups: source.group_ids.to_vec(),
            destination: destination.to_owned(),
            is_partial: false,
        }),
        SgOutcome::Partial => facts.push(Fact::TaskSgBlocksEgress {
            groups: source.group_ids.to_vec(),
            destination: destination.to_owned(),
            is_partial: true,
        }),
        SgOutcome::Unknown(reason) => facts.push(Fact::NotCaptured {
            key: "ManagedPrefixLists".to_owned(),
            needed_for: reason,
            resource_id: source.group_ids.first().map(ToString::to_string).unwrap_or_default(),
        }),
    }
}

/// One NACL decision on `subnet`; `leg` decides the port rules (NACL-6): replies to the task on
/// [`EPHEMERAL_FULL`] need only the task's own range.
fn nacl_check(
    source: &Source<'_>,
    subnet: &Subnet,
    is_egress: bool,
    leg: Leg,
    remote: &PrefixSet,
    ports: (u16, u16),
    facts: &mut Vec<Fact>,
) {
    nacl_check_ports(source, subnet, is_egress, leg, remote, ports, ports == EPHEMERAL_FULL, facts);
}

/// Replies from the service to a NAT gateway's translated ports: the NAT picks any of
/// 1024-65535 (NACL-5, NACL-6, NAT-6), so the whole range is needed, no Linux tier.
fn nacl_check_nat_ports(source: &Source<'_>, subnet: &Subnet, remote: &PrefixSet, facts: &mut Vec<Fact>) {
    nacl_check_ports(source, subnet, false, Leg::Return, remote, EPHEMERAL_FULL, false, facts);
}

#[allow(clippy::too_many_arguments)]
fn nacl_check_ports(
    source: &Source<'_>,
    subnet: &Subnet,
    is_egress: bool,
    leg: Leg,
    remote: &PrefixSet,
    ports: (u16, u16),
    task_is_client: bool,
    facts: &mut Vec<Fact>,
) {
    let Some(acl) = source.lookups.network_acl(&subnet.id) else {
        let snapshot = source.snapshot;
        facts.push(if snapshot.is_captured(snapshot.vpc_scope(&subnet.vpc_id), "NetworkAcls") {
            Fact::ImplicitResourceMissing {
                key: "NetworkAcls".to_owned(),
                what: format!(
                    "network ACL for {} (every subnet has one: its VPC's default ACL when no other is associated, NACL-3)",
                    subnet.id
                ),
                resource_id: subnet.id.to_string(),
            }
        } else {
            Fact::NotCaptured {
                key: "NetworkAcls".to_owned(),
                needed_for: format!("the network ACL of {}", subnet.id),
                resource_id: subnet.id.to_string(),
            }
        });
        return;
    };
    let blocked = |outcome: &NaclOutcome, ports: (u16, u16)| match outcome {
        NaclOutcome::Allowed => None,
        NaclOutcome::Denied(entry) | NaclOutcome::Partial(entry) => Some(Fact::NaclBlocks {
            acl: acl.id.clone(),
            subnet: subnet.id.clone(),
            is_egress,
            leg,
            rule_number: entry.as_ref().map(|e| e.rule_number),
            // The default `*` rule: its entry when the export lists it (AWS does, moto not).
            entry: entry.as_ref().map_or(if is_egress { acl.outbound_default } else { acl.inbound_default }, |e| Some(e.span)),
            remote: remote.to_string(),
            ports,
            is_partial: matches!(outcome, NaclOutcome::Partial(_)),
        }),
    };
    let outcome = filters::evaluate_nacl_shared(acl, is_egress, remote, ports);
    if !task_is_client || outcome == NaclOutcome::Allowed {
        facts.extend(blocked(&outcome, ports));
        return;
    }
    // NACL-6: toward the task only its own ephemeral range is needed; warn when just the
    // Linux default is open, block when not even that is.
    let linux = filters::evaluate_nacl_shared(acl, is_egress, remote, EPHEMERAL_LINUX);
    match linux {
        NaclOutcome::Allowed => facts.push(Fact::NaclPartialEphemeral {
            acl: acl.id.clone(),
            subnet: subnet.id.clone(),
            is_egress,
            allowed: format!("{}-{}", EPHEMERAL_LINUX.0, EPHEMERAL_LINUX.1),
        }),
        other => facts.extend(blocked(&other, EPHEMERAL_LINUX)),
    }
}

/// Request and return NACL legs between the task subnet and another subnet (NACL-4, NACL-5).
fn nacl_between(source: &Source<'_>, other: &Subnet, other_remote_for_task: &PrefixSet, facts: &mut Vec<Fact>) {
    if other.id == source.subnet.id {
        return; // NACL-1: traffic within a subnet is not evaluated.
    }
    nacl_check(source, source.subnet, true, Leg::Request, other_remote_for_task, (source.port, source.port), facts);
    nacl_check(source, other, false, Leg::Request, &source.cidr, (source.port, source.port), facts);
    nacl_check(source, other, true, Leg::Return, &source.cidr, EPHEMERAL_FULL, facts);
    nacl_check(source, source.subnet, false, Leg::Return, other_remote_for_task, EPHEMERAL_FULL, facts);
}

/// Interface endpoint path: every endpoint ENI is checked, since DNS answers with all of
/// them (EP-10); only those in `only` when the answer names some (an A record, a zonal name).
fn walk_to_endpoint<'a>(source: &Source<'a>, endpoint_id: &VpcEndpointId, only: Option<&[SubnetId]>) -> Outcome {
    let snapshot = source.snapshot;
    let mut outcome = Outcome { egress: Some(Egress::InterfaceEndpoint), ..Outcome::default() };
    let Some(endpoint) = source.lookups.endpoint(endpoint_id) else {
        outcome.facts.push(Fact::NotCaptured {
            key: "VpcEndpoints".to_owned(),
            needed_for: format!("endpoint {endpoint_id}"),
            resource_id: endpoint_id.to_string(),
        });
        return outcome;
    };
    if !endpoint.is_available() {
        outcome.facts.push(Fact::EndpointNotAvailable { endpoint: endpoint.id.clone(), state: endpoint.state.clone(), is_blocking: true });
        return outcome;
    }
    if let Some(fact) = cross_region_check(source, endpoint) {
        outcome.facts.push(fact);
        return outcome;
    }
    // EP-3: no group given means the VPC default group.
    let groups: &[SecurityGroupId] = if endpoint.security_group_ids.is_empty() {
        snapshot.default_security_group.get(&endpoint.vpc_id).map_or(&[], std::slice::from_ref)
    } else {
        &endpoint.security_group_ids
    };
    let dest = EniDest {
        id: endpoint.id.as_str(),
        vpc_id: &endpoint.vpc_id,
        kind: "interface_endpoint",
        span: endpoint.span,
        groups: Some(groups),
        subnets: endpoint.subnet_ids.iter().filter(|s| only.is_none_or(|only| only.contains(s))).map(|s| (s, None)).collect(),
        eni_ids: &endpoint.network_interface_ids,
    };
    walk_to_enis(source, &dest, outcome)
}

/// A private destination: an interface endpoint's ENIs, or one address (`--to`), borrowed from
/// the snapshot (made per pair).
struct EniDest<'d, 'a> {
    id: &'d str,
    vpc_id: &'a VpcId,
    kind: &'static str,
    span: Span,
    /// `None`: no ENI owns the address, so no security group is known to apply.
    groups: Option<&'a [SecurityGroupId]>,
    /// Each subnet, with the exact addresses when they are known.
    subnets: Vec<(&'d SubnetId, Option<(PrefixSet, String)>)>,
    /// Where a subnet has no exact addresses, this list and the subnet IDs must be the
    /// snapshot's own: [`eni_target`] remembers what it found by where they are.
    eni_ids: &'d [NetworkInterfaceId],
}

/// Everything the walk to one ENI of a destination reads, but for its address's atom (see
/// `atoms`): a walk with this key that raised no fact raises none for any address of the same
/// atom, and its hops are the same but for the destination's own (issue 7). The endpoints of a
/// hub share subnets and groups, so the walks to an endpoint's ENIs are made once per subnet and
/// atom, not per endpoint.
///
/// The task (its groups, whether it has a public IP) is the same for every key asked: the walks
/// are forgotten at each workload subnet.
#[derive(PartialEq, Eq, Hash)]
pub(super) struct CleanEni<'a> {
    /// The task's subnet (its address: the snapshot outlives the analysis), hence its CIDR,
    /// AZ, route table and NACL.
    task_subnet: usize,
    port: u16,
    vpc: &'a str,
    kind: &'static str,
    groups: Option<&'a [SecurityGroupId]>,
    eni_subnet: usize,
    atom: usize,
}

#[cfg(test)]
thread_local! {
    /// ENI walks skipped, or whose hops were reused, on this thread because one to an ENI of
    /// the same atom raised no fact.
    pub(super) static CLEAN_SKIPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The hops of a shown walk that raised no fact, and where the destination's own hop is.
pub(super) struct CleanHops {
    hops: Vec<Hop>,
    destination_at: usize,
}

/// Every ENI of the destination is checked, since DNS answers with all of them (EP-10).
fn walk_to_enis<'a>(source: &Source<'a>, dest: &EniDest<'_, 'a>, outcome: Outcome) -> Outcome {
    let mut per_eni: Vec<(&SubnetId, Vec<Fact>, Vec<Hop>)> = Vec::new();
    // Only the path to the ENI in the task's AZ (else the first) is shown: the others' hops are
    // not written (their facts are all kept). The same choice is made below from `per_eni`,
    // which has one entry per destination subnet.
    let shown_subnet =
        dest.subnets.iter().position(|(s, _)| source.lookups.subnet(s).is_some_and(|x| source.subnet.same_az(x))).unwrap_or(0);
    for (index, &(subnet_id, ref fixed)) in dest.subnets.iter().enumerate() {
        let shown = index == shown_subnet;
        let _quiet = Quiet::unless(shown);
        let (facts, hops) = walk_to_eni(source, dest, subnet_id, fixed.as_ref(), shown);
        per_eni.push((subnet_id, facts, hops));
    }
    merge_eni_walks(dest, per_eni, shown_subnet, outcome)
}

/// Where a walk to a destination's ENI in one subnet goes: the ENI there, its addresses (none
/// in an IPv6-only subnet without one), their atom when walks are shared, and the label of an
/// address that no ENI of the destination names.
pub(super) struct EniTarget<'a> {
    eni: Option<&'a NetworkInterface>,
    addresses: Option<PrefixSet>,
    atom: Option<usize>,
    /// How the ENI (its ID and addresses), or else the address, is named in paths and facts.
    label: String,
}

/// [`EniTarget`] of an interface endpoint in `subnet_id`: the same for every pair, so worked out
/// once per thread when walks are shared (issue 7: each pair looked the endpoint's ENIs up one
/// by one and worked their addresses and atom out again). Keyed by where the endpoint's ENI list
/// and subnet ID are in the snapshot.
fn eni_target<'a>(source: &Source<'a>, dest: &EniDest<'_, 'a>, subnet_id: &SubnetId, eni_subnet: &Subnet) -> std::rc::Rc<EniTarget<'a>> {
    let make = || {
        // EP-1: one requester-managed ENI per endpoint subnet, with a private IP from it.
        let eni = dest
            .eni_ids
            .iter()
            .filter_map(|id| source.lookups.eni(id))
            .find(|n| n.subnet_id.as_ref() == Some(subnet_id))
            .filter(|eni| !eni.private_ips.is_empty());
        let (addresses, label) = match (eni, eni_subnet.cidr) {
            (Some(eni), _) => (
                Some(PrefixSet::from_ranges(
                    eni.private_ips.iter().map(|ip| (u64::from(u32::from(*ip)), u64::from(u32::from(*ip)))).collect(),
                )),
                eni_label(eni),
            ),
            (None, Some(cidr)) => (Some(PrefixSet::from_net(cidr)), format!("an address in {subnet_id} ({cidr})")),
            (None, None) => (None, String::new()),
        };
        let atom = source.hub.and(addresses.as_ref()).and_then(|a| source.lookups.atoms().of(a));
        std::rc::Rc::new(EniTarget { eni, addresses, atom, label })
    };
    let Some(memo) = source.hub else { return make() };
    let key = (dest.eni_ids.as_ptr() as usize, std::ptr::from_ref(subnet_id) as usize);
    let known = memo.borrow().eni_targets.get(&key).cloned();
    known.unwrap_or_else(|| {
        let made = make();
        memo.borrow_mut().eni_targets.insert(key, made.clone());
        made
    })
}

/// The facts and hops of the walk to the destination's ENI (or address) in `subnet_id`.
fn walk_to_eni<'a>(
    source: &Source<'a>,
    dest: &EniDest<'_, 'a>,
    subnet_id: &SubnetId,
    fixed: Option<&(PrefixSet, String)>,
    shown: bool,
) -> (Vec<Fact>, Vec<Hop>) {
    let mut facts = Vec::new();
    let mut hops = Vec::new();
    let Some(eni_subnet) = source.lookups.subnet(subnet_id) else {
        facts.push(Fact::NotCaptured {
            key: "Subnets".to_owned(),
            needed_for: format!("endpoint subnet {subnet_id}"),
            resource_id: subnet_id.to_string(),
        });
        return (facts, hops);
    };
    // The addresses, their atom, and how to name them (written only for a walk that is made).
    let target = match fixed {
        Some((addresses, label)) => std::rc::Rc::new(EniTarget {
            eni: None,
            addresses: Some(addresses.clone()),
            atom: source.hub.and_then(|_| source.lookups.atoms().of(addresses)),
            label: label.clone(),
        }),
        None => eni_target(source, dest, subnet_id, eni_subnet),
    };
    let (Some(addresses), eni_label) = (&target.addresses, target.label.as_str()) else {
        facts.push(Fact::Ipv6OnlySubnet { subnet: subnet_id.clone() });
        return (facts, hops);
    };
    let destination_hop = |eni_label: &str| {
        hop(dest.kind, dest.id, format_args!("{eni_label} in {}", eni_subnet.availability_zone.as_deref().unwrap_or("?")), Some(dest.span))
    };
    let clean_key = source.hub.and_then(|_| {
        Some(CleanEni {
            task_subnet: std::ptr::from_ref(source.subnet) as usize,
            port: source.port,
            vpc: dest.vpc_id.as_str(),
            kind: dest.kind,
            groups: dest.groups,
            eni_subnet: std::ptr::from_ref(eni_subnet) as usize,
            atom: target.atom?,
        })
    });
    if let (Some(key), Some(memo)) = (&clean_key, source.hub) {
        let known = memo.borrow().clean_enis.get(key).cloned();
        match known {
            // An ENI of the same atom was reached from this subnet without a fact: not shown,
            // nothing to write; shown, the same hops but the destination's.
            Some(_) if !shown => {
                #[cfg(test)]
                CLEAN_SKIPS.set(CLEAN_SKIPS.get() + 1);
                return (facts, hops);
            }
            Some(Some(clean)) => {
                #[cfg(test)]
                CLEAN_SKIPS.set(CLEAN_SKIPS.get() + 1);
                let mut hops = clean.hops.clone();
                if let Some(own) = hops.get_mut(clean.destination_at) {
                    *own = match target.eni {
                        // The ENI's hop, as written for an earlier subnet's walk when there was one.
                        Some(eni) => {
                            let key = std::ptr::from_ref(eni) as usize;
                            let known = memo.borrow().destination_hops.get(&key).cloned();
                            match known.filter(|h| h.kind == dest.kind && &*h.resource_id == dest.id && h.span == Some(dest.span)) {
                                Some(known) => known,
                                None => {
                                    let made = destination_hop(eni_label);
                                    memo.borrow_mut().destination_hops.insert(key, made.clone());
                                    made
                                }
                            }
                        }
                        None => destination_hop(eni_label),
                    };
                }
                return (facts, hops);
            }
            _ => {}
        }
    }
    let (remote, return_hops) = route_to_eni(source, dest, eni_subnet, addresses, eni_label, &mut hops, &mut facts);
    let destination_at = hops.len();
    hops.push(destination_hop(eni_label));
    task_egress_to_eni(source, dest, addresses, remote, eni_label, &mut facts);
    if remote == Some(None) {
        // Not delivered: the far side's filters are beside the point.
        return (facts, hops);
    }
    far_side(source, dest, eni_subnet, remote, eni_label, &mut facts);
    if remote.is_none() {
        nacl_between(source, eni_subnet, addresses, &mut facts);
    }
    hops.extend(return_hops);
    if let (Some(key), Some(memo), true) = (clean_key, source.hub, facts.is_empty()) {
        let mut memo = memo.borrow_mut();
        let clean = shown.then(|| std::rc::Rc::new(CleanHops { hops: hops.clone(), destination_at }));
        // A shown walk's hops are kept even when a walk that was not shown came first.
        let slot = memo.clean_enis.entry(key).or_default();
        if slot.is_none() {
            *slot = clean;
        }
    }
    (facts, hops)
}

/// How an ENI is named in paths and facts: its ID and addresses.
fn eni_label(eni: &NetworkInterface) -> String {
    format!("{} {}", eni.id, eni.private_ips.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
}

/// The task table's routes toward an ENI's addresses, and the walk beyond them: the hops and
/// facts are added; returns whether the walk crossed to another VPC (and then whether the
/// destination's groups may reference the task's, TGW-12 / PCX-9), and the reply's hops.
fn route_to_eni<'a>(
    source: &Source<'a>,
    dest: &EniDest<'_, 'a>,
    eni_subnet: &'a Subnet,
    addresses: &PrefixSet,
    eni_label: &str,
    hops: &mut Vec<Hop>,
    facts: &mut Vec<Fact>,
) -> (Option<Option<transit::SgReferences>>, Vec<Hop>) {
    let snapshot = source.snapshot;
    // RT-2: an ENI in the task's own subnet is reached without the VPC router, so no route
    // applies, whatever the table holds for the subnet (a replaced local route, a more specific
    // route to an appliance).
    if eni_subnet.id == source.subnet.id {
        hops.push(hop(
            "subnet",
            &source.subnet.id,
            "the task's own subnet: delivered without a route lookup (RT-2)",
            Some(source.subnet.span),
        ));
        return (None, Vec::new());
    }
    // RT-3: the route to a local ENI must be the local route; anything else is a
    // middlebox. A remote ENI is reached over a transit gateway or a peering connection
    // (PCX-6).
    let parts = lpm::partition_shared(snapshot, &source.table.routes, addresses, None);
    let mut remote: Option<Option<transit::SgReferences>> = None;
    let mut return_hops = Vec::new();
    for (choice, part) in parts.iter() {
        match choice {
            Choice::Route(i) => {
                let Some(route) = source.table.routes.get(*i) else { continue };
                let is_transit = matches!(route.target, RouteTarget::TransitGateway(_) | RouteTarget::PeeringConnection(_));
                if is_transit && !route.is_blackhole && *dest.vpc_id != source.subnet.vpc_id {
                    hops.push(route_hop(source.table, route));
                    let delivery = transit::Delivery { subnet: eni_subnet, addresses: part.clone() };
                    let mut walk = transit::Walk::new(source, transit::Goal::Deliver(&delivery), None, eni_label);
                    let mut o = Outcome::default();
                    match &route.target {
                        RouteTarget::TransitGateway(tgw) => walk.via_tgw(source.subnet, true, source.table, route, tgw, part, &mut o),
                        RouteTarget::PeeringConnection(pcx) => walk.via_peering(source.table, route, pcx, &mut o),
                        _ => {}
                    }
                    hops.extend(o.hops);
                    facts.extend(o.facts);
                    return_hops.extend(walk.return_hops);
                    remote = Some(walk.sg_references_allowed.or(remote.flatten()));
                    continue;
                }
                if route.target == RouteTarget::Local && *dest.vpc_id != source.subnet.vpc_id {
                    // RT-3: `local` cannot point elsewhere; the packet stays in the task's VPC,
                    // where the endpoint is not.
                    facts.push(Fact::LocalRouteShadows {
                        route_table: source.table.id.clone(),
                        route: route.span,
                        destination: part.to_string(),
                        own_vpc: source.subnet.vpc_id.clone(),
                        other_vpc: dest.vpc_id.clone(),
                    });
                    continue;
                }
                if route.is_blackhole {
                    facts.push(blackhole_fact(snapshot, source.table, route));
                } else if route.target != RouteTarget::Local {
                    facts.push(Fact::LocalRouteRedirected {
                        route_table: source.table.id.clone(),
                        route: route.span,
                        target: route.target.id().to_owned(),
                    });
                } else if hops.is_empty() {
                    hops.push(hop("route_table", &source.table.id, format_args!("{} → local", route.destination), Some(route.span)));
                }
            }
            Choice::NoRoute => facts.push(Fact::NoRoute {
                route_table: source.table.id.clone(),
                destination: addresses.to_string(),
                has_interface_endpoint: true,
            }),
            Choice::Ambiguous(routes) => {
                facts.push(ambiguous_fact(source.table, routes));
            }
            Choice::UnknownPrefixList(_) => facts.push(Fact::NotCaptured {
                key: "ManagedPrefixLists".to_owned(),
                needed_for: format!("a prefix-list route of {} toward {addresses}", source.table.id),
                resource_id: source.table.id.to_string(),
            }),
        }
    }
    (remote, return_hops)
}

/// SG-5 toward an ENI: the task's egress rules may name the destination's groups only where
/// the crossing lets references work outbound (same VPC, same-region peering: PCX-9; never
/// across a transit gateway: TGW-12).
fn task_egress_to_eni(
    source: &Source<'_>,
    dest: &EniDest<'_, '_>,
    addresses: &PrefixSet,
    remote: Option<Option<transit::SgReferences>>,
    eni_label: &str,
    facts: &mut Vec<Fact>,
) {
    let dest_groups = dest.groups.unwrap_or_default();
    let references = !matches!(remote, Some(Some(r)) if !r.outbound);
    let groups: &[SecurityGroupId] = if references { dest_groups } else { &[] };
    let peer = Peer { addresses, groups, own_prefix_list: None };
    if references || dest_groups.is_empty() {
        task_egress(source, &peer, eni_label, facts);
        return;
    }
    let mut own = Vec::new();
    task_egress(source, &peer, eni_label, &mut own);
    let by_reference = || {
        let with = Peer { addresses, groups: dest_groups, own_prefix_list: None };
        evaluate_sg(source.snapshot, &source.groups, true, source.port, &with) == SgOutcome::Allowed
    };
    if matches!(own.as_slice(), [Fact::TaskSgBlocksEgress { .. }]) && by_reference() {
        // SG-7: only a reference to the destination's groups would have let it out.
        facts.push(Fact::SgReferenceNotEffective {
            destination: dest.id.to_owned(),
            groups: source.group_ids.to_vec(),
            source: format!("{} ({})", source.subnet.id, source.cidr),
            port: source.port,
            is_egress: true,
        });
    } else {
        facts.extend(own);
    }
}

/// SG-6 on the destination's side: its groups must admit the task's address (any in its
/// subnet), by reference only where the crossing allows it (`remote`).
fn far_side(
    source: &Source<'_>,
    dest: &EniDest<'_, '_>,
    eni_subnet: &Subnet,
    remote: Option<Option<transit::SgReferences>>,
    eni_label: &str,
    facts: &mut Vec<Fact>,
) {
    let snapshot = source.snapshot;
    let endpoint_groups = dest.groups.unwrap_or_default();
    // SG-6 across a crossing: references to the task's groups only where PCX-9 / TGW-12
    // allow them.
    let task_groups: Vec<SecurityGroupId> = match remote {
        Some(Some(references)) if !references.inbound => Vec::new(),
        _ => source.group_ids.to_vec(),
    };
    // SG-6: the endpoint's groups must admit the task's address (any in its subnet).
    let endpoint_sgs: Vec<&SecurityGroup> = endpoint_groups.iter().filter_map(|g| source.lookups.security_group(g)).collect();
    if dest.groups.is_none() {
        facts.push(Fact::OutsideSnapshot {
            destination: eni_label.to_owned(),
            reason: format!(
                "it is in {} of {}, but no network interface of the snapshot holds it, so what answers there and its security groups are unknown",
                eni_subnet.id, dest.vpc_id
            ),
        });
    } else if endpoint_sgs.len() < endpoint_groups.len() {
        facts.push(Fact::NotCaptured {
            key: "SecurityGroups".to_owned(),
            needed_for: format!("the security groups of {}", dest.id),
            resource_id: dest.id.to_owned(),
        });
    } else {
        let task_peer = Peer { addresses: &source.cidr, groups: &task_groups, own_prefix_list: None };
        let verdict = evaluate_sg(snapshot, &endpoint_sgs, false, source.port, &task_peer);
        // SG-7: only a reference to the task's groups would have admitted it, and references
        // do not work across this crossing (PCX-9, TGW-12).
        let reference_only = task_groups.is_empty()
            && !source.group_ids.is_empty()
            && verdict != SgOutcome::Allowed
            && evaluate_sg(
                snapshot,
                &endpoint_sgs,
                false,
                source.port,
                &Peer { addresses: &source.cidr, groups: &source.group_ids, own_prefix_list: None },
            ) == SgOutcome::Allowed;
        match verdict {
            SgOutcome::Allowed => {}
            _ if reference_only => facts.push(Fact::SgReferenceNotEffective {
                destination: dest.id.to_owned(),
                groups: endpoint_groups.to_vec(),
                source: format!("{} ({})", source.subnet.id, source.cidr),
                port: source.port,
                is_egress: false,
            }),
            outcome @ (SgOutcome::Denied | SgOutcome::Partial) if dest.kind == "interface_endpoint" => {
                facts.push(Fact::EndpointSgBlocksIngress {
                    endpoint: VpcEndpointId::from(dest.id.to_owned()),
                    groups: endpoint_groups.to_vec(),
                    source: format!("{} ({})", source.subnet.id, source.cidr),
                    is_partial: outcome == SgOutcome::Partial,
                });
            }
            outcome @ (SgOutcome::Denied | SgOutcome::Partial) => facts.push(Fact::DestinationSgBlocksIngress {
                destination: dest.id.to_owned(),
                groups: endpoint_groups.to_vec(),
                source: format!("{} ({})", source.subnet.id, source.cidr),
                port: source.port,
                is_partial: outcome == SgOutcome::Partial,
            }),
            SgOutcome::Unknown(reason) => {
                facts.push(Fact::NotCaptured { key: "ManagedPrefixLists".to_owned(), needed_for: reason, resource_id: dest.id.to_owned() })
            }
        }
    }
}

/// One outcome from the walks to each ENI: the shown one's path, every walk's facts, and when
/// some ENIs are reachable and others not, that disagreement in place of their blocking facts.
/// `shown`: the entry whose path is shown (one entry per destination subnet, in order).
fn merge_eni_walks(dest: &EniDest<'_, '_>, per_eni: Vec<(&SubnetId, Vec<Fact>, Vec<Hop>)>, shown: usize, mut outcome: Outcome) -> Outcome {
    if per_eni.is_empty() {
        outcome.facts.push(Fact::NotCaptured {
            key: "VpcEndpoints".to_owned(),
            needed_for: format!("the subnets of {}", dest.id),
            resource_id: dest.id.to_owned(),
        });
        return outcome;
    }
    let verdicts: BTreeSet<Verdict> = per_eni.iter().map(|(_, f, _)| verdict_of(f)).collect();
    let mixed = verdicts.len() > 1 && verdicts.contains(&Verdict::Reachable);
    if mixed {
        let reachable =
            per_eni.iter().filter(|(_, f, _)| verdict_of(f) == Verdict::Reachable).map(|(s, _, _)| SubnetId::clone(s)).collect();
        let blocked = per_eni.iter().filter(|(_, f, _)| verdict_of(f) != Verdict::Reachable).map(|(s, _, _)| SubnetId::clone(s)).collect();
        // The blocked ENIs' blocking facts become the causes named by EndpointEnisDisagree; the
        // verdict is decided by it (a warning: some connections work).
        let mut causes: Vec<Fact> = Vec::new();
        for f in per_eni.iter().flat_map(|(_, f, _)| f.iter()).filter(|f| f.effect() == Effect::Blocks) {
            if !causes.contains(f) {
                causes.push(f.clone());
            }
        }
        outcome.facts.push(Fact::EndpointEnisDisagree { endpoint: VpcEndpointId::from(dest.id.to_owned()), reachable, blocked, causes });
    }
    for (index, (_, facts, hops)) in per_eni.into_iter().enumerate() {
        if index == shown {
            outcome.hops = hops;
        }
        outcome.facts.extend(facts.into_iter().filter(|f| !mixed || f.effect() != Effect::Blocks));
    }
    outcome
}

/// The guide's management-plane endpoint service lives in one region: from another region
/// the endpoint must be a cross-region one (`ServiceRegion`), and in that region it must not
/// be (EP-9; the guide's us-east-1 note).
fn cross_region_check(source: &Source<'_>, endpoint: &VpcEndpoint) -> Option<Fact> {
    let (_, service_region) = source.service.privatelink?;
    let vpc_region = source.snapshot.region_of_vpc(&endpoint.vpc_id)?;
    let stated = endpoint.service_region.clone().filter(|r| !r.is_empty());
    let is_ok = if vpc_region == service_region {
        stated.as_deref().is_none_or(|r| r == service_region)
    } else {
        stated.as_deref() == Some(service_region)
    };
    (!is_ok).then(|| Fact::CrossRegionEndpoint {
        endpoint: endpoint.id.clone(),
        vpc_region,
        service_region: stated,
        required: service_region.to_owned(),
    })
}

/// A destination given as an address (`--to 10.2.0.15:5432`, or a private zone's A record).
fn walk_to_address<'a>(source: &Source<'a>, ip: std::net::Ipv4Addr, region: &str) -> Outcome {
    let snapshot = source.snapshot;
    let addresses = PrefixSet::from_addr(ip);
    let Some(subnet) = snapshot.subnet_holding(ip) else {
        if PrefixSet::public_internet().contains_addr(ip) {
            return walk_public_to(source, addresses, format!("{ip}"), region);
        }
        return walk_outside(source, ip);
    };
    // An interface endpoint's address: the endpoint path, with all its checks, to that ENI.
    let eni = snapshot.eni_with_ip(ip);
    if let Some(endpoint) = eni.and_then(|n| snapshot.endpoint_of_eni(&n.id)) {
        let only: Vec<SubnetId> = eni.and_then(|n| n.subnet_id.clone()).into_iter().collect();
        return walk_to_endpoint(source, &endpoint.id, Some(&only));
    }
    let id = eni.map_or_else(|| ip.to_string(), |n| n.id.to_string());
    let eni_ids: Vec<NetworkInterfaceId> = eni.map(|n| vec![n.id.clone()]).unwrap_or_default();
    let dest = EniDest {
        id: &id,
        vpc_id: &subnet.vpc_id,
        kind: if eni.is_some() { "network_interface" } else { "address" },
        span: eni.map_or(subnet.span, |n| n.span),
        groups: eni.map(|n| n.security_group_ids.as_slice()),
        subnets: vec![(&subnet.id, Some((addresses, ip.to_string())))],
        eni_ids: &eni_ids,
    };
    walk_to_enis(source, &dest, Outcome { egress: Some(Egress::NetworkInterface), ..Outcome::default() })
}

/// A private address in no subnet of the snapshot (on premises, or a VPC that was not
/// exported): the routes are followed as far as the snapshot goes. A missing or blackhole route
/// is a definite drop; an exit to a virtual private gateway or a transit gateway VPN / Direct
/// Connect attachment is named and the verdict is `unknown` (RT-14).
fn walk_outside(source: &Source<'_>, ip: std::net::Ipv4Addr) -> Outcome {
    let snapshot = source.snapshot;
    let destination = PrefixSet::from_addr(ip);
    let description = ip.to_string();
    let outside = |reason: String| Fact::OutsideSnapshot { destination: ip.to_string(), reason };
    let mut outcome = Outcome::default();
    for (choice, part) in lpm::partition_shared(snapshot, &source.table.routes, &destination, None).iter() {
        let Choice::Route(i) = choice else {
            let o = follow(source, source.table, choice, part, None, &description);
            outcome.hops.extend(o.hops);
            outcome.facts.extend(o.facts);
            continue;
        };
        let Some(route) = source.table.routes.get(*i) else { continue };
        let table = source.table;
        outcome.hops.push(route_hop(table, route));
        if route.is_blackhole {
            outcome.facts.push(blackhole_fact(snapshot, table, route));
            continue;
        }
        let own_groups: Vec<SecurityGroupId> = Vec::new();
        let peer = Peer { addresses: part, groups: &own_groups, own_prefix_list: None };
        task_egress(source, &peer, &description, &mut outcome.facts);
        nacl_check(source, source.subnet, true, Leg::Request, part, (source.port, source.port), &mut outcome.facts);
        match &route.target {
            RouteTarget::TransitGateway(tgw) => {
                let mut walk = transit::Walk::new(source, transit::Goal::Outside, None, &description);
                walk.via_tgw(source.subnet, true, table, route, tgw, part, &mut outcome);
            }
            RouteTarget::PeeringConnection(pcx) => {
                let mut walk = transit::Walk::new(source, transit::Goal::Outside, None, &description);
                walk.via_peering(table, route, pcx, &mut outcome);
            }
            RouteTarget::Local => outcome.facts.push(outside(format!(
                "it is in the CIDR of {} but in none of its subnets, where no resource can hold it: check the address (or capture the subnet, if the export was filtered)",
                table.vpc_id
            ))),
            other => unmodelled(&mut outcome, table, route, other),
        }
    }
    if outcome.facts.iter().all(|f| f.effect() != Effect::Blocks && !matches!(f, Fact::UnmodelledHop { .. } | Fact::OutsideSnapshot { .. }))
    {
        // Whatever path exists ends outside the snapshot.
        outcome
            .facts
            .push(outside("a private address in no subnet of the snapshot (on premises, or a VPC that was not exported)".to_owned()));
    }
    outcome
}

/// The service's public addresses: the AWS-managed prefix list for S3 and DynamoDB when its
/// entries are captured, else all public IPv4 space.
fn public_destination(source: &Source<'_>, region: &str) -> (PrefixSet, Option<PrefixListId>, String) {
    let snapshot = source.snapshot;
    let Some(name) = source.service.prefix_list_name(region) else {
        return (source.lookups.public_besides_gateway_services().clone(), None, format!("public addresses of {}", source.service.title));
    };
    let list = snapshot.prefix_lists.values().find(|p| p.name.as_deref() == Some(name.as_str()));
    // A gateway endpoint's route names the list even when describe-prefix-lists was not run.
    let from_route = || {
        source.table.routes.iter().find_map(|r| match (&r.destination, &r.target) {
            (RouteDestination::PrefixList(pl), RouteTarget::VpcEndpoint(e))
                if snapshot.vpc_endpoints.get(e).is_some_and(|e| e.service_name == name) =>
            {
                Some(pl.clone())
            }
            _ => None,
        })
    };
    match list {
        Some(list) => match &list.cidrs {
            Some(cidrs) if !cidrs.is_empty() => (PrefixSet::from_nets(cidrs), Some(list.id.clone()), format!("{} ({name})", list.id)),
            // An AWS-managed service list is never empty: an empty one was not really captured.
            _ => (
                PrefixSet::public_internet(),
                Some(list.id.clone()),
                format!("public addresses of {} ({name}, entries not captured)", source.service.title),
            ),
        },
        None => (PrefixSet::public_internet(), from_route(), format!("public addresses of {}", source.service.title)),
    }
}

fn walk_public(source: &Source<'_>, region: &str) -> Outcome {
    let (destination, own_list, description) = public_destination(source, region);
    let Some(memo) = source.hub else {
        return walk_public_with(source, destination, own_list, description, region);
    };
    let key = PublicWalk { destination, own_list, port: source.port, gateway_list: source.service.prefix_list_name(region) };
    if let Some(known) = memo.borrow().public_walks.get(&key) {
        #[cfg(test)]
        PUBLIC_REUSES.set(PUBLIC_REUSES.get() + 1);
        return Outcome::clone(known);
    }
    let outcome = walk_public_with(source, key.destination.clone(), key.own_list.clone(), description, region);
    if outcome.facts.is_empty() {
        memo.borrow_mut().public_walks.insert(key, outcome.clone());
    }
    outcome
}

/// Everything a walk from the task subnet being analysed to a service's public addresses reads
/// besides that subnet and the task (issue 7). The service itself is read only to name the
/// destination in what a failing walk says (a route missing, a group refusing), and to tell
/// whether a gateway endpoint serves it: so a walk that raised no fact is the same walk for
/// every service with the same key, and is made once per subnet (ECS, IAM and the management
/// plane all go to the public addresses less the S3 and DynamoDB lists).
#[derive(PartialEq, Eq, Hash)]
pub(super) struct PublicWalk {
    destination: PrefixSet,
    own_list: Option<PrefixListId>,
    port: u16,
    /// The AWS-managed prefix list of the service (S3, DynamoDB), which gateway endpoints serve.
    gateway_list: Option<String>,
}

#[cfg(test)]
thread_local! {
    /// Walks to public addresses reused on this thread from another service of the same subnet.
    pub(super) static PUBLIC_REUSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn walk_public_to(source: &Source<'_>, destination: PrefixSet, description: String, region: &str) -> Outcome {
    walk_public_with(source, destination, None, description, region)
}

fn walk_public_with(
    source: &Source<'_>,
    destination: PrefixSet,
    own_list: Option<PrefixListId>,
    description: String,
    region: &str,
) -> Outcome {
    let parts = lpm::partition_shared(source.snapshot, &source.table.routes, &destination, own_list.as_ref());
    let mut outcomes: Vec<(PrefixSet, Outcome)> = parts
        .iter()
        .map(|(choice, part)| {
            let o = follow(source, source.table, choice, part, own_list.as_ref(), &description);
            (part.clone(), o)
        })
        .collect();

    let mut outcome = if outcomes.len() == 1 {
        outcomes.pop().map(|(_, o)| o).unwrap_or_default()
    } else {
        let verdicts: BTreeSet<Verdict> = outcomes.iter().map(|(_, o)| o.verdict()).collect();
        // Show the path of the largest part; state the split when the parts disagree.
        outcomes.sort_by_key(|(p, _)| std::cmp::Reverse(p.size()));
        let mut merged = outcomes.first().map(|(_, o)| o.clone()).unwrap_or_default();
        if verdicts.len() > 1 {
            let table = source.table.id.clone();
            let parts = outcomes
                .iter()
                .map(|(p, o)| {
                    let via = o.hops.iter().map(|h| &*h.resource_id).collect::<Vec<_>>().join(" → ");
                    // A part with no hop (an ambiguous or unknown route) has no "via".
                    if via.is_empty() { format!("{p}: {:?}", o.verdict()) } else { format!("{p}: {:?} via {via}", o.verdict()) }
                        .to_lowercase()
                })
                .collect();
            merged.facts = outcomes.iter().flat_map(|(_, o)| o.facts.iter().filter(|f| f.effect() != Effect::Blocks).cloned()).collect();
            merged.facts.push(Fact::DestinationSplit { route_table: table, parts });
        } else {
            for (_, o) in outcomes.iter().skip(1) {
                merged.facts.extend(o.facts.iter().cloned());
            }
        }
        merged
    };

    // EP-11: a gateway endpoint for this service that the task's table does not carry.
    if outcome.verdict() != Verdict::Reachable {
        if let Some(name) = source.service.prefix_list_name(region) {
            for endpoint in source.snapshot.endpoints_in_vpc(&source.subnet.vpc_id) {
                if endpoint.endpoint_type == EndpointType::Gateway
                    && endpoint.service_name == name
                    && !endpoint.route_table_ids.contains(&source.table.id)
                {
                    outcome.facts.push(Fact::S3GatewayEndpointNotAssociated {
                        endpoint: endpoint.id.clone(),
                        route_table: source.table.id.clone(),
                        is_main: source.table.is_main && !source.snapshot.subnet_route_table.contains_key(&source.subnet.id),
                        is_blocking: true,
                    });
                }
            }
        }
    }
    outcome
}

/// Follows one route choice for `part` of the destination from `table`.
fn follow(
    source: &Source<'_>,
    table: &RouteTable,
    choice: &Choice,
    part: &PrefixSet,
    own_list: Option<&PrefixListId>,
    description: &str,
) -> Outcome {
    let snapshot = source.snapshot;
    let mut o = Outcome::default();
    let route = match choice {
        Choice::Route(i) => match table.routes.get(*i) {
            Some(r) => r,
            None => return o,
        },
        Choice::NoRoute => {
            let has_interface_endpoint = snapshot.endpoints_in_vpc(&source.subnet.vpc_id).any(|e| {
                e.endpoint_type == EndpointType::Interface && e.service_name.ends_with(&format!(".{}", source.service.endpoint_suffix))
            });
            o.hops.push(hop("route_table", &table.id, format_args!("no route for {description}"), Some(table.span)));
            o.facts.push(Fact::NoRoute { route_table: table.id.clone(), destination: description.to_owned(), has_interface_endpoint });
            return o;
        }
        Choice::Ambiguous(routes) => {
            o.facts.push(ambiguous_fact(table, routes));
            return o;
        }
        Choice::UnknownPrefixList(i) => {
            let route = table.routes.get(*i);
            o.facts.push(Fact::NotCaptured {
                key: "ManagedPrefixLists".to_owned(),
                needed_for: format!(
                    "the entries of {} routed in {}",
                    route.map(|r| r.destination.to_string()).unwrap_or_default(),
                    table.id
                ),
                resource_id: table.id.to_string(),
            });
            return o;
        }
    };
    o.hops.push(route_hop(table, route));
    if route.is_blackhole {
        // RT-6: a blackholed best match drops, with no fallback to a shorter route.
        o.facts.push(blackhole_fact(snapshot, table, route));
        return o;
    }
    let own_groups: Vec<SecurityGroupId> = Vec::new();
    let peer = Peer { addresses: part, groups: &own_groups, own_prefix_list: own_list };
    match &route.target {
        RouteTarget::InternetGateway(igw_id) => {
            match snapshot.internet_gateways.get(igw_id) {
                Some(igw) => {
                    o.hops.push(hop("internet_gateway", igw_id, "to the service's public endpoint", Some(igw.span)));
                    // IGW-1(a)
                    if !igw.attached_vpcs.contains(&table.vpc_id) {
                        o.facts.push(Fact::IgwNotAttached {
                            route_table: table.id.clone(),
                            route: route.span,
                            igw: igw_id.clone(),
                            vpc: table.vpc_id.clone(),
                        });
                        return o;
                    }
                }
                // Without a public IP the gateway drops the packet whatever its state (IGW-1(c),
                // IGW-4): the missing record matters only to a task that has one.
                None if source.has_public_ip => {
                    o.facts.push(Fact::NotCaptured {
                        key: "InternetGateways".to_owned(),
                        needed_for: format!("{igw_id}"),
                        resource_id: igw_id.to_string(),
                    });
                    return o;
                }
                None => {}
            }
            // IGW-1(c), IGW-4: Fargate gets a public IPv4 only with assignPublicIp=ENABLED.
            if !source.has_public_ip {
                o.facts.push(Fact::IgwRouteWithoutPublicIp {
                    route_table: table.id.clone(),
                    route: route.span,
                    igw: igw_id.clone(),
                    subnet: source.subnet.id.clone(),
                });
                return o;
            }
            // IGW-8: Block Public Access, unless the subnet or VPC is excluded.
            if let Some(bpa) = snapshot.bpa_blocking(source.subnet, false) {
                o.facts.push(Fact::BlockPublicAccess {
                    mode: bpa.mode.clone(),
                    options: bpa.span,
                    vpc: table.vpc_id.clone(),
                    subnet: source.subnet.id.clone(),
                    igw: igw_id.clone(),
                    route_table: table.id.clone(),
                    route: route.span,
                });
                return o;
            }
            task_egress(source, &peer, description, &mut o.facts);
            nacl_check(source, source.subnet, true, Leg::Request, part, (source.port, source.port), &mut o.facts);
            nacl_check(source, source.subnet, false, Leg::Return, part, EPHEMERAL_FULL, &mut o.facts);
            igw_reply(snapshot, igw_id, &table.vpc_id, &source.cidr, &mut o);
            // IGW-6: the service's public addresses through the IGW, from the task's public IP.
            o.egress = Some(Egress::InternetGateway);
        }
        RouteTarget::NatGateway(nat_id) => follow_nat(source, nat_id, part, &peer, own_list, description, &mut o),
        RouteTarget::TransitGateway(tgw_id) => {
            let mut walk = transit::Walk::new(source, transit::Goal::Internet, own_list, description);
            walk.via_tgw(source.subnet, true, table, route, tgw_id, part, &mut o);
            task_egress(source, &peer, description, &mut o.facts);
            o.hops.extend(walk.return_hops);
        }
        RouteTarget::PeeringConnection(pcx_id) => {
            let mut walk = transit::Walk::new(source, transit::Goal::Internet, own_list, description);
            walk.via_peering(table, route, pcx_id, &mut o);
        }
        RouteTarget::VpcEndpoint(endpoint_id) => {
            let Some(endpoint) = snapshot.vpc_endpoints.get(endpoint_id) else {
                o.facts.push(Fact::NotCaptured {
                    key: "VpcEndpoints".to_owned(),
                    needed_for: format!("{endpoint_id}"),
                    resource_id: endpoint_id.to_string(),
                });
                return o;
            };
            if !is_gateway_endpoint_of(source.service, endpoint) {
                o.facts.push(Fact::UnmodelledHop {
                    route_table: table.id.clone(),
                    route: route.span,
                    target_kind: format!("{:?} endpoint {}", endpoint.endpoint_type, endpoint.service_name).to_lowercase(),
                    target: endpoint_id.to_string(),
                });
                return o;
            }
            if !enter_gateway_endpoint(endpoint, "prefix-list route", &mut o) {
                return o;
            }
            // EP-16, SG-10: no SG on the endpoint; the task SG and NACLs (service CIDRs) decide.
            task_egress(source, &peer, description, &mut o.facts);
            nacl_check(source, source.subnet, true, Leg::Request, part, (source.port, source.port), &mut o.facts);
            nacl_check(source, source.subnet, false, Leg::Return, part, EPHEMERAL_FULL, &mut o.facts);
            o.egress = Some(Egress::GatewayEndpoint);
        }
        other => unmodelled(&mut o, table, route, other),
    }
    o
}

/// EP-11: `endpoint` is a gateway endpoint of `service` (S3 or DynamoDB, in its region).
fn is_gateway_endpoint_of(service: &ServiceSpec, endpoint: &VpcEndpoint) -> bool {
    endpoint.endpoint_type == EndpointType::Gateway
        && service.prefix_list_name(&endpoint_region(endpoint)).as_deref() == Some(endpoint.service_name.as_str())
}

/// EP-11: the gateway endpoint a prefix-list route leads to, as a hop; false, with the fact,
/// when the endpoint is not available (EP-5).
fn enter_gateway_endpoint(endpoint: &VpcEndpoint, route: &str, o: &mut Outcome) -> bool {
    o.hops.push(hop("gateway_endpoint", &endpoint.id, format!("{} ({route})", endpoint.service_name), Some(endpoint.span)));
    if !endpoint.is_available() {
        o.facts.push(Fact::EndpointNotAvailable { endpoint: endpoint.id.clone(), state: endpoint.state.clone(), is_blocking: true });
        return false;
    }
    true
}

/// RT-9: a reply from the internet enters the VPC through the internet gateway, where the
/// gateway route table associated with it (if any) routes it toward `reply_to`: `local`
/// delivers it (the usual case, and then the lookup is only shown), an appliance ENI or a
/// Gateway Load Balancer endpoint takes it where vpcreach does not follow (`unknown`, never a
/// guess), a blackhole drops it.
fn igw_reply(snapshot: &Snapshot, igw_id: &InternetGatewayId, vpc_id: &VpcId, reply_to: &PrefixSet, o: &mut Outcome) {
    let Some(table) = snapshot.gateway_route_table.get(igw_id.as_str()).and_then(|id| snapshot.route_tables.get(id)) else {
        return;
    };
    if table.vpc_id != *vpc_id {
        return;
    }
    for (choice, part) in lpm::partition(snapshot, &table.routes, reply_to, None) {
        match choice {
            Choice::Route(i) => {
                let Some(route) = table.routes.get(i) else { continue };
                o.hops.push(hop(
                    "return_route_table",
                    &table.id,
                    format_args!("reply {} → {} (gateway route table of {igw_id})", route.destination, route.target.id()),
                    Some(route.span),
                ));
                if route.is_blackhole {
                    o.facts.push(match blackhole_fact(snapshot, table, route) {
                        Fact::BlackholeRoute { route_table, route, destination, target, .. } => {
                            Fact::BlackholeRoute { route_table, route, destination, target, is_reply: true }
                        }
                        other => other,
                    });
                } else if route.target != RouteTarget::Local {
                    o.facts.push(Fact::UnmodelledHop {
                        route_table: table.id.clone(),
                        route: route.span,
                        target_kind: format!("the reply's ingress routing (gateway route table of {igw_id}, RT-9) to"),
                        target: route.target.id().to_owned(),
                    });
                }
            }
            // AWS keeps the local route in every table: without it the table was not captured whole.
            Choice::NoRoute => o.facts.push(Fact::NotCaptured {
                key: "RouteTables".to_owned(),
                needed_for: format!("the local route of {}, the gateway route table of {igw_id}, toward {part}", table.id),
                resource_id: table.id.to_string(),
            }),
            Choice::Ambiguous(routes) => o.facts.push(ambiguous_fact(table, &routes)),
            Choice::UnknownPrefixList(_) => o.facts.push(Fact::NotCaptured {
                key: "ManagedPrefixLists".to_owned(),
                needed_for: format!("a prefix-list route of {} toward {part}", table.id),
                resource_id: table.id.to_string(),
            }),
        }
    }
}

/// RT-6: a blackholed best match drops, with no fallback to a shorter route. AWS marks a route
/// `blackhole` when its target is gone, and also when the target is in the snapshot but
/// unusable: a detached IGW (IGW-2), a peering that is not active (PCX-2), a NAT gateway that is
/// not available (NAT-3); those are named for what they are.
pub(crate) fn blackhole_fact(snapshot: &Snapshot, table: &RouteTable, route: &Route) -> Fact {
    match &route.target {
        RouteTarget::InternetGateway(igw)
            if snapshot.internet_gateways.get(igw).is_some_and(|g| !g.attached_vpcs.contains(&table.vpc_id)) =>
        {
            Fact::IgwNotAttached { route_table: table.id.clone(), route: route.span, igw: igw.clone(), vpc: table.vpc_id.clone() }
        }
        RouteTarget::PeeringConnection(pcx) if snapshot.peering_connections.get(pcx).is_some_and(|p| !p.is_active()) => {
            Fact::PeeringNotActive {
                pcx: pcx.clone(),
                status: snapshot.peering_connections.get(pcx).map(|p| p.status.clone()).unwrap_or_default(),
                route_table: table.id.clone(),
                route: route.span,
            }
        }
        RouteTarget::NatGateway(nat) if snapshot.nat_gateways.get(nat).is_some_and(|n| !n.state.eq_ignore_ascii_case("available")) => {
            Fact::NatNotAvailable { nat: nat.clone(), state: snapshot.nat_gateways.get(nat).map(|n| n.state.clone()).unwrap_or_default() }
        }
        _ => Fact::BlackholeRoute {
            route_table: table.id.clone(),
            route: route.span,
            destination: route.destination.to_string(),
            target: route.target.id().to_owned(),
            is_reply: false,
        },
    }
}

/// RT-5: prefix-list routes tied for the destination; named in target order, so that the
/// finding does not depend on the order of the table's routes.
pub(crate) fn ambiguous_fact(table: &RouteTable, routes: &[usize]) -> Fact {
    let mut tied: Vec<&Route> = routes.iter().filter_map(|i| table.routes.get(*i)).collect();
    tied.sort_by(|a, b| a.target.id().cmp(b.target.id()));
    Fact::AmbiguousPrefixListRoute {
        route_table: table.id.clone(),
        route: tied.first().map_or(table.span, |r| r.span),
        targets: tied.iter().map(|r| r.target.id().to_owned()).collect::<Vec<_>>().join(", "),
    }
}

fn endpoint_region(endpoint: &VpcEndpoint) -> String {
    endpoint.service_name.split('.').nth(2).unwrap_or_default().to_owned()
}

fn unmodelled(o: &mut Outcome, table: &RouteTable, route: &Route, target: &RouteTarget) {
    // RT-14 and the hub-and-spoke targets: say which hop stops the analysis.
    let kind = match target {
        RouteTarget::TransitGateway(_) => "transit gateway".to_owned(),
        RouteTarget::PeeringConnection(_) => "VPC peering connection".to_owned(),
        RouteTarget::VirtualPrivateGateway(_) => "virtual private gateway (VPN / Direct Connect)".to_owned(),
        RouteTarget::NetworkInterface(_) | RouteTarget::Instance(_) => "network interface / instance (appliance)".to_owned(),
        RouteTarget::EgressOnlyInternetGateway(_) => "egress-only internet gateway (IPv6 only)".to_owned(),
        RouteTarget::Local => "local route for a public address".to_owned(),
        RouteTarget::Other(field, _) => format!("{field} target"),
        _ => "next hop".to_owned(),
    };
    o.facts.push(Fact::UnmodelledHop {
        route_table: table.id.clone(),
        route: route.span,
        target_kind: kind,
        target: target.id().to_owned(),
    });
}

/// NAT-4: a zonal NAT gateway in another AZ than the subnet whose traffic it takes (cross-AZ
/// data charges, and that AZ's failure takes this subnet's egress with it).
pub(crate) fn nat_cross_az(snapshot: &Snapshot, nat: &NatGateway, from: &Subnet) -> Option<Fact> {
    let nat_subnet = nat.subnet_id.as_ref().and_then(|s| snapshot.subnets.get(s))?;
    let (nat_az, from_az) = (nat_subnet.availability_zone.clone()?, from.availability_zone.clone()?);
    (!nat_subnet.same_az(from)).then(|| Fact::NatCrossAz { nat: nat.id.clone(), nat_az, from_subnet: from.id.clone(), from_az })
}

/// NAT-8: task → NAT (NAT subnet NACL in) → NAT subnet route table → IGW, and back.
fn follow_nat(
    source: &Source<'_>,
    nat_id: &NatGatewayId,
    part: &PrefixSet,
    peer: &Peer<'_>,
    own_list: Option<&PrefixListId>,
    description: &str,
    o: &mut Outcome,
) {
    let snapshot = source.snapshot;
    let Some(nat) = snapshot.nat_gateways.get(nat_id) else {
        o.facts.push(Fact::NotCaptured { key: "NatGateways".to_owned(), needed_for: format!("{nat_id}"), resource_id: nat_id.to_string() });
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
    // NAT-3
    if !nat.state.eq_ignore_ascii_case("available") {
        o.facts.push(Fact::NatNotAvailable { nat: nat_id.clone(), state: nat.state.clone() });
        return;
    }
    if let Some(fact) = nat_cross_az(snapshot, nat, source.subnet) {
        o.facts.push(fact);
    }
    let Some(nat_subnet) = nat.subnet_id.as_ref().and_then(|s| snapshot.subnets.get(s)) else {
        // NAT-5: a regional NAT gateway has no subnet; not modelled until verified.
        o.facts.push(Fact::UnmodelledHop {
            route_table: source.table.id.clone(),
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
    // SG-10: no SG on the NAT gateway; the task SG and the NACLs decide.
    task_egress(source, peer, description, &mut o.facts);
    if nat_subnet.id != source.subnet.id {
        // NACL-5: task subnet out / NAT subnet in (request), NAT subnet out to the task (return).
        nacl_check(source, source.subnet, true, Leg::Request, part, (source.port, source.port), &mut o.facts);
        nacl_check(source, nat_subnet, false, Leg::Request, &source.cidr, (source.port, source.port), &mut o.facts);
        nacl_check(source, nat_subnet, true, Leg::Return, &source.cidr, EPHEMERAL_FULL, &mut o.facts);
        // NAT-8(7): the task subnet sees the service address, not the NAT's.
        nacl_check(source, source.subnet, false, Leg::Return, part, EPHEMERAL_FULL, &mut o.facts);
    }
    let Some((nat_table, _)) = snapshot.effective_route_table(&nat_subnet.id) else {
        o.facts.push(Fact::NotCaptured {
            key: "RouteTables".to_owned(),
            needed_for: format!("the route table of NAT subnet {}", nat_subnet.id),
            resource_id: nat_subnet.id.to_string(),
        });
        return;
    };
    let parts = lpm::partition_shared(snapshot, &nat_table.routes, part, own_list);
    let mut first = true;
    // The internet gateway the traffic leaves by, whose replies are looked at once below.
    let mut exit: Option<&InternetGatewayId> = None;
    for (choice, sub) in parts.iter() {
        let route = match &choice {
            Choice::Route(i) => nat_table.routes.get(*i),
            _ => None,
        };
        if first {
            o.hops.push(hop(
                "route_table",
                &nat_table.id,
                route.map_or(format!("no route for {description}"), |r| format!("{} → {}", r.destination, r.target.id())),
                Some(route.map_or(nat_table.span, |r| r.span)),
            ));
            first = false;
        }
        let Some(route) = route else {
            match choice {
                Choice::NoRoute => o.facts.push(Fact::NatSubnetNoInternetRoute {
                    nat: nat_id.clone(),
                    route_table: nat_table.id.clone(),
                    route: None,
                    reason: format!("has no route for {description} (no 0.0.0.0/0 to an internet gateway)"),
                }),
                _ => o.facts.push(Fact::UnmodelledHop {
                    route_table: nat_table.id.clone(),
                    route: nat_table.span,
                    target_kind: "ambiguous or uncaptured prefix-list route".to_owned(),
                    target: sub.to_string(),
                }),
            }
            continue;
        };
        if route.is_blackhole {
            o.facts.push(blackhole_fact(snapshot, nat_table, route));
            continue;
        }
        match &route.target {
            RouteTarget::InternetGateway(igw_id) => {
                if nat.is_private {
                    o.facts.push(Fact::PrivateNatToInternet { nat: nat_id.clone(), route_table: nat_table.id.clone(), route: route.span });
                    continue;
                }
                match snapshot.internet_gateways.get(igw_id) {
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
                        // IGW-8 on the NAT's subnet.
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
                        // NACL-5 on the NAT subnet toward the service; NAT-6: replies come back to
                        // the NAT's ports 1024-65535, the whole range is needed.
                        nacl_check(source, nat_subnet, true, Leg::Request, sub, (source.port, source.port), &mut o.facts);
                        nacl_check_nat_ports(source, nat_subnet, sub, &mut o.facts);
                        exit.get_or_insert(igw_id);
                        o.egress = Some(Egress::NatGateway);
                    }
                }
            }
            RouteTarget::NatGateway(other) => o.facts.push(Fact::NatSubnetNoInternetRoute {
                nat: nat_id.clone(),
                route_table: nat_table.id.clone(),
                route: Some(route.span),
                reason: if other == nat_id {
                    "routes the traffic back to the NAT gateway itself (a loop)".to_owned()
                } else {
                    format!("routes the traffic to another NAT gateway, {other}")
                },
            }),
            RouteTarget::Local => o.facts.push(Fact::NatSubnetNoInternetRoute {
                nat: nat_id.clone(),
                route_table: nat_table.id.clone(),
                route: Some(route.span),
                reason: "only has the local route for it".to_owned(),
            }),
            // NAT-8(4): the NAT subnet's table sends the service's prefix list to a gateway
            // endpoint of the service: the translated packet (from the NAT's private address in
            // the VPC) leaves through it (EP-11: the NAT subnet's table is associated). A private NAT gateway's case is not modelled.
            RouteTarget::VpcEndpoint(endpoint_id) if !nat.is_private => {
                let endpoint = snapshot.vpc_endpoints.get(endpoint_id).filter(|e| is_gateway_endpoint_of(source.service, e));
                let Some(endpoint) = endpoint else {
                    unmodelled(o, nat_table, route, &route.target);
                    continue;
                };
                if !enter_gateway_endpoint(endpoint, "prefix-list route of the NAT subnet's table", o) {
                    continue;
                }
                // NACL-5, NACL-7: the NAT subnet toward the service's addresses; replies come
                // back to the NAT's ports 1024-65535 (NAT-6).
                nacl_check(source, nat_subnet, true, Leg::Request, sub, (source.port, source.port), &mut o.facts);
                nacl_check_nat_ports(source, nat_subnet, sub, &mut o.facts);
                o.egress = Some(Egress::NatGateway);
            }
            other => unmodelled(o, nat_table, route, other),
        }
    }
    // The replies come back to the NAT's private address, in its subnet.
    if let (Some(igw_id), Some(cidr)) = (exit, nat_subnet.cidr) {
        igw_reply(snapshot, igw_id, &nat_table.vpc_id, &PrefixSet::from_net(cidr), o);
    }
    if verdict_of(&o.facts) != Verdict::Reachable {
        o.egress = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, Options};

    /// ECS makes a service name unique within a cluster only: workloads are named by cluster,
    /// then ARN, then position, only as far as needed to tell them apart.
    #[test]
    fn workload_names_are_unique() {
        let service = |name: &str, cluster: Option<&str>, arn: Option<&str>| crate::model::EcsService {
            name: name.to_owned(),
            arn: arn.map(str::to_owned),
            cluster: cluster.map(str::to_owned),
            subnet_ids: Vec::new(),
            security_group_ids: None,
            assign_public_ip: false,
            platform_version: None,
            scope: crate::model::ScopeId(0),
            span: crate::model::Span::new(crate::model::SourceId(0), 0, 0),
        };
        let names = workload_names(&[
            service("web", Some("a"), None),
            service("runner", Some("a"), None),
            service("runner", Some("b"), Some("arn:aws:ecs:us-east-1:1:service/b/runner")),
            service("runner", Some("b"), Some("arn:aws:ecs:eu-west-1:1:service/b/runner")),
            service("job", None, None),
            service("job", None, None),
        ]);
        assert_eq!(
            names,
            ["web", "a/runner", "arn:aws:ecs:us-east-1:1:service/b/runner", "arn:aws:ecs:eu-west-1:1:service/b/runner", "job #5", "job #6"]
        );
    }

    /// The threads of `analyze_shared` take blocks from both ends (the back ones interleave
    /// when there are several): the results must come out in unit order, as one thread gives.
    #[test]
    fn blocks_from_both_ends_are_joined_in_unit_order() {
        let (text, _) = generate(Options { vpcs: 10, seed: 3 });
        let snapshot = crate::model::load_str("estate.json", &text).expect("loads");
        let services: Vec<_> = services::STACK_PROFILE.iter().filter_map(|id| services::lookup(id)).collect();
        let (workloads, _) = default_workloads(&snapshot);
        let lookups = Lookups::new(&snapshot);
        let units: Vec<(&Workload, &SubnetId)> = workloads.iter().flat_map(|w| w.subnet_ids.iter().map(move |s| (w, s))).collect();
        assert!(units.len() > 4 * BLOCK_UNITS, "{} units: too few blocks to mix", units.len());
        let all = std::cell::Cell::new(Some(0..units.len()));
        let job = Job { snapshot: &snapshot, units: &units, services: &services, sharing: Sharing::On, lookups: &lookups };
        let alone = analyze_blocks(job, &|| all.take(), Vec::new(), |blocks| blocks.results);
        assert_eq!(alone.len(), units.len() * services.len());
        let debug = |results: &[PairResult]| results.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>();
        for threads in [2, 3] {
            let left = std::sync::Mutex::new(0..units.len());
            let shared = std::thread::scope(|scope| analyze_shared(scope, job, &left, threads));
            assert_eq!(debug(&shared), debug(&alone), "{threads} threads");
        }
    }

    /// The analysis's hash indexes answer what the snapshot's own lookups answer (the rules
    /// use those): for every attachment, every transit gateway and VPC, every endpoint and
    /// every group, in the generated estate and in every fixture with a transit gateway.
    #[test]
    fn lookups_answer_as_the_snapshot_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut snapshots = vec![crate::model::load_str("estate.json", &generate(Options { vpcs: 10, seed: 3 }).0).expect("loads")];
        for entry in std::fs::read_dir(&root).expect("fixtures") {
            let path = entry.expect("an entry").path().join("snapshot.json");
            if let Ok(snapshot) = crate::model::load::load_path(&path) {
                snapshots.push(snapshot);
            }
        }
        let mut attachments_seen = 0;
        for snapshot in snapshots.iter().filter(|s| !s.tgw_attachments.is_empty()) {
            let lookups = Lookups::new(snapshot);
            let same =
                |a: Option<&model::TgwAttachment>, b: Option<&model::TgwAttachment>| a.map(std::ptr::from_ref) == b.map(std::ptr::from_ref);
            for (tgw, id) in snapshot.tgw_attachments.keys() {
                attachments_seen += 1;
                assert!(same(lookups.tgw_attachment(tgw, id), snapshot.tgw_attachment(tgw, id)));
                for vpc in snapshot.vpcs.keys() {
                    assert!(same(lookups.tgw_attachment_of_vpc(tgw, vpc), snapshot.tgw_attachment_of_vpc(tgw, vpc)), "{tgw} {vpc}");
                }
            }
            for id in snapshot.vpc_endpoints.keys() {
                assert!(lookups.endpoint(id).map(std::ptr::from_ref) == snapshot.vpc_endpoints.get(id).map(std::ptr::from_ref));
            }
            for id in snapshot.security_groups.keys() {
                assert!(lookups.security_group(id).map(std::ptr::from_ref) == snapshot.security_groups.get(id).map(std::ptr::from_ref));
            }
        }
        assert!(attachments_seen > 20, "{attachments_seen} attachments: too few to tell");
    }
}
