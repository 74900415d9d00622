"""The libyaml emitter as Go's yaml.v2 and yaml.v3 run it, for one document of block YAML.

Encoders (`emitter.py` for yaml.v2, `emitter_v3.py` for yaml.v3) turn a value into a small
node tree — `MapNode`, `SeqNode`, `ScalarNode` with a requested style — and `Emitter`
writes it the way Go's `emitterc.go` state machine does: the same indentation rules, the
same scalar analysis and style downgrades, the same folding of long lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pilothouse.yamlimport import DeferredPattern

PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"

_BREAKS = "\r\n\x85\u2028\u2029"


@dataclass
class ScalarNode:
    value: str
    style: str = PLAIN


@dataclass
class SeqNode:
    items: list[Node] = field(default_factory=list)


@dataclass
class MapNode:
    pairs: list[tuple[Node, Node]] = field(default_factory=list)


Node = ScalarNode | SeqNode | MapNode


def _printable(c: str) -> bool:
    # yaml's is_printable, as Go checks it on UTF-8 bytes: 4-byte runes are *not* printable.
    o = ord(c)
    return (
        o == 0x0A
        or 0x20 <= o <= 0x7E
        or 0xA0 <= o <= 0xD7FF
        or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)
    )


@dataclass
class _Analysis:
    multiline: bool
    flow_plain: bool
    block_plain: bool
    single_quoted: bool
    block: bool


# ASCII text that sets none of analyze_scalar's flags: every style may carry it (fast path).
_SAFE = re.compile(r"[A-Za-z0-9_/(][A-Za-z0-9_./()+=@%$~'\"<>;!&*|^-]*(?: +[A-Za-z0-9_./()+=@%$~'\"<>;!&*|^-]+)*")
# Characters that make the plain/quoted writers do more than copy text.
_BREAKS_RE = re.compile("[\r\n\x85\u2028\u2029]")
# only double-quoted scalars need it, and its class of ranges takes milliseconds to compile
_DOUBLE_PLAIN = DeferredPattern("[ -!#-\\[\\]-~\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


def analyze_scalar(value: str, v3: bool = False) -> _Analysis:
    """libyaml `analyze_scalar`: which styles can carry `value` unchanged."""
    if _SAFE.fullmatch(value):
        return _Analysis(False, True, True, True, True)
    if not value:
        return _Analysis(False, False, True, True, False)
    block_ind = flow_ind = line_breaks = special = tabs = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = False
    previous_space = previous_break = False
    if value.startswith("---") or value.startswith("..."):
        block_ind = flow_ind = True
    preceded_by_ws = True
    n = len(value)
    for i, c in enumerate(value):
        followed_by_ws = i + 1 >= n or value[i + 1] in " \t"
        if i == 0:
            if c in "#,[]{}&*!|>'\"%@`":
                flow_ind = block_ind = True
            elif c in "?:":
                flow_ind = True
                if followed_by_ws:
                    block_ind = True
            elif c == "-" and followed_by_ws:
                flow_ind = block_ind = True
        else:
            if c in ",?[]{}":
                flow_ind = True
            elif c == ":":
                flow_ind = True
                if followed_by_ws:
                    block_ind = True
            elif c == "#" and preceded_by_ws:
                flow_ind = block_ind = True
        if v3 and c == "\t":
            tabs = True
        elif not _printable(c):
            special = True
        if c == " ":
            if i == 0:
                leading_space = True
            if i == n - 1:
                trailing_space = True
            if previous_break:
                break_space = True
            previous_space, previous_break = True, False
        elif c in _BREAKS:
            line_breaks = True
            if i == 0:
                leading_break = True
            if i == n - 1:
                trailing_break = True
            if previous_space:
                space_break = True
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_ws = c in " \t\0" or c in _BREAKS
    a = _Analysis(line_breaks, True, True, True, True)
    if leading_space or leading_break or trailing_space or trailing_break:
        a.flow_plain = a.block_plain = False
    if trailing_space:
        a.block = False
    if break_space:
        a.flow_plain = a.block_plain = a.single_quoted = False
    if space_break or tabs or special:
        a.flow_plain = a.block_plain = a.single_quoted = False
    if space_break or special:
        a.block = False
    if line_breaks:
        a.flow_plain = a.block_plain = False
    if flow_ind:
        a.flow_plain = False
    if block_ind:
        a.block_plain = False
    return a


_ESCAPES = {
    0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f", 0x0D: "r",
    0x1B: "e", 0x22: '"', 0x5C: "\\", 0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P",
}


class Emitter:
    """One-document block emitter with libyaml's layout state (column, indent, flags)."""

    def __init__(self, *, best_width: int = 80, best_indent: int = 2, v3: bool = False) -> None:
        self.out: list[str] = []
        self.best_indent = best_indent if 2 <= best_indent <= 9 else 2
        self.best_width = best_width
        if self.best_width >= 0 and self.best_width <= self.best_indent * 2:
            self.best_width = 80
        if self.best_width < 0:
            self.best_width = (1 << 31) - 1
        self.v3 = v3
        self.indent = -1
        self.indents: list[int] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.flow_level = 0
        # The context the current node is emitted in (libyaml's *_context flags).
        self.root_context = False
        self.sequence_context = False
        self.mapping_context = False
        self.simple_key_context = False
        # yaml.v3 bookkeeping: the state the parent pushed before emitting this node.
        self.parent_state = ""

    # --- output primitives -------------------------------------------------------------------

    def put(self, s: str) -> None:
        self.out.append(s)
        self.column += 1

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0
        if self.v3:
            self.indention = True

    def write(self, c: str) -> None:
        self.out.append(c)
        self.column += 1

    def write_break(self, c: str) -> None:
        if c == "\n":
            self.put_break()
        else:
            self.out.append(c)
            self.column = 0
            if self.v3:
                self.indention = True

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        while self.column < indent:
            self.put(" ")
        self.whitespace = True
        self.indention = True

    def write_indicator(self, ind: str, need_ws: bool, is_ws: bool, is_indention: bool) -> None:
        if need_ws and not self.whitespace:
            self.put(" ")
        for c in ind:
            self.write(c)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention

    def increase_indent(self, flow: bool, indentless: bool, compact_seq: bool = False) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = self.best_indent if flow else 0
        elif not indentless:
            if not self.v3:
                self.indent += self.best_indent
            elif self.parent_state == "seq_item":
                self.indent += 2
            else:
                self.indent = self.best_indent * ((self.indent + self.best_indent) // self.best_indent)
                if compact_seq:
                    self.indent -= 2

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    # --- document ------------------------------------------------------------------------------

    def emit_document(self, node: Node) -> str:
        self.emit_node(node, root=True, sequence=False, mapping=False, simple_key=False)
        self.write_indent()  # document end
        return "".join(self.out)

    # --- nodes ---------------------------------------------------------------------------------

    def emit_node(self, node: Node, *, root: bool, sequence: bool, mapping: bool, simple_key: bool) -> None:
        self.root_context = root
        self.sequence_context = sequence
        self.mapping_context = mapping
        self.simple_key_context = simple_key
        if isinstance(node, ScalarNode):
            self.emit_scalar(node)
        elif isinstance(node, SeqNode):
            if self.flow_level > 0 or not node.items:
                self.emit_flow_sequence(node)
            else:
                self.emit_block_sequence(node)
        else:
            if self.flow_level > 0 or not node.pairs:
                self.emit_flow_mapping(node)
            else:
                self.emit_block_mapping(node)

    def emit_flow_sequence(self, node: SeqNode) -> None:
        self.write_indicator("[", True, True, False)
        self.increase_indent(True, False)
        self.flow_level += 1
        for i, item in enumerate(node.items):
            if i:
                self.write_indicator(",", False, False, False)
            if self.v3 and self.column == 0:
                self.write_indent()
            if self.column > self.best_width:
                self.write_indent()
            self.parent_state = "flow_seq_item"
            self.emit_node(item, root=False, sequence=True, mapping=False, simple_key=False)
        self.flow_level -= 1
        self.pop_indent()
        if self.v3 and self.column == 0:
            self.write_indent()
        self.write_indicator("]", False, False, False)

    def emit_flow_mapping(self, node: MapNode) -> None:
        self.write_indicator("{", True, True, False)
        self.increase_indent(True, False)
        self.flow_level += 1
        for i, (k, v) in enumerate(node.pairs):
            if i:
                self.write_indicator(",", False, False, False)
            if self.v3 and self.column == 0:
                self.write_indent()
            if self.column > self.best_width:
                self.write_indent()
            self.parent_state = "flow_map_key"
            if self.check_simple_key(k):
                self.emit_node(k, root=False, sequence=False, mapping=True, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, False)
                self.emit_node(k, root=False, sequence=False, mapping=True, simple_key=False)
                if self.column > self.best_width:
                    self.write_indent()
                self.write_indicator(":", True, False, False)
            self.parent_state = "flow_map_key"
            self.emit_node(v, root=False, sequence=False, mapping=True, simple_key=False)
        self.flow_level -= 1
        self.pop_indent()
        self.write_indicator("}", False, False, False)

    def emit_block_sequence(self, node: SeqNode) -> None:
        if self.v3:
            self.increase_indent(False, False, False)
        else:
            self.increase_indent(False, self.mapping_context and not self.indention)
        for item in node.items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.parent_state = "seq_item"
            self.emit_node(item, root=False, sequence=True, mapping=False, simple_key=False)
        self.pop_indent()

    def emit_block_mapping(self, node: MapNode) -> None:
        self.increase_indent(False, False)
        for k, v in node.pairs:
            self.write_indent()
            self.parent_state = "map_value"
            if self.check_simple_key(k):
                self.emit_node(k, root=False, sequence=False, mapping=True, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.emit_node(k, root=False, sequence=False, mapping=True, simple_key=False)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.parent_state = "map_value"
            self.emit_node(v, root=False, sequence=False, mapping=True, simple_key=False)
        self.pop_indent()

    def check_simple_key(self, node: Node) -> bool:
        if isinstance(node, ScalarNode):
            if any(c in _BREAKS for c in node.value):
                return False
            return len(node.value.encode("utf-8", "surrogatepass")) <= 128
        if isinstance(node, SeqNode):
            return not node.items
        return not node.pairs

    # --- scalars -------------------------------------------------------------------------------

    def select_style(self, node: ScalarNode, a: _Analysis) -> str:
        style = node.style
        if self.simple_key_context and a.multiline:
            style = DOUBLE
        if style == PLAIN:
            if (self.flow_level > 0 and not a.flow_plain) or (self.flow_level == 0 and not a.block_plain):
                style = SINGLE
            if not node.value and (self.flow_level > 0 or self.simple_key_context):
                style = SINGLE
        if style == SINGLE and not a.single_quoted:
            style = DOUBLE
        if style == LITERAL and (not a.block or self.flow_level > 0 or self.simple_key_context):
            style = DOUBLE
        return style

    def emit_scalar(self, node: ScalarNode) -> None:
        a = analyze_scalar(node.value, self.v3)
        style = self.select_style(node, a)
        self.increase_indent(True, False)
        allow_breaks = not self.simple_key_context
        if style == PLAIN:
            self.write_plain(node.value, allow_breaks)
        elif style == SINGLE:
            self.write_single(node.value, allow_breaks)
        elif style == DOUBLE:
            self.write_double(node.value, allow_breaks)
        else:
            self.write_literal(node.value)
        self.pop_indent()

    def write_plain(self, value: str, allow_breaks: bool) -> None:
        if (value or not self.v3) and not self.whitespace:
            self.put(" ")
        if self.column + len(value) - 1 <= self.best_width or not allow_breaks or " " not in value:
            if not _BREAKS_RE.search(value):
                # No fold point can be reached and no break is inside: the text goes out as is.
                self.out.append(value)
                self.column += len(value)
                if value or not self.v3:
                    self.whitespace = False
                self.indention = False
                return
        self.write_folding(value, allow_breaks, single=False)
        if value or not self.v3:
            self.whitespace = False
        self.indention = False

    def write_single(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        escaped = value.replace("'", "''")
        if (self.column + len(escaped) - 1 <= self.best_width or not allow_breaks) and not _BREAKS_RE.search(value):
            self.out.append(escaped)
            self.column += len(escaped)
            self.write_indicator("'", False, False, False)
            self.whitespace = False
            self.indention = False
            return
        self.write_folding(value, allow_breaks, single=True)
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_folding(self, value: str, allow_breaks: bool, *, single: bool) -> None:
        """The body of a plain or single-quoted scalar, folded at spaces beyond best_width.

        A single-quoted scalar never folds at its first or last character and doubles its quotes.
        """
        spaces = breaks = False
        n = len(value)
        for i, c in enumerate(value):
            if c == " ":
                nxt = value[i + 1] if i + 1 < n else ""
                if (allow_breaks and not spaces and self.column > self.best_width and nxt != " "
                        and (not single or 0 < i < n - 1)):
                    self.write_indent()
                else:
                    self.write(c)
                spaces = True
            elif c in _BREAKS:
                if not breaks and c == "\n":
                    self.put_break()
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if single and c == "'":
                    self.put("'")
                self.write(c)
                self.indention = False
                spaces = breaks = False

    def write_double(self, value: str, allow_breaks: bool) -> None:
        spaces = False
        self.write_indicator('"', True, False, False)
        bom = value.startswith("\ufeff")  # Go checks the BOM at the start, for every rune
        if (self.column + len(value) - 1 <= self.best_width or not allow_breaks) and _DOUBLE_PLAIN.fullmatch(value):
            self.out.append(value)
            self.column += len(value)
            self.write_indicator('"', False, False, False)
            self.whitespace = False
            self.indention = False
            return
        n = len(value)
        for i, c in enumerate(value):
            o = ord(c)
            if not _printable(c) or bom or c in _BREAKS or c == '"' or c == "\\":
                self.put("\\")
                esc = _ESCAPES.get(o)
                if esc is not None:
                    self.put(esc)
                else:
                    if o <= 0xFF:
                        self.put("x")
                        digits = f"{o:02X}"
                    elif o <= 0xFFFF:
                        self.put("u")
                        digits = f"{o:04X}"
                    else:
                        self.put("U")
                        digits = f"{o:08X}"
                    for d in digits:
                        self.put(d)
                spaces = False
            elif c == " ":
                if allow_breaks and not spaces and self.column > self.best_width and 0 < i < n - 1:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.write(c)
                spaces = True
            else:
                self.write(c)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str) -> None:
        self.write_indicator("|", True, False, False)
        if value[:1] == " " or value[:1] in _BREAKS and value:
            self.write_indicator(str(self.best_indent), False, False, False)
        chomp = ""
        if not value or value[-1] not in _BREAKS:
            chomp = "-"
        elif len(value) == 1 or value[-2] in _BREAKS:
            chomp = "+"
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for c in value:
            if c in _BREAKS:
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(c)
                self.indention = False
                breaks = False
