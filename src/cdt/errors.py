"""One error tree. Every message says what went wrong and how to fix it."""

from __future__ import annotations


class CdtError(Exception):
    """Base of every error cdt raises on purpose.

    The CLI prints ``str(error)`` as one red line and exits with ``exit_code``.
    """

    exit_code = 1

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(f"{message} — {fix}" if fix else message)


class ConfigError(CdtError):
    """A setting is missing, unknown or invalid."""

    exit_code = 2


class BackendError(CdtError):
    """The database could not be reached or refused a statement."""


class BusyError(BackendError):
    """Another writer holds the database (a build, or a simulation in the same process):
    nothing is wrong with the twin; retry when it finishes."""


class AccessError(BackendError):
    """The connection may not make this change: the app's connection to a local twin refuses
    writes outside its own schemas (see cdt.backends.guard)."""


class NotBuiltError(CdtError):
    """A stage needs tables that an earlier stage has not written yet."""


class StaleError(CdtError):
    """The twin's derived tables no longer match the data they were built from."""


class DataError(CdtError):
    """Input data is malformed or breaks an invariant."""


class LLMError(CdtError):
    """An LLM or embedding provider failed or returned unusable output."""

    def __init__(
        self,
        message: str,
        *,
        fix: str | None = None,
        retryable: bool = False,
        status: str = "error",
    ) -> None:
        super().__init__(message, fix=fix)
        self.retryable = retryable
        self.status = status  # error, timeout, invalid_output
