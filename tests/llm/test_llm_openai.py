"""The OpenAI-compatible provider: the protocol's edge cases against recorded replies
(structured output and its fallbacks, a refused key, a missing model, garbage), and a whole
simulation against a real llama.cpp server started here on 127.0.0.1 with the bundled model."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from pytest_httpx import HTTPXMock

from cdt import api
from cdt.config import Settings, load_settings
from cdt.errors import LLMError
from cdt.llm import locate
from cdt.llm.base import Message, Request
from cdt.llm.openai import OpenAICompatLLM

BASE = "http://127.0.0.1:9/v1"
SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
ASK = Request(messages=(Message(role="user", content="ok?"),), json_schema=SCHEMA)


def reply(text: str) -> dict[str, object]:
    return {
        "choices": [{"message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 7, "completion_tokens": 3},
    }


def test_structured_output_asks_for_the_schema(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{BASE}/chat/completions", json=reply('{"ok": true}'))
    done = OpenAICompatLLM("m", base_url=BASE, api_key="k").complete(ASK)
    sent = httpx_mock.get_request()
    assert sent is not None and sent.headers["authorization"] == "Bearer k"
    body = json.loads(sent.content)
    assert body["model"] == "m" and body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    assert done.text == '{"ok": true}' and done.prompt_tokens == 7 and done.provider == "openai"


def test_a_server_without_json_schema_gets_json_object_then_the_prompt(
    httpx_mock: HTTPXMock,
) -> None:
    refusal = {"error": {"message": "response_format type json_schema is not supported"}}
    httpx_mock.add_response(url=f"{BASE}/chat/completions", status_code=400, json=refusal)
    httpx_mock.add_response(url=f"{BASE}/chat/completions", status_code=400,
                            json={"error": {"message": "unknown response_format"}})  # fmt: skip
    httpx_mock.add_response(url=f"{BASE}/chat/completions", json=reply('{"ok": false}'))
    httpx_mock.add_response(url=f"{BASE}/chat/completions", json=reply('{"ok": true}'))
    llm = OpenAICompatLLM("m", base_url=BASE)
    assert llm.complete(ASK).text == '{"ok": false}'
    first, second, third = (json.loads(r.content) for r in httpx_mock.get_requests())
    assert first["response_format"]["type"] == "json_schema"
    assert second["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert "response_format" not in third and "JSON schema" in third["messages"][0]["content"]
    assert llm.complete(ASK).text == '{"ok": true}'  # the level that worked is kept
    assert "response_format" not in json.loads(httpx_mock.get_requests()[-1].content)


@pytest.mark.parametrize(
    ("status", "body", "says", "fix"),
    [
        (401, {"error": {"message": "bad key"}}, "refused the key", "OPENAI_API_KEY"),
        (404, {"error": {"message": "model not found"}}, "has no model m", "CDT_OPENAI_MODEL"),
        (503, {"error": {"message": "loading"}}, "answered 503", None),
    ],
)
def test_refusals_are_one_line_with_the_fix(
    httpx_mock: HTTPXMock, status: int, body: dict[str, object], says: str, fix: str | None
) -> None:
    httpx_mock.add_response(url=f"{BASE}/chat/completions", status_code=status, json=body)
    with pytest.raises(LLMError, match=says) as raised:
        OpenAICompatLLM("m", base_url=BASE).complete(ASK)
    assert raised.value.retryable is (status >= 500)
    if fix:
        assert fix in str(raised.value.fix)


def test_garbage_is_invalid_output(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{BASE}/chat/completions", text="<html>proxy error</html>")
    with pytest.raises(LLMError, match="not JSON") as raised:
        OpenAICompatLLM("m", base_url=BASE).complete(ASK)
    assert raised.value.status == "invalid_output"
    httpx_mock.add_response(url=f"{BASE}/chat/completions", json={"id": "x"})
    with pytest.raises(LLMError, match="not a chat completion"):
        OpenAICompatLLM("m", base_url=BASE).complete(ASK)


def test_an_unreachable_server_is_one_line() -> None:
    with pytest.raises(LLMError, match=re.escape("cannot reach http://127.0.0.1:9/v1")) as raised:
        OpenAICompatLLM("m", base_url=BASE, timeout=2).complete(ASK)
    assert "OPENAI_BASE_URL" in str(raised.value.fix)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    """llama.cpp's own HTTP server (xllamacpp's, listening on 127.0.0.1) with the bundled
    model, named "smol"."""
    import xllamacpp

    model = locate.bundled_gguf()
    assert model is not None
    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.model_alias = {"smol"}
    params.n_ctx = 4096
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 1
    params.verbosity = -1
    params.hostnames = ["127.0.0.1"]
    params.port = _free_port()
    server = xllamacpp.Server(params)
    base = f"{server.listening_address}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/models", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        pytest.fail("the llama.cpp server did not start within 120 s")
    yield base
    del server


def test_a_simulation_against_a_real_llama_server(
    llama_server: str, persona_twin: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CDT_LLM_PROVIDER", "openai")
    monkeypatch.setenv("CDT_OPENAI_BASE_URL", llama_server)
    monkeypatch.setenv("CDT_OPENAI_MODEL", "smol")
    monkeypatch.setenv("CDT_VOICES_WRITER", "llm")
    monkeypatch.setenv("CDT_SCENARIO_PARSER", "rules")  # the small model reads badly; it writes
    settings = load_settings()
    (check,) = [c for c in api.doctor(settings).checks if c.component == "llm"]
    assert check.status == "ok" and "smol" in check.detail
    result = api.simulate(settings, api.parse_scenario("price increase $5"), segments=["SEG01"])
    (row,) = [r for r in result.segments if r["segment_id"] == "SEG01"]
    assert row["expected_churners"] >= 0 and result.overall["numbers_complete"]
    assert row["words"] == "written" and row["words_by"] == "llm", row.get("error")
    assert row["voices"] and row["llm"]["tokens"] > 0  # the server's own tokens
    monkeypatch.setenv("CDT_OPENAI_MODEL", "no-such-model")
    (missing,) = [c for c in api.doctor(load_settings()).checks if c.component == "llm"]
    assert missing.status == "fail" and "no model no-such-model" in missing.detail
    assert "smol" in missing.detail  # it says what the server has
