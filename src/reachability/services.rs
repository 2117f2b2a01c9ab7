//! The AWS services a Fargate runner needs, their hostnames per region (aws-semantics §0.3)
//! and the private DNS names an interface endpoint for them installs.

/// How a service can be reached privately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointKinds {
    /// Interface endpoints only.
    Interface,
    /// Gateway (free, route-table based) or interface endpoints: S3 and DynamoDB.
    GatewayOrInterface,
    /// A PrivateLink endpoint service (not an AWS service), or the internet.
    PrivateLink,
    /// A destination given on the command line (`--to`): no endpoint serves it by name.
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceSpec {
    /// The id users pass to `--service` and that reports use (`ecr.api`).
    pub id: &'static str,
    pub title: &'static str,
    /// Suffix of the endpoint service name `com.amazonaws.<region>.<suffix>`.
    pub endpoint_suffix: &'static str,
    pub kinds: EndpointKinds,
    /// Whether the endpoint service name has no region segment (`com.amazonaws.iam`).
    pub is_global_name: bool,
    /// A fixed hostname instead of the AWS pattern (`app.gitpod.io`).
    pub fixed_hostname: Option<&'static str>,
    /// PrivateLink endpoint service name and the region it lives in.
    pub privatelink: Option<(&'static str, &'static str)>,
    /// A literal destination address (`--to 10.2.0.15:5432`).
    pub address: Option<std::net::Ipv4Addr>,
    pub port: u16,
}

pub const PORT: u16 = 443;

/// The runner's management plane (the guide: `app.gitpod.io`, optionally through this
/// PrivateLink endpoint service in us-east-1).
pub const MANAGEMENT_PLANE_HOST: &str = "app.gitpod.io";
pub const MANAGEMENT_PLANE_SERVICE: &str = "com.amazonaws.vpce.us-east-1.vpce-svc-08de744d433e60ff2";
pub const MANAGEMENT_PLANE_REGION: &str = "us-east-1";
pub const MANAGEMENT_PLANE: ServiceSpec = ServiceSpec {
    id: "management-plane",
    title: "Management plane",
    endpoint_suffix: "",
    kinds: EndpointKinds::PrivateLink,
    is_global_name: false,
    fixed_hostname: Some(MANAGEMENT_PLANE_HOST),
    privatelink: Some((MANAGEMENT_PLANE_SERVICE, MANAGEMENT_PLANE_REGION)),
    address: None,
    port: PORT,
};

pub const SERVICES: &[ServiceSpec] = &[
    spec("secretsmanager", "Secrets Manager", EndpointKinds::Interface),
    spec("logs", "CloudWatch Logs", EndpointKinds::Interface),
    spec("ecr.api", "ECR API", EndpointKinds::Interface),
    spec("ecr.dkr", "ECR Docker", EndpointKinds::Interface),
    spec("s3", "S3", EndpointKinds::GatewayOrInterface),
    spec("ec2", "EC2", EndpointKinds::Interface),
    spec("ssm", "SSM", EndpointKinds::Interface),
    spec("sts", "STS", EndpointKinds::Interface),
    spec("cloudformation", "CloudFormation", EndpointKinds::Interface),
    spec("ecs", "ECS", EndpointKinds::Interface),
    spec("ecs-agent", "ECS Agent", EndpointKinds::Interface),
    spec("ecs-telemetry", "ECS Telemetry", EndpointKinds::Interface),
    spec("ssmmessages", "SSM Messages", EndpointKinds::Interface),
    spec("ec2messages", "EC2 Messages", EndpointKinds::Interface),
    ServiceSpec { is_global_name: true, ..spec("iam", "IAM", EndpointKinds::Interface) },
    spec("elasticloadbalancing", "Elastic Load Balancing", EndpointKinds::Interface),
    spec("acm", "ACM", EndpointKinds::Interface),
    spec("dynamodb", "DynamoDB", EndpointKinds::GatewayOrInterface),
    MANAGEMENT_PLANE,
];

