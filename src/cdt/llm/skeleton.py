"""Structured output by filling a JSON skeleton: the keys and punctuation are written into the
prompt, and the model samples only the values.

Grammar-constrained sampling in llama.cpp checks every candidate token against the grammar at
every step (about 40% slower here than free sampling, measured with SmolLM2), and the model
also has to sample every key, quote and brace. Here each string value is sampled freely up to
its closing quote; enums, numbers and booleans are sampled freely too and checked, and only an
invalid answer is sampled again under a tiny grammar of its own;
keys, quotes and braces are appended as prompt text, which llama.cpp evaluates in one batch
and keeps in its KV cache (each call reuses the longest common prefix of the previous one).

Schemas of objects (nested through ``$ref``) whose leaves are strings, enums, numbers,
integers or booleans are supported; anything else (arrays, unions) returns None from
:func:`plan`, and the caller falls back to a whole-schema grammar.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Leaf kinds.
STRING, NUMBER, INTEGER, BOOLEAN, ENUM = "string", "number", "integer", "boolean", "enum"
NUMBER_GBNF = r'root ::= "-"? [0-9] [0-9]? [0-9]? ("." [0-9] [0-9]?)?'
INTEGER_GBNF = r'root ::= "-"? [0-9] [0-9]? [0-9]? [0-9]?'
BOOLEAN_GBNF = r'root ::= "true" | "false"'
# Tokens allowed per character of a string's maxLength: English runs 4-5 characters per token,
# and text past maxLength would be cut anyway.
TOKENS_PER_CHAR = 0.2


@dataclass(frozen=True)
class Leaf:
    """One value to sample: its JSON path, kind, and limits."""

    path: tuple[str, ...]
    kind: str
    max_length: int | None = None
    choices: tuple[str, ...] = ()

    def grammar(self) -> str | None:
        """The GBNF that bounds this leaf, or None for a free string."""
        if self.kind == ENUM:
            return "root ::= " + " | ".join(json.dumps(c) for c in self.choices)
        return {NUMBER: NUMBER_GBNF, INTEGER: INTEGER_GBNF, BOOLEAN: BOOLEAN_GBNF}.get(self.kind)

    def budget(self, default: int) -> int:
        """Tokens to allow for this leaf."""
        if self.kind == STRING:
            return int(self.max_length * TOKENS_PER_CHAR) + 4 if self.max_length else default
        if self.kind == ENUM:
            return 12
        return 8


def plan(schema: dict[str, Any]) -> list[Leaf] | None:
    """The leaves of ``schema`` in order, or None when it is not a skeleton-fillable object."""
    definitions = schema.get("$defs", {})
    leaves: list[Leaf] = []

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return resolve(definitions.get(ref.removeprefix("#/$defs/"), {}))
        return node

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> bool:
        node = resolve(node)
        if "enum" in node:
            choices = node["enum"]
            if not choices or not all(isinstance(c, str) for c in choices):
                return False
            leaves.append(Leaf(path, ENUM, choices=tuple(choices)))
            return True
        kind = node.get("type")
        if kind == "object":
            properties = node.get("properties")
            if not properties or set(node.get("required", [])) != set(properties):
                return False
            return all(walk(child, (*path, name)) for name, child in properties.items())
        if kind == STRING:
            leaves.append(Leaf(path, STRING, max_length=node.get("maxLength")))
            return True
        if kind in (NUMBER, INTEGER, BOOLEAN):
            leaves.append(Leaf(path, kind))
            return True
        return False

    if resolve(schema).get("type") != "object" or not walk(schema, ()):
        return None
    return leaves


# sample(prompt, max_tokens, stop, grammar, step) -> (text, tokens sampled)
Sampler = Callable[[str, int, list[str], str | None, int], tuple[str, int]]


def fill(
    prompt: str, leaves: list[Leaf], sample: Sampler, default_budget: int = 64
) -> tuple[str, int]:
    """Sample each leaf after ``prompt`` plus the skeleton written so far; return the JSON text
    and the number of tokens sampled. String values end at their closing quote (or newline),
    are cut to their maxLength, and are JSON-escaped; the validator downstream still checks
    every value."""
    values: dict[str, Any] = {}
    written = ""
    open_path: tuple[str, ...] = ()
    sampled = 0
    for step, leaf in enumerate(leaves):
        # Close objects we leave, open those we enter, then write the key.
        common = 0
        while common < min(len(open_path), len(leaf.path) - 1) and (
            open_path[common] == leaf.path[common]
        ):
            common += 1
        written += "}" * (len(open_path) - common)
        if step == 0:
            written += "{"
        elif written and not written.endswith("{"):
            written += ", "
        for name in leaf.path[common:-1]:
            written += json.dumps(name) + ": {"
        open_path = leaf.path[:-1]
        written += json.dumps(leaf.path[-1]) + ": "
        if leaf.kind == STRING:
            written += '"'
            text, tokens = sample(
                prompt + written, leaf.budget(default_budget), ['"', "\n"], None, step
            )
            value: Any = text.strip()
            if leaf.max_length:
                value = value[: leaf.max_length].rstrip()
            written += text.replace('"', "'") + '"'
        else:
            # Numbers and booleans are sampled freely first (a grammar costs ~0.1 s more per
            # call here even for 4 tokens), and again under the grammar only when invalid.
            # Enums go straight to the grammar: freely, a small model tends to write prose.
            budget = leaf.budget(default_budget)
            value, tokens = None, 0
            if leaf.kind != ENUM:
                text, tokens = sample(prompt + written, budget, [",", "}", "\n", " "], None, step)
                value = _free(leaf, text.strip())
            if value is None:
                text, more = sample(prompt + written, budget, [], leaf.grammar(), step)
                tokens += more
                text = text.strip()
                written += text
                value = _scalar(leaf, text)
            else:
                written += text.strip()
        sampled += tokens
        target = values
        for name in leaf.path[:-1]:
            target = target.setdefault(name, {})
        target[leaf.path[-1]] = value
    return json.dumps(values), sampled


_NUMBER = re.compile(r"-?\d{1,6}(\.\d{1,6})?")


def _free(leaf: Leaf, text: str) -> Any:
    """The value of freely sampled text when it is valid for ``leaf``, else None."""
    if leaf.kind == BOOLEAN:
        return {"true": True, "false": False}.get(text)
    if not _NUMBER.fullmatch(text) or (leaf.kind == INTEGER and "." in text):
        return None
    return int(text) if leaf.kind == INTEGER else float(text)


def _scalar(leaf: Leaf, text: str) -> Any:
    """A grammar-sampled leaf's value; text the grammar should have ruled out is passed
    through as a string so that validation reports it."""
    if leaf.kind == ENUM:
        try:
            return json.loads(text)
        except ValueError:
            return text
    value = _free(leaf, text)
    return text if value is None else value
