//! ID newtypes: one per AWS resource kind, so a subnet ID can never be passed where a route
//! table ID is expected. They order like strings, which keeps every map and report
//! deterministic.

use std::fmt;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub std::sync::Arc<str>);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// IDs hash and order as their text, so maps keyed by them are searched with a `&str`.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(std::sync::Arc::from(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(std::sync::Arc::from(s))
            }
        }
    )*};
}

id_type! {
    /// `vpc-…`
    VpcId;
    /// `subnet-…`
    SubnetId;
    /// `rtb-…`
    RouteTableId;
    /// `igw-…`
    InternetGatewayId;
    /// `eigw-…`
    EgressOnlyInternetGatewayId;
    /// `nat-…`
    NatGatewayId;
    /// `vpce-…`
    VpcEndpointId;
    /// `pcx-…`
    PeeringConnectionId;
    /// `sg-…`
    SecurityGroupId;
    /// `acl-…`
    NetworkAclId;
    /// `eni-…`
    NetworkInterfaceId;
    /// `pl-…`
    PrefixListId;
    /// `tgw-…`
    TransitGatewayId;
    /// `tgw-attach-…`
    TransitGatewayAttachmentId;
    /// `tgw-rtb-…`
    TransitGatewayRouteTableId;
    /// Route 53 hosted zone ID (`Z…`, or `/hostedzone/Z…` as the API prints it).
    HostedZoneId;
    /// `rslvr-rr-…`
    ResolverRuleId;
    /// `dopt-…`
    DhcpOptionsId;
}
