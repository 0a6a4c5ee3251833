"""The actors of one's own GeoDataFrames (:func:`~speerpunt_map.map_from_frames`): each value
of the actor column as a check-box key, a name and a colour, and the legend groups."""

from __future__ import annotations

from ._page_data import Group
from ._types import Language
from .interactive import GROUP_LABELS
from .resources import Resources
from .style import Labels, style_for
from .vocab import Actor

__all__ = ["FrameActors"]


class FrameActors:
    """The actors of the frames, in order of appearance, and the legend groups."""

    def __init__(self, resources: Resources, language: Language, t: Labels) -> None:
        self.resources, self.language, self.t = resources, language, t
        self.keys: dict[str, tuple[str, str]] = {}  # value → (key, name)
        self.known: list[Actor] = []  # vocabulary actors, in order of appearance
        self.unknown: list[str] = []  # keys of the others
        self._groups: dict[tuple[str, str], int] = {}
        self._names: list[str] = []

    def key(self, value: str) -> tuple[str, str]:
        """The check-box key and the name of an actor value."""
        if value not in self.keys:
            found = self.resources.vocabulary.actor(value) if value else None
            if not value:
                self.keys[value] = ("other", self.t("other_sources"))
            elif found is not None:
                if found not in self.known:
                    self.known.append(found)
                self.keys[value] = (found.id, found.name(self.language))
            else:
                key = f"actor-{len(self.unknown) + 1}"
                self.unknown.append(key)
                self.keys[value] = (key, value)
        return self.keys[value]

    def group(self, key: str, name: str, kind: str) -> int:
        """The index of the legend group of an actor's features of one kind."""
        if (key, kind) not in self._groups:
            self._groups[key, kind] = len(self._groups)
            label = self.t(GROUP_LABELS[kind])
            self._names.append(f"{name} – {label}" if name else label)
        return self._groups[key, kind]

    def colours(self) -> dict[str, str]:
        """Each actor key's colour: the vocabulary's actors as in a Flanders overview, the
        others the palette's colours those do not use, in order of appearance."""
        palette = self.resources.palette
        known = style_for(tuple(self.known), overview=True, palette=palette).actor_colours
        free = [c for c in palette["actors"].values() if c not in known.values()]
        free = free or list(palette["actors"].values())
        first = next(iter(palette["actors"].values()))
        return {**known, **{k: free[i % len(free)] for i, k in enumerate(self.unknown)},
                "other": palette["base"]["other"], "": first}

    def painted(self) -> list[Group]:
        """The legend groups, in their actors' colours."""
        colours = self.colours()
        return [Group(key, kind, name, colours[key])
                for ((key, kind), _), name in zip(self._groups.items(), self._names,
                                                  strict=True)]

    def entries(self) -> list[dict[str, str]]:
        """The legend's actor check boxes."""
        colours, names = self.colours(), dict(self.keys.values())
        return [{"key": key, "name": names[key], "colour": colours[key]}
                for key in dict.fromkeys(k for k, _ in self.keys.values())]

