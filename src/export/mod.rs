//! `vpcreach snapshot`: a read-only export of everything `analyze` reads, with the caller's
//! usual AWS credentials (aws-config's default chain: environment, profiles, SSO, assumed
//! roles). Only Describe/Get/List/Search operations are called, each one listed in
//! [`OPERATIONS`] and in `docs/iam-policy.json` (a test keeps the three in step).
//!
//! A call that fails (AccessDenied, UnauthorizedOperation, or anything else once the SDK's
//! adaptive retries are spent) leaves its key out of the snapshot and is recorded under
//! `Gaps`, so that `analyze` reports "not captured" for what depends on it; one region failing
//! does not lose the others. Regions are exported one after the other (bounded concurrency: one
//! request at a time).

mod ec2;
pub(crate) mod json;
mod services;

use std::future::Future;

use aws_config::retry::RetryConfig;
use aws_config::BehaviorVersion;
use aws_sdk_ec2::error::ProvideErrorMetadata;
use serde_json::{Map, Value};

/// Every AWS operation the exporter may call (IAM action names).
pub const OPERATIONS: &[&str] = &[
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeEgressOnlyInternetGateways",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeManagedPrefixLists",
    "ec2:DescribeNatGateways",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribePrefixLists",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeTransitGatewayAttachments",
    "ec2:DescribeTransitGatewayRouteTables",
    "ec2:DescribeTransitGatewayVpcAttachments",
    "ec2:DescribeTransitGateways",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeVpcBlockPublicAccessExclusions",
    "ec2:DescribeVpcBlockPublicAccessOptions",
    "ec2:DescribeVpcEndpoints",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeVpcs",
    "ec2:GetManagedPrefixListEntries",
    "ec2:GetTransitGatewayRouteTablePropagations",
    "ec2:SearchTransitGatewayRoutes",
    "ecs:DescribeServices",
    "ecs:ListClusters",
    "ecs:ListServices",
    "route53:GetHostedZone",
    "route53:ListHostedZones",
    "route53:ListResourceRecordSets",
    "route53profiles:ListProfileAssociations",
    "route53profiles:ListProfileResourceAssociations",
    "route53resolver:ListFirewallDomainLists",
    "route53resolver:ListFirewallDomains",
    "route53resolver:ListFirewallRuleGroupAssociations",
    "route53resolver:ListFirewallRules",
    "route53resolver:ListResolverEndpoints",
    "route53resolver:ListResolverRuleAssociations",
    "route53resolver:ListResolverRules",
];

/// What `vpcreach snapshot` was asked for.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Regions to export; empty: the region of the profile or environment.
    pub regions: Vec<String>,
    pub profile: Option<String>,
    /// A different API endpoint for every service (a local test server).
    pub endpoint_url: Option<String>,
    /// Progress lines on standard error.
    pub progress: bool,
}

/// What one export produced: the snapshot and, per region, how many items each key holds.
#[derive(Debug)]
pub struct Export {
    pub snapshot: Value,
    pub counts: Vec<(String, String, usize)>,
    pub gaps: usize,
}

/// One region being exported: its document, its gaps and the last failure.
pub(crate) struct Region {
    name: String,
    doc: Map<String, Value>,
    gaps: Vec<Value>,
    last_error: Option<String>,
    /// A progress line on standard error (a terminal), rewritten after every call.
    progress: bool,
    calls: usize,
}

impl Region {
    /// Runs one call; `None` (and the error remembered for [`Self::gap`]) when it fails.
    async fn track<T, E, R, F>(&mut self, operation: &'static str, call: F) -> Option<T>
    where
        F: Future<Output = Result<T, aws_sdk_ec2::error::SdkError<E, R>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        debug_assert!(OPERATIONS.contains(&operation), "{operation} is not in OPERATIONS");
        self.calls += 1;
        if self.progress {
            // One line per region, redrawn in place: calls made so far and the current one.
            eprint!("\r\x1b[K{:<15} {:>3} calls, now {operation}", self.name, self.calls);
        }
        match call.await {
            Ok(value) => Some(value),
            Err(e) => {
                let code = e.code().map(str::to_owned).unwrap_or_else(|| {
                    // No service error code (network, timeout): the error's own text.
                    let text = aws_smithy_error_text(&e);
                    format!("ClientError: {text}")
                });
                self.last_error = Some(code);
                None
            }
        }
    }

    /// Records that `key` could not be captured because `operation` failed.
    fn gap(&mut self, key: &str, operation: &str) {
        let code = self.last_error.clone().unwrap_or_else(|| "Unknown".to_owned());
        self.gaps.push(json::obj! { "Key" => key, "Operation" => operation, "ErrorCode" => code });
    }

    fn put(&mut self, key: &str, values: Vec<Value>) {
        self.doc.insert(key.to_owned(), Value::Array(values));
    }

