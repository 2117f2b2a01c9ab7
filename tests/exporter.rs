//! The live exporter against a real local EC2/ECS/Route 53 API: `moto_server`, installed and
//! started by `.ci/run`, which sets `VPCREACH_MOTO_URL` and `VPCREACH_MOTO_PYTHON` (absent: the
//! test prints a note and skips; absent under `CI=true`: it fails); and against a fake endpoint
//! in the test itself for what moto does not do (pagination, denied calls).

use std::process::Command;

use serde_json::Value;

/// The moto server is shared, and each test resets it: one test at a time.
static MOTO: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn moto() -> Option<(String, String)> {
    match (std::env::var("VPCREACH_MOTO_URL"), std::env::var("VPCREACH_MOTO_PYTHON")) {
        (Ok(url), Ok(python)) => Some((url, python)),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true needs VPCREACH_MOTO_URL and VPCREACH_MOTO_PYTHON (set by .ci/run)")
        }
        _ => {
            eprintln!("note: VPCREACH_MOTO_URL is not set; skipping the exporter test (bash .ci/run starts moto)");
            None
        }
    }
}

#[test]
fn snapshot_from_moto_analyses_as_built() {
    let Some((url, python)) = moto() else { return };
    let _one_at_a_time = MOTO.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let root = crate::util::root();
    let built = Command::new(&python).arg(root.join("tests/moto/topology.py")).arg(&url).output().unwrap();
    assert!(built.status.success(), "topology.py failed: {}", String::from_utf8_lossy(&built.stderr));
    let ids: Value = serde_json::from_slice(&built.stdout).unwrap();

    let dir = std::env::temp_dir().join(format!("vpcreach-exporter-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("snapshot.json");
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["snapshot", "--region", "us-east-1", "--region", "us-west-2", "--endpoint-url", &url, "-o"])
        .arg(&file)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("Vpcs") && summary.contains("EcsServices"), "{summary}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Two regions: the `Regions` form, one document each (moto gives us-west-2 its default VPC).
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let regions = snapshot["Regions"].as_array().expect("the Regions form");
    assert_eq!(regions.iter().map(|r| r["Region"].as_str().unwrap()).collect::<Vec<_>>(), ["us-east-1", "us-west-2"]);
    for key in [
        "Vpcs",
        "Subnets",
        "RouteTables",
        "InternetGateways",
        "NatGateways",
        "SecurityGroups",
        "NetworkAcls",
        "VpcAttributes",
        "EcsServices",
    ] {
        assert!(regions[0][key].is_array(), "us-east-1: {key} missing from the export");
        assert!(regions[1][key].is_array(), "us-west-2: {key} missing from the export");
    }
    assert!(regions[0]["Vpcs"].as_array().unwrap().iter().any(|v| v["VpcId"] == ids["vpc"]), "the built VPC is in us-east-1");

    // The exported file analyses to the verdicts the topology was built for.
    let report = Command::new(env!("CARGO_BIN_EXE_vpcreach")).args(["analyze", "--format", "json"]).arg(&file).output().unwrap();
    let report: Value =
        serde_json::from_slice(&report.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&report.stderr)));
    let results = report["results"].as_array().unwrap();
    let nat_results: Vec<&Value> = results.iter().filter(|r| r["workload"] == "runner-nat").collect();
    assert_eq!(nat_results.len(), 10, "two subnets × five services");
    for r in &nat_results {
        assert_eq!(r["verdict"], "reachable", "{r}");
        assert_eq!(r["egress"], "nat_gateway");
        let path: Vec<&str> = r["path"].as_array().unwrap().iter().filter_map(|h| h["resource_id"].as_str()).collect();
        assert!(path.contains(&ids["nat"].as_str().unwrap()) && path.contains(&ids["igw"].as_str().unwrap()), "{path:?}");
    }
    let igw_results: Vec<&Value> = results.iter().filter(|r| r["workload"] == "runner-igw").collect();
    assert_eq!(igw_results.len(), 5);
    for r in &igw_results {
        assert_eq!(r["verdict"], "unreachable");
        assert!(r["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "VPCR103"), "{r}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fake AWS endpoint on 127.0.0.1: EC2 lists answer in two pages (moto never paginates);
/// ECS, Route 53 and Route 53 Resolver deny every call. Returns the address and the log of
/// `(action, next token)` requests.
/// `(action, NextToken)` of every request the fake endpoint saw.
type RequestLog = std::sync::Arc<std::sync::Mutex<Vec<(String, Option<String>)>>>;

fn fake_aws() -> (String, RequestLog) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                loop {
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                        return;
                    }
                    let (mut length, mut target) = (0usize, None::<String>);
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let line = line.trim_end();
                        if line.is_empty() {
                            break;
                        }
                        let (name, value) = line.split_once(':').unwrap_or((line, ""));
                        match name.to_ascii_lowercase().as_str() {
                            "content-length" => length = value.trim().parse().unwrap_or(0),
                            "x-amz-target" => target = Some(value.trim().to_owned()),
                            _ => {}
                        }
                    }
                    let mut body = vec![0u8; length];
                    reader.read_exact(&mut body).unwrap();
                    let body = String::from_utf8_lossy(&body).into_owned();
                    let (status, content_type, payload) = answer(&request_line, target.as_deref(), &body, &seen);
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nx-amzn-RequestId: 1\r\n\r\n",
                        payload.len()
                    );
                    if writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(payload.as_bytes())).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (address, log)
}

