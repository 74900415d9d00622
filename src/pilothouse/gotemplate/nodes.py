"""The parse tree, with node classes named and shaped as in Go's text/template/parse.

Every node knows its `tree` (for the template name and source text used in error messages) and
its `pos`, a character offset into that text. `str(node)` is Go's ``node.String()``, which is
what an execution error shows between ``<`` and ``>``.
"""

from __future__ import annotations

from typing import Any


class Node:
    """Base of all parse nodes."""

    __slots__ = ("pos", "tree")
    fields: tuple[str, ...] = ()
    #: literal operands (numbers, strings, bools, nil) are converted by parameter type at calls
    is_literal = False

    def __init__(self, tree: Any, pos: int) -> None:
        self.tree = tree
        self.pos = pos

    def __repr__(self) -> str:
        parts = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.fields)
        return f"{type(self).__name__}({parts})"

    def __str__(self) -> str:
        return self.string()

    def string(self) -> str:
        """Go's String(): the node written back as template source."""
        raise NotImplementedError

    @property
    def line(self) -> int:
        """1-based line of the node in its tree's text."""
        return self.tree.text.count("\n", 0, self.pos) + 1


class ListNode(Node):
    """A sequence of nodes."""

    __slots__ = ("nodes",)
    fields = ("nodes",)

    def __init__(self, tree: Any, pos: int) -> None:
        super().__init__(tree, pos)
        self.nodes: list[Node] = []

    def append(self, n: Node) -> None:
        """Add a node at the end."""
        self.nodes.append(n)

    def string(self) -> str:
        return "".join(n.string() for n in self.nodes)


class TextNode(Node):
    """Plain text between actions."""

    __slots__ = ("text",)
    fields = ("text",)

    def __init__(self, tree: Any, pos: int, text: str) -> None:
        self.tree = tree
        self.pos = pos
        self.text = text

    def string(self) -> str:
        return self.text


class CommentNode(Node):
    """A comment (only kept when the tree is parsed with comments)."""

    __slots__ = ("text",)
    fields = ("text",)

    def __init__(self, tree: Any, pos: int, text: str) -> None:
        super().__init__(tree, pos)
        self.text = text

    def string(self) -> str:
        return "{{" + self.text + "}}"


class PipeNode(Node):
    """A pipeline with optional variable declarations: ``$x := a | b c``."""

    __slots__ = ("is_assign", "decl", "cmds")
    fields = ("is_assign", "decl", "cmds")

    def __init__(self, tree: Any, pos: int) -> None:
        self.tree = tree
        self.pos = pos
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def string(self) -> str:
        s = ""
        if self.decl:
            s = ", ".join(v.string() for v in self.decl) + (" = " if self.is_assign else " := ")
        return s + " | ".join(c.string() for c in self.cmds)


class ActionNode(Node):
    """A non-control action such as ``{{.X}}``."""

    __slots__ = ("pipe",)
    fields = ("pipe",)

    def __init__(self, tree: Any, pos: int, pipe: PipeNode) -> None:
        super().__init__(tree, pos)
        self.pipe = pipe

    def string(self) -> str:
        return "{{" + self.pipe.string() + "}}"


class CommandNode(Node):
    """One command of a pipeline: operands separated by spaces."""

    __slots__ = ("args",)
    fields = ("args",)

    def __init__(self, tree: Any, pos: int) -> None:
        self.tree = tree
        self.pos = pos
        self.args: list[Node] = []

    def string(self) -> str:
        out = []
        for a in self.args:
            out.append("(" + a.string() + ")" if isinstance(a, PipeNode) else a.string())
        return " ".join(out)


class IdentifierNode(Node):
    """A function name."""

    __slots__ = ("ident",)
    fields = ("ident",)

    def __init__(self, tree: Any, pos: int, ident: str) -> None:
        super().__init__(tree, pos)
        self.ident = ident

    def string(self) -> str:
        return self.ident


class VariableNode(Node):
    """A variable with optional field chain: ``$x.A.B`` has ident ``["$x", "A", "B"]``."""

    __slots__ = ("ident",)
    fields = ("ident",)

    def __init__(self, tree: Any, pos: int, ident: str) -> None:
        super().__init__(tree, pos)
        self.ident = ident.split(".")

    def string(self) -> str:
        return ".".join(self.ident)


class DotNode(Node):
    """The cursor, ``.``."""

    __slots__ = ()

    def string(self) -> str:
        return "."


class NilNode(Node):
    """The untyped constant ``nil``."""

    __slots__ = ()
    is_literal = True

    def string(self) -> str:
        return "nil"


class FieldNode(Node):
    """A field chain on dot, ``.A.B``: ident ``["A", "B"]``."""

    __slots__ = ("ident",)
    fields = ("ident",)

    def __init__(self, tree: Any, pos: int, ident: str) -> None:
        self.tree = tree
        self.pos = pos
        self.ident = ident[1:].split(".")

    def string(self) -> str:
        return "".join("." + i for i in self.ident)


class ChainNode(Node):
    """A term followed by fields, e.g. ``(pipe).A.B``."""

    __slots__ = ("node", "field")
    fields = ("node", "field")

    def __init__(self, tree: Any, pos: int, node: Node) -> None:
        super().__init__(tree, pos)
        self.node = node
        self.field: list[str] = []

    def add(self, field: str) -> None:
        """Append a field given with its leading period."""
        self.field.append(field[1:])

    def string(self) -> str:
        s = "(" + self.node.string() + ")" if isinstance(self.node, PipeNode) else self.node.string()
        return s + "".join("." + f for f in self.field)