const fn spec(id: &'static str, title: &'static str, kinds: EndpointKinds) -> ServiceSpec {
    ServiceSpec {
        id,
        title,
        endpoint_suffix: id,
        kinds,
        is_global_name: false,
        fixed_hostname: None,
        privatelink: None,
        address: None,
        port: PORT,
    }
}

/// The management plane reached through another PrivateLink endpoint service name.
/// The spec lives for the rest of the process (a command-line value).
pub fn management_plane_with(service_name: &str) -> &'static ServiceSpec {
    let name: &'static str = Box::leak(service_name.to_owned().into_boxed_str());
    let region = name.split('.').nth(3).filter(|r| crate::model::load::is_region_name(r)).unwrap_or(MANAGEMENT_PLANE_REGION);
    let region: &'static str = Box::leak(region.to_owned().into_boxed_str());
    Box::leak(Box::new(ServiceSpec { privatelink: Some((name, region)), ..MANAGEMENT_PLANE }))
}

/// A `--to` destination: `ADDRESS:PORT` or `NAME:PORT`. The spec lives for the rest of the
/// process (a command-line value).
pub fn custom_target(text: &str) -> Result<&'static ServiceSpec, String> {
    let (host, port) = text.rsplit_once(':').ok_or_else(|| format!("`{text}`: expected ADDRESS:PORT or NAME:PORT"))?;
    let port: u16 = port.parse().map_err(|_| format!("`{text}`: `{port}` is not a port number (expected ADDRESS:PORT or NAME:PORT)"))?;
    if host.is_empty() || port == 0 {
        return Err(format!("`{text}`: expected ADDRESS:PORT or NAME:PORT with a port from 1 to 65535"));
    }
    let address = match host.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => Some(ip),
        Err(_) if host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_') => None,
        Err(_) => return Err(format!("`{text}`: `{host}` is neither an IPv4 address nor a DNS name")),
    };
    let leaked: &'static str = Box::leak(text.to_ascii_lowercase().into_boxed_str());
    let host: &'static str = leaked.rsplit_once(':').map_or(leaked, |(h, _)| h);
    Ok(Box::leak(Box::new(ServiceSpec {
        id: leaked,
        title: leaked,
        endpoint_suffix: "",
        kinds: EndpointKinds::Custom,
        is_global_name: false,
        fixed_hostname: Some(host),
        privatelink: None,
        address,
        port,
    })))
}

/// The runner's own checks (the guide's "Required AWS service endpoints").
pub const RUNNER_PROFILE: &[&str] = &["secretsmanager", "logs", "ecr.api", "ecr.dkr", "s3"];

/// Every interface and gateway endpoint the guide lists for the whole runner stack.
pub const STACK_PROFILE: &[&str] = &[
    "ec2",
    "ecr.api",
    "ecr.dkr",
    "ssm",
    "sts",
    "cloudformation",
    "secretsmanager",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "ssmmessages",
    "ec2messages",
    "logs",
    "iam",
    "elasticloadbalancing",
    "acm",
    "s3",
    "dynamodb",
    "management-plane",
];

pub fn lookup(id: &str) -> Option<&'static ServiceSpec> {
    SERVICES.iter().find(|s| s.id == id)
}

impl ServiceSpec {
    /// The hostname the client dials (§0.3). `account` fills the ECR registry name.
    pub fn hostname(&self, region: &str, account: Option<&str>) -> String {
        if let Some(host) = self.fixed_hostname {
            return host.to_owned();
        }
        match self.id {
            "ecr.api" => format!("api.ecr.{region}.amazonaws.com"),
            "ecr.dkr" => format!("{}.dkr.ecr.{region}.amazonaws.com", account.unwrap_or("<account>")),
            "iam" => "iam.amazonaws.com".to_owned(),
            // ECS agent and telemetry use numbered per-host names (§0.3).
            "ecs-agent" => format!("ecs-a-1.{region}.amazonaws.com"),
            "ecs-telemetry" => format!("ecs-t-1.{region}.amazonaws.com"),
            id => format!("{id}.{region}.amazonaws.com"),
        }
    }