/// The fake endpoint's answer to one request.
fn answer(
    request_line: &str,
    target: Option<&str>,
    body: &str,
    seen: &std::sync::Mutex<Vec<(String, Option<String>)>>,
) -> (String, &'static str, String) {
    let json_denied = || {
        (
            "400 Bad Request".to_owned(),
            "application/x-amz-json-1.1",
            r#"{"__type":"AccessDeniedException","message":"denied by the test"}"#.to_owned(),
        )
    };
    if let Some(target) = target {
        let request: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let token = request["NextToken"].as_str().map(str::to_owned);
        seen.lock().unwrap().push((target.to_owned(), token.clone()));
        return match firewall_answer(target, &request, token.is_some()) {
            Some(payload) => ("200 OK".to_owned(), "application/x-amz-json-1.1", payload.to_string()),
            None => json_denied(),
        };
    }
    if let Some(payload) = profiles_answer(request_line, seen) {
        return ("200 OK".to_owned(), "application/json", payload.to_string());
    }
    if request_line.contains("/2013-04-01/") {
        seen.lock().unwrap().push(("route53".to_owned(), None));
        let xml = r#"<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied by the test</Message></Error><RequestId>1</RequestId></ErrorResponse>"#;
        return ("403 Forbidden".to_owned(), "text/xml", xml.to_owned());
    }
    let form: std::collections::BTreeMap<String, String> = body
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("%2F", "/").replace("%3D", "=")))
        .collect();
    let action = form.get("Action").cloned().unwrap_or_default();
    let token = form.get("NextToken").cloned();
    seen.lock().unwrap().push((action.clone(), token.clone()));
    let page = if token.is_some() { 2 } else { 1 };
    let items = |set: &str, item: String| {
        let next = if page == 1 { "<nextToken>page2</nextToken>" } else { "" };
        format!("<{set}><item>{item}</item></{set}>{next}")
    };
    let content = match action.as_str() {
        "DescribeVpcs" => items("vpcSet", format!("<vpcId>vpc-0000000000000000{page}</vpcId><cidrBlock>10.{page}.0.0/16</cidrBlock><ownerId>111122223333</ownerId>")),
        "DescribeSubnets" => items(
            "subnetSet",
            format!("<subnetId>subnet-0000000000000000{page}</subnetId><vpcId>vpc-0000000000000000{page}</vpcId><cidrBlock>10.{page}.1.0/24</cidrBlock><availabilityZone>us-east-1a</availabilityZone>"),
        ),
        "DescribeRouteTables" => items(
            "routeTableSet",
            format!("<routeTableId>rtb-0000000000000000{page}</routeTableId><vpcId>vpc-0000000000000000{page}</vpcId><associationSet><item><main>true</main><routeTableAssociationId>rtbassoc-0000000000000000{page}</routeTableAssociationId></item></associationSet><routeSet><item><destinationCidrBlock>10.{page}.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state></item></routeSet>"),
        ),
        "DescribeSecurityGroups" => items(
            "securityGroupInfo",
            format!("<groupId>sg-0000000000000000{page}</groupId><groupName>default</groupName><vpcId>vpc-0000000000000000{page}</vpcId>"),
        ),
        "DescribeNatGateways" => items(
            "natGatewaySet",
            format!("<natGatewayId>nat-0000000000000000{page}</natGatewayId><vpcId>vpc-0000000000000000{page}</vpcId><subnetId>subnet-0000000000000000{page}</subnetId><state>available</state>"),
        ),
        "DescribeNetworkAcls" => items(
            "networkAclSet",
            format!("<networkAclId>acl-0000000000000000{page}</networkAclId><vpcId>vpc-0000000000000000{page}</vpcId><default>true</default>"),
        ),
        "DescribeInternetGateways" => items("internetGatewaySet", format!("<internetGatewayId>igw-0000000000000000{page}</internetGatewayId>")),
        "DescribeEgressOnlyInternetGateways" => {
            items("egressOnlyInternetGatewaySet", format!("<egressOnlyInternetGatewayId>eigw-0000000000000000{page}</egressOnlyInternetGatewayId>"))
        }
        "DescribeVpcEndpoints" => items(
            "vpcEndpointSet",
            format!("<vpcEndpointId>vpce-0000000000000000{page}</vpcEndpointId><vpcId>vpc-0000000000000000{page}</vpcId><serviceName>com.amazonaws.us-east-1.s3</serviceName><vpcEndpointType>Gateway</vpcEndpointType><state>available</state>"),
        ),
        "DescribeVpcPeeringConnections" => {
            items("vpcPeeringConnectionSet", format!("<vpcPeeringConnectionId>pcx-0000000000000000{page}</vpcPeeringConnectionId>"))
        }
        "DescribeNetworkInterfaces" => items(
            "networkInterfaceSet",
            format!("<networkInterfaceId>eni-0000000000000000{page}</networkInterfaceId><subnetId>subnet-0000000000000000{page}</subnetId><vpcId>vpc-0000000000000000{page}</vpcId><privateIpAddress>10.{page}.1.10</privateIpAddress>"),
        ),
        "DescribePrefixLists" => items("prefixListSet", format!("<prefixListId>pl-0000000{page}</prefixListId><prefixListName>list-{page}</prefixListName>")),
        "DescribeManagedPrefixLists" => items(
            "prefixListSet",
            format!("<prefixListId>pl-0000000{page}</prefixListId><prefixListName>list-{page}</prefixListName><addressFamily>IPv4</addressFamily>"),
        ),
        "GetManagedPrefixListEntries" => items("entrySet", format!("<cidr>192.0.{page}.0/24</cidr>")),
        "DescribeDhcpOptions" => items("dhcpOptionsSet", format!("<dhcpOptionsId>dopt-0000000000000000{page}</dhcpOptionsId>")),
        "DescribeTransitGateways" => items("transitGatewaySet", format!("<transitGatewayId>tgw-0000000000000000{page}</transitGatewayId><state>available</state>")),
        "DescribeTransitGatewayAttachments" => items(
            "transitGatewayAttachments",
            format!("<transitGatewayAttachmentId>tgw-attach-0000000000000000{page}</transitGatewayAttachmentId><transitGatewayId>tgw-0000000000000000{page}</transitGatewayId><resourceType>vpc</resourceType><resourceId>vpc-0000000000000000{page}</resourceId><state>available</state>"),
        ),
        "DescribeTransitGatewayVpcAttachments" => items(
            "transitGatewayVpcAttachments",
            format!("<transitGatewayAttachmentId>tgw-attach-0000000000000000{page}</transitGatewayAttachmentId><transitGatewayId>tgw-0000000000000000{page}</transitGatewayId><vpcId>vpc-0000000000000000{page}</vpcId><state>available</state><subnetIds><item>subnet-0000000000000000{page}</item></subnetIds>"),
        ),
        "DescribeTransitGatewayRouteTables" => items(
            "transitGatewayRouteTables",
            format!("<transitGatewayRouteTableId>tgw-rtb-0000000000000000{page}</transitGatewayRouteTableId><transitGatewayId>tgw-0000000000000000{page}</transitGatewayId><state>available</state>"),
        ),
        "GetTransitGatewayRouteTablePropagations" => items(
            "transitGatewayRouteTablePropagations",
            format!("<transitGatewayAttachmentId>tgw-attach-0000000000000000{page}</transitGatewayAttachmentId><resourceId>vpc-0000000000000000{page}</resourceId><resourceType>vpc</resourceType><state>enabled</state>"),
        ),
        "SearchTransitGatewayRoutes" => items(
            "routeSet",
            format!("<destinationCidrBlock>10.{page}.0.0/16</destinationCidrBlock><type>propagated</type><state>active</state>"),
        ),
        _ => String::new(),
    };
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>1</requestId>{content}</{action}Response>"#
    );
    ("200 OK".to_owned(), "text/xml;charset=UTF-8", xml)
}

