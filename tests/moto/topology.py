"""Builds a small runner topology on a moto server, for the exporter test (tests/exporter.rs).

Usage: python topology.py http://127.0.0.1:PORT   (prints the IDs the test asserts on, as JSON)

Two ECS Fargate services in one VPC (us-east-1):
- `runner-nat`: private subnets in two AZs, `0.0.0.0/0 -> nat-...` (public NAT in a public
  subnet whose table routes `0.0.0.0/0 -> igw-...`), task SG allowing all egress. Every runner
  service is reachable through the NAT gateway.
- `runner-igw`: a third subnet routed straight to the IGW, `assignPublicIp=DISABLED`. Every
  service is unreachable: the IGW route without a public IP (VPCR103).
moto is a stand-in for the API shapes only; the expected verdicts come from the AWS rules.
"""
import json
import sys
import urllib.request

import boto3

url = sys.argv[1]
urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST")).read()
session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
ec2 = session.client("ec2", endpoint_url=url)
ecs = session.client("ecs", endpoint_url=url)

def tag(resource, name):
    ec2.create_tags(Resources=[resource], Tags=[{"Key": "Name", "Value": name}])

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
tag(vpc, "exporter-test-vpc")
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
subnets = {}
for name, cidr, az in [("public-a", "10.0.0.0/24", "us-east-1a"), ("task-a", "10.0.10.0/24", "us-east-1a"),
                       ("task-b", "10.0.11.0/24", "us-east-1b"), ("igw-task", "10.0.12.0/24", "us-east-1a")]:
    subnets[name] = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
    tag(subnets[name], name)
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
public = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=public, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ec2.associate_route_table(RouteTableId=public, SubnetId=subnets["public-a"])
ec2.associate_route_table(RouteTableId=public, SubnetId=subnets["igw-task"])
eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
nat = ec2.create_nat_gateway(SubnetId=subnets["public-a"], AllocationId=eip)["NatGateway"]["NatGatewayId"]
private = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=private, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
for s in ("task-a", "task-b"):
    ec2.associate_route_table(RouteTableId=private, SubnetId=subnets[s])
sg = ec2.create_security_group(GroupName="runner-tasks", Description="runner tasks", VpcId=vpc)["GroupId"]

ecs.create_cluster(clusterName="runner")
ecs.register_task_definition(family="runner", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                             containerDefinitions=[{"name": "runner", "image": "example/runner:latest", "essential": True}])
for name, nets in [("runner-nat", ["task-a", "task-b"]), ("runner-igw", ["igw-task"])]:
    ecs.create_service(cluster="runner", serviceName=name, taskDefinition="runner", desiredCount=1, launchType="FARGATE",
                       networkConfiguration={"awsvpcConfiguration": {"subnets": [subnets[n] for n in nets], "securityGroups": [sg],
                                                                     "assignPublicIp": "DISABLED"}})
print(json.dumps({"vpc": vpc, "nat": nat, "igw": igw, "private_rtb": private, "public_rtb": public, "subnets": subnets}))
