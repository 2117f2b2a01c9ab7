//! VPCR411 tgw-appliance-mode-missing: a stateful appliance behind a transit gateway attachment without appliance mode.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// Traffic enters a VPC from a transit gateway and that VPC's attachment-subnet route table
    /// sends it to a stateful appliance: a network interface, an instance, or a Gateway Load
    /// Balancer endpoint (an inspection or firewall VPC), while the attachment has
    /// `ApplianceModeSupport: disable` (TGW-4, TGW_APPLIANCE_MODE_MISSING).
    ///
    /// ## Why it matters
    /// Without appliance mode the transit gateway keeps each direction of a flow in the AZ it
    /// came from. When the two ends of a flow sit in different AZs, the request and the reply
    /// reach different appliance instances; a stateful appliance drops the half it never saw.
    /// The appliance itself is not modelled, so the verdict stays `unknown` (VPCR108); this
    /// warning names the setting that makes the path flaky even when the appliance allows it.
    ///
    /// ## Example
    /// ```json
    /// { "TransitGatewayAttachmentId": "tgw-attach-…", "Options": { "ApplianceModeSupport": "disable" } }
    /// ```
    ///
    /// ## How to fix
    /// Turn appliance mode on for the appliance VPC's attachment: `aws ec2
    /// modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id <tgw-attach-…>
    /// --options ApplianceModeSupport=enable`.
    code: "VPCR411", name: "tgw-appliance-mode-missing", severity: Warning, summary: "a stateful appliance sits behind a transit gateway attachment without appliance mode",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    attachment: &TransitGatewayAttachmentId,
    vpc: &VpcId,
    appliance: &str,
    route_table: &RouteTableId,
    route: Span,
) -> Finding {
    Finding::new(
        &RULE,
        format!(
            "attachment {attachment} of {vpc} leads to appliance {appliance} but has appliance mode off, so replies may use another AZ"
        ),
    )
    .id(attachment)
    .id(route_table)
    .id(appliance)
    .label(cx.span_of(attachment.as_str()), "ApplianceModeSupport is not `enable`")
    .label(Some(route), format!("traffic from the transit gateway goes to {appliance}"))
    .help(format!(
        "`aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id {attachment} --options ApplianceModeSupport=enable`"
    ))
}