/// The fake endpoint's DNS Firewall (DNS-5): two pages of each list, one rule group associated
/// with two VPCs, its two rules, and three domain lists of which the rules use two.
fn firewall_answer(target: &str, request: &Value, page2: bool) -> Option<Value> {
    let next = |first: Value, second: Value, key: &str| {
        if page2 {
            serde_json::json!({ key: second })
        } else {
            serde_json::json!({ key: first, "NextToken": "page2" })
        }
    };
    Some(match target.strip_prefix("Route53Resolver.")? {
        "ListFirewallRuleGroupAssociations" => next(
            serde_json::json!([{"Id": "rslvr-frgassoc-1", "FirewallRuleGroupId": "rslvr-frg-1", "VpcId": "vpc-00000000000000001", "Priority": 101, "Status": "COMPLETE", "MutationProtection": "DISABLED"}]),
            serde_json::json!([{"Id": "rslvr-frgassoc-2", "FirewallRuleGroupId": "rslvr-frg-1", "VpcId": "vpc-00000000000000002", "Priority": 101, "Status": "COMPLETE"}]),
            "FirewallRuleGroupAssociations",
        ),
        "ListFirewallRules" => {
            assert_eq!(request["FirewallRuleGroupId"], "rslvr-frg-1", "{request}");
            next(
                serde_json::json!([{"FirewallRuleGroupId": "rslvr-frg-1", "FirewallDomainListId": "rslvr-fdl-aws", "Name": "allow-aws", "Priority": 100, "Action": "ALLOW", "FirewallDomainRedirectionAction": "TRUST_REDIRECTION_DOMAIN"}]),
                serde_json::json!([{"FirewallRuleGroupId": "rslvr-frg-1", "FirewallDomainListId": "rslvr-fdl-all", "Name": "block-rest", "Priority": 200, "Action": "BLOCK", "BlockResponse": "NXDOMAIN", "Qtype": "A"}]),
                "FirewallRules",
            )
        }
        "ListFirewallDomainLists" => next(
            serde_json::json!([{"Id": "rslvr-fdl-aws", "Name": "aws"}, {"Id": "rslvr-fdl-unused", "Name": "unused"}]),
            serde_json::json!([{"Id": "rslvr-fdl-all", "Name": "all"}, {"Id": "rslvr-fdl-malware", "Name": "AWSManagedDomainsMalwareDomainList", "ManagedOwnerName": "Route 53 Resolver DNS Firewall"}]),
            "FirewallDomainLists",
        ),
        "ListFirewallDomains" => match request["FirewallDomainListId"].as_str() {
            Some("rslvr-fdl-aws") => {
                next(serde_json::json!(["*.amazonaws.com."]), serde_json::json!(["logs.us-east-1.amazonaws.com."]), "Domains")
            }
            Some("rslvr-fdl-all") => serde_json::json!({"Domains": ["*"]}),
            other => panic!("domains of {other:?} asked for"),
        },
        _ => return None,
    })
}

