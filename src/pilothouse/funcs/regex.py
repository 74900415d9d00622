"""Sprig's regular-expression functions with Go `regexp` semantics.

Matching uses RE2 (the `re2` module), the engine Go's regexp was modelled on, and runs on
the UTF-8 bytes so offsets are Go's. What Python's wrappers do differently from Go is
re-done here in Go's way: the iteration over successive matches (an empty match right
after a previous match is skipped), replacement-template expansion (`$1`, `${1}`,
`$name`, where `$1x` names the group "1x"), `Split`, and the wording of syntax errors.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pilothouse.funcs.gounicode import from_bytes, is_letter, to_bytes
from pilothouse.gotemplate.gotypes import FuncError, StrList, gofunc

# RE2 (C++) error texts → Go regexp/syntax error codes.
_GO_CODES = {
    "missing )": "missing closing )",
    "unexpected )": "unexpected )",
    "missing ]": "missing closing ]",
    "bad repetition operator": "invalid nested repetition operator",
    "no argument for repetition operator": "missing argument to repetition operator",
    "invalid escape sequence": "invalid escape sequence",
    "invalid repetition size": "invalid repeat count",
    "invalid character class range": "invalid character class range",
    "invalid character class": "invalid character class",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "trailing \\": "trailing backslash at end of expression",
    "invalid named capture group": "invalid named capture",
    "invalid UTF-8": "invalid UTF-8",
    "pattern too large - compile failed": "expression too large",
}


class RegexpError(Exception):
    """A pattern Go's regexp.Compile rejects; str() is Go's error text."""


def _go_error(pattern: str, message: str) -> str:
    code, sep, arg = message.partition(": ")
    if not sep:
        code, arg = message, pattern
    if code == "trailing \\":
        arg = ""
    return f"error parsing regexp: {_GO_CODES.get(code, code)}: `{arg}`"


class GoRegexp:
    """A compiled pattern that answers with Go regexp's results (byte offsets, Go's iteration)."""

    def __init__(self, pattern: str) -> None:
        import re2

        opts = re2.Options()
        opts.log_errors = False
        try:
            self._re = re2.compile(to_bytes(pattern), opts)
        except re2.error as e:
            msg = e.args[0] if e.args else str(e)
            if isinstance(msg, bytes):
                msg = msg.decode("utf-8", "replace")
            raise RegexpError(_go_error(pattern, str(msg))) from None
        self.ngroups: int = self._re.groups
        names = {}
        for name, idx in self._re.groupindex.items():
            key = name.decode() if isinstance(name, bytes) else name
            names.setdefault(key, idx)
        self.names = names

    def _match_at(self, b: bytes, pos: int) -> list[int] | None:
        m = self._re.search(b, pos)
        if m is None:
            return None
        out = []
        for g in range(self.ngroups + 1):
            s, e = m.span(g)
            out += [s, e]
        return out

    def find_index(self, s: str) -> tuple[int, int] | None:
        """regexp.FindStringIndex, as offsets into ``s``'s characters (Go's are UTF-8 byte offsets)."""
        b = to_bytes(s)
        m = self._match_at(b, 0)
        if m is None:
            return None
        return len(from_bytes(b[:m[0]])), len(from_bytes(b[:m[1]]))

    def all_matches(self, b: bytes, n: int) -> list[list[int]]:
        """regexp's allMatches: up to n (all when n < 0) successive non-overlapping matches."""
        if n < 0:
            n = len(b) + 1
        end = len(b)
        res: list[list[int]] = []
        pos, prev_end = 0, -1
        while len(res) < n and pos <= end:
            m = self._match_at(b, pos)
            if m is None:
                break
            accept = True
            if m[1] == pos:
                # An empty match right after the previous match does not count.
                if m[0] == prev_end:
                    accept = False
                pos += _rune_width(b, pos) if pos < end else 1
            else:
                pos = m[1]
            prev_end = m[1]
            if accept:
                res.append(m)
        return res

    def expand(self, template: bytes, src: bytes, m: list[int]) -> bytes:
        """regexp.Expand: `$$`, `$1`, `${1}`, `$name`, `${name}`."""
        out = bytearray()
        t = template
        while t:
            i = t.find(b"$")
            if i < 0:
                break
            out += t[:i]
            t = t[i + 1:]
            if t[:1] == b"$":
                out += b"$"
                t = t[1:]
                continue
            parsed = _extract(t)
            if parsed is None:
                out += b"$"
                continue
            name, num, t = parsed
            if num >= 0:
                if 2 * num + 1 < len(m) and m[2 * num] >= 0:
                    out += src[m[2 * num]:m[2 * num + 1]]
            else:
                idx = self.names.get(name)
                if idx is not None and m[2 * idx] >= 0:
                    out += src[m[2 * idx]:m[2 * idx + 1]]
        out += t
        return bytes(out)

    def replace_all(self, src: bytes, repl: Callable[[bytearray, list[int]], None]) -> bytes:
        """regexp's replaceAll loop."""
        last_end = 0
        search = 0
        end = len(src)
        buf = bytearray()
        while search <= end:
            a = self._match_at(src, search)
            if a is None:
                break
            buf += src[last_end:a[0]]
            # No replacement for an empty match directly after the previous match.
            if a[1] > last_end or a[0] == 0:
                repl(buf, a)
            last_end = a[1]
            width = _rune_width(src, search) if search < end else 0
            if search + width > a[1]:
                search += width
            elif search + 1 > a[1]:
                search += 1
            else:
                search = a[1]
        buf += src[last_end:]
        return bytes(buf)

    def split(self, b: bytes, n: int) -> list[bytes]:
        """regexp.Split."""
        if n == 0:
            return []
        if self._re.pattern and not b:
            return [b""]
        parts: list[bytes] = []
        beg = end = 0
        for m in self.all_matches(b, n):
            if n > 0 and len(parts) == n - 1:
                break
            end = m[0]
            if m[1] != 0:
                parts.append(b[beg:end])
            beg = m[1]
        if end != len(b):
            parts.append(b[beg:])
        return parts


