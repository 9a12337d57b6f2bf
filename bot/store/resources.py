"""Community resources to offer for the barriers a family named."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.store.models import CommunityResource


@dataclass(frozen=True)
class ResourceView:
    """One resource as the bot shows it: a single line in the family's language."""

    name: str
    text: str
    phone: str | None
    url: str | None
    barrier_codes: tuple[str, ...]


def _text(texts: dict[str, str], language: str) -> str | None:
    """The family's language, else English, else whatever the directory has."""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), None)


def resources_for(
    *,
    session: Session,
    barriers: list[str],
    language: str,
    school_id: int | None = None,
    limit: int = 2,
) -> list[ResourceView]:
    """Active resources (the school's and district-wide) that best match the barriers."""
    wanted = set(barriers)
    if not wanted or limit <= 0:
        return []
    scope = CommunityResource.school_id.is_(None)
    if school_id is not None:
        scope = or_(scope, CommunityResource.school_id == school_id)
    # The directory is small: filter the JSON code lists here, portably across backends.
    rows = session.execute(
        select(CommunityResource).where(CommunityResource.active.is_(True), scope)
    ).scalars()
    scored: list[tuple[int, str, ResourceView]] = []
    for resource in rows:
        matches = len(wanted.intersection(resource.barrier_codes or []))
        text = _text(resource.texts or {}, language)
        if matches and text:
            view = ResourceView(
                name=resource.name,
                text=text,
                phone=resource.phone,
                url=resource.url,
                barrier_codes=tuple(resource.barrier_codes),
            )
            scored.append((-matches, resource.name, view))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [view for _, _, view in scored[:limit]]
