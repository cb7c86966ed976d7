"""ssdc.compile, ssdc.load and CompileError's located diagnostics."""
import os

import pytest

import ssdc
from conftest import REPO

SCALE_ADD = os.path.join(REPO, "examples", "first-kernel", "scale_add.mlir")


def test_compile_a_path_gives_a_package_with_its_kernel():
    package = ssdc.compile(SCALE_ADD, chip="sm_80", cubins=False)
    assert package.kernel_names == ["scale_add"]
    assert package.chip == "sm_80"
    kernel = package.kernel("scale_add")
    assert [a["name"] for a in kernel.signature] == ["x", "y", "n", "a"]
    assert kernel.signature[1]["access"] == "readwrite"
    assert len(kernel.description["configs"]) == 6  # BLOCK x num_warps


def test_configs_builds_one_config():
    with open(SCALE_ADD) as file:
        source = file.read()
    package = ssdc.compile(source, configs={"BLOCK": 128, "num_warps": 8}, cubins=False)
    assert package.kernel("scale_add").description["configs"] == [[128, 8]]
    assert ssdc.compile(source, configs="BLOCK=512", cubins=False).kernel(
        "scale_add").description["configs"] == [[512, 4]]


def test_load_round_trips_bytes_and_files(tmp_path):
    package = ssdc.compile(SCALE_ADD, cubins=False)
    again = ssdc.load(package.to_bytes())
    assert again.hash == package.hash and again.kernel_names == ["scale_add"]
    path = tmp_path / "scale_add.ssdcpkg"
    package.save(path)
    assert ssdc.load(path).hash == package.hash


def test_load_rejects_corrupt_bytes_and_missing_files(tmp_path):
    data = bytearray(ssdc.compile(SCALE_ADD, cubins=False).to_bytes())
    data[len(data) // 2] ^= 0xFF
    with pytest.raises(ValueError):
        ssdc.load(bytes(data))
    with pytest.raises((KeyError, ValueError)):
        ssdc.load(tmp_path / "missing.ssdcpkg")


def test_unknown_kernel_is_a_key_error():
    with pytest.raises(KeyError, match="no kernel 'nope'"):
        ssdc.compile(SCALE_ADD, cubins=False).kernel("nope")


def test_a_syntax_error_is_a_compile_error_with_its_location():
    source = "tile.kernel @broken(%x: !tile.buffer<f32, read>)\n    grid (1) {\n  %a = arith.addi\n}\n"
    with pytest.raises(ssdc.CompileError) as raised:
        ssdc.compile(source, cubins=False)
    first = raised.value.diagnostics[0]
    assert first["severity"] == "error"
    assert first["file"] == "<source>" and first["line"] >= 3 and first["column"] > 0
    assert "<source>:" in str(raised.value)


def test_a_verifier_error_names_the_line_of_the_op(tmp_path):
    # The grid uses an argument that is not an integer: the kernel's verifier.
    source = ("tile.kernel @bad(%x: !tile.buffer<f32, read>, %n: i64)\n"
              "    params [BLOCK in [16] = 16]\n"
              "    grid (cdiv(%x, BLOCK)) {\n"
              "}\n")
    path = tmp_path / "bad.mlir"
    path.write_text(source)
    with pytest.raises(ssdc.CompileError) as raised:
        ssdc.compile(str(path), cubins=False)
    errors = [d for d in raised.value.diagnostics if d["severity"] == "error"]
    assert errors and errors[0]["file"] == str(path) and errors[0]["line"] == 1
    assert str(path) in str(raised.value)


def test_an_unknown_chip_is_a_compile_error():
    with pytest.raises(ssdc.CompileError, match="sm_12"):
        ssdc.compile(SCALE_ADD, chip="sm_12", cubins=False)


def test_compile_takes_text_or_paths_only():
    with pytest.raises(TypeError):
        ssdc.compile(42)
    with pytest.raises(TypeError):
        ssdc.compile(SCALE_ADD, configs=[("BLOCK", 128)])