def _rune_width(b: bytes, i: int) -> int:
    """utf8.DecodeRune's width at b[i] (1 for an invalid sequence)."""
    c = b[i]
    if c < 0xC2 or c > 0xF4:
        return 1
    w = 2 if c < 0xE0 else 3 if c < 0xF0 else 4
    try:
        b[i:i + w].decode("utf-8")
    except UnicodeDecodeError:
        return 1
    return w


def _extract(t: bytes) -> tuple[str, int, bytes] | None:
    """regexp's extract: the group name after a '$' (letters, digits, '_'), maybe in braces."""
    if not t:
        return None
    brace = t[:1] == b"{"
    s = from_bytes(t[1:] if brace else t)
    i = 0
    while i < len(s) and (is_letter(s[i]) or _is_digit(s[i]) or s[i] == "_"):
        i += 1
    if i == 0:
        return None
    name = s[:i]
    if brace:
        if i >= len(s) or s[i] != "}":
            return None
        i += 1
    num = 0
    for c in name:
        if not "0" <= c <= "9" or num >= 100_000_000:
            num = -1
            break
        num = num * 10 + ord(c) - 48
    if name[0] == "0" and len(name) > 1:
        num = -1
    return name, num, to_bytes(s[i:])


def _is_digit(c: str) -> bool:
    import unicodedata

    return unicodedata.category(c) == "Nd"


@lru_cache(maxsize=512)
def compile_go(pattern: str) -> GoRegexp:
    """regexp.Compile (cached); raises RegexpError."""
    return GoRegexp(pattern)


def _can_backquote(s: str) -> bool:
    return all(c == "\t" or (" " <= c and c not in "`\x7f" and c != "\ufeff") for c in s)


def must_compile(pattern: str) -> GoRegexp:
    """regexp.MustCompile: a compile error is a panic with Go's text."""
    try:
        return compile_go(pattern)
    except RegexpError as e:
        if _can_backquote(pattern):
            shown = "`" + pattern + "`"
        else:
            from pilothouse.gotemplate.gofmt import quote

            shown = quote(pattern)
        raise FuncError(f"regexp: Compile({shown}): {e}") from None


