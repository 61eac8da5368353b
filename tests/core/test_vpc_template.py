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
        "kms": "Interface",  # the tracker encrypts and decrypts every token
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


def test_every_aws_service_the_role_may_use_has_an_endpoint_in_the_template():
    """A function in the VPC reaches AWS only through these endpoints: a service its policy names and
    the template lacks (KMS before) hangs until the call times out. Logs are shipped by Lambda itself
    and the network-interface actions are Lambda's, outside the function's network."""
    from core.deploy.iam import policy_document

    policy = policy_document(stage="prod", account="111122223333", vpc=True)
    used = {a.split(":")[0] for s in policy["Statement"] for a in s["Action"]} - {"logs", "ec2"}
    template = json.loads(TEMPLATE.read_text())
    endpoints = {
        json.dumps(r["Properties"]["ServiceName"]).rsplit(".", 1)[1].strip('"}')
        for r in template["Resources"].values()
        if r["Type"] == "AWS::EC2::VPCEndpoint"
    }

    assert {"kinesis" if e == "kinesis-streams" else e for e in endpoints} >= used | {"s3"}