/// The fake endpoint's Route 53 Profiles (DNS-8, a REST API): one Profile associated with two
/// VPCs over two pages, and what it carries over two pages.
fn profiles_answer(request_line: &str, seen: &std::sync::Mutex<Vec<(String, Option<String>)>>) -> Option<Value> {
    let path = request_line.split_whitespace().nth(1)?;
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let page2 = query.split('&').any(|kv| kv == "nextToken=page2");
    let (name, first, second, key) = match route {
        "/profileassociations" => (
            "ListProfileAssociations",
            serde_json::json!([{"Id": "rpassoc-1", "ProfileId": "rp-1", "ResourceId": "vpc-00000000000000001", "Status": "COMPLETE"}]),
            serde_json::json!([{"Id": "rpassoc-2", "ProfileId": "rp-1", "ResourceId": "vpc-00000000000000002", "Status": "COMPLETE"}]),
            "ProfileAssociations",
        ),
        "/profileresourceassociations/profileid/rp-1" => (
            "ListProfileResourceAssociations",
            serde_json::json!([{"Id": "rpr-1", "ProfileId": "rp-1", "ResourceArn": "arn:aws:route53:::hostedzone/Z1", "ResourceType": "AWS::Route53::HostedZone", "Status": "COMPLETE"}]),
            serde_json::json!([{"Id": "rpr-2", "ProfileId": "rp-1", "ResourceArn": "arn:aws:route53resolver:us-east-1:111122223333:firewall-rule-group/rslvr-frg-1",
                "ResourceType": "AWS::Route53Resolver::FirewallRuleGroup", "ResourceProperties": "{\"priority\": 102}", "Status": "COMPLETE"}]),
            "ProfileResourceAssociations",
        ),
        _ => return None,
    };
    seen.lock().unwrap().push((format!("Route53Profiles.{name}"), page2.then(|| "page2".to_owned())));
    Some(if page2 { serde_json::json!({ key: second }) } else { serde_json::json!({ key: first, "NextToken": "page2" }) })
}