def _compile_or_error(pattern: str) -> GoRegexp:
    try:
        return compile_go(pattern)
    except RegexpError as e:
        raise FuncError(str(e)) from None


def _find_all(r: GoRegexp, s: str, n: int) -> StrList:
    b = to_bytes(s)
    return StrList(from_bytes(b[m[0]:m[1]]) for m in r.all_matches(b, n))


def _find(r: GoRegexp, s: str) -> str:
    b = to_bytes(s)
    m = r.all_matches(b, 1)
    return from_bytes(b[m[0][0]:m[0][1]]) if m else ""


def _replace(r: GoRegexp, s: str, repl: str) -> str:
    src = to_bytes(s)
    tb = to_bytes(repl)
    if b"$" in tb:
        return from_bytes(r.replace_all(src, lambda buf, m: buf.extend(r.expand(tb, src, m))))
    return from_bytes(r.replace_all(src, lambda buf, m: buf.extend(tb)))


def _replace_literal(r: GoRegexp, s: str, repl: str) -> str:
    tb = to_bytes(repl)
    return from_bytes(r.replace_all(to_bytes(s), lambda buf, m: buf.extend(tb)))


def _split(r: GoRegexp, s: str, n: int) -> StrList:
    return StrList(from_bytes(p) for p in r.split(to_bytes(s), n))


@gofunc("string", "string")
def regex_match(regex: str, s: str) -> bool:
    """regexMatch: false also for an invalid pattern."""
    try:
        r = compile_go(regex)
    except RegexpError:
        return False
    return bool(r.all_matches(to_bytes(s), 1))


@gofunc("string", "string")
def must_regex_match(regex: str, s: str) -> bool:
    """mustRegexMatch."""
    return bool(_compile_or_error(regex).all_matches(to_bytes(s), 1))


def _sprig_pair(op: Callable[..., Any], *params: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """Sprig's `regexX` (a bad pattern panics) and `mustRegexX` (it is returned as an error),
    both applying `op` to the compiled pattern and the remaining arguments."""

    @gofunc("string", *params)
    def plain(regex: str, *args: Any) -> Any:
        return op(must_compile(regex), *args)

    @gofunc("string", *params)
    def must(regex: str, *args: Any) -> Any:
        return op(_compile_or_error(regex), *args)

    return plain, must


# regexFindAll/regexSplit: up to n results (n < 0: all); regexFind: the first match or "";
# regexReplaceAll expands `$` references, regexReplaceAllLiteral inserts the text as is.
regex_find_all, must_regex_find_all = _sprig_pair(_find_all, "string", "int")
regex_find, must_regex_find = _sprig_pair(_find, "string")
regex_replace_all, must_regex_replace_all = _sprig_pair(_replace, "string", "string")
regex_replace_all_literal, must_regex_replace_all_literal = _sprig_pair(_replace_literal, "string", "string")
regex_split, must_regex_split = _sprig_pair(_split, "string", "int")


_META = frozenset("\\.+*?()|[]{}^$")


@gofunc("string")
def regex_quote_meta(s: str) -> str:
    """regexp.QuoteMeta."""
    return "".join("\\" + c if c in _META else c for c in s)


FUNCS: dict[str, Callable[..., Any]] = {
    "regexMatch": regex_match,
    "mustRegexMatch": must_regex_match,
    "regexFindAll": regex_find_all,
    "mustRegexFindAll": must_regex_find_all,
    "regexFind": regex_find,
    "mustRegexFind": must_regex_find,
    "regexReplaceAll": regex_replace_all,
    "mustRegexReplaceAll": must_regex_replace_all,
    "regexReplaceAllLiteral": regex_replace_all_literal,
    "mustRegexReplaceAllLiteral": must_regex_replace_all_literal,
    "regexSplit": regex_split,
    "mustRegexSplit": must_regex_split,
    "regexQuoteMeta": regex_quote_meta,
}
