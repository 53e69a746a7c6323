"""write_new_file: atomic, no-clobber output with an exact mode and no temp files left behind."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest

from mcred import _files
from mcred._files import write_new_file
from mcred.errors import OutputExistsError, UsageError


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def mode_of(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_the_bytes_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out.json"
    write_new_file(target, b'{"a": 1}\n')
    assert target.read_bytes() == b'{"a": 1}\n'
    assert names(tmp_path) == ["out.json"]
    assert target.stat().st_nlink == 1  # the temporary hard link is gone


def test_refused_overwrite_keeps_the_file_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(b"original")
    with pytest.raises(OutputExistsError) as info:
        write_new_file(target, b"replacement")
    assert info.value.code == "OUTPUT_EXISTS"
    assert info.value.exit_code == 2
    assert "already exists" in info.value.message
    assert "--force" in info.value.hint
    assert info.value.file == str(target)
    assert target.read_bytes() == b"original"
    assert names(tmp_path) == ["out.json"]


def test_target_appearing_during_the_write_is_not_clobbered(tmp_path, monkeypatch):
    """The race the hard link guards against: the file appears after the exists() check."""
    target = tmp_path / "out.json"
    real_mkstemp = tempfile.mkstemp

    def mkstemp_then_someone_writes_target(*args, **kwargs):
        result = real_mkstemp(*args, **kwargs)
        target.write_bytes(b"written by someone else")
        return result

    monkeypatch.setattr(_files.tempfile, "mkstemp", mkstemp_then_someone_writes_target)
    with pytest.raises(OutputExistsError) as info:
        write_new_file(target, b"ours")
    assert info.value.code == "OUTPUT_EXISTS"
    assert "already exists" in info.value.message
    assert target.read_bytes() == b"written by someone else"
    assert names(tmp_path) == ["out.json"]


def test_failure_while_writing_leaves_neither_target_nor_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_files.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        write_new_file(target, b"data")
    assert names(tmp_path) == []


def test_force_replaces_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(b"original")
    write_new_file(target, b"replacement", force=True)
    assert target.read_bytes() == b"replacement"
    assert names(tmp_path) == ["out.json"]


def test_force_creates_a_missing_file(tmp_path):
    target = tmp_path / "out.json"
    write_new_file(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert names(tmp_path) == ["out.json"]


def test_missing_output_folder_is_a_usage_error(tmp_path):
    target = tmp_path / "no-such-folder" / "out.json"
    with pytest.raises(UsageError) as info:
        write_new_file(target, b"data")
    assert type(info.value) is UsageError
    assert info.value.code == "USAGE"
    assert info.value.exit_code == 2
    assert "the output folder does not exist" in info.value.message
    assert info.value.file == str(tmp_path / "no-such-folder")
    assert names(tmp_path) == []


def test_relative_path_in_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_new_file(_files.Path("out.json"), b"here")
    assert (tmp_path / "out.json").read_bytes() == b"here"
    assert names(tmp_path) == ["out.json"]


@pytest.mark.parametrize(
    "mode, umask",
    [(0o644, 0o022), (0o600, 0o000), (0o640, 0o077), (0o644, 0o077), (0o400, 0o000)],
)
def test_mode_is_exactly_the_requested_one_whatever_the_umask(tmp_path, mode, umask):
    target = tmp_path / "out.bin"
    old = os.umask(umask)
    try:
        write_new_file(target, b"data", mode=mode)
    finally:
        os.umask(old)
    assert mode_of(target) == mode


def test_default_mode_is_0644(tmp_path):
    target = tmp_path / "out.json"
    old = os.umask(0o077)
    try:
        write_new_file(target, b"data")
    finally:
        os.umask(old)
    assert mode_of(target) == 0o644


def test_force_applies_the_new_mode_to_a_replaced_file(tmp_path):
    target = tmp_path / "key.pem"
    target.write_bytes(b"old")
    target.chmod(0o666)
    write_new_file(target, b"new", mode=0o600, force=True)
    assert mode_of(target) == 0o600
    assert target.read_bytes() == b"new"
