"""Turns template text into items, as Go's text/template/parse lexer does.

The whole input is lexed up front into a list of `Item`s (Go lexes lazily, but its lexer never
depends on what the parser does, so the result is the same). Trim markers (``{{- `` and ``
-}}``) are applied here: the parser never sees the trimmed spaces. Positions are character
offsets into the text; line numbers are computed from them on demand.
"""

from __future__ import annotations

import re
import unicodedata

# Item types. Keywords come after KEYWORD so `typ > KEYWORD` tells a keyword apart.
ERROR = 0
BOOL = 1
CHAR = 2
CHAR_CONSTANT = 3
COMMENT = 4
COMPLEX = 5
ASSIGN = 6
DECLARE = 7
EOF = 8
FIELD = 9
IDENTIFIER = 10
LEFT_DELIM = 11
LEFT_PAREN = 12
NUMBER = 13
PIPE = 14
RAW_STRING = 15
RIGHT_DELIM = 16
RIGHT_PAREN = 17
SPACE = 18
STRING = 19
TEXT = 20
VARIABLE = 21
KEYWORD = 22
BLOCK = 23
BREAK = 24
CONTINUE = 25
DOT = 26
DEFINE = 27
ELSE = 28
END = 29
IF = 30
NIL = 31
RANGE = 32
TEMPLATE = 33
WITH = 34

KEYWORDS = {
    ".": DOT,
    "block": BLOCK,
    "break": BREAK,
    "continue": CONTINUE,
    "define": DEFINE,
    "else": ELSE,
    "end": END,
    "if": IF,
    "range": RANGE,
    "nil": NIL,
    "template": TEMPLATE,
    "with": WITH,
}

SPACE_CHARS = " \t\r\n"
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]*")
_SPACES = re.compile(r"[ \t\r\n]*")


class Item:
    """One lexed token: its type, start offset, and text."""

    __slots__ = ("typ", "pos", "val")

    def __init__(self, typ: int, pos: int, val: str) -> None:
        self.typ = typ
        self.pos = pos
        self.val = val

    def __repr__(self) -> str:
        return f"Item({self.typ}, {self.pos}, {self.val!r})"

    def describe(self) -> str:
        """The item as Go's item.String() shows it in parse errors."""
        from .gostrconv import quote

        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ > KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            # %.10q: quote the first ten characters, then an ellipsis.
            return quote(self.val[:10]) + "..."
        return quote(self.val)


def is_alnum(ch: str) -> bool:
    """Go's isAlphaNumeric: underscore, a Unicode letter, or a Unicode decimal digit."""
    return ch == "_" or ch.isalpha() or ch.isdecimal()


def format_rune_u(ch: str) -> str:
    """Go's %#U: ``U+0041 'A'`` (the quoted form only for printable runes)."""
    if ch == "":
        return "U+FFFFFFFFFFFFFFFF"  # Go prints eof (-1) this way
    code = ord(ch)
    text = f"U+{code:04X}"
    if is_print(ch):
        text += f" '{ch}'"
    return text


def is_print(ch: str) -> bool:
    """strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space."""
    if ch == " ":
        return True
    cat = unicodedata.category(ch)
    return cat[0] in "LMNPS"


def _has_left_trim(text: str, pos: int) -> bool:
    return text.startswith("-", pos) and pos + 1 < len(text) and text[pos + 1] in SPACE_CHARS


def _has_right_trim(text: str, pos: int) -> bool:
    return pos + 1 < len(text) and text[pos] in SPACE_CHARS and text[pos + 1] == "-"


