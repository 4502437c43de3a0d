"""The personas stage: one persona version per segment, written from data or by the LLM
through the gate, with the segment's historical reactions and their embeddings (the
package's face is ``cdt.personas``)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from cdt.backends.base import Backend
from cdt.errors import NotBuiltError
from cdt.llm.base import Message
from cdt.llm.client import LLMClient
from cdt.llm.embed import Embedder
from cdt.personas import composites, history, identity
from cdt.personas.models import PersonaText
from cdt.personas.refresh import snapshot
from cdt.progress import NullProgress, Progress
from cdt.rows import decode_rows, insert_rows
from cdt.scenario.kinds import is_instruction
from cdt.segment.statistics import read_statistics
from cdt.sqlfiles import read_sql
from cdt.state import derive, last_details, last_fingerprint, record_stage
from cdt.voices import persona as vetting
from cdt.voices.form import Context, age_range
from cdt.voices.meaning import MeaningGate
from cdt.voices.prompts import as_data

SYSTEM = (
    "You are an expert in telecom customer behavior and market research for Snowmobile "
    "Wireless, a US-based mobile carrier. Create a realistic persona for a customer segment. "
    "The persona should feel like a real American customer, not a stereotype."
)


@dataclass
class PersonasResult:
    """What `cdt personas generate` wrote."""

    personas: list[dict[str, object]] = field(default_factory=list)
    historical_reactions: int = 0
    embeddings: int = 0
    seconds: float = 0.0
    refreshed: bool = False  # a refresh rewrote only the segments that moved

    def to_dict(self) -> dict[str, object]:
        return {
            "personas": self.personas,
            "historical_reactions": self.historical_reactions,
            "embeddings": self.embeddings,
            "seconds": round(self.seconds, 2),
            "refreshed": self.refreshed,
        }


def generate_personas(
    backend: Backend,
    client: LLMClient | None,
    embedder: Embedder,
    *,
    segments: list[str] | None = None,
    seed: int = 42,
    progress: Progress | None = None,
    fingerprint: str | None = None,
    record: dict[str, Any] | None = None,
    writer: str | None = None,
) -> PersonasResult:
    """Write a new persona version for each (or each named) segment, and rebuild the
    historical reactions and their embeddings. All rows commit together; a run over every
    segment also records ``fingerprint`` (what `cdt build` compares to decide whether
    personas are up to date) in the same transaction, with each written segment's
    statistics (what a refresh compares to); a run over some segments records when given
    the ``record`` to update (the previous details).

    Raises:
        NotBuiltError: no segments yet.
        ConfigError: an unknown segment id.
        LLMError: the LLM failed for a segment (nothing is written).
    """
    progress = progress or NullProgress()
    started = time.perf_counter()
    stats = read_statistics(backend)
    if not stats:
        raise NotBuiltError(
            "there are no segments to write personas for",
            fix="run `cdt build` (or `cdt segment`) first",
        )
    chosen = composites.choose_segments(stats, segments)
    verbatims = [  # a verbatim that gives a model instructions is never quoted or prompted
        v for v in backend.query(read_sql("persona_verbatims", backend.dialect)).to_pylist()
        if not is_instruction(str(v["customer_verbatim"] or ""))
    ]  # fmt: skip
    gate = MeaningGate(embedder)
    extras = composites.segment_extras(backend)
    versions = {
        row["segment_id"]: int(row["v"] or 0)
        for row in backend.query(read_sql("persona_versions", backend.dialect)).to_pylist()
    }
    who = identity.identities(backend, [str(r["segment_id"]) for r in chosen], seed=seed)
    progress.start("personas", total=len(chosen) + 1)
    definitions, profiles, summaries = [], [], []
    for row in chosen:
        segment_id = str(row["segment_id"])
        quotes = [v for v in verbatims if v["segment_id"] == segment_id]
        data = composites.from_statistics(row, extras.get(segment_id, {}))
        person = who[segment_id]
        data["typical"]["typical_location"] = (
            f"{person.location} · {data['typical']['typical_location']}"
        )[:100]
        replacements = vetting.fallbacks(person, data, quotes)
        if client is None:  # the words are written from data (``cdt.voices.writer``)
            vetted = vetting.from_data(replacements)
        else:
            messages = _prompt(row, data, quotes, person)
            answer = client.structured(
                messages, PersonaText, kind="persona", temperature=0.7, max_tokens=900, seed=seed
            )
            context = Context(
                segment_name=str(row["segment_name"]),
                sources=tuple(m.content for m in messages),
                extra_terms=("SEGMENT STATISTICS", "INSTRUCTIONS", "VERBATIMS"),
                field_names=(*vetting.PROSE, *vetting.QUOTES),
                age=age_range(person.age),
            )
            vetted = vetting.vet(client, messages, answer, context, replacements, gate, seed=seed)
        text = vetted.text
        persona_id = str(uuid.uuid4())
        version = versions.get(segment_id, 0) + 1
        definitions.append(
            {
                "persona_id": persona_id,
                "segment_id": segment_id,
                "segment_name": row["segment_name"],
                "persona_name": person.persona_name,
                **data["typical"],
                **data["behaviour"],
                "background_story": text.background_story,
                "personality_description": text.personality_description,
                "communication_style": text.communication_style,
                "decision_making_style": text.decision_making_style,
                "emotional_triggers": text.emotional_triggers,
                "sample_quotes": text.sample_quotes.model_dump(),
                "created_by": f"cdt {client.llm.provider}/{client.llm.model_id}"
                if client
                else "cdt (words from data)",
                "version": version,
            }
        )
        profiles += composites.profile_rows(
            persona_id, segment_id, version, data, text, person, vetted.sources
        )
        summaries.append(
            {
                "persona_id": persona_id,
                "segment_id": segment_id,
                "persona_name": person.persona_name,
                "version": version,
                "tagline": text.tagline,
                "text_sources": vetted.sources,
            }
        )
        progress.advance("personas")
    reactions = history.build_reactions(backend)
    vectors = embedder.embed([r["reaction_summary"] for r in reactions])
    progress.advance("personas")
    with backend.work("load"), backend.transaction():
        insert_rows(backend, "PERSONAS.PERSONA_DEFINITIONS", definitions)
        insert_rows(backend, "PERSONAS.PERSONA_PROFILES", profiles)
        backend.execute(read_sql("historical_reactions_forget", backend.dialect))
        insert_rows(backend, "PERSONAS.HISTORICAL_REACTIONS", reactions)
        embedded = history.store_embeddings(backend, reactions, vectors, embedder)
        if not segments or record is not None:
            recorded = dict(record or {})
            written = {str(d["segment_id"]) for d in definitions}
            recorded["stats"] = {
                **recorded.get("stats", {}),
                **{k: v for k, v in snapshot(stats).items() if k in written},
            }
            recorded["personas"] = len(definitions)
            recorded["segmentation_run_id"] = last_details(backend, "segment").get("run_id")
            recorded["writer"] = writer
            record_stage(backend, "personas", fingerprint, recorded)
    progress.finish("personas")
    return PersonasResult(
        summaries,
        len(reactions),
        embedded,
        time.perf_counter() - started,
        refreshed=bool(segments) and record is not None,
    )


def fingerprint(backend: Backend, settings_llm: dict[str, object], seed: int) -> str | None:
    """What the personas would be written from: the segmentation, the persona prompt, the
    LLM configured for personas (``settings_llm``: provider and model names) and the seed."""
    run = last_details(backend, "segment").get("run_id")
    return derive(last_fingerprint(backend, "segment") if run is None else run, SYSTEM,
                  settings_llm, seed)  # fmt: skip


def _prompt(
    stats: dict[str, Any],
    data: dict[str, Any],
    quotes: list[dict[str, Any]],
    person: identity.Identity,
) -> list[Message]:
    facts = composites.describe(stats, data)
    lines = "\n---\n".join(as_data(str(q["customer_verbatim"])) for q in quotes[:8])
    typical = data["typical"]
    user = (
        f"### SEGMENT STATISTICS ###\n{facts}\n\n"
        f"### SAMPLE CUSTOMER VERBATIMS ###\n{lines}\n\n"
        "### INSTRUCTIONS ###\n"
        f"The persona is {person.name}, {person.age}, from {person.location}, on the "
        f"{stats.get('top_plan') or 'a'} plan paying ${typical['typical_arpu']} a month. "
        "Write the words of this persona as a JSON object with: tagline, background_story, "
        "personality_description, communication_style, decision_making_style, "
        "emotional_triggers, and sample_quotes (satisfied, frustrated, considering_change: "
        "each what this person would say, in the first person). Keep every field short."
    )
    return [Message(role="system", content=SYSTEM), Message(role="user", content=user)]


def latest_personas(backend: Backend) -> list[dict[str, Any]]:
    """The newest persona of each segment, joined to its statistics, largest segment first."""
    rows = decode_rows(
        backend,
        backend.query(read_sql("latest_personas", backend.dialect)).to_pylist(),
        "PERSONAS.PERSONA_DEFINITIONS",
        "ANALYTICS.SEGMENT_STATISTICS",
    )
    sources: dict[str, dict[str, str]] = {}
    for item in backend.query(read_sql("persona_text_sources", backend.dialect)).to_pylist():
        sources.setdefault(str(item["persona_id"]), {})[str(item["attribute_name"])] = str(
            item["source"]
        )
    for row in rows:
        row["text_sources"] = sources.get(str(row["persona_id"]), {})
    return rows
