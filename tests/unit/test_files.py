"""_files: bounded reads of regular files only, and atomic, no-clobber output with an exact mode."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest

from mcred import _files
from mcred._files import write_new_file
from mcred.errors import InputError, OutputExistsError, UsageError


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


# --- inputs: regular files only, never blocking -----------------------------------------------


def returns_without_blocking(call):
    """Run ``call`` in a thread and give back what it raised; a call still running after a minute blocked
    (a guard against hanging the suite, not a measure of speed)."""
    import threading

    outcome: dict = {}

    def target():
        try:
            outcome["value"] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the call blocked"
    return outcome


def test_a_fifo_is_refused_before_it_is_read(tmp_path):
    fifo = tmp_path / "credential.json"
    os.mkfifo(fifo)
    outcome = returns_without_blocking(lambda: _files.read_input(fifo))
    error = outcome["error"]
    assert isinstance(error, InputError)
    assert (error.code, error.exit_code, error.file) == ("FILE_NOT_REGULAR", 3, str(fifo))
    assert "a named pipe (FIFO), not a regular file" in error.message
    assert error.params["kind_it"] == "una pipe con nome (FIFO)"


@pytest.mark.parametrize("path, kind", [("folder", "a folder"), ("/dev/null", "a device")])
def test_a_folder_or_a_device_is_refused(tmp_path, path, kind):
    target = tmp_path if path == "folder" else _files.Path(path)
    with pytest.raises(InputError) as info:
        _files.read_input(target, what="the credential")
    assert (info.value.code, info.value.exit_code) == ("FILE_NOT_REGULAR", 3)
    assert info.value.message == f"the credential is {kind}, not a regular file"


def test_a_regular_file_is_read(tmp_path):
    path = tmp_path / "in.json"
    path.write_bytes(b'{"a": 1}')
    assert _files.read_json(path) == {"a": 1}


def test_a_number_python_cannot_convert_is_json_too_complex_naming_the_file(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"n": ' + "9" * 5000 + "}", encoding="utf-8")
    with pytest.raises(InputError) as info:
        _files.read_json(path)
    assert (info.value.code, info.value.exit_code, info.value.file) == ("JSON_TOO_COMPLEX", 3, str(path))
    assert f"more than {_files.max_number_digits()} digits" in info.value.message


def test_a_number_python_can_convert_is_read(tmp_path):
    path = tmp_path / "long.json"
    path.write_text('{"n": ' + "9" * 4000 + "}", encoding="utf-8")
    assert _files.read_json(path)["n"] == int("9" * 4000)


# --- outputs: a folder is no file, a file is no folder -----------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_as_output_file_is_refused_even_with_force(tmp_path, force):
    folder = tmp_path / "out"
    (folder / "inside").mkdir(parents=True)
    with pytest.raises(UsageError) as info:
        write_new_file(folder, b"data", force=force)
    assert (info.value.code, info.value.exit_code, info.value.file) == ("OUTPUT_IS_FOLDER", 2, str(folder))
    assert "is a folder; give a file name" in info.value.message
    assert names(folder) == ["inside"]
    assert names(tmp_path) == ["out"]


def test_a_fifo_as_output_file_is_refused(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    with pytest.raises(UsageError) as info:
        _files.check_output_file(fifo, force=True)
    assert (info.value.code, info.value.exit_code) == ("OUTPUT_NOT_FILE", 2)
    assert "a named pipe (FIFO), not a regular file" in info.value.message


def test_standard_output_passes_the_output_check():
    _files.check_output_file("-", force=False)


@pytest.mark.parametrize("below", ["", "sub/deeper"])
def test_a_file_as_output_folder_is_refused(tmp_path, below):
    file = tmp_path / "out"
    file.write_bytes(b"a file")
    with pytest.raises(UsageError) as info:
        _files.check_output_folder(file / below if below else file)
    assert (info.value.code, info.value.exit_code, info.value.file) == ("OUTPUT_NOT_FOLDER", 2, str(file))
    assert "is a file, not a folder" in info.value.message


def test_a_missing_or_existing_output_folder_passes(tmp_path):
    _files.check_output_folder(tmp_path / "new" / "folder")
    _files.check_output_folder(tmp_path)


# --- mcred's own manifest ------------------------------------------------------------------------


def test_the_issue_manifest_is_recognised_by_its_content_whatever_its_name(tmp_path):
    manifest = tmp_path / "batch-2026.json"
    manifest.write_text('{\n  "format": "mcred-manifest/1",\n  "rows": []\n}\n', encoding="utf-8")
    assert _files.is_mcred_manifest(manifest)


@pytest.mark.parametrize("content", [
    '{"@context": ["https://www.w3.org/ns/credentials/v2"], "format": "mcred-manifest/1"}',  # not first
    '{"format": "mcred-report/1"}',
    '["mcred-manifest/1"]',
    "",
])
def test_another_file_called_manifest_json_is_not_a_manifest(tmp_path, content):
    path = tmp_path / "manifest.json"
    path.write_text(content, encoding="utf-8")
    assert not _files.is_mcred_manifest(path)


def test_a_folder_or_a_missing_file_is_not_a_manifest(tmp_path):
    assert not _files.is_mcred_manifest(tmp_path)
    assert not _files.is_mcred_manifest(tmp_path / "missing.json")
