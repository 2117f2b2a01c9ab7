//! VPCR316 endpoint-policy-denies: the endpoint policy does not allow what the runner needs.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The policy document of the S3 gateway endpoint on the task's path does not allow
    /// `s3:GetObject` on the ECR layer bucket `arn:aws:s3:::prod-<region>-starport-layer-bucket/*`
    /// for any principal: no Allow covers it, or a Deny does (EP-8, ENDPOINT_POLICY_DENIES). A
    /// policy whose deciding statement has a `Condition` is not judged.
    ///
    /// ## Why it matters
    /// The network path works, so connectivity checks pass, but S3 answers 403 for image layers
    /// and the task fails to pull its image. Endpoint policies restricted to a company's own
    /// buckets are a common cause.
    ///
    /// ## Example
    /// ```json
    /// { "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::my-company-*/*"] }
    /// ```
    ///
    /// ## How to fix
    /// Add a statement allowing `s3:GetObject` on `arn:aws:s3:::prod-<region>-starport-layer-bucket/*`
    /// (`aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce> --policy-document file://policy.json`).
    code: "VPCR316", name: "endpoint-policy-denies", severity: Warning, summary: "the endpoint policy does not allow what the runner needs",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, needed: &str) -> Finding {
    Finding::new(&RULE, format!("the policy of endpoint {endpoint} does not allow {needed}, which ECR image pulls need"))
        .id(endpoint)
        .label(cx.span_of(endpoint.as_str()), "PolicyDocument")
        .help(format!(
            "add `{{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"{}\"}}` to the policy: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint} --policy-document file://policy.json`",
            needed.split(" on ").nth(1).unwrap_or("arn:aws:s3:::prod-<region>-starport-layer-bucket/*")
        ))
}
