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
    from core.contract.registry import FAILED_INVOCATIONS
    from core.stages import load_stage

    config = load_stage(stage)

    assert config["runtime"] == "python3.13"
    assert config["timeout_seconds"] <= 29
    assert config["s3_bucket"] == f"serverless-django-{stage}-deploys-000000000000"
    assert config["dead_letter_arn"].endswith(f":serverless-django-{stage}-{FAILED_INVOCATIONS.name}")
    assert config["aws_environment_variables"]["SECRETS_SSM_PATH"] == f"/serverless-django/{stage}/"
    assert "SECRET_KEY" not in config["aws_environment_variables"]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_stage_has_a_worker_function_with_its_own_timeout_memory_and_concurrency(stage):
    """One zip, two functions (issue 20): the web one behind API Gateway (29 s, no schedule) and the
    worker, which takes every schedule, queue, stream and Kinesis batch, with the same resources."""
    from core.contract.registry import declared_resources, event_sources
    from core.contract.resources import Queue
    from core.stages import load_stage, worker_stage

    web, worker = load_stage(stage), load_stage(worker_stage(stage))

    assert worker_stage(stage) == f"{stage}_worker"
    assert worker.get("apigateway_enabled") is False
    assert worker["keep_warm"] is False
    assert 29 < worker["timeout_seconds"] <= 900
    assert worker["lambda_concurrency"] >= 1
    assert worker["memory_size"] >= 512
    assert worker["events"]
    assert not web.get("events")
    for key in ("aws_environment_variables", "s3_bucket", "dead_letter_arn", "runtime", "architecture"):
        assert worker[key] == web[key], key  # the same stage's resources, secrets and zip
    # SQS refuses a mapping whose queue hides a message for less than the function may run.
    queues = {r.name: r for r in declared_resources() if isinstance(r, Queue)}
    for source in event_sources():
        if source.service == "sqs":
            assert queues[source.suffix].visibility_timeout >= worker["timeout_seconds"], source


# --- native code of the declared architecture ------------------------------------------------


def _elf(machine: int) -> bytes:
    """The first bytes of a 64-bit little-endian ELF shared object for ``machine`` (e_machine)."""
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + (3).to_bytes(2, "little") + machine.to_bytes(2, "little")


MACH_O = b"\xcf\xfa\xed\xfe" + b"\x00" * 16
X86_64, AARCH64 = 0x3E, 0xB7
LINUX_WHEEL = "Wheel-Version: 1.0\nTag: cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64\n"


def _package(tmp_path, files):
    return _zip(tmp_path / "dev.zip", {"zappa_settings.py": "API_STAGE='dev'\n", **files})


@pytest.mark.parametrize(
    ("files", "named"),
    [
        (  # built on a Mac
            {"psycopg_binary/_psycopg.cpython-313-darwin.so": MACH_O},
            "_psycopg.cpython-313-darwin.so (Mach-O (macOS))",
        ),
        (  # built on arm64 CI or Apple Silicon Linux
            {"markupsafe/_speedups.cpython-313-aarch64-linux-gnu.so": _elf(AARCH64)},
            "_speedups.cpython-313-aarch64-linux-gnu.so (aarch64)",
        ),
        (  # an x86_64 object under another platform's name
            {"rpds/rpds.cpython-313-aarch64-linux-gnu.so": _elf(X86_64)},
            "tagged aarch64-linux-gnu",
        ),
        (  # a bundled library without a Python tag
            {"psycopg_binary.libs/libpq-1a2b.so.5.16": _elf(AARCH64)},
            "libpq-1a2b.so.5.16 (aarch64)",
        ),
        (  # the wheel says so even where no .so does
            {
                "yaml/_yaml.abi3.so": _elf(X86_64),
                "PyYAML-6.0.3.dist-info/WHEEL": "Tag: cp313-cp313-macosx_11_0_arm64\n",
            },
            "PyYAML-6.0.3.dist-info (wheel for macosx_11_0_arm64)",
        ),
    ],
)
def test_a_zip_with_native_code_of_another_platform_is_refused(tmp_path, files, named):
    package = _package(tmp_path, files)

    with pytest.raises(guards.PackageRefused, match="not for Linux x86_64") as refused:
        guards.check_zip(package, runtime="python3.13", architecture="x86_64")
    assert named in str(refused.value)


def test_native_code_of_the_declared_architecture_passes(tmp_path):
    x86 = _package(
        tmp_path,
        {
            "psycopg_binary/_psycopg.cpython-313-x86_64-linux-gnu.so": _elf(X86_64),
            "psycopg_binary.libs/libpq-1a2b.so.5.16": _elf(X86_64),
            "psycopg_binary-3.3.9.dist-info/WHEEL": LINUX_WHEEL,
            "django-5.2.dist-info/WHEEL": "Tag: py3-none-any\n",
        },
    )
    guards.check_zip(x86, runtime="python3.13", architecture="x86_64")

    with pytest.raises(guards.PackageRefused, match="not for Linux arm64"):
        guards.check_zip(x86, runtime="python3.13", architecture="arm64")


def test_the_stages_declare_their_architecture_and_packaging_installs_its_wheels():
    from core.stages import SETTINGS_FILE

    assert '"architecture": "x86_64"' in SETTINGS_FILE.read_text()
    assert runtime.architecture() == "x86_64"
    args = runtime.pip_platform_args("python3.13", "arm64")
    assert "--platform=manylinux2014_aarch64" in args
    assert {"--only-binary=:all:", "--python-version=3.13", "--implementation=cp"} <= set(args)
    assert runtime.lambda_site().name.startswith("lambda-site-x86_64-")  # shared by checkouts of one lock
    assert not runtime.lambda_site().resolve().is_relative_to(ROOT)  # Zappa never walks it
