"""A base for small record classes on the start-up path, instead of `dataclasses`.

Importing `dataclasses` (with inspect, ast, dis, tokenize) and generating each class's methods
costs milliseconds in every process; the command-line records are written out by hand over this
base, which gives them a dataclass's equality and repr from their ``__slots__``.
"""

from __future__ import annotations

from typing import Any


class SlotRecord:
    """Equality and repr over ``__slots__``, in order (unhashable, as an eq dataclass)."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__qualname__}({fields})"

    def _fields(self) -> dict[str, Any]:
        return {n: getattr(self, n) for n in self.__slots__}
