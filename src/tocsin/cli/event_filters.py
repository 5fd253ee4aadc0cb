"""The options that select events, shared by ``tocsin events list|compare`` and ``tocsin
export``, and :func:`event_filter`, which turns their values into the store's
``EventFilter`` (a bad value is an ``InputError`` naming the option).

:func:`selects_events` gives a command the options every one of them has (--country,
--admin1, --since, --until, --type, --actor) in place of its ``selection`` parameter."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypedDict

import typer

from tocsin.cli.common import choice
from tocsin.errors import InputError
from tocsin.geo.countries import country_code
from tocsin.models import EVENT_STATUSES, EVENT_TYPES, LAYER_TOCSIN, LAYERS, EventFilter

_TYPES = {name.casefold(): name for name in EVENT_TYPES} | {
    sub.casefold(): sub for subs in EVENT_TYPES.values() for sub in subs
}

CountryOpt = Annotated[
    str | None, typer.Option("--country", help="ISO code (ML) or name in English or French.")
]
Admin1Opt = Annotated[str | None, typer.Option("--admin1", help="First-level region (Gao).")]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="From this day on: YYYY-MM-DD, YYYY-MM or YYYY.")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="Up to this day: YYYY-MM-DD, YYYY-MM or YYYY.")
]
TypeOpt = Annotated[
    str | None, typer.Option("--type", help="ACLED event type or sub-type (Battles, Attack).")
]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Actor id (jnim) or part of an actor's name.")
]
StatusOpt = Annotated[
    str | None, typer.Option("--status", help="reported, corroborated or confirmed.")
]
LayerOpt = Annotated[
    str, typer.Option("--layer", help="tocsin (own events) or acled (imported reference).")
]


class EventSelection(TypedDict):
    """The values of the options :func:`selects_events` adds, by parameter name of
    :func:`event_filter`."""

    country: str | None
    admin1: str | None
    since: str | None
    until: str | None
    event_type: str | None
    actor: str | None


def _selection_options(
    country: CountryOpt = None,
    admin1: Admin1Opt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    event_type: TypeOpt = None,
    actor: ActorOpt = None,
) -> None:
    """The options every command that selects events has (their declaration only)."""


_SELECTION = tuple(inspect.signature(_selection_options, eval_str=True).parameters.values())


def selects_events(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` with the options of :class:`EventSelection` where its ``selection``
    parameter stands (Typer reads the new signature); it is called with their values as
    ``selection``, for ``event_filter(**selection, ...)``."""
    own = inspect.signature(command, eval_str=True)
    params: list[inspect.Parameter] = []
    for param in own.parameters.values():
        if param.name == "selection":
            params.extend(option.replace(kind=param.kind) for option in _SELECTION)
        else:
            params.append(param)
    names = [param.name for param in _SELECTION]

    @functools.wraps(command)
    def run(**values: Any) -> None:
        command(selection={name: values.pop(name) for name in names}, **values)

    run.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
    run.__annotations__ = {}  # Typer takes the types from the signature
    return run


def _day(value: str, option: str, *, last: bool = False) -> date:
    """A day, or the first (``last``: the last) day of a month or a year."""
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return date(int(text), 12, 31) if last else date(int(text), 1, 1)
        if len(text) == 7 and text[4] == "-":
            first = date.fromisoformat(text + "-01")
            if not last:
                return first
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option} {value}",
            "not a date",
            "write it as YYYY-MM-DD (2025-09-14), YYYY-MM or YYYY",
        ) from None


def event_filter(
    *,
    country: str | None = None,
    admin1: str | None = None,
    since: str | None = None,
    until: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    status: str | None = None,
    layer: str = LAYER_TOCSIN,
    limit: int | None = None,
) -> EventFilter:
    """The filter the options describe; a bad option is an ``InputError`` naming it."""
    kind = None
    if event_type is not None:
        kind = _TYPES.get(" ".join(event_type.split()).casefold())
        if kind is None:
            raise InputError(
                f"--type {event_type}",
                "not an ACLED event type or sub-type",
                f"use a type ({', '.join(EVENT_TYPES)}) or a sub-type such as Armed clash",
            )
    if limit is not None and limit < 1:
        raise InputError(f"--limit {limit}", "must be 1 or more", "give how many events to show")
    first = _day(since, "--since") if since else None
    last = _day(until, "--until", last=True) if until else None
    if first and last and first > last:
        raise InputError(f"--since {since}", f"is after --until {until}", "swap the two dates")
    flt = EventFilter(
        country=country,
        admin1=admin1,
        since=first,
        until=last,
        event_type=kind,
        actor=actor,
        status=choice(status, "--status", EVENT_STATUSES),
        layer=choice(layer, "--layer", LAYERS) or LAYER_TOCSIN,
        limit=limit,
    )
    if country is not None:
        try:
            country_code(country)  # the store takes names too: say here which option is wrong
        except InputError as exc:
            raise InputError(f"--country {country}", exc.problem, exc.advice) from None
    return flt