    /// `com.amazonaws.<region>.<suffix>` (or `com.amazonaws.iam`).
    pub fn endpoint_service_name(&self, region: &str) -> String {
        if let Some((name, _)) = self.privatelink {
            name.to_owned()
        } else if self.kinds == EndpointKinds::Custom {
            String::new()
        } else if self.is_global_name {
            format!("com.amazonaws.{}", self.endpoint_suffix)
        } else {
            format!("com.amazonaws.{region}.{}", self.endpoint_suffix)
        }
    }

    /// Names an interface endpoint's private DNS answers for (EP-6). A leading `*.` matches
    /// any one or more labels; `ecs-a-*` matches a label prefix.
    pub fn private_dns_names(&self, region: &str) -> Vec<String> {
        if let Some(host) = self.fixed_hostname {
            return if self.privatelink.is_some() { vec![host.to_owned()] } else { Vec::new() };
        }
        match self.id {
            "ecr.api" => vec![format!("api.ecr.{region}.amazonaws.com")],
            "ecr.dkr" => vec![format!("*.dkr.ecr.{region}.amazonaws.com")],
            "s3" => vec![format!("s3.{region}.amazonaws.com"), format!("*.s3.{region}.amazonaws.com")],
            "ecs-agent" => vec![format!("ecs-a-*.{region}.amazonaws.com")],
            "ecs-telemetry" => vec![format!("ecs-t-*.{region}.amazonaws.com")],
            "iam" => vec!["iam.amazonaws.com".to_owned()],
            id => vec![format!("{id}.{region}.amazonaws.com")],
        }
    }

    /// The AWS-managed prefix list that holds the service's addresses (gateway services).
    pub fn prefix_list_name(&self, region: &str) -> Option<String> {
        (self.kinds == EndpointKinds::GatewayOrInterface).then(|| format!("com.amazonaws.{region}.{}", self.endpoint_suffix))
    }
}

/// Whether `name` matches `pattern` as used in [`ServiceSpec::private_dns_names`].
pub fn dns_pattern_matches(pattern: &str, name: &str) -> bool {
    if let Some(parent) = pattern.strip_prefix("*.") {
        return name.len() > parent.len() + 1
            && name.ends_with(parent)
            && name.as_bytes().get(name.len() - parent.len() - 1) == Some(&b'.');
    }
    if let Some((head, rest)) = pattern.split_once("*.") {
        // Label-prefix wildcard: `ecs-a-*.region.amazonaws.com`.
        if let Some((label, name_rest)) = name.split_once('.') {
            return label.starts_with(head) && name_rest == rest;
        }
        return false;
    }
    pattern == name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_follow_the_guide() {
        let ecr = lookup("ecr.api").unwrap();
        assert_eq!(ecr.hostname("eu-west-1", None), "api.ecr.eu-west-1.amazonaws.com");
        let dkr = lookup("ecr.dkr").unwrap();
        assert_eq!(dkr.hostname("us-east-1", Some("111122223333")), "111122223333.dkr.ecr.us-east-1.amazonaws.com");
        assert_eq!(lookup("iam").unwrap().endpoint_service_name("eu-west-1"), "com.amazonaws.iam");
        assert_eq!(STACK_PROFILE.len(), 19);
        assert!(STACK_PROFILE.iter().all(|id| lookup(id).is_some()));
    }

    #[test]
    fn wildcards() {
        assert!(dns_pattern_matches("*.dkr.ecr.us-east-1.amazonaws.com", "1.dkr.ecr.us-east-1.amazonaws.com"));
        assert!(!dns_pattern_matches("*.dkr.ecr.us-east-1.amazonaws.com", "dkr.ecr.us-east-1.amazonaws.com"));
        assert!(dns_pattern_matches("ecs-a-*.us-east-1.amazonaws.com", "ecs-a-1.us-east-1.amazonaws.com"));
        assert!(!dns_pattern_matches("ecs-a-*.us-east-1.amazonaws.com", "ecs-t-1.us-east-1.amazonaws.com"));
    }
}
