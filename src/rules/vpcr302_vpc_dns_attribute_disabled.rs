//! VPCR302 vpc-dns-attributes-disabled: a VPC DNS attribute needed for resolution is off.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// `enableDnsSupport` is false (nothing resolves through the VPC resolver, DNS-2), or
    /// `enableDnsHostnames` is false while the service relies on interface-endpoint private DNS or
    /// a private hosted zone (both attributes are needed, DNS-3, EP-6).
    ///
    /// ## Why it matters
    /// With support off every lookup fails; with hostnames off the endpoint's private DNS is
    /// inactive and names resolve to public addresses. The guide's prerequisite: "Your VPC has
    /// both DNS hostnames and DNS resolution enabled".
    ///
    /// ## Example
    /// ```json
    /// { "VpcAttributes": [ { "VpcId": "vpc-…", "EnableDnsSupport": { "Value": true }, "EnableDnsHostnames": { "Value": false } } ] }
    /// ```
    ///
    /// ## How to fix
    /// `aws ec2 modify-vpc-attribute --vpc-id <vpc> --enable-dns-hostnames
    /// '{"Value":true}'` (and `--enable-dns-support`), or in the console: VPC > Actions >
    /// Edit VPC settings.
    code: "VPCR302", name: "vpc-dns-attributes-disabled", severity: Error, summary: "a VPC DNS attribute needed for resolution is off",
}

pub(crate) fn finding(cx: &Cx<'_>, vpc: &VpcId, attribute: &str, endpoint: Option<&VpcEndpointId>, is_blocking: bool) -> Finding {
    let message = match endpoint {
        Some(e) => format!("{attribute} is false on {vpc}, so the private DNS of endpoint {e} is inactive"),
        None if attribute == "enableDnsSupport" => format!("enableDnsSupport is false on {vpc}: the VPC resolver answers nothing"),
        None => format!("{attribute} is false on {vpc}, so its private hosted zones are not used"),
    };
    let flag = if attribute == "enableDnsSupport" { "--enable-dns-support" } else { "--enable-dns-hostnames" };
    let mut f = Finding::new(&RULE, message);
    if !is_blocking {
        f = f.severity(super::Severity::Warning);
    }
    let span = cx.snapshot.vpcs.get(vpc).and_then(|v| v.dns.map(|d| d.span)).or_else(|| cx.span_of(vpc.as_str()));
    f = f.id(vpc).label(span, format!("{attribute} false"));
    if let Some(e) = endpoint {
        f = f.id(e);
    }
    f.help(format!(
        "`aws ec2 modify-vpc-attribute --vpc-id {vpc} {flag} \"{{\\\"Value\\\":true}}\"` (console: VPC > Actions > Edit VPC settings)"
    ))
}