class Lexer:
    """The lexer state machine; `lex()` runs it to the end."""

    def __init__(
        self,
        text: str,
        left: str = "{{",
        right: str = "}}",
        *,
        emit_comment: bool = False,
        break_ok: bool = True,
        continue_ok: bool = True,
    ) -> None:
        self.input = text
        self.left = left or "{{"
        self.right = right or "}}"
        self.emit_comment = emit_comment
        self.break_ok = break_ok
        self.continue_ok = continue_ok
        self.pos = 0
        self.start = 0
        self.paren_depth = 0
        self.items: list[Item] = []

    # -- helpers ---------------------------------------------------------------------------

    def _emit(self, typ: int) -> None:
        self.items.append(Item(typ, self.start, self.input[self.start : self.pos]))
        self.start = self.pos

    def _error(self, msg: str) -> None:
        self.items.append(Item(ERROR, self.start, msg))

    def _peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else ""

    def _at_right_delim(self) -> tuple[bool, bool]:
        text, pos = self.input, self.pos
        if _has_right_trim(text, pos) and text.startswith(self.right, pos + 2):
            return True, True
        if text.startswith(self.right, pos):
            return True, False
        return False, False

    def _at_terminator(self) -> bool:
        r = self._peek()
        if r == "" or r in " \t\r\n.,|:)(":
            return True
        return self.input.startswith(self.right, self.pos)

    # -- states ----------------------------------------------------------------------------

    def run(self) -> list[Item]:
        """Lex the whole input; the list ends with an EOF or an ERROR item."""
        text = self.input
        inside = False
        fast = _fast_pattern(self.right)
        while True:
            if not inside:
                x = text.find(self.left, self.pos)
                if x < 0:
                    self.pos = len(text)
                    if self.pos > self.start:
                        self._emit(TEXT)
                    self.items.append(Item(EOF, self.pos, ""))
                    return self.items
                if x > self.pos or x > self.start:
                    self.pos = x
                    trim = 0
                    if _has_left_trim(text, x + len(self.left)):
                        segment = text[self.start : x]
                        trim = len(segment) - len(segment.rstrip(SPACE_CHARS))
                    if x - trim > self.start:
                        self.items.append(Item(TEXT, self.start, text[self.start : x - trim]))
                    self.start = x
                # lexLeftDelim
                self.pos = x + len(self.left)
                trim_space = _has_left_trim(text, self.pos)
                after = 2 if trim_space else 0
                if text.startswith("/*", self.pos + after):
                    self.pos += after
                    self.start = self.pos
                    if not self._comment():
                        return self.items
                    continue
                self.items.append(Item(LEFT_DELIM, self.start, text[self.start : self.pos]))
                self.pos += after
                self.start = self.pos
                self.paren_depth = 0
                inside = True
                continue
            # inside an action
            if fast is not None:
                self.pos = self.start = self._fast_tokens(fast, self.pos)
            delim, trim_space = self._at_right_delim()
            if delim:
                if self.paren_depth != 0:
                    self._error("unclosed left paren")
                    return self.items
                if trim_space:
                    self.pos += 2
                    self.start = self.pos
                self.pos += len(self.right)
                self._emit(RIGHT_DELIM)
                if trim_space:
                    self.pos = _SPACES.match(text, self.pos).end()
                    self.start = self.pos
                inside = False
                continue
            if not self._inside_action():
                return self.items

    def _fast_tokens(self, pattern: re.Pattern[str], pos: int) -> int:
        """Lex the common tokens of an action quickly, from `pos`; returns where it stopped.

        It stops before anything it does not handle exactly as the state machine would (a
        delimiter, an error, an unusual word or number), which the state machine then lexes.
        """
        text = self.input
        items = self.items
        match = pattern.match
        right = self.right
        trim_right = "-" + right
        n = len(text)
        while True:
            m = match(text, pos)
            if m is None:
                return pos
            k = m.lastindex
            end = m.end()
            if k == 1:  # space
                if text.startswith(trim_right, end):
                    # a trim-marked right delimiter starts with the last space
                    if end - pos == 1:
                        return pos
                    end -= 1
                items.append(Item(SPACE, pos, text[pos:end]))
                pos = end
                continue
            if k <= 5 or k == 9 or k == 10:
                # words, fields, variables, numbers and dot must end at a terminator
                if end == n and k == 10:
                    return pos  # a final "." is lexed as a number, as in Go
                if end < n and k != 5:
                    c = text[end]
                    if k == 9:
                        if c in _NUMBER_GOES_ON or c > "\x7f":
                            return pos
                    elif c not in _TERMINATORS and not text.startswith(right, end):
                        return pos
                word = m.group(k)
                if k == 2:
                    items.append(Item(FIELD, pos, word))
                elif k == 3:
                    kw = KEYWORDS.get(word)
                    if kw is not None:
                        if (kw == BREAK and not self.break_ok) or (kw == CONTINUE and not self.continue_ok):
                            kw = IDENTIFIER
                        items.append(Item(kw, pos, word))
                    elif word == "true" or word == "false":
                        items.append(Item(BOOL, pos, word))
                    else:
                        items.append(Item(IDENTIFIER, pos, word))
                elif k == 4:
                    items.append(Item(VARIABLE, pos, word))
                elif k == 5:
                    items.append(Item(STRING, pos, word))
                elif k == 9:
                    items.append(Item(NUMBER, pos, word))
                else:
                    items.append(Item(DOT, pos, word))
            elif k == 6:
                items.append(Item(PIPE, pos, "|"))
            elif k == 7:
                self.paren_depth += 1
                items.append(Item(LEFT_PAREN, pos, "("))
            elif k == 8:
                if self.paren_depth == 0:
                    return pos
                self.paren_depth -= 1
                items.append(Item(RIGHT_PAREN, pos, ")"))
            elif k == 11:
                items.append(Item(RAW_STRING, pos, m.group(k)))
            elif k == 12:
                items.append(Item(DECLARE, pos, ":="))
            elif k == 13:
                items.append(Item(ASSIGN, pos, "="))
            else:
                items.append(Item(CHAR, pos, ","))
            pos = end

    def _comment(self) -> bool:
        text = self.input
        self.pos += 2
        x = text.find("*/", self.pos)
        if x < 0:
            self._error("unclosed comment")
            return False
        self.pos = x + 2
        delim, trim_space = self._at_right_delim()
        if not delim:
            self._error("comment ends before closing delimiter")
            return False
        item = Item(COMMENT, self.start, text[self.start : self.pos])
        if trim_space:
            self.pos += 2
        self.pos += len(self.right)
        if trim_space:
            self.pos = _SPACES.match(text, self.pos).end()
        self.start = self.pos
        if self.emit_comment:
            self.items.append(item)
        return True

    def _inside_action(self) -> bool:
        """Lex one item inside an action; False once an error item has been emitted."""
        text = self.input
        if self.pos >= len(text):
            self._error("unclosed action")
            return False
        r = text[self.pos]
        self.pos += 1
        if r in " \t\r\n":
            self.pos -= 1
            return self._space()
        if r == "=":
            self._emit(ASSIGN)
        elif r == ":":
            if self._peek() != "=":
                if self.pos < len(text):
                    self.pos += 1
                self._error("expected :=")
                return False
            self.pos += 1
            self._emit(DECLARE)
        elif r == "|":
            self._emit(PIPE)
        elif r == '"':
            return self._quote()
        elif r == "`":
            return self._raw_quote()
        elif r == "$":
            if self._at_terminator():
                self._emit(VARIABLE)
                return True
            return self._field_or_variable(VARIABLE)
        elif r == "'":
            return self._char()
        elif r == "." and self.pos < len(text) and not ("0" <= text[self.pos] <= "9"):
            return self._field_or_variable(FIELD)
        elif r in "+-." or "0" <= r <= "9":
            self.pos -= 1
            return self._number()
        elif is_alnum(r):
            self.pos -= 1
            return self._identifier()
        elif r == "(":
            self.paren_depth += 1
            self._emit(LEFT_PAREN)
        elif r == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                self._error("unexpected right paren")
                return False
            self._emit(RIGHT_PAREN)
        elif r <= "\x7f" and r.isprintable():
            self._emit(CHAR)
        else:
            self._error(f"unrecognized character in action: {format_rune_u(r)}")
            return False
        return True

    def _space(self) -> bool:
        text = self.input
        end = self.pos
        n = len(text)
        while end < n and text[end] in " \t\r\n":
            end += 1
        num = end - self.pos
        self.pos = end
        # A trim-marked right delimiter starts with a space: leave that space to it.
        if _has_right_trim(text, end - 1) and text.startswith(self.right, end + 1):
            self.pos = end - 1
            if num == 1:
                return True  # the next round sees the delimiter directly
        self._emit(SPACE)
        return True

    def _scan_word(self) -> str:
        """Advance over an alphanumeric run; return the first character after it."""
        text = self.input
        self.pos = _ASCII_WORD.match(text, self.pos).end()
        while self.pos < len(text) and is_alnum(text[self.pos]):
            self.pos = _ASCII_WORD.match(text, self.pos + 1).end()
        return self._peek()

    def _identifier(self) -> bool:
        r = self._scan_word()
        if not self._at_terminator():
            self._error(f"bad character {format_rune_u(r)}")
            return False
        word = self.input[self.start : self.pos]
        kw = KEYWORDS.get(word)
        if kw is not None and kw > KEYWORD:
            if (kw == BREAK and not self.break_ok) or (kw == CONTINUE and not self.continue_ok):
                self._emit(IDENTIFIER)
            else:
                self._emit(kw)
        elif word in ("true", "false"):
            self._emit(BOOL)
        else:
            self._emit(IDENTIFIER)
        return True

    def _field_or_variable(self, typ: int) -> bool:
        if self._at_terminator():
            self._emit(VARIABLE if typ == VARIABLE else DOT)
            return True
        r = self._scan_word()
        if not self._at_terminator():
            self._error(f"bad character {format_rune_u(r)}")
            return False
        self._emit(typ)
        return True

    def _char(self) -> bool:
        return self._delimited("'", "unterminated character constant", CHAR_CONSTANT)

    def _accept(self, valid: str) -> bool:
        if self.pos < len(self.input) and self.input[self.pos] in valid:
            self.pos += 1
            return True
        return False

    def _accept_run(self, valid: str) -> None:
        text, n = self.input, len(self.input)
        while self.pos < n and text[self.pos] in valid:
            self.pos += 1

    def _scan_number(self) -> bool:
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 11 and self._accept("eE"):
            self._accept("+-")
            self._accept_run("0123456789_")
        if len(digits) == 23 and self._accept("pP"):
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")
        nxt = self._peek()
        if nxt and is_alnum(nxt):
            self.pos += 1
            return False
        return True

    def _number(self) -> bool:
        if not self._scan_number():
            self._error(f"bad number syntax: {_goquote(self.input[self.start : self.pos])}")
            return False
        sign = self._peek()
        if sign in ("+", "-") and sign:
            if not self._scan_number() or self.input[self.pos - 1] != "i":
                self._error(f"bad number syntax: {_goquote(self.input[self.start : self.pos])}")
                return False
            self._emit(COMPLEX)
        else:
            self._emit(NUMBER)
        return True

    def _quote(self) -> bool:
        return self._delimited('"', "unterminated quoted string", STRING)

    def _delimited(self, close: str, unterminated: str, token: int) -> bool:
        """A quoted string or character constant: backslash escapes, no newline before `close`."""
        text = self.input
        n = len(text)
        while True:
            if self.pos >= n:
                self._error(unterminated)
                return False
            c = text[self.pos]
            self.pos += 1
            if c == "\\":
                if self.pos >= n or text[self.pos] == "\n":
                    if self.pos < n:
                        self.pos += 1
                    self._error(unterminated)
                    return False
                self.pos += 1
            elif c == "\n":
                self._error(unterminated)
                return False
            elif c == close:
                break
        self._emit(token)
        return True

    def _raw_quote(self) -> bool:
        x = self.input.find("`", self.pos)
        if x < 0:
            self.pos = len(self.input)
            self._error("unterminated raw quoted string")
            return False
        self.pos = x + 1
        self._emit(RAW_STRING)
        return True


