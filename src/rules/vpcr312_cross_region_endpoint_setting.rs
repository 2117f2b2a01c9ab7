//! VPCR312 cross-region-endpoint-setting: the interface endpoint's cross-region setting does not match where the service lives.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// An interface endpoint whose service lives in another region than the endpoint's VPC
    /// without `ServiceRegion` set to that region, or set to a third region; or, in the service's
    /// own region, an endpoint set up as cross-region. The runner guide's management-plane
    /// service `com.amazonaws.vpce.us-east-1.vpce-svc-08de744d433e60ff2` lives in us-east-1:
    /// from any other region the endpoint needs "Enable Cross Region endpoint" with region
    /// us-east-1 (`--service-region us-east-1`); "For us-east-1 region, leave this unchecked".
    ///
    /// ## Why it matters
    /// Without cross-region support the endpoint cannot be created or connected to a service in
    /// another region (EP-9); in us-east-1 the guide reports that creation with cross-region
    /// support fails because of AZ mapping differences between accounts. Cross-region endpoints
    /// also work only for services that offer them: a short list of AWS services (EP-9), or
    /// endpoint services whose provider enabled the consumer's region.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointId": "vpce-…", "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-08de744d433e60ff2", "VpcEndpointType": "Interface" }   // VPC in eu-west-1, no ServiceRegion
    /// ```
    ///
    /// ## How to fix
    /// The region cannot be changed on an existing endpoint: recreate it with `aws ec2
    /// create-vpc-endpoint --vpc-id <vpc> --service-name <service> --vpc-endpoint-type Interface
    /// --subnet-ids <subnets> --security-group-ids <sg> --private-dns-enabled --service-region
    /// us-east-1` (no `--service-region` in us-east-1 itself), after deleting the old one (two
    /// endpoints with private DNS for one name are refused).
    code: "VPCR312", name: "cross-region-endpoint-setting", severity: Error, summary: "the interface endpoint's cross-region setting does not match where the service lives",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, vpc_region: &str, service_region: Option<&str>, required: &str) -> Finding {
    let is_remote = vpc_region != required;
    let message = match service_region {
        None if is_remote => {
            format!("endpoint {endpoint} in {vpc_region} reaches a service in {required} without cross-region support (no ServiceRegion)")
        }
        Some(region) if is_remote => {
            format!("endpoint {endpoint} in {vpc_region} has ServiceRegion {region}, but the service lives in {required}")
        }
        Some(region) => format!(
            "endpoint {endpoint} in {vpc_region} is set up as cross-region (ServiceRegion {region}) for a service in its own region"
        ),
        None => format!("endpoint {endpoint} in {vpc_region} has a cross-region setting that does not match the service region {required}"),
    };
    let label = service_region.map_or("no ServiceRegion".to_owned(), |r| format!("ServiceRegion {r}"));
    Finding::new(&RULE, message).id(endpoint).label(cx.span_of(endpoint.as_str()), label).help(help(cx, endpoint, vpc_region, required))
}

fn help(cx: &Cx<'_>, endpoint: &VpcEndpointId, vpc_region: &str, required: &str) -> String {
    let found = cx.snapshot.vpc_endpoints.get(endpoint);
    let join = |ids: Vec<String>, placeholder: &str| if ids.is_empty() { placeholder.to_owned() } else { ids.join(" ") };
    let vpc = found.map_or("<vpc-…>".to_owned(), |e| e.vpc_id.to_string());
    let service = found.map_or("<service name>".to_owned(), |e| e.service_name.clone());
    let subnets = join(found.map(|e| e.subnet_ids.iter().map(ToString::to_string).collect()).unwrap_or_default(), "<subnet-…>");
    let groups = join(found.map(|e| e.security_group_ids.iter().map(ToString::to_string).collect()).unwrap_or_default(), "<sg-…>");
    let private_dns = if found.is_none_or(|e| e.private_dns_enabled) { " --private-dns-enabled" } else { "" };
    let (why, service_region) = if vpc_region != required {
        (format!("from {vpc_region} the endpoint needs cross-region support for {required}"), format!(" --service-region {required}"))
    } else {
        (format!("in {required} itself leave cross-region support off"), String::new())
    };
    format!(
        "ServiceRegion is fixed when an endpoint is created; {why}: replace it, deleting it first (a second endpoint with private DNS for the same name is refused), which interrupts the service until the new one is available: `aws ec2 delete-vpc-endpoints --region {vpc_region} --vpc-endpoint-ids {endpoint}`, then `aws ec2 create-vpc-endpoint --region {vpc_region} --vpc-id {vpc} --service-name {service} --vpc-endpoint-type Interface --subnet-ids {subnets} --security-group-ids {groups}{private_dns}{service_region}`"
    )
}
