"""The exception tree of Tightrope.

Code below the CLI raises these; one handler in :mod:`tightrope.cli.app` turns them into a
one-line message and an exit code. Anything else escaping is a bug and keeps its traceback:
a bare ``ValueError`` or ``AssertionError`` marks a broken internal invariant, never a user's
mistake. Messages name the input (file, line, field or parameter, the value found and what
was expected), not the command-line flag that carried it: the same code serves the web API.

    TightropeError
    ├── InputError            a user-supplied file or value is wrong (exit 2)
    │   ├── ParameterError    a parameter (count, threshold, choice) is outside its range
    │   └── UnknownCountryError
    ├── StoreError            the embedded store cannot be opened or is inconsistent (exit 3)
    ├── DataUnavailableError  an optional data set is not present (exit 4)
    └── MissingExtraError     an optional dependency (package extra) is not installed (exit 4)
"""

from __future__ import annotations

__all__ = [
    "DataUnavailableError",
    "InputError",
    "MissingExtraError",
    "ParameterError",
    "StoreError",
    "TightropeError",
    "UnknownCountryError",
]


class TightropeError(Exception):
    """Base class of every error Tightrope reports to a user."""

    exit_code: int = 1

    def one_line(self) -> str:
        """The message as a single line, fit for a terminal."""
        return " ".join(str(self).split())


class InputError(TightropeError):
    """A user-supplied file, field or value does not meet what is expected.

    The message names where (file, line or field), what was found and what was expected.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        where: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.source = source
        self.where = where
        self.expected = expected
        parts = []
        loc = ":".join(p for p in (source, where) if p)
        if loc:
            parts.append(f"{loc}:")
        parts.append(message)
        if expected:
            parts.append(f"(expected {expected})")
        super().__init__(" ".join(parts))


class ParameterError(InputError):
    """A parameter of a computation (a count, a threshold, a choice of rule) is out of range.

    ``ParameterError("runs", 0, "a whole number >= 1")`` reads
    ``runs is 0 (expected a whole number >= 1)``.
    """

    def __init__(self, name: str, value: object, expected: str) -> None:
        self.name = name
        self.value = value
        super().__init__(f"{name} is {value!r}", expected=expected)


class UnknownCountryError(InputError):
    """A country name or code matched nothing; carries close suggestions."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown country {query!r}{hint}",
            expected="a country name, ISO2 or ISO3 code such as 'Kazakhstan', 'kz' or 'KAZ'",
        )


class StoreError(TightropeError):
    """The embedded DuckDB store cannot be used as asked."""

    exit_code = 3


class DataUnavailableError(TightropeError):
    """An optional input data set (e.g. ../shared/data) is not present."""

    exit_code = 4


class MissingExtraError(TightropeError):
    """An optional dependency (a package extra) needed by the command is not installed."""

    exit_code = 4

    def __init__(self, extra: str, purpose: str, missing: list[str]) -> None:
        self.extra = extra
        self.missing = missing
        super().__init__(
            f"{purpose} needs the optional '{extra}' dependencies "
            f"({', '.join(missing)} not installed); install them with "
            f"pip install 'tightrope[{extra}]'"
        )