# The fast path's tokens, by group number (see Lexer._fast_tokens). Only ASCII forms are taken;
# a word that goes on with other letters, or a number that goes on at all, is left to the
# state machine.
_FAST_TOKENS = (
    r"([ \t\r\n]+)"  # 1 space
    r"|(\.[A-Za-z_][A-Za-z0-9_]*)"  # 2 field
    r"|([A-Za-z_][A-Za-z0-9_]*)"  # 3 identifier, keyword, bool
    r"|(\$[A-Za-z0-9_]*)"  # 4 variable
    r'|("(?:[^"\\\n]|\\[^\n])*")'  # 5 string
    r"|(\|)|(\()|(\))"  # 6 pipe, 7 and 8 parentheses
    r"|([0-9]+)"  # 9 decimal integer
    r"|(\.)(?![0-9])"  # 10 dot
    r"|(`[^`]*`)"  # 11 raw string
    r"|(:=)|(=)|(,)"  # 12 declare, 13 assign, 14 comma
)
_TERMINATORS = frozenset(" \t\r\n.,|:)(")
_NUMBER_GOES_ON = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.+-")
_FAST_STARTS = frozenset(' \t\r\n.$"|()`:=,_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')
_fast_patterns: dict[str, re.Pattern[str] | None] = {}


def _fast_pattern(right: str) -> re.Pattern[str] | None:
    """The fast-path pattern, unless the right delimiter could be taken for one of its tokens."""
    p = _fast_patterns.get(right, _fast_patterns)
    if p is _fast_patterns:
        p = None if right[0] in _FAST_STARTS else re.compile(_FAST_TOKENS)
        _fast_patterns[right] = p
    return p  # type: ignore[return-value]


def _goquote(s: str) -> str:
    from .gostrconv import quote

    return quote(s)


def lex(
    text: str,
    left: str = "{{",
    right: str = "}}",
    *,
    emit_comment: bool = False,
    break_ok: bool = True,
    continue_ok: bool = True,
) -> list[Item]:
    """Lex `text` completely; the last item is EOF or ERROR."""
    return Lexer(text, left, right, emit_comment=emit_comment, break_ok=break_ok, continue_ok=continue_ok).run()
