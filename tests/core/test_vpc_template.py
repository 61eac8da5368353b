"""The VPC template (core/deploy/vpc_endpoints.template.json) creates on the emulator what docs/deploy.md's
VPC/RDS steps rely on: endpoints instead of a NAT, the function's group allowed into the database."""

import json
from pathlib import Path

from core.aws import client

TEMPLATE = Path(__file__).resolve().parents[2] / "core/deploy/vpc_endpoints.template.json"


def test_the_vpc_template_makes_gateway_and_interface_endpoints_and_opens_the_database(aws_fresh):
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{n}.0/24", AvailabilityZone=f"us-east-1{zone}")[
            "Subnet"
        ]["SubnetId"]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    routes = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    database = ec2.create_security_group(GroupName="rds", Description="rds", VpcId=vpc)["GroupId"]

    cloudformation = client("cloudformation")
    cloudformation.create_stack(
        StackName="serverless-django-prod-vpc",
        TemplateBody=TEMPLATE.read_text(),
        Parameters=[
            {"ParameterKey": "VpcId", "ParameterValue": vpc},
            {"ParameterKey": "SubnetIds", "ParameterValue": ",".join(subnets)},
            {"ParameterKey": "RouteTableIds", "ParameterValue": routes},
            {"ParameterKey": "DatabaseSecurityGroupId", "ParameterValue": database},
        ],
    )

    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["VpcEndpoints"]
    kinds = {e["ServiceName"].rsplit(".", 1)[1]: e["VpcEndpointType"] for e in endpoints}
    assert kinds == {
        "dynamodb": "Gateway",
        "s3": "Gateway",
        "sqs": "Interface",
        "sns": "Interface",
        "kinesis-streams": "Interface",
        "ssm": "Interface",
    }
    outputs = {
        o["OutputKey"]: o["OutputValue"]
        for o in cloudformation.describe_stacks(StackName="serverless-django-prod-vpc")["Stacks"][0][
            "Outputs"
        ]
    }
    vpc_config = json.loads(outputs["VpcConfig"])
    assert vpc_config == {"SubnetIds": subnets, "SecurityGroupIds": [outputs["FunctionSecurityGroupId"]]}
    (rds,) = ec2.describe_security_groups(GroupIds=[database])["SecurityGroups"]
    allowed = [pair["GroupId"] for rule in rds["IpPermissions"] for pair in rule.get("UserIdGroupPairs", [])]
    assert outputs["FunctionSecurityGroupId"] in allowed
    assert ec2.describe_nat_gateways()["NatGateways"] == []
