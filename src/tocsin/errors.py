"""Exceptions whose message names the input and says what to do.

Every error that reaches a user is one line: ``<input>: <what is wrong>; <what to do>``.
The CLI prints ``str(exc)`` and never a traceback.
"""

from __future__ import annotations


class TocsinError(Exception):
    """Base class: the message is meant for the user, as is."""


class InputError(TocsinError):
    """One input (file, URL, feed item) cannot be used; the others go on."""

    def __init__(self, source: str, problem: str, advice: str = "") -> None:
        self.source = source
        self.problem = problem
        self.advice = advice
        text = f"{source}: {problem}"
        if advice:
            text += f"; {advice}"
        super().__init__(text)


class FetchError(InputError):
    """A URL could not be fetched within the safety limits."""


class ConfigError(TocsinError):
    """A setting or a config file is wrong."""


class StoreError(TocsinError):
    """The database cannot be opened or migrated."""


class AuthError(TocsinError):
    """A user, a password or a token is refused (the message says which and why)."""