class BoolNode(Node):
    """``true`` or ``false``."""

    __slots__ = ("true",)
    fields = ("true",)
    is_literal = True

    def __init__(self, tree: Any, pos: int, true: bool) -> None:
        super().__init__(tree, pos)
        self.true = true

    def string(self) -> str:
        return "true" if self.true else "false"


class NumberNode(Node):
    """A numeric constant, stored under every type that can represent it (Go's ideal constants)."""

    __slots__ = (
        "is_int",
        "is_uint",
        "is_float",
        "is_complex",
        "int64",
        "uint64",
        "float64",
        "complex128",
        "text",
    )
    fields = ("text", "is_int", "is_uint", "is_float", "is_complex")
    is_literal = True

    def __init__(self, tree: Any, pos: int, text: str) -> None:
        super().__init__(tree, pos)
        self.text = text
        self.is_int = self.is_uint = self.is_float = self.is_complex = False
        self.int64 = 0
        self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j

    def string(self) -> str:
        return self.text


class StringNode(Node):
    """A string constant; `quoted` is the source form, `text` the value."""

    __slots__ = ("quoted", "text")
    fields = ("quoted", "text")
    is_literal = True

    def __init__(self, tree: Any, pos: int, quoted: str, text: str) -> None:
        super().__init__(tree, pos)
        self.quoted = quoted
        self.text = text

    def string(self) -> str:
        return self.quoted


class EndNode(Node):
    """``{{end}}``; never part of a finished tree."""

    __slots__ = ()

    def string(self) -> str:
        return "{{end}}"


class ElseNode(Node):
    """``{{else}}``; never part of a finished tree."""

    __slots__ = ()

    def string(self) -> str:
        return "{{else}}"


class BranchNode(Node):
    """Common shape of if, range and with."""

    __slots__ = ("pipe", "list", "else_list")
    fields = ("pipe", "list", "else_list")
    keyword = ""

    def __init__(self, tree: Any, pos: int, pipe: PipeNode, lst: ListNode, else_list: ListNode | None) -> None:
        super().__init__(tree, pos)
        self.pipe = pipe
        self.list = lst
        self.else_list = else_list

    def string(self) -> str:
        s = "{{" + self.keyword + " " + self.pipe.string() + "}}" + self.list.string()
        if self.else_list is not None:
            s += "{{else}}" + self.else_list.string()
        return s + "{{end}}"


class IfNode(BranchNode):
    """``{{if pipe}} list {{else}} else_list {{end}}``."""

    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    """``{{range pipe}} list {{else}} else_list {{end}}``."""

    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    """``{{with pipe}} list {{else}} else_list {{end}}``."""

    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    """``{{break}}``."""

    __slots__ = ()

    def string(self) -> str:
        return "{{break}}"


class ContinueNode(Node):
    """``{{continue}}``."""

    __slots__ = ()

    def string(self) -> str:
        return "{{continue}}"


class TemplateNode(Node):
    """``{{template "name" pipe}}``."""

    __slots__ = ("name", "pipe")
    fields = ("name", "pipe")

    def __init__(self, tree: Any, pos: int, name: str, pipe: PipeNode | None) -> None:
        super().__init__(tree, pos)
        self.name = name
        self.pipe = pipe

    def string(self) -> str:
        from .gostrconv import quote

        s = "{{template " + quote(self.name)
        if self.pipe is not None:
            s += " " + self.pipe.string()
        return s + "}}"


_GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def is_empty_tree(n: Node | None) -> bool:
    """Go's IsEmptyTree: nothing but space and comments."""
    if n is None:
        return True
    if isinstance(n, ListNode):
        return all(is_empty_tree(x) for x in n.nodes)
    if isinstance(n, TextNode):
        return n.text.strip(_GO_SPACE) == ""
    return isinstance(n, CommentNode)


def iter_nodes(trees: Any) -> list[Node]:
    """Every node of the given trees (a {name: Tree} mapping), in a fixed pre-order.

    The order depends only on the trees' shapes, so the same text parsed again yields the same
    sequence; a node's index in it is how a cached compiled template names that node.
    """
    out: list[Node] = []
    append = out.append
    kids_of = _CHILDREN.get

    def walk(n: Node) -> None:
        append(n)
        kids = kids_of(type(n))
        if kids is not None:
            for c in kids(n):
                walk(c)

    for t in trees.values():
        if t.root is not None:
            walk(t.root)
    return out


def _branch_children(n: Any) -> tuple[Node, ...]:
    return (n.pipe, n.list) if n.else_list is None else (n.pipe, n.list, n.else_list)


# The child nodes of each node class, in field order; other classes are leaves.
_CHILDREN: dict[type, Any] = {
    ListNode: lambda n: n.nodes,
    ActionNode: lambda n: (n.pipe,),
    PipeNode: lambda n: n.decl + n.cmds,
    CommandNode: lambda n: n.args,
    ChainNode: lambda n: (n.node,),
    IfNode: _branch_children,
    RangeNode: _branch_children,
    WithNode: _branch_children,
    TemplateNode: lambda n: () if n.pipe is None else (n.pipe,),
}
