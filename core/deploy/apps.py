from django.apps import AppConfig


class DeployConfig(AppConfig):
    """Deploy tooling: provisioning, IAM policy, event-source mappings, packaging."""

    name = "core.deploy"
    label = "deploy"
    verbose_name = "Deploy tooling"
