"""What packaging and Zappa's commands refuse before anything reaches AWS (core.deploy.guards)."""

import io
import sys
import zipfile
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from click import ClickException

from core.deploy import guards, runtime
from core.deploy.zappa_callbacks import before_command

ROOT = Path(__file__).resolve().parents[2]


def _zip(path, files):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_a_zip_that_turns_on_a_websocket_api_is_refused(tmp_path):
    package = _zip(
        tmp_path / "dev.zip",
        {
            "zappa_settings.py": "API_STAGE='dev'\nWEBSOCKET_HANDLER_MODULE='build.package-venv.zappa.handler'\n"
        },
    )

    with pytest.raises(guards.PackageRefused, match="public WebSocket API"):
        guards.check_zip(package, runtime="python3.13")


def test_a_zip_with_another_interpreters_bytecode_is_refused(tmp_path):
    package = _zip(
        tmp_path / "dev.zip",
        {"zappa_settings.py": "API_STAGE='dev'\n", "config/__pycache__/urls.cpython-312.pyc": ""},
    )

    with pytest.raises(guards.PackageRefused, match="cpython-312, but the runtime is python3.13"):
        guards.check_zip(package, runtime="python3.13")


def test_a_zip_of_the_runtime_without_websocket_passes(tmp_path):
    package = _zip(
        tmp_path / "dev.zip",
        {"zappa_settings.py": "API_STAGE='dev'\n", "config/__pycache__/urls.cpython-313.pyc": ""},
    )

    guards.check_zip(package, runtime="python3.13")


def test_packaging_refuses_another_interpreter_with_one_line():
    completed = __import__("subprocess").run(
        [sys.executable, str(ROOT / "core/deploy/runtime.py"), "check", sys.executable],
        capture_output=True,
        text=True,
    )

    assert runtime.runtime() == "python3.13"
    assert completed.returncode == 1
    assert completed.stderr.count("\n") == 1
    assert "but the Lambda runtime is python3.13" in completed.stderr


def test_the_runtimes_interpreter_is_found_and_passes():
    python = runtime.runtime_python()

    runtime.check(python)
    assert runtime.interpreter_version(python) == (3, 13)


def _checkout(folder: Path, lock: bytes) -> Path:
    folder.mkdir()
    (folder / "requirements.txt").write_bytes(lock)
    (folder / "zappa_settings.json").write_bytes((ROOT / "zappa_settings.json").read_bytes())
    return folder


def test_the_package_virtualenv_is_outside_the_project_folder_and_shared_by_checkouts_of_one_lock(tmp_path):
    venv = runtime.package_venv(ROOT)
    lock = (ROOT / "requirements.txt").read_bytes()

    assert ROOT not in venv.parents
    assert runtime.package_venv(_checkout(tmp_path / "a-fresh-clone", lock)) == venv
    assert runtime.package_venv(_checkout(tmp_path / "another-lock", lock + b"six==1.16.0\n")) != venv


def _cli(stage, command="deploy", **vargs):
    from zappa.cli import ZappaCLI

    cli = ZappaCLI()
    cli.vargs = {"zip": None, **vargs}
    cli.command = command
    cli.api_stage = stage
    cli.load_settings(str(ROOT / "zappa_settings.json"))
    return cli


def test_all_skips_base_and_acts_on_the_real_stages(monkeypatch):
    monkeypatch.chdir(ROOT)
    base = _cli("base")
    out = io.StringIO()

    before_command(base)
    with redirect_stdout(out):
        base.deploy(None, None)
        base.undeploy(no_confirm=True)

    assert out.getvalue().count("Nothing done for stage base") == 2
    base.api_stage = "dev"
    base.command = "undeploy"
    before_command(base)  # the next stage of --all gets Zappa's own methods back
    assert "deploy" not in base.__dict__
    assert "undeploy" not in base.__dict__


def test_a_zappa_command_refuses_a_websocket_api(monkeypatch):
    monkeypatch.chdir(ROOT)
    cli = _cli("dev", command="undeploy")
    cli.use_websocket = "build.package-venv.lib.zappa.handler"

    with pytest.raises(ClickException, match="public WebSocket API"):
        before_command(cli)


def test_building_a_zip_with_another_interpreter_is_refused(monkeypatch):
    monkeypatch.chdir(ROOT)
    cli = _cli("dev", command="package")

    with pytest.raises(ClickException, match="but the Lambda runtime is python3.13"):
        before_command(cli)  # this test runs on the dev interpreter, not 3.13


def test_the_project_folder_holds_no_websocket_code(monkeypatch):
    """Zappa's own walk of the project folder (what decides the WebSocket API) finds nothing."""
    from zappa.cli import ZappaCLI

    monkeypatch.chdir(ROOT)

    assert ZappaCLI._detect_websocket_usage() is None


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_stage_has_its_bucket_dead_letter_queue_secrets_path_and_a_timeout_api_gateway_allows(stage):
    from core.registry import FAILED_INVOCATIONS
    from core.stages import load_stage

    config = load_stage(stage)

    assert config["runtime"] == "python3.13"
    assert config["timeout_seconds"] <= 29
    assert config["s3_bucket"] == f"serverless-django-{stage}-deploys-000000000000"
    assert config["dead_letter_arn"].endswith(f":serverless-django-{stage}-{FAILED_INVOCATIONS.name}")
    assert config["aws_environment_variables"]["SECRETS_SSM_PATH"] == f"/serverless-django/{stage}/"
    assert "SECRET_KEY" not in config["aws_environment_variables"]
