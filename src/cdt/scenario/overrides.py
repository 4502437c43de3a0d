"""Fields set by hand: ``--set field=value`` on any scenario, and scenario files.

A value is coerced to its field's type (numbers, true/false, comma-separated lists, ``none``
to clear) and checked like any scenario; an unknown field or an impossible value is an error
that names the field, and the scenario is left as it was.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from cdt.errors import ConfigError
from cdt.scenario.changes import parse_changes
from cdt.scenario.model import FIELDS, LIST_FIELDS, PRICE_FIELDS, Scenario, build
from cdt.scenario.rules import parse
from cdt.scenario.templates import TEMPLATES, from_template

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_BOOLS = ("price_temporary",)


def coerce(name: str, value: Any) -> Any:
    """``value`` (text from a command line or a form) as field ``name`` holds it.

    Raises:
        ConfigError: an unknown field, or a value of the wrong type.
    """
    if name not in FIELDS:
        raise ConfigError(
            f"--set {name}: no such scenario field", fix=f"the fields are {', '.join(FIELDS)}"
        )
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in ("none", "null", ""):
        return [] if name in LIST_FIELDS or name == "changes" else None
    if name == "changes":
        return parse_changes(text)
    if name in LIST_FIELDS:
        return [v.strip() for v in text.split(",") if v.strip()]
    if name in _BOOLS:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ConfigError(f"--set {name}={value}: expected true or false", fix="e.g. true")
    annotation = str(Scenario.model_fields[name].annotation)
    if "float" in annotation or "int" in annotation:
        try:
            number = float(text.replace("$", "").replace(",", "").removesuffix("%"))
        except ValueError:
            raise ConfigError(f"--set {name}={value}: not a number", fix="e.g. 5 or -2.5") from None
        if "int" in annotation:
            if number != int(number):
                raise ConfigError(f"--set {name}={value}: a whole number is needed", fix="e.g. 24")
            return int(number)
        return number
    return text


def apply(scenario: Scenario, values: dict[str, Any], *, where: str = "--set") -> Scenario:
    """``scenario`` with ``values`` set by hand (recorded in ``overrides``).

    Raises:
        ConfigError: an unknown field or an impossible value (names the field).
    """
    if not values:
        return scenario
    coerced = {name: coerce(name, value) for name, value in values.items()}
    merged = scenario.model_dump()
    if coerced.get("changes"):  # several changes replace the one flat change and its plans
        merged |= {f: None for f in PRICE_FIELDS} | {"plans": []}
    elif scenario.changes and set(coerced) & {*PRICE_FIELDS, "plans"}:
        if "changes" not in coerced:
            raise ConfigError(
                f"{where} {next(iter(set(coerced) & {*PRICE_FIELDS, 'plans'}))}: this scenario "
                "has several price changes",
                fix="set them all with changes='PLANS:SIZE; PLANS:SIZE', or changes=none first",
            )
        merged |= {"plans": []}
    merged |= coerced
    merged["overrides"] = {**scenario.overrides, **coerced}
    if "kind" in coerced and "warnings" in merged:
        merged["warnings"] = [w for w in merged["warnings"] if "read as" not in w]
    return build(merged, where=where)


def load_file(path: Path) -> Scenario:
    """A scenario from a .toml or .json file: its fields, and optionally ``text`` (parsed
    first, the other fields then set over it).

    Raises:
        ConfigError: a missing or unreadable file, an unknown field or an impossible value.
    """
    if not path.is_file():
        raise ConfigError(f"{path} does not exist", fix="pass a .toml or .json scenario file")
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            raise ConfigError(f"{path.name}: unknown format", fix="use a .toml or .json file")
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path.name} is not valid {path.suffix[1:]}: {exc}", fix="fix the file"
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} must hold a table of fields", fix='e.g. kind = "fee"')
    data = dict(data.get("scenario", data)) if isinstance(data.get("scenario"), dict) else data
    unknown = sorted(set(data) - set(FIELDS) - {"text"})
    if unknown:
        raise ConfigError(
            f"{path.name} has no field(s) {', '.join(unknown)}",
            fix=f"the fields are text, {', '.join(FIELDS)}",
        )
    text = data.pop("text", None)
    base = parse(text) if text else Scenario()
    if not text and "kind" not in data:
        raise ConfigError(f"{path.name} needs a text or a kind", fix='e.g. kind = "price_change"')
    scenario = apply(base, data, where=path.name)
    return build(scenario.model_dump() | {"source": "file"}, where=path.name)


def compose(
    text: str | None = None,
    *,
    template: str | None = None,
    values: dict[str, Any] | None = None,
    file: Path | None = None,
) -> Scenario:
    """A scenario from exactly one of free text, a template or a file, with ``values`` laid
    over it: a template's own parameters fill the template, any other name is a field.

    Raises:
        ConfigError: no source or more than one, an unknown field or template parameter, or
        an impossible value (names the field).
    """
    values = dict(values or {})
    sources = (("text", text), ("--template", template), ("--scenario-file", file))
    given = [name for name, value in sources if value]
    if len(given) > 1:
        raise ConfigError(
            f"give one scenario, not {' and '.join(given)}",
            fix="pass free text, --template NAME or --scenario-file FILE",
        )
    if file is not None:
        scenario = load_file(file)
    elif template:
        params = set(TEMPLATES[template].defaults) if template in TEMPLATES else set()
        scenario = from_template(template, {k: v for k, v in values.items() if k in params})
        values = {k: v for k, v in values.items() if k not in params}
    elif text is not None:
        scenario = parse(text)
    else:
        raise ConfigError(
            "no scenario given",
            fix='pass text, e.g. "price increase $5", --template NAME or --scenario-file FILE',
        )
    return apply(scenario, values)
