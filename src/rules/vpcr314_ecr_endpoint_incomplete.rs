//! VPCR314 ecr-endpoint-incomplete: only one of the two ECR interface endpoints exists.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The task's VPC has an interface endpoint for one of `ecr.api` and `ecr.dkr` but not for the
    /// other, and the missing one is unreachable from the task subnet (EP-20,
    /// ECR_ENDPOINT_INCOMPLETE).
    ///
    /// ## Why it matters
    /// Fargate platform 1.4.0 pulls images with both: `ecr.api` for authorization and the
    /// manifest, `ecr.dkr` for the registry API. With one of them the pull fails and the task
    /// never starts, though the endpoint that exists looks healthy.
    ///
    /// ## Example
    /// ```json
    /// { "ServiceName": "com.amazonaws.us-east-1.ecr.dkr", "VpcEndpointType": "Interface" }   // no com.amazonaws.us-east-1.ecr.api
    /// ```
    ///
    /// ## How to fix
    /// Create the missing endpoint with the same subnets and security groups as the existing one:
    /// `aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id <vpc> --service-name
    /// com.amazonaws.<region>.<missing> --subnet-ids … --security-group-ids …
    /// --private-dns-enabled`.
    code: "VPCR314", name: "ecr-endpoint-incomplete", severity: Error, summary: "only one of the two ECR interface endpoints exists",
}

pub(crate) fn finding(cx: &Cx<'_>, vpc: &VpcId, present: &VpcEndpointId, missing_service: &str) -> Finding {
    let existing = cx.snapshot.vpc_endpoints.get(present);
    let region = existing.and_then(|e| e.service_name.split('.').nth(2)).unwrap_or("<region>");
    let join = |ids: Vec<String>| if ids.is_empty() { "…".to_owned() } else { ids.join(" ") };
    let subnets = join(existing.map(|e| e.subnet_ids.iter().map(ToString::to_string).collect()).unwrap_or_default());
    let groups = join(existing.map(|e| e.security_group_ids.iter().map(ToString::to_string).collect()).unwrap_or_default());
    let have = existing.map_or("the other ECR endpoint".to_owned(), |e| e.service_name.clone());
    Finding::new(&RULE, format!("{vpc} has an interface endpoint for {have} ({present}) but none for com.amazonaws.{region}.{missing_service}"))
        .id(vpc)
        .id(present)
        .label(cx.span_of(present.as_str()), format!("{have}; its pair {missing_service} is missing"))
        .help(format!(
            "`aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id {vpc} --service-name com.amazonaws.{region}.{missing_service} --subnet-ids {subnets} --security-group-ids {groups} --private-dns-enabled`"
        ))
}
