"""Where a command may write what it was asked to: checked before any work is done or
stored, so a bad ``--out`` never costs a finished sweep or a half-written file."""

from __future__ import annotations

import os
from pathlib import Path

from cdt.errors import ConfigError


def writable_file(path: Path, suffixes: tuple[str, ...], flag: str = "--out") -> Path:
    """``path`` as a file to write, with one of ``suffixes``, in a folder that exists and
    can be written.

    Raises:
        ConfigError: the suffix, the folder or the permission is wrong.
    """
    if path.suffix.lower() not in suffixes:
        raise ConfigError(
            f"cannot write {path.name}: {flag} takes {', '.join(suffixes)}",
            fix=f"use e.g. {flag} {path.stem or 'result'}{suffixes[0]}",
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ConfigError(
            f"{flag} {path}: the folder {folder} does not exist",
            fix=f"create it first (mkdir -p {folder}) or choose another path",
        )
    if path.is_dir():
        raise ConfigError(f"{flag} {path} is a folder", fix="give a file name")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"{flag} {path} cannot be written", fix="choose a writable path")
    return path


def writable_folder(path: Path, flag: str = "--out") -> Path:
    """``path`` as a folder to write into (made if missing).

    Raises:
        ConfigError: it is a file, or its parent cannot be written.
    """
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{flag} {path} is a file, not a folder", fix="give a folder path")
    parent = path if path.exists() else path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        raise ConfigError(f"{flag} {path} cannot be written", fix="choose a writable folder")
    return path