    fn put_value(&mut self, key: &str, value: Value) {
        self.doc.insert(key.to_owned(), value);
    }

    /// The `field` of every item under `key`.
    fn ids(&self, key: &str, field: &str) -> Vec<String> {
        self.doc
            .get(key)
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(|v| v.get(field).and_then(Value::as_str).map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

fn aws_smithy_error_text<E: std::error::Error + 'static, R: std::fmt::Debug>(e: &aws_sdk_ec2::error::SdkError<E, R>) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

/// Exports the requested regions.
///
/// # Errors
/// When no region is given and none is configured.
pub async fn export(options: &ExportOptions) -> Result<Export, String> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).retry_config(RetryConfig::adaptive().with_max_attempts(5));
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let base = loader.load().await;
    let regions: Vec<String> = if options.regions.is_empty() {
        match base.region() {
            Some(r) => vec![r.to_string()],
            None => return Err("no region: pass --region (repeatable) or configure one in the profile or AWS_REGION".to_owned()),
        }
    } else {
        options.regions.clone()
    };
    let mut documents: Vec<Map<String, Value>> = Vec::new();
    let mut counts = Vec::new();
    let mut gaps = 0;
    let mut all_vpcs: Vec<String> = Vec::new();
    for name in &regions {
        let region_name = aws_config::Region::new(name.clone());
        let ec2 = aws_sdk_ec2::Client::from_conf(aws_sdk_ec2::config::Builder::from(&base).region(region_name.clone()).build());
        let ecs = aws_sdk_ecs::Client::from_conf(aws_sdk_ecs::config::Builder::from(&base).region(region_name.clone()).build());
        let resolver = aws_sdk_route53resolver::Client::from_conf(
            aws_sdk_route53resolver::config::Builder::from(&base).region(region_name.clone()).build(),
        );
        let profiles =
            aws_sdk_route53profiles::Client::from_conf(aws_sdk_route53profiles::config::Builder::from(&base).region(region_name).build());
        let mut region =
            Region { name: name.clone(), doc: Map::new(), gaps: Vec::new(), last_error: None, progress: options.progress, calls: 0 };
        ec2::collect(&ec2, &mut region).await;
        services::ecs(&ecs, &mut region).await;
        services::resolver(&resolver, &mut region).await;
        services::firewall(&resolver, &mut region).await;
        services::profiles(&profiles, &mut region).await;
        if options.progress {
            eprintln!("\r\x1b[K{:<15} {} calls, {} failed", region.name, region.calls, region.gaps.len());
        }
        all_vpcs.extend(region.ids("Vpcs", "VpcId"));
        let mut doc = Map::new();
        doc.insert("Region".to_owned(), Value::String(name.clone()));
        if let Some(owner) = region.ids("Vpcs", "OwnerId").into_iter().next() {
            doc.insert("AccountId".to_owned(), Value::String(owner));
        }
        for (key, value) in &region.doc {
            counts.push((name.clone(), key.clone(), value.as_array().map_or(1, Vec::len)));
        }
        gaps += region.gaps.len();
        let mut keys: Vec<(String, Value)> = std::mem::take(&mut region.doc).into_iter().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        doc.extend(keys);
        if !region.gaps.is_empty() {
            doc.insert("Gaps".to_owned(), Value::Array(std::mem::take(&mut region.gaps)));
        }
        documents.push(doc);
    }
    // Route 53 is global: the private zones of any exported VPC, listed once (first region).
    if let Some(first) = documents.first_mut() {
        // Route 53 is global and signs in us-east-1 (aws partition).
        let route53 = aws_sdk_route53::Client::from_conf(
            aws_sdk_route53::config::Builder::from(&base).region(aws_config::Region::new("us-east-1")).build(),
        );
        let name = regions.first().cloned().unwrap_or_default();
        let mut region =
            Region { name: "global".to_owned(), doc: Map::new(), gaps: Vec::new(), last_error: None, progress: options.progress, calls: 0 };
        services::hosted_zones(&route53, &all_vpcs, &mut region).await;
        for (key, value) in std::mem::take(&mut region.doc) {
            counts.push((name.clone(), key.clone(), value.as_array().map_or(1, Vec::len)));
            first.insert(key, value);
        }
        if !region.gaps.is_empty() {
            gaps += region.gaps.len();
            let list = first.entry("Gaps").or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.extend(region.gaps);
            }
        }
    }
    let mut snapshot = if documents.len() == 1 {
        documents.pop().map(Value::Object).unwrap_or(Value::Null)
    } else {
        let mut top = Map::new();
        top.insert("Regions".to_owned(), Value::Array(documents.into_iter().map(Value::Object).collect()));
        Value::Object(top)
    };
    json::scrub(&mut snapshot);
    Ok(Export { snapshot, counts, gaps })
}
