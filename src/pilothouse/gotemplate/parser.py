"""Builds parse trees from lexer items, following Go's text/template/parse grammar.

`parse()` returns every tree one text defines (the top-level one and each ``{{define}}`` /
``{{block}}``), keyed by name, or raises `ParseError` with Go's message.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from . import lexer as L
from .errors import ParseError
from .gostrconv import NumError as SyntaxErr
from .gostrconv import parse_float, parse_int, parse_uint, unquote, unquote_rune
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
    is_empty_tree,
)

# item types as module constants: the grammar tests them for every item
_ASSIGN = L.ASSIGN
_BLOCK = L.BLOCK
_BOOL = L.BOOL
_BREAK = L.BREAK
_CHAR = L.CHAR
_CHAR_CONSTANT = L.CHAR_CONSTANT
_COMMENT = L.COMMENT
_COMPLEX = L.COMPLEX
_CONTINUE = L.CONTINUE
_DECLARE = L.DECLARE
_DEFINE = L.DEFINE
_DOT = L.DOT
_ELSE = L.ELSE
_END = L.END
_EOF = L.EOF
_ERROR = L.ERROR
_FIELD = L.FIELD
_IDENTIFIER = L.IDENTIFIER
_IF = L.IF
_LEFT_DELIM = L.LEFT_DELIM
_LEFT_PAREN = L.LEFT_PAREN
_NIL = L.NIL
_NUMBER = L.NUMBER
_PIPE = L.PIPE
_RANGE = L.RANGE
_RAW_STRING = L.RAW_STRING
_RIGHT_DELIM = L.RIGHT_DELIM
_RIGHT_PAREN = L.RIGHT_PAREN
_SPACE = L.SPACE
_STRING = L.STRING
_TEMPLATE = L.TEMPLATE
_TEXT = L.TEXT
_VARIABLE = L.VARIABLE
_WITH = L.WITH

MAX_STACK_DEPTH = 10000
MAX_PIPELINE_CMDS = 100000
# Go's maxStackDepth: nested parenthesized pipelines beyond it are "max expression depth exceeded"
_PAREN_LIMIT = 10000
_PARSE_RECURSION_LIMIT = 120_000
MAX_BLOCK_DEPTH = 5000

PARSE_COMMENTS = 1
SKIP_FUNC_CHECK = 2


class _Abort(Exception):
    """Internal: carries a ParseError out of the recursive descent."""


class _Stream:
    """The lexed items, shared by the trees one text defines (as Go shares its lexer)."""

    __slots__ = ("items", "i")

    def __init__(self, items: list[L.Item]) -> None:
        self.items = items
        self.i = 0

    def next_item(self) -> L.Item:
        i = self.i
        try:
            it = self.items[i]
        except IndexError:
            return self.items[-1]
        self.i = i + 1
        return it


class Tree:
    """One parsed template: `name`, `parse_name` (for messages), `root`, and the source `text`."""

    __slots__ = (
        "name",
        "parse_name",
        "root",
        "text",
        "mode",
        "_funcs",
        "_lex",
        "_token",
        "_peek_count",
        "_vars",
        "_tree_set",
        "_action_line",
        "_range_depth",
        "_stack_depth",
        "_block_depth",
        "used_funcs",
        "defined",
    )

    def __init__(self, name: str, mode: int = 0) -> None:
        self.name = name
        self.parse_name = name
        self.root: ListNode | None = None
        self.text = ""
        self.mode = mode
        self.used_funcs: set[str] = set()
        #: made by {{define}} or {{block}} (not the text's top level)
        self.defined = False

    def __repr__(self) -> str:
        return f"Tree({self.name!r})"

    # -- token buffer (three-token lookahead, as in Go) -------------------------------------

    def _next(self) -> L.Item:
        if self._peek_count > 0:
            self._peek_count -= 1
            return self._token[self._peek_count]
        tok = self._token[0] = self._lex.next_item()
        return tok

    def _backup(self) -> None:
        self._peek_count += 1

    def _backup2(self, t1: L.Item) -> None:
        self._token[1] = t1
        self._peek_count = 2

    def _backup3(self, t2: L.Item, t1: L.Item) -> None:
        self._token[1] = t1
        self._token[2] = t2
        self._peek_count = 3

    def _peek(self) -> L.Item:
        if self._peek_count > 0:
            return self._token[self._peek_count - 1]
        self._peek_count = 1
        tok = self._token[0] = self._lex.next_item()
        return tok

    def _next_non_space(self) -> L.Item:
        # _next() inlined: this runs for most items of a text
        token = self._token
        while True:
            if self._peek_count > 0:
                self._peek_count -= 1
                tok = token[self._peek_count]
            else:
                tok = token[0] = self._lex.next_item()
            if tok.typ != _SPACE:
                return tok

    def _peek_non_space(self) -> L.Item:
        tok = self._next_non_space()
        self._peek_count += 1
        return tok

    # -- errors ----------------------------------------------------------------------------

    def _line_of(self, item: L.Item) -> int:
        return self.text.count("\n", 0, item.pos) + 1

    def _errorf(self, msg: str) -> None:
        self.root = None
        raise _Abort(ParseError(self.parse_name, self._line_of(self._token[0]), msg))

    def _expect(self, expected: int, context: str) -> L.Item:
        tok = self._next_non_space()
        if tok.typ != expected:
            self._unexpected(tok, context)
        return tok

    def _expect_one_of(self, e1: int, e2: int, context: str) -> L.Item:
        tok = self._next_non_space()
        if tok.typ != e1 and tok.typ != e2:
            self._unexpected(tok, context)
        return tok

    def _unexpected(self, tok: L.Item, context: str) -> None:
        if tok.typ == _ERROR:
            extra = ""
            tok_line = self._line_of(tok)
            action_line = self._line_of(self._action_line) if self._action_line else 0
            if action_line != 0 and action_line != tok_line:
                extra = f" in action started at {self.parse_name}:{action_line}"
                if tok.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self._errorf(f"{tok.val}{extra}")
        self._errorf(f"unexpected {tok.describe()} in {context}")

    # -- setup -----------------------------------------------------------------------------

    def _start_parse(self, funcs: Callable[[str], bool], lex: _Stream, tree_set: dict[str, Tree]) -> None:
        self.root = None
        self._lex = lex
        self._token = [None, None, None]  # type: ignore[list-item]
        self._peek_count = 0
        self._vars = ["$"]
        self._funcs = funcs
        self._tree_set = tree_set
        self._action_line: L.Item | None = None
        self._range_depth = 0
        self._stack_depth = 0
        self._block_depth = 0

    def _stop_parse(self) -> None:
        self._lex = None  # type: ignore[assignment]
        self._vars = None  # type: ignore[assignment]
        self._funcs = None  # type: ignore[assignment]
        self._tree_set = None  # type: ignore[assignment]
        self._token = None  # type: ignore[assignment]

    def _has_function(self, name: str) -> bool:
        return self._funcs(name)

    def _add(self) -> None:
        tree = self._tree_set.get(self.name)
        if tree is None or is_empty_tree(tree.root):
            self._tree_set[self.name] = self
            return
        if not is_empty_tree(self.root):
            self._errorf(f"template: multiple definition of template {_q(self.name)}")

    def _child(self, name: str) -> Tree:
        t = Tree(name, self.mode)
        t.text = self.text
        t.parse_name = self.parse_name
        t.used_funcs = self.used_funcs
        t.defined = True
        t._start_parse(self._funcs, self._lex, self._tree_set)
        return t

    # -- grammar ---------------------------------------------------------------------------

    def _parse(self) -> None:
        self.root = ListNode(self, self._peek().pos)
        while self._peek().typ != _EOF:
            if self._peek().typ == _LEFT_DELIM:
                delim = self._next()
                if self._next_non_space().typ == _DEFINE:
                    self._child("definition")._parse_definition()
                    continue
                self._backup2(delim)
            n = self._text_or_action()
            if isinstance(n, (EndNode, ElseNode)):
                self._errorf(f"unexpected {n.string()}")
            self.root.append(n)

    def _parse_definition(self) -> None:
        context = "define clause"
        name = self._expect_one_of(_STRING, _RAW_STRING, context)
        try:
            self.name = unquote(name.val)
        except SyntaxErr as e:
            self._errorf(str(e))
        self._expect(_RIGHT_DELIM, context)
        self.root, end = self._item_list()
        if not isinstance(end, EndNode):
            self._errorf(f"unexpected {end.string()} in {context}")
        self._add()
        self._stop_parse()

    def _item_list(self) -> tuple[ListNode, Node]:
        lst = ListNode(self, self._peek_non_space().pos)
        self._block_depth += 1
        if self._block_depth > MAX_BLOCK_DEPTH:
            # Go has no limit here; compiling and running deeper blocks would exhaust Python's stack
            self._errorf(f"blocks nested more than {MAX_BLOCK_DEPTH} deep")
        try:
            while self._peek_non_space().typ != _EOF:
                n = self._text_or_action()
                if isinstance(n, (EndNode, ElseNode)):
                    return lst, n
                lst.append(n)
        finally:
            self._block_depth -= 1
        self._errorf("unexpected EOF")
        raise AssertionError("unreachable")

    def _text_or_action(self) -> Node:
        tok = self._next_non_space()
        if tok.typ == _TEXT:
            return TextNode(self, tok.pos, tok.val)
        if tok.typ == _LEFT_DELIM:
            self._action_line = tok  # its line is computed only if an error needs it
            try:
                return self._action()
            finally:
                self._action_line = None
        if tok.typ == _COMMENT:
            return CommentNode(self, tok.pos, tok.val)
        self._unexpected(tok, "input")
        raise AssertionError("unreachable")

    def _action(self) -> Node:
        tok = self._next_non_space()
        typ = tok.typ
        if typ == _BLOCK:
            return self._block_control()
        if typ == _BREAK:
            return self._break_control(tok.pos, BreakNode, "break")
        if typ == _CONTINUE:
            return self._break_control(tok.pos, ContinueNode, "continue")
        if typ == _ELSE:
            return self._else_control()
        if typ == _END:
            return EndNode(self, self._expect(_RIGHT_DELIM, "end").pos)
        if typ == _IF:
            return self._branch(IfNode, "if")
        if typ == _RANGE:
            return self._branch(RangeNode, "range")
        if typ == _TEMPLATE:
            return self._template_control()
        if typ == _WITH:
            return self._branch(WithNode, "with")
        self._backup()
        tok = self._peek()
        return ActionNode(self, tok.pos, self._pipeline("command", _RIGHT_DELIM))

    def _break_control(self, pos: int, cls: type[Node], word: str) -> Node:
        tok = self._next_non_space()
        if tok.typ != _RIGHT_DELIM:
            self._unexpected(tok, "{{" + word + "}}")
        if self._range_depth == 0:
            self._errorf("{{" + word + "}} outside {{range}}")
        return cls(self, pos)

    def _pipeline(self, context: str, end: int) -> PipeNode:
        tok = self._peek_non_space()
        pipe = PipeNode(self, tok.pos)
        while True:  # declarations
            v = self._peek_non_space()
            if v.typ != _VARIABLE:
                break
            self._next()
            token_after = self._peek()
            nxt = self._peek_non_space()
            if nxt.typ in (_ASSIGN, _DECLARE):
                pipe.is_assign = nxt.typ == _ASSIGN
                self._next_non_space()
                pipe.decl.append(VariableNode(self, v.pos, v.val))
                self._vars.append(v.val)
            elif nxt.typ == _CHAR and nxt.val == ",":
                self._next_non_space()
                pipe.decl.append(VariableNode(self, v.pos, v.val))
                self._vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self._peek_non_space().typ in (_VARIABLE, _RIGHT_DELIM, _RIGHT_PAREN):
                        continue  # the second variable of a range
                    self._errorf("range can only initialize variables")
                self._errorf(f"too many declarations in {context}")
            elif token_after.typ == _SPACE:
                self._backup3(v, token_after)
            else:
                self._backup2(v)
            break
        while True:
            tok = self._next_non_space()
            if tok.typ == end:
                self._check_pipeline(pipe, context)
                return pipe
            if tok.typ in _OPERAND_START:
                self._backup()
                pipe.cmds.append(self._command())
                if len(pipe.cmds) > MAX_PIPELINE_CMDS:
                    self._errorf("pipeline too long")
            else:
                self._unexpected(tok, context)

    def _check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self._errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.cmds[1:]):
            if isinstance(c.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self._errorf(f"non executable command in pipeline stage {i + 2}")

    def _parse_control(self, context: str) -> tuple[int, PipeNode, ListNode, ListNode | None]:
        mark = len(self._vars)
        try:
            pipe = self._pipeline(context, _RIGHT_DELIM)
            if context == "range":
                self._range_depth += 1
            lst, nxt = self._item_list()
            if context == "range":
                self._range_depth -= 1
            else_list = None
            if isinstance(nxt, ElseNode):
                # "{{else if}}" / "{{else with}}" nest a new if/with that shares our {{end}}.
                if context == "if" and self._peek().typ == _IF:
                    self._next()
                    else_list = ListNode(self, nxt.pos)
                    else_list.append(self._branch(IfNode, "if"))
                elif context == "with" and self._peek().typ == _WITH:
                    self._next()
                    else_list = ListNode(self, nxt.pos)
                    else_list.append(self._branch(WithNode, "with"))
                else:
                    else_list, nxt = self._item_list()
                    if not isinstance(nxt, EndNode):
                        self._errorf(f"expected end; found {nxt.string()}")
            return pipe.pos, pipe, lst, else_list
        finally:
            if self._vars is not None:
                del self._vars[mark:]

    def _branch(self, cls: type, context: str) -> Node:
        pos, pipe, lst, else_list = self._parse_control(context)
        return cls(self, pos, pipe, lst, else_list)

    def _else_control(self) -> Node:
        peek = self._peek_non_space()
        if peek.typ in (_IF, _WITH):
            return ElseNode(self, peek.pos)
        tok = self._expect(_RIGHT_DELIM, "else")
        return ElseNode(self, tok.pos)

    def _block_control(self) -> Node:
        context = "block clause"
        tok = self._next_non_space()
        name = self._parse_template_name(tok, context)
        pipe = self._pipeline(context, _RIGHT_DELIM)
        block = self._child(name)
        block.root, end = block._item_list()
        if not isinstance(end, EndNode):
            self._errorf(f"unexpected {end.string()} in {context}")
        block._add()
        block._stop_parse()
        return TemplateNode(self, tok.pos, name, pipe)

    def _template_control(self) -> Node:
        context = "template clause"
        tok = self._next_non_space()
        name = self._parse_template_name(tok, context)
        pipe = None
        if self._next_non_space().typ != _RIGHT_DELIM:
            self._backup()
            pipe = self._pipeline(context, _RIGHT_DELIM)
        return TemplateNode(self, tok.pos, name, pipe)

    def _parse_template_name(self, tok: L.Item, context: str) -> str:
        if tok.typ in (_STRING, _RAW_STRING):
            try:
                return unquote(tok.val)
            except SyntaxErr as e:
                self._errorf(str(e))
        self._unexpected(tok, context)
        raise AssertionError("unreachable")

    def _command(self) -> CommandNode:
        cmd = CommandNode(self, self._peek_non_space().pos)
        while True:
            operand = self._operand()  # (_term skips the spaces before it)
            if operand is not None:
                cmd.args.append(operand)
            tok = self._next()
            if tok.typ == _SPACE:
                continue
            if tok.typ in (_RIGHT_DELIM, _RIGHT_PAREN):
                self._backup()
            elif tok.typ != _PIPE:
                self._unexpected(tok, "operand")
            break
        if not cmd.args:
            self._errorf("empty command")
        return cmd

    def _operand(self) -> Node | None:
        node = self._term()
        if node is None:
            return None
        nxt = self._peek()
        if nxt.typ == _FIELD:
            chain = ChainNode(self, nxt.pos, node)
            while self._peek().typ == _FIELD:
                chain.add(self._next().val)
            if isinstance(node, FieldNode):
                return FieldNode(self, chain.pos, chain.string())
            if isinstance(node, VariableNode):
                return VariableNode(self, chain.pos, chain.string())
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self._errorf(f"unexpected . after term {_q(node.string())}")
            return chain
        return node

    def _term(self) -> Node | None:
        tok = self._next_non_space()
        typ = tok.typ
        if typ == _FIELD:  # the most common operand
            return FieldNode(self, tok.pos, tok.val)
        if typ == _IDENTIFIER:
            if not (self.mode & SKIP_FUNC_CHECK) and not self._has_function(tok.val):
                self._errorf(f"function {_q(tok.val)} not defined")
            self.used_funcs.add(tok.val)
            return IdentifierNode(self, tok.pos, tok.val)
        if typ == _DOT:
            return DotNode(self, tok.pos)
        if typ == _NIL:
            return NilNode(self, tok.pos)
        if typ == _VARIABLE:
            return self._use_var(tok.pos, tok.val)
        if typ == _BOOL:
            return BoolNode(self, tok.pos, tok.val == "true")
        if typ in (_CHAR_CONSTANT, _COMPLEX, _NUMBER):
            try:
                return new_number(self, tok.pos, tok.val, typ)
            except SyntaxErr as e:
                self._errorf(str(e))
        if typ == _LEFT_PAREN:
            if self._stack_depth >= min(MAX_STACK_DEPTH, _PAREN_LIMIT):
                self._errorf("max expression depth exceeded")
            self._stack_depth += 1
            try:
                return self._pipeline("parenthesized pipeline", _RIGHT_PAREN)
            finally:
                self._stack_depth -= 1
        if typ in (_STRING, _RAW_STRING):
            try:
                return StringNode(self, tok.pos, tok.val, unquote(tok.val))
            except SyntaxErr as e:
                self._errorf(str(e))
        self._backup()
        return None

    def _use_var(self, pos: int, name: str) -> Node:
        v = VariableNode(self, pos, name)
        if v.ident[0] in self._vars:
            return v
        self._errorf(f"undefined variable {_q(v.ident[0])}")
        raise AssertionError("unreachable")


_OPERAND_START = frozenset(
    {
        _BOOL,
        _CHAR_CONSTANT,
        _COMPLEX,
        _DOT,
        _FIELD,
        _IDENTIFIER,
        _NUMBER,
        _NIL,
        _RAW_STRING,
        _STRING,
        _VARIABLE,
        _LEFT_PAREN,
    }
)


def _q(s: str) -> str:
    from .gostrconv import quote

    return quote(s)


def _simplify_complex(n: NumberNode) -> None:
    c = n.complex128
    n.is_float = c.imag == 0
    if n.is_float:
        f = c.real
        n.float64 = f
        if _fits_int64(f):
            n.is_int, n.int64 = True, int(f)
        if _fits_uint64(f):
            n.is_uint, n.uint64 = True, int(f)


def _fits_int64(f: float) -> bool:
    return f == f and f not in (float("inf"), float("-inf")) and f == int(f) and -(2**63) <= f < 2**63


def _fits_uint64(f: float) -> bool:
    return f == f and f not in (float("inf"), float("-inf")) and f == int(f) and 0 <= f < 2**64


def _parse_complex(text: str) -> complex:
    # "1+2i": split at the sign that starts the imaginary part (not one inside an exponent).
    body = text[:-1]
    for i in range(len(body) - 1, 0, -1):
        if body[i] in "+-" and body[i - 1] not in "eEpP":
            real = parse_float(body[:i])
            imag_text = body[i:]
            imag = parse_float(imag_text) if imag_text not in ("+", "-") else float(imag_text + "1")
            return complex(real, imag)
    raise SyntaxErr()


def new_number(tree: Tree | None, pos: int, text: str, typ: int) -> NumberNode:
    """Parse a number item into a NumberNode, as Go's newNumber does."""
    n = NumberNode(tree, pos, text)
    if typ == _CHAR_CONSTANT:
        r = unquote_rune(text)
        n.is_int = n.is_uint = n.is_float = True
        n.int64 = n.uint64 = r
        n.float64 = float(r)
        return n
    if typ == _COMPLEX:
        try:
            n.complex128 = _parse_complex(text)
        except (SyntaxErr, ValueError):
            raise SyntaxErr("expected integer") from None
        n.is_complex = True
        _simplify_complex(n)
        return n
    if text.endswith("i"):
        try:
            f = parse_float(text[:-1])
        except SyntaxErr:
            f = None
        if f is not None:
            n.is_complex = True
            n.complex128 = complex(0, f)
            _simplify_complex(n)
            return n
    u = None
    try:
        u = parse_uint(text)
        n.is_uint, n.uint64 = True, u
    except SyntaxErr:
        pass
    try:
        i = parse_int(text)
        n.is_int, n.int64 = True, i
        if i == 0:
            n.is_uint, n.uint64 = True, 0
    except SyntaxErr:
        pass
    if n.is_int:
        n.is_float, n.float64 = True, float(n.int64)
    elif n.is_uint:
        n.is_float, n.float64 = True, float(n.uint64)
    else:
        try:
            f = parse_float(text)
        except SyntaxErr:
            f = None
        if f is not None:
            if not any(c in text for c in ".eEpP"):
                raise SyntaxErr(f"integer overflow: {_q(text)}")
            n.is_float, n.float64 = True, f
            if not n.is_int and _fits_int64(f):
                n.is_int, n.int64 = True, int(f)
            if not n.is_uint and _fits_uint64(f):
                n.is_uint, n.uint64 = True, int(f)
    if not (n.is_int or n.is_uint or n.is_float):
        raise SyntaxErr(f"illegal number syntax: {_q(text)}")
    return n


