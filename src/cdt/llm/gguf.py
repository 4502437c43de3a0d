"""The few facts cdt reads from a GGUF file's header: its chat template and the text of its
begin and end tokens, which the template is rendered with.

Read by hand from the header's key-value section (the format:
https://github.com/ggml-org/llama.cpp/blob/master/docs/gguf.md). The ``gguf`` package reads the
same, but it maps every tensor first (2.5 s for the bundled model); this stops at the keys.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cdt.errors import LLMError

#: Scalar value types by GGUF type id: struct format and size.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}  # fmt: skip
_STRING, _ARRAY = 8, 9
_WANTED = ("tokenizer.chat_template", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id")


@dataclass(frozen=True)
class ChatFacts:
    """A model's chat template (None when it has none) and its begin/end token texts."""

    template: str | None
    bos: str
    eos: str


def chat_facts(path: Path) -> ChatFacts:
    """Read the chat template and the begin/end tokens' text from ``path``'s header.

    Raises:
        LLMError: the file is not a GGUF model, or its header is cut short.
    """
    try:
        with path.open("rb") as f:
            if f.read(4) != b"GGUF":
                raise LLMError(f"{path} is not a GGUF model", fix="check CDT_GGUF_PATH")
            version = _read(f, "<I")
            if version < 2:
                raise LLMError(f"{path} is GGUF version {version}; cdt reads 2 and later")
            _read(f, "<Q")  # tensors
            count = _read(f, "<Q")
            found: dict[str, Any] = {}
            tokens: list[str] = []
            for _ in range(count):
                key = _string(f)
                kind = _read(f, "<I")
                if key == "tokenizer.ggml.tokens" and kind == _ARRAY:
                    tokens = _strings(f)
                elif key in _WANTED:
                    found[key] = _value(f, kind)
                else:
                    _skip(f, kind)
    except (OSError, struct.error, UnicodeDecodeError) as exc:
        raise LLMError(f"could not read {path}'s header: {exc}", fix="check the file") from exc

    def text(key: str) -> str:
        index = found.get(key)
        return tokens[index] if isinstance(index, int) and 0 <= index < len(tokens) else ""

    template = found.get("tokenizer.chat_template")
    return ChatFacts(
        template if isinstance(template, str) and template else None,
        text("tokenizer.ggml.bos_token_id"),
        text("tokenizer.ggml.eos_token_id"),
    )


def _read(f: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = f.read(size)
    if len(data) != size:
        raise struct.error("the header ends early")
    return struct.unpack(fmt, data)[0]


def _string(f: BinaryIO) -> str:
    length = _read(f, "<Q")
    data = f.read(length)
    if len(data) != length:
        raise struct.error("the header ends early")
    return data.decode("utf-8")


def _value(f: BinaryIO, kind: int) -> Any:
    if kind == _STRING:
        return _string(f)
    if kind in _SCALARS:
        return _read(f, _SCALARS[kind])
    _skip(f, kind)
    return None


def _strings(f: BinaryIO) -> list[str]:
    """An array, read as strings (empty when it holds another type, which is skipped)."""
    kind, count = _read(f, "<I"), _read(f, "<Q")
    if kind != _STRING:
        _skip_items(f, kind, count)
        return []
    return [f.read(_read(f, "<Q")).decode("utf-8", "replace") for _ in range(count)]


def _skip(f: BinaryIO, kind: int) -> None:
    if kind == _ARRAY:
        _skip_items(f, _read(f, "<I"), _read(f, "<Q"))
    else:
        _skip_items(f, kind, 1)


def _skip_items(f: BinaryIO, kind: int, count: int) -> None:
    if kind in _SCALARS:
        f.seek(struct.calcsize(_SCALARS[kind]) * count, 1)
    elif kind == _STRING:
        for _ in range(count):
            f.seek(_read(f, "<Q"), 1)
    elif kind == _ARRAY:
        for _ in range(count):
            _skip(f, _ARRAY)
    else:
        raise struct.error(f"unknown value type {kind}")
