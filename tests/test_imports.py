"""The import contracts in pyproject.toml hold, and break on a forbidden import.

lint-imports runs on a copy of the packages (their Python files and pyproject.toml) in a
temporary directory: as they are, every contract is kept; with one forbidden import added,
the run fails and names the contract and the import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("spacelink", "ground", "deepspace", "rover_fw_sim", "hil", "roverops")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _copy(into: Path) -> Path:
    for package in PACKAGES:
        for source in (REPO / package).rglob("*.py"):
            if "node_modules" in source.parts:
                continue
            target = into / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    shutil.copyfile(REPO / "pyproject.toml", into / "pyproject.toml")
    return into


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # The copy first on the path, ahead of the installed (editable) packages.
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(tmp_path_factory.mktemp("layers"))


def test_the_packages_keep_every_contract(clean_copy: Path) -> None:
    result = _lint_imports(clean_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("hil/link_state.py", "import rover_fw_sim.host", "never import one another"),
    ("deepspace/delay_line.py", "import ground.store", "never import one another"),
    ("rover_fw_sim/host.py", "import roverops.parts", "roverops wires the parts"),
    ("spacelink/topics.py", "import deepspace.relay", "roverops wires the parts"),
    ("spacelink/framing.py", "import asyncio", "spacelink is the pure contract"),
    ("ground/token.py", "import aiomqtt", "MQTT only in roverops"),
    ("rover_fw_sim/serial_link.py", "import serial", "serial ports only in hil"),
])
def test_a_forbidden_import_fails_the_check(clean_copy: Path, tmp_path: Path, module: str,
                                            line: str, contract: str) -> None:
    root = tmp_path / "copy"
    shutil.copytree(clean_copy, root)
    path = root / module
    path.write_text(path.read_text() + f"\n{line}  # the violation under test\n")
    result = _lint_imports(root)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout
    assert module.removesuffix(".py").replace("/", ".") in broken, result.stdout
