"""Sprig's random functions: alphabets, lengths and shapes (the values themselves are random)."""

from __future__ import annotations

import base64
import re
import string
import uuid
from collections import Counter

import pytest

from pilothouse.funcs import random as rnd
from pilothouse.gotemplate.gotypes import FuncError


@pytest.mark.parametrize(
    ("func", "alphabet"),
    [
        (rnd.rand_alpha_num, string.ascii_letters + string.digits),
        (rnd.rand_alpha, string.ascii_letters),
        (rnd.rand_numeric, string.digits),
        (rnd.rand_ascii, "".join(chr(c) for c in range(32, 127))),
    ],
)
def test_rand_strings(func, alphabet: str) -> None:  # type: ignore[no-untyped-def]
    # goutils CryptoRandom: ' '..'z' filtered by IsLetter/IsDigit; randAscii takes 32..126.
    text = "".join(func(500) for _ in range(8))
    assert len(text) == 4000 and set(text) <= set(alphabet)
    # 4000 draws from at most 95 characters: every character shows up.
    assert set(text) == set(alphabet)
    assert max(Counter(text).values()) < 4000 / len(alphabet) * 2.5
    assert func(0) == "" and func(-1) == ""  # Helm: {{ randAlpha -1 }} is empty


def test_rand_bytes() -> None:
    assert len(base64.b64decode(rnd.rand_bytes(24), validate=True)) == 24
    assert rnd.rand_bytes(0) == ""
    with pytest.raises(FuncError, match=r"^runtime error: makeslice: len out of range$"):  # Helm
        rnd.rand_bytes(-1)


def test_rand_int() -> None:
    seen = {rnd.rand_int(-2, 3) for _ in range(500)}
    assert seen == {-2, -1, 0, 1, 2}
    assert type(rnd.rand_int(0, 1)) is int and rnd.rand_int(7, 8) == 7
    for low, high in ((5, 5), (5, 4)):
        with pytest.raises(FuncError, match=r"^invalid argument to Intn$"):  # Helm: randInt 5 5
            rnd.rand_int(low, high)


def test_uuidv4() -> None:
    ids = {rnd.uuidv4() for _ in range(50)}
    assert len(ids) == 50
    for u in ids:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u)
        assert uuid.UUID(u).version == 4


def test_shuffle() -> None:
    # Runes, not bytes: Helm: {{ shuffle "héllo wörld" | len }} is 13 (bytes of the same runes).
    text = "héllo wörld"
    outs = {rnd.shuffle(text) for _ in range(50)}
    assert all(sorted(o) == sorted(text) for o in outs) and len(outs) > 1
    assert rnd.shuffle("") == ""


def test_funcs_table() -> None:
    assert set(rnd.FUNCS) == {"randAlphaNum", "randAlpha", "randAscii", "randNumeric", "randBytes", "randInt",
                              "uuidv4", "shuffle"}  # fmt: skip
    assert rnd.FUNCS["randInt"].__go_params__ == ("int", "int")
    assert rnd.FUNCS["uuidv4"].__go_params__ == ()
