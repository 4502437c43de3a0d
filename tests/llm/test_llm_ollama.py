"""The Ollama provider against the HTTP protocol (pytest-httpx), not a live server."""

from __future__ import annotations

import json

import httpx
import pytest
from pytest_httpx import HTTPXMock

from cdt.errors import LLMError
from cdt.llm.base import Message, Request
from cdt.llm.client import LLMClient
from cdt.llm.ollama import OllamaLLM

HOST = "http://ollama.test:11434"
SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
REQUEST = Request(
    messages=(Message(role="system", content="be brief"), Message(role="user", content="hello")),
    json_schema=SCHEMA,
    temperature=0.3,
    max_tokens=64,
    seed=9,
)


def chat_reply(content: str) -> dict[str, object]:
    return {
        "model": "llama3.1",
        "created_at": "2024-12-01T00:00:00Z",
        "message": {"role": "assistant", "content": content},
        "done": True,
        "prompt_eval_count": 21,
        "eval_count": 7,
        "total_duration": 1,
    }


def test_request_body_carries_schema_and_options(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{HOST}/api/chat", method="POST", json=chat_reply('{"ok": true}'))
    completion = OllamaLLM("llama3.1", host=HOST, num_ctx=2048).complete(REQUEST)
    body = json.loads(httpx_mock.get_request().content)  # type: ignore[union-attr]
    assert body["model"] == "llama3.1"
    assert body["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hello"},
    ]
    assert body["format"] == SCHEMA
    assert body["options"] == {"temperature": 0.3, "seed": 9, "num_ctx": 2048, "num_predict": 64}
    assert body["stream"] is False
    assert completion.text == '{"ok": true}'
    assert (completion.prompt_tokens, completion.completion_tokens) == (21, 7)
    assert completion.provider == "ollama" and completion.model_id == "llama3.1"


def test_missing_model_says_how_to_pull_it(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url=f"{HOST}/api/chat", status_code=404, json={"error": "model 'llama3.1' not found"}
    )
    with pytest.raises(LLMError, match=r"does not have the model llama3\.1") as info:
        OllamaLLM(host=HOST).complete(REQUEST)
    assert "ollama pull llama3.1" in str(info.value)
    assert not info.value.retryable


def test_server_error_is_retried_then_succeeds(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{HOST}/api/chat", status_code=500, json={"error": "oom"})
    httpx_mock.add_response(url=f"{HOST}/api/chat", json=chat_reply('{"ok": false}'))
    client = LLMClient(OllamaLLM(host=HOST), sleep=lambda _: None)
    completion = client.text(list(REQUEST.messages))
    assert completion.text == '{"ok": false}'
    assert len(httpx_mock.get_requests()) == 2


def test_persistent_server_error_is_reported(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url=f"{HOST}/api/chat", status_code=500, json={"error": "oom"}, is_reusable=True
    )
    with pytest.raises(LLMError, match="Ollama answered 500: oom"):
        LLMClient(OllamaLLM(host=HOST), sleep=lambda _: None).text(list(REQUEST.messages))


def test_no_answer_in_time_is_one_wait_not_four(httpx_mock: HTTPXMock) -> None:
    # a server that accepted the request and said nothing will not answer a retry either
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=f"{HOST}/api/chat")
    with pytest.raises(
        LLMError, match=r"accepted the request but gave no answer within 0\.1 s"
    ) as info:
        LLMClient(OllamaLLM(host=HOST, timeout=0.1), sleep=lambda _: None).text(
            list(REQUEST.messages)
        )
    assert info.value.status == "timeout" and not info.value.retryable
    assert HOST in info.value.message and "CDT_LLM_TIMEOUT" in str(info.value)
    assert len(httpx_mock.get_requests()) == 1


def test_no_connection_in_time_is_retried(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ConnectTimeout("no route"), url=f"{HOST}/api/chat")
    with pytest.raises(LLMError, match="cannot reach Ollama") as info:
        OllamaLLM(host=HOST, timeout=5).complete(REQUEST)
    assert info.value.retryable


def test_unreachable_server_says_how_to_fix(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=f"{HOST}/api/chat")
    with pytest.raises(LLMError, match="cannot reach Ollama") as info:
        OllamaLLM(host=HOST).complete(REQUEST)
    assert "ollama serve" in str(info.value)


def test_auto_picks_ollama_only_when_it_has_the_model(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdt.config import load_settings
    from cdt.llm import resolve_llm_provider

    monkeypatch.setenv("OLLAMA_HOST", HOST)
    httpx_mock.add_response(url=f"{HOST}/api/tags", json={"models": [{"name": "llama3.1:latest"}]})
    assert resolve_llm_provider(load_settings())[0] == "ollama"
    httpx_mock.add_response(url=f"{HOST}/api/tags", json={"models": [{"name": "phi3:latest"}]})
    provider, why = resolve_llm_provider(load_settings())
    assert provider == "llamacpp" and "lacks llama3.1" in why