def parse(
    name: str,
    text: str,
    left: str = "{{",
    right: str = "}}",
    *,
    has_function: Callable[[str], bool] = lambda name: True,
    mode: int = 0,
) -> dict[str, Tree]:
    """Parse `text` as template `name`; return all trees it defines, keyed by name."""
    tree_set: dict[str, Tree] = {}
    t = Tree(name, mode)
    t.text = text
    items = L.lex(
        text,
        left,
        right,
        emit_comment=bool(mode & PARSE_COMMENTS),
        break_ok=not has_function("break"),
        continue_ok=not has_function("continue"),
    )
    t._start_parse(has_function, _Stream(items), tree_set)
    # Go allows 10,000 nested parentheses; each costs a few Python frames in this recursive
    # descent (plain Python calls, which use no C stack), so the limit is raised while parsing
    limit = sys.getrecursionlimit()
    if limit < _PARSE_RECURSION_LIMIT:
        sys.setrecursionlimit(_PARSE_RECURSION_LIMIT)
    try:
        t._parse()
        t._add()
    except _Abort as e:
        raise e.args[0] from None
    except RecursionError:
        raise ParseError(name, 1, "max expression depth exceeded") from None
    finally:
        if limit < _PARSE_RECURSION_LIMIT:
            sys.setrecursionlimit(limit)
    t._stop_parse()
    return tree_set
