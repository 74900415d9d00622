"""Sprig's random functions: randAlphaNum randAlpha randAscii randNumeric randBytes randInt uuidv4 shuffle.

The rand* string functions follow goutils' CryptoRandom: crypto-grade randomness, characters
drawn uniformly from ' '..'z' and kept only when they are letters / digits (so the alphabets
are exactly A-Z a-z and 0-9), randAscii from the 95 printable ASCII characters; a negative
count gives "". randInt and shuffle use Go's math/rand, which is not crypto-grade either.
"""

from __future__ import annotations

import base64
import random as _random
import secrets
from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gotypes import FuncError, gofunc

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
_ASCII = "".join(chr(c) for c in range(32, 127))


def _draw(count: int, alphabet: str) -> str:
    if count <= 0:
        return ""
    return "".join(secrets.choice(alphabet) for _ in range(count))


@gofunc("int")
def rand_alpha_num(count: int) -> str:
    """`count` random letters and digits."""
    return _draw(count, _LETTERS + _DIGITS)


@gofunc("int")
def rand_alpha(count: int) -> str:
    """`count` random ASCII letters."""
    return _draw(count, _LETTERS)


@gofunc("int")
def rand_ascii(count: int) -> str:
    """`count` random printable ASCII characters (space to '~')."""
    return _draw(count, _ASCII)


@gofunc("int")
def rand_numeric(count: int) -> str:
    """`count` random decimal digits."""
    return _draw(count, _DIGITS)


@gofunc("int")
def rand_bytes(count: int) -> str:
    """base64 of `count` random bytes."""
    if count < 0:
        raise FuncError("runtime error: makeslice: len out of range")
    return base64.b64encode(secrets.token_bytes(count)).decode("ascii")


@gofunc("int", "int")
def rand_int(low: int, high: int) -> int:
    """A random int in [low, high)."""
    if high - low <= 0:
        raise FuncError("invalid argument to Intn")
    return _random.randrange(low, high)


@gofunc()
def uuidv4() -> str:
    """A random (version 4) UUID in its lower-case hyphenated form."""
    import uuid  # uuid pulls in platform: loaded only when a template asks for one

    return str(uuid.uuid4())


@gofunc("string")
def shuffle(text: str) -> str:
    """The characters (runes) of `text` in random order."""
    runes = list(text)
    _random.shuffle(runes)
    return "".join(runes)


FUNCS: dict[str, Callable[..., Any]] = {
    "randAlphaNum": rand_alpha_num,
    "randAlpha": rand_alpha,
    "randAscii": rand_ascii,
    "randNumeric": rand_numeric,
    "randBytes": rand_bytes,
    "randInt": rand_int,
    "uuidv4": uuidv4,
    "shuffle": shuffle,
}