/// Every paginated EC2 list is followed to its last page, and a denied service leaves its keys
/// out, listed under `Gaps` with the error code, which `analyze` then names.
#[test]
fn pages_are_merged_and_denied_calls_become_gaps() {
    let (url, log) = fake_aws();
    let dir = std::env::temp_dir().join(format!("vpcreach-paging-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("snapshot.json");
    let out = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["snapshot", "--region", "us-east-1", "--endpoint-url", &url, "--quiet", "-o"])
        .arg(&file)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    // Every paginated EC2 list of the exporter, two pages each.
    for (key, id_field) in [
        ("Vpcs", "VpcId"),
        ("Subnets", "SubnetId"),
        ("RouteTables", "RouteTableId"),
        ("SecurityGroups", "GroupId"),
        ("NatGateways", "NatGatewayId"),
        ("NetworkAcls", "NetworkAclId"),
        ("InternetGateways", "InternetGatewayId"),
        ("EgressOnlyInternetGateways", "EgressOnlyInternetGatewayId"),
        ("VpcEndpoints", "VpcEndpointId"),
        ("VpcPeeringConnections", "VpcPeeringConnectionId"),
        ("NetworkInterfaces", "NetworkInterfaceId"),
        ("PrefixLists", "PrefixListId"),
        ("ManagedPrefixLists", "PrefixListId"),
        ("DhcpOptions", "DhcpOptionsId"),
        ("TransitGateways", "TransitGatewayId"),
        ("TransitGatewayAttachments", "TransitGatewayAttachmentId"),
        ("TransitGatewayVpcAttachments", "TransitGatewayAttachmentId"),
        ("TransitGatewayRouteTables", "TransitGatewayRouteTableId"),
    ] {
        let ids: Vec<&str> =
            snapshot[key].as_array().unwrap_or_else(|| panic!("{key} missing")).iter().filter_map(|v| v[id_field].as_str()).collect();
        assert_eq!(ids.len(), 2, "{key}: both pages merged: {ids:?}");
    }
    // Per-item calls page too: prefix-list entries, TGW propagations and routes.
    for list in snapshot["ManagedPrefixLists"].as_array().unwrap() {
        assert_eq!(list["Entries"].as_array().map(Vec::len), Some(2), "{list}");
    }
    for table in snapshot["TransitGatewayPropagations"].as_array().unwrap() {
        assert_eq!(table["TransitGatewayRouteTablePropagations"].as_array().map(Vec::len), Some(2), "{table}");
    }
    for table in snapshot["TransitGatewayRoutes"].as_array().unwrap() {
        assert_eq!(table["Routes"].as_array().map(Vec::len), Some(2), "{table}");
    }
    let requests = log.lock().unwrap().clone();
    for action in [
        "DescribeVpcs",
        "DescribeSubnets",
        "DescribeRouteTables",
        "DescribeSecurityGroups",
        "DescribeNatGateways",
        "DescribeNetworkAcls",
        "DescribeInternetGateways",
        "DescribeEgressOnlyInternetGateways",
        "DescribeVpcEndpoints",
        "DescribeVpcPeeringConnections",
        "DescribeNetworkInterfaces",
        "DescribePrefixLists",
        "DescribeManagedPrefixLists",
        "GetManagedPrefixListEntries",
        "DescribeDhcpOptions",
        "DescribeTransitGateways",
        "DescribeTransitGatewayAttachments",
        "DescribeTransitGatewayVpcAttachments",
        "DescribeTransitGatewayRouteTables",
        "GetTransitGatewayRouteTablePropagations",
        "SearchTransitGatewayRoutes",
    ] {
        assert!(requests.iter().any(|(a, t)| a == action && t.as_deref() == Some("page2")), "{action} second page was not requested");
    }
    let gaps = snapshot["Gaps"].as_array().unwrap();
    let gap_keys: Vec<&str> = gaps.iter().filter_map(|g| g["Key"].as_str()).collect();
    for key in ["EcsServices", "HostedZones", "ResolverRules", "ResolverRuleAssociations"] {
        assert!(gap_keys.contains(&key), "{key} not in Gaps: {gap_keys:?}");
        assert!(snapshot.get(key).is_none(), "{key} must be left out");
    }
    assert!(gaps.iter().any(|g| g["Operation"] == "route53:ListHostedZones" && g["ErrorCode"] == "AccessDenied"), "{gaps:?}");
    // DNS Firewall: every page, the rules of the associated group, the lists they use with
    // their domains (the unused and the AWS-managed lists are left out, and never listed).
    let ids = |key: &str, field: &str| -> Vec<String> {
        snapshot[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} missing"))
            .iter()
            .filter_map(|v| v[field].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(ids("FirewallRuleGroupAssociations", "Id"), ["rslvr-frgassoc-1", "rslvr-frgassoc-2"]);
    assert_eq!(ids("FirewallRules", "Name"), ["allow-aws", "block-rest"]);
    let rules = snapshot["FirewallRules"].as_array().unwrap();
    assert_eq!(
        (&rules[0]["Priority"], &rules[0]["FirewallDomainRedirectionAction"]),
        (&serde_json::json!(100), &serde_json::json!("TRUST_REDIRECTION_DOMAIN"))
    );
    assert_eq!(
        (&rules[1]["Action"], &rules[1]["BlockResponse"], &rules[1]["Qtype"]),
        (&serde_json::json!("BLOCK"), &serde_json::json!("NXDOMAIN"), &serde_json::json!("A"))
    );
    assert_eq!(ids("FirewallDomainLists", "Id"), ["rslvr-fdl-aws", "rslvr-fdl-all"]);
    let lists = snapshot["FirewallDomainLists"].as_array().unwrap();
    assert_eq!(lists[0]["Domains"], serde_json::json!(["*.amazonaws.com.", "logs.us-east-1.amazonaws.com."]));
    assert_eq!(lists[1]["Domains"], serde_json::json!(["*"]));
    let firewall_calls = |name: &str| requests.iter().filter(|(a, _)| a == &format!("Route53Resolver.{name}")).count();
    assert_eq!(firewall_calls("ListFirewallRules"), 2, "one group, two pages");
    assert_eq!(firewall_calls("ListFirewallDomains"), 3, "two pages of one list, one of the other");
    // Route 53 Profiles: both pages of the associations, and of the one Profile's resources.
    assert_eq!(ids("ProfileAssociations", "Id"), ["rpassoc-1", "rpassoc-2"]);
    assert_eq!(ids("ProfileResourceAssociations", "Id"), ["rpr-1", "rpr-2"]);
    let carried = snapshot["ProfileResourceAssociations"].as_array().unwrap();
    assert_eq!(carried[1]["ResourceProperties"], "{\"priority\": 102}");
    assert_eq!(
        requests.iter().filter(|(a, _)| a == "Route53Profiles.ListProfileResourceAssociations").count(),
        2,
        "one Profile, two pages"
    );
    assert!(gaps.iter().any(|g| g["Operation"] == "ecs:ListClusters" && g["ErrorCode"] == "AccessDeniedException"), "{gaps:?}");
    // The snapshot loads; a key left out is "not captured", and the finding names the denied call.
    let report = Command::new(env!("CARGO_BIN_EXE_vpcreach")).args(["analyze", "--format", "json"]).arg(&file).output().unwrap();
    assert_ne!(report.status.code(), Some(2), "{}", String::from_utf8_lossy(&report.stderr));
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(text.contains("route53:ListHostedZones (AccessDenied)"), "analyze does not name the denied call:\n{text:.2000}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README's "Export with the AWS CLI" commands, run as written (placeholders filled in)
/// against moto with the AWS CLI that `.ci/run` installs beside it, then `vpcreach import` and
/// `analyze`: the same verdicts as the topology was built for.
#[test]
fn readme_aws_cli_export_works_as_written() {
    let Some((url, python)) = moto() else { return };
    let Ok(cli_bin) = std::env::var("VPCREACH_AWSCLI_BIN") else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true needs VPCREACH_AWSCLI_BIN (set by .ci/run)");
        eprintln!("note: VPCREACH_AWSCLI_BIN is not set; skipping the README's AWS CLI commands");
        return;
    };
    let _one_at_a_time = MOTO.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let root = crate::util::root();
    let built = Command::new(&python).arg(root.join("tests/moto/topology.py")).arg(&url).output().unwrap();
    assert!(built.status.success(), "topology.py failed: {}", String::from_utf8_lossy(&built.stderr));
    let ids: Value = serde_json::from_slice(&built.stdout).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme.find("R=us-east-1; D=aws_configs").expect("the README's AWS CLI block");
    let end = start + readme[start..].find("```").unwrap();
    let script = readme[start..end]
        .replace("--cluster CLUSTER --services SERVICE", "--cluster runner --services runner-nat runner-igw")
        .replace("--vpc-id VPC", &format!("--vpc-id {}", ids["vpc"].as_str().unwrap()));
    assert!(!script.contains("CLUSTER") && !script.contains(" VPC "), "unfilled placeholder in\n{script}");
    let dir = std::env::temp_dir().join(format!("vpcreach-readme-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let venv_bin = std::path::PathBuf::from(cli_bin);
    let binary_dir = std::path::Path::new(env!("CARGO_BIN_EXE_vpcreach")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}:{}", binary_dir.display(), venv_bin.display(), std::env::var("PATH").unwrap_or_default());
    let run = Command::new("bash")
        .args([
            "-euo",
            "pipefail",
            "-c",
            &script.replace("vpcreach import . -o snapshot.json && vpcreach analyze snapshot.json", "vpcreach import . -o snapshot.json"),
        ])
        .current_dir(&dir)
        .env("PATH", path)
        .env("AWS_ENDPOINT_URL", &url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .output()
        .unwrap();
    assert!(run.status.success(), "the README's commands failed:\n{}", String::from_utf8_lossy(&run.stderr));
    let report = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .args(["analyze", "--format", "json", "snapshot.json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let report: Value =
        serde_json::from_slice(&report.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&report.stderr)));
    assert_eq!(report["summary"]["reachable"], 10, "{}", report["summary"]);
    assert_eq!(report["summary"]["unreachable"], 5, "{}", report["summary"]);
    let _ = std::fs::remove_dir_all(&dir);
}
