"""The LLM contract: one abstract method, ``complete``.

Structured output is requested by JSON schema on every provider (llama.cpp grammar, Ollama
``format=``, Cortex ``response_format``). Validation, retries, caching and logging live in
``cdt.llm.client`` and work the same for every provider.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["system", "user", "assistant"]


class Message(BaseModel):
    """One chat message."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    content: str


class Request(BaseModel):
    """Everything that determines a completion; its hash is the cache key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    messages: tuple[Message, ...]
    json_schema: dict[str, Any] | None = Field(default=None)
    temperature: float = Field(default=0.2, ge=0.0, le=2.0)
    max_tokens: int = Field(default=512, ge=1, le=32_768)
    seed: int = 42

    def key(self, provider: str, model_id: str) -> str:
        """A stable hash of the request for this provider and model."""
        payload = {"provider": provider, "model": model_id, **self.model_dump(mode="json")}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def prompt_hash(self) -> str:
        text = json.dumps([m.model_dump() for m in self.messages], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Completion:
    """What a provider returned."""

    text: str
    provider: str
    model_id: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    estimated_credits: float = 0.0
    cached: bool = False
    parsed: Any = None  # the validated object, set by the client

    def tokens_per_second(self) -> float:
        return self.completion_tokens / (self.latency_ms / 1000) if self.latency_ms else 0.0


class LLM(ABC):
    """A chat model behind one method."""

    provider: ClassVar[str]
    #: Whether several calls may run at once (servers: yes; one in-process model: no).
    parallel: ClassVar[bool] = False

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    @abstractmethod
    def complete(self, request: Request) -> Completion:
        """Run one completion.

        Raises:
            LLMError: the provider failed; ``retryable`` says whether trying again may help.
        """
