"""The rule parser against the evaluation corpus (tests/data/scenario_corpus.jsonl): at least
150 phrasings, each with its expected fields. Accuracy is field-exact over every field that
is expected or read, so a field read where none was meant counts as an error too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cdt.errors import ConfigError
from cdt.scenario import FIELDS, Scenario, parse
from cdt.scenario.model import TARGETING
from tests.paths import DATA

CORPUS = DATA / "scenario_corpus.jsonl"
TARGET = 0.97
IGNORED = ("proxy",)


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def compare(case: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, expected, got) for every field that is expected or read; empty when the case
    is an expected error that was raised."""
    if "error" in case:
        try:
            parse(case["text"])
        except ConfigError as exc:
            return [] if case["error"] in exc.message else [("error", case["error"], exc.message)]
        return [("error", case["error"], "no error")]
    try:
        got = parse(case["text"])
    except ConfigError as exc:  # a text the parser refuses: every expected field is missed
        return [(name, value, f"error: {exc.message}") for name, value in case["expect"].items()]
    blank = Scenario()
    expected = {**{k: getattr(blank, k) for k in FIELDS}, **case["expect"]}
    rows = []
    for name in FIELDS:
        if name in IGNORED:
            continue
        value = getattr(got, name)
        value = value.value if hasattr(value, "value") else value
        if name == "changes":
            value = [c.model_dump(exclude_none=True) for c in value]
            expected[name] = [{k: v for k, v in c.items() if v is not None}
                              for c in expected[name]]  # fmt: skip
        if value != getattr(blank, name) or name in case["expect"]:
            rows.append((name, expected[name], value))
    return rows


def score(cases: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    right = total = 0
    misses = []
    for case in cases:
        rows = compare(case)
        if "error" in case:
            total += 1
            right += not rows
            misses += [f"{case['text']!r}: {r}" for r in rows]
            continue
        for name, want, got in rows:
            total += 1
            if want == got:
                right += 1
            else:
                misses.append(f"{case['text']!r}: {name} expected {want!r}, got {got!r}")
    return right, total, misses


def test_the_corpus_is_big_and_covers_every_kind() -> None:
    cases = load()
    assert len(cases) >= 150
    kinds = {c["expect"]["kind"] for c in cases if "expect" in c}
    assert kinds == {k.value for k in Scenario.model_fields["kind"].annotation}  # type: ignore[union-attr]
    targeted = {k for c in cases for k in c.get("expect", {}) if k in TARGETING}
    assert targeted == set(TARGETING)
    assert any("error" in c for c in cases)


def test_field_exact_accuracy_meets_the_target() -> None:
    right, total, misses = score(load())
    accuracy = right / total
    assert accuracy >= TARGET, f"{accuracy:.1%} field-exact; misses:\n" + "\n".join(misses)


@pytest.mark.parametrize(
    "case", [c for c in load() if "expect" in c][:40], ids=lambda c: c["text"][:40]
)
def test_the_kind_is_read(case: dict[str, Any]) -> None:
    assert parse(case["text"]).kind.value == case["expect"]["kind"]
