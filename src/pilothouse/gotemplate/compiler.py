"""Compiles parse trees to Python functions, the way Jinja2 compiles its templates.

Each tree becomes ``def _tN(ctx, dot, out)`` that appends text to `out`. Pipelines are
flattened into statements on temporaries, so Go's evaluation order, and/or short-circuits and
variable scoping map onto plain Python control flow: ``{{if}}`` is an ``if``, ``{{range}}`` a
``for`` (``{{break}}``/``{{continue}}`` are Python's), and template variables are Python locals
resolved lexically, as Go's parser resolves them. Nodes that errors may point at are module
constants of the generated code; the runtime turns a failure at a node into Go's message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import runtime as rt
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    CommentNode,
    ContinueNode,
    DotNode,
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
)

# Python refuses more than 20 nested loops/try blocks and about 100 indentation levels; deeper
# template structure is moved into nested functions (closures) past these depths.
_MAX_LOOPS = 12
_MAX_INDENT = 40
# try blocks (argument checks, see `guarded`) stay within the same limits
_MAX_TRY_BLOCKS = 18
_MAX_TRY_INDENT = 80

_BRK_NONE, _BRK_BREAK, _BRK_CONTINUE = 0, 1, 2


def _variables_used(lst: Any) -> set[str]:
    """The Go names of the template variables (``$x``) a node tree mentions, walked without recursion."""
    found: set[str] = set()
    stack = [lst]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if isinstance(node, list):
            stack.extend(node)
            continue
        if isinstance(node, VariableNode):
            found.add(node.ident[0])
            continue
        for field in getattr(node, "fields", ()):
            val = getattr(node, field, None)
            if isinstance(val, list) or hasattr(val, "fields"):
                stack.append(val)
    return found


class _Scope:
    """Template variables visible at a point: Go name -> (Python local, iface-flag expression)."""

    __slots__ = ("vars",)

    def __init__(self, vars_: list[tuple[str, str, str]]) -> None:
        self.vars = vars_

    def lookup(self, name: str) -> tuple[str, str] | None:
        for goname, local, iface in reversed(self.vars):
            if goname == name:
                return local, iface
        return None


class _Func:
    """Code being generated for one Python function."""

    def __init__(self, name: str, params: str) -> None:
        self.name = name
        self.params = params
        self.lines: list[str] = []
        self.tmp = 0


class CompiledUnit:
    """The byte-compiled module of one parse: `code` defines one function per template.

    `fnames` maps template names to the function names the code defines; `consts` are the
    module globals the code expects (nodes, call sites, names), bound by `runtime.instantiate`.
    """

    __slots__ = ("code", "fnames", "consts", "source")

    def __init__(self, code: Any, fnames: dict[str, str], consts: dict[str, Any], source: str) -> None:
        self.code = code
        self.fnames = fnames
        self.consts = consts
        self.source = source


class TemplateCompiler:
    """Generates one Python module for all the trees of one parse."""

    def __init__(self, builtin_and_or: dict[str, bool] | None = None) -> None:
        self.builtin_and_or = builtin_and_or or {}
        self.consts: dict[str, Any] = {}
        self._const_ids: dict[int, str] = {}
        self.funcs: list[_Func] = []
        self._uid = 0
        self.varmap: dict[str, str] = {}

    # -- helpers -----------------------------------------------------------------------------

    def const(self, obj: Any) -> str:
        """A module-level name bound to `obj`."""
        key = id(obj)
        name = self._const_ids.get(key)
        if name is None:
            name = f"_k{len(self.consts)}"
            self.consts[name] = obj
            self._const_ids[key] = name
        return name

    def uid(self, prefix: str) -> str:
        self._uid += 1
        return f"{prefix}{self._uid}"

    # -- entry point -------------------------------------------------------------------------

    def compile(self, trees: dict[str, Any]) -> dict[str, Callable[..., Any]]:
        """Compile every tree; returns {template name: function(ctx, dot, out)}."""
        unit = self.generate(trees)
        return rt.instantiate(unit.code, unit.fnames, unit.consts)

    def generate(self, trees: dict[str, Any]) -> CompiledUnit:
        """Generate and byte-compile the module for `trees`, without running it."""
        names: dict[str, str] = {}
        chunks: list[str] = []
        self.extra: list[_Func] = []
        for tname, tree in trees.items():
            fname = self.uid("_t")
            names[tname] = fname
            chunks.append(self._compile_tree(fname, tree))
        for f in self.extra:
            chunks.append(f"def {f.name}({f.params}):\n" + "\n".join(f.lines) + "\n")
        source = "\n".join(chunks)
        code = compile(source, "<template>", "exec")
        return CompiledUnit(code, names, self.consts, source)

    def _compile_tree(self, fname: str, tree: Any) -> str:
        f = _Func(fname, "ctx, dot, out")
        self.cur = f
        self.indent = 1
        self.loops = 0
        self.trys = 0
        self.at: Any = None
        self.loop_stack: list[Any] = []  # one entry per enclosing range: the function holding its loop
        self.emit("w = out.append")
        dollar = self.newlocal()
        self.emit(f"{dollar} = dot")
        scope = _Scope([("$", dollar, "False")])
        if tree.root is not None:
            self.list(tree.root, scope, "dot", "False")
        if len(f.lines) == 2:
            self.emit("pass")
        body = "\n".join(f.lines)
        return f"def {fname}(ctx, dot, out):\n{body}\n"

    def emit(self, line: str) -> None:
        self.cur.lines.append("    " * self.indent + line)

    def newtmp(self) -> str:
        self.cur.tmp += 1
        return f"t{self.cur.tmp}"

    def newlocal(self) -> str:
        self._uid += 1
        return f"v{self._uid}"

    # -- lists and nodes -----------------------------------------------------------------------

    def list(self, lst: ListNode, scope: _Scope, dot: str, doti: str) -> None:
        start = len(self.cur.lines)
        for n in lst.nodes:
            self.node(n, scope, dot, doti)
        if len(self.cur.lines) == start:
            self.emit("pass")

    def node(self, n: Node, scope: _Scope, dot: str, doti: str) -> None:
        if isinstance(n, TextNode):
            if n.text:
                self.emit(f"w({n.text!r})")
        elif isinstance(n, ActionNode):
            v = self.pipeline(n.pipe, scope, dot, doti)
            if not n.pipe.decl:
                k = self.const(n)
                # Go prints an addressable value (one reached through fields, not a function's
                # result) through its pointer, so a pointer-receiver String() applies.
                addr = "" if _addressable(n.pipe) else ", False"
                self.emit(f"w({v} if type({v}) is str else rt.printv({v}, {k}{addr}))")
        elif isinstance(n, IfNode):
            self.if_with(n, scope, dot, doti, is_with=False)
        elif isinstance(n, WithNode):
            self.if_with(n, scope, dot, doti, is_with=True)
        elif isinstance(n, RangeNode):
            self.range(n, scope, dot, doti)
        elif isinstance(n, TemplateNode):
            if n.pipe is None:
                v = "NOVALUE"
            elif self.fallible(n.pipe, scope):
                # Go looks the template up (and checks the depth) before the pipeline runs.
                v = self.guarded(
                    lambda: self.pipeline(n.pipe, scope, dot, doti),
                    f"rt.template_precheck(ctx, {n.name!r}, {self.const(n)})",
                )
            else:
                v = self.pipeline(n.pipe, scope, dot, doti)
            self.emit(f"rt.tcall(ctx, {n.name!r}, {v}, {self.const(n)}, out)")
        elif isinstance(n, BreakNode):
            self.break_continue(_BRK_BREAK)
        elif isinstance(n, ContinueNode):
            self.break_continue(_BRK_CONTINUE)
        elif isinstance(n, CommentNode):
            pass
        elif isinstance(n, ListNode):
            self.list(n, scope, dot, doti)
        else:  # pragma: no cover - the parser makes no other nodes
            raise TypeError(f"unknown node {n!r}")

    def break_continue(self, kind: int) -> None:
        loop_fn = self.loop_stack[-1]
        if loop_fn is self.cur:
            self.emit("break" if kind == _BRK_BREAK else "continue")
        else:
            # Inside a closure split off from the loop body: report it to the loop.
            self.emit(f"return {kind}")

    def if_with(self, n: Any, scope: _Scope, dot: str, doti: str, is_with: bool) -> None:
        inner = _Scope(list(scope.vars))
        v = self.pipeline(n.pipe, inner, dot, doti)
        self.emit(f"if {v}:")
        self.indent += 1
        if is_with:
            d = self.newlocal()
            self.emit(f"{d} = {v}")
            self.body(n.list, _Scope(list(inner.vars)), d, "False")
        else:
            self.body(n.list, _Scope(list(inner.vars)), dot, doti)
        self.indent -= 1
        if n.else_list is not None:
            self.emit("else:")
            self.indent += 1
            self.body(n.else_list, _Scope(list(inner.vars)), dot, doti)
            self.indent -= 1

    def range(self, n: RangeNode, scope: _Scope, dot: str, doti: str) -> None:
        inner = _Scope(list(scope.vars))
        v = self.pipeline(n.pipe, inner, dot, doti)
        ndecl = len(n.pipe.decl)
        it = self.newtmp()
        # Go reports a bad range operand at the last node its pipeline evaluated.
        self.emit(f"{it} = rt.range_over({v}, {ndecl}, {self.at_expr()})")
        self.emit(f"if {it} is not None:")
        self.indent += 1
        di = self.newlocal()
        self.emit(f"{di} = rt.elems_iface({v})")
        k, e = self.newlocal(), self.newlocal()
        self.emit(f"for {k}, {e} in {it}:")
        self.indent += 1
        body_scope = _Scope(list(inner.vars))
        decl = n.pipe.decl
        if ndecl:
            # The pipeline declared (or assigned) these; each iteration overwrites them.
            targets = []
            for d in decl:
                found = inner.lookup(d.ident[0])
                targets.append(found[0] if found else self.newlocal())
            if ndecl == 1:
                self.emit(f"{targets[0]} = {e}")
            else:
                self.emit(f"{targets[0]} = {k}")
                self.emit(f"{targets[1]} = {e}")
            if not n.pipe.is_assign:
                # the element variable has the static type of the collection's elements
                for i, (goname, local, _) in enumerate(body_scope.vars):
                    if local == targets[-1]:
                        body_scope.vars[i] = (goname, local, di)
        self.loops += 1
        self.loop_stack.append(self.cur)
        self.body(n.list, body_scope, e, di)
        self.loop_stack.pop()
        self.loops -= 1
        self.indent -= 2
        if n.else_list is not None:
            self.emit("else:")
            self.indent += 1
            self.body(n.else_list, _Scope(list(inner.vars)), dot, doti)
            self.indent -= 1

    def body(self, lst: ListNode, scope: _Scope, dot: str, doti: str) -> None:
        """A nested list; past Python's nesting limits it goes into a function of its own.

        That function is module-level (so indentation starts afresh); the template variables
        visible here travel to it, and back, in a dict, and a {{break}}/{{continue}} of an
        enclosing range comes back as its return value.
        """
        if self.indent < _MAX_INDENT and self.loops < _MAX_LOOPS:
            self.list(lst, scope, dot, doti)
            return
        # only the variables the nested list mentions travel: passing every visible one made
        # deeply nested ranges cost quadratic code and memory
        used = _variables_used(lst)
        innermost: dict[str, tuple[str, str]] = {}
        for goname, local, iface in scope.vars:
            if goname in used:
                innermost[goname] = (local, iface)  # a shadowed variable cannot be reached inside
        visible: list[str] = []
        seen: set[str] = set()
        for local, iface in innermost.values():
            for name in (local, iface):
                if name not in ("True", "False") and name not in seen:
                    seen.add(name)
                    visible.append(name)
        outer, saved = self.cur, (self.indent, self.loops)
        fname = self.uid("_b")
        pd, pdi = self.uid("bd"), self.uid("bi")
        f = _Func(fname, f"ctx, out, V, {pd}, {pdi}")
        self.extra.append(f)
        self.cur, self.indent, self.loops = f, 1, 0
        self.emit("w = out.append")
        for name in visible:
            self.emit(f"{name} = V.get({name!r})")
        self.emit("try:")
        self.indent += 1
        self.list(lst, _Scope(list(scope.vars)), pd, pdi)
        self.emit("return 0")
        self.indent -= 1
        self.emit("finally:")
        self.indent += 1
        self.emit("; ".join(f"V[{n!r}] = {n}" for n in visible) or "pass")
        self.cur = outer
        self.indent, self.loops = saved
        vd, r = self.newtmp(), self.newtmp()
        self.emit(f"{vd} = {{{', '.join(f'{n!r}: {n}' for n in visible)}}}")
        self.emit(f"{r} = {fname}(ctx, out, {vd}, {dot}, {doti})")
        for name in visible:
            self.emit(f"{name} = {vd}[{name!r}]")
        if self.loop_stack:
            if self.loop_stack[-1] is self.cur:
                self.emit(f"if {r} == {_BRK_BREAK}: break")
                self.emit(f"if {r} == {_BRK_CONTINUE}: continue")
            else:
                self.emit(f"if {r}: return {r}")

    # -- variables -----------------------------------------------------------------------------

    def var_target(self, name: str, scope: _Scope, is_assign: bool) -> str:
        """The Python local a declaration (new) or assignment (existing) writes."""
        if is_assign:
            found = scope.lookup(name)
            if found is None:
                # Go fails at run time: "undefined variable: $x"
                local = self.newlocal()
                self.emit(f"rt.fail_at('undefined variable: ' + {name!r}, None)")
                return local
            return found[0]
        local = self.newlocal()
        scope.vars.append((name, local, "False"))
        return local

    # -- pipelines -----------------------------------------------------------------------------

    # -- where Go's executor is -------------------------------------------------------------
    #
    # Go reports most execution errors at the node its state last marked (s.at). `self.at`
    # follows those marks through the code being generated: a Node when it is known here, or
    # the name of a local that holds it at run time (after and/or, which stop early).

    def at_expr(self, at: Any = None) -> str:
        """An expression for the marked node (or for `at`)."""
        at = self.at if at is None else at
        return at if isinstance(at, str) else self.const(at)

    def fallible(self, a: Node, scope: _Scope) -> bool:
        """Whether evaluating operand `a` can fail (literals, dot and plain variables cannot)."""
        if isinstance(a, (DotNode, BoolNode, StringNode, NilNode)):
            return False
        if isinstance(a, NumberNode):
            try:
                rt.ideal(a)
            except rt.Fail:
                return True
            return False
        if isinstance(a, VariableNode):
            return len(a.ident) > 1 or scope.lookup(a.ident[0]) is None
        if isinstance(a, PipeNode):
            if a.decl or len(a.cmds) != 1 or len(a.cmds[0].args) != 1:
                return True
            first = a.cmds[0].args[0]
            return isinstance(first, IdentifierNode) or self.fallible(first, scope)
        return True

    def guarded(self, gen: Callable[[], Any], check: str) -> Any:
        """Emit `gen()` so that if it fails, `check` (Go's earlier checks) runs first.

        Go checks a call (the function exists, the argument count) before it evaluates the
        arguments; evaluating them first is only visible when one fails, so the checks run in
        the handler. Past Python's block-nesting limits the checks run up front instead.
        """
        if self.loops + self.trys >= _MAX_TRY_BLOCKS or self.indent >= _MAX_TRY_INDENT:
            self.emit(check)
            return gen()
        self.emit("try:")
        self.indent += 1
        self.trys += 1
        mark = len(self.cur.lines)
        result = gen()
        if len(self.cur.lines) == mark:
            self.emit("pass")
        self.trys -= 1
        self.indent -= 1
        self.emit("except rt.Fail:")
        self.emit(f"    {check}")
        self.emit("    raise")
        return result

    # -- pipelines -----------------------------------------------------------------------------

    def pipeline(self, pipe: PipeNode, scope: _Scope, dot: str, doti: str) -> str:
        """Emit code for a pipeline; returns the temporary holding its (normalized) value."""
        self.at = pipe
        val = "MISSING"
        for cmd in pipe.cmds:
            val, may_nil = self.command(cmd, scope, dot, doti, val)
            if may_nil:
                self.emit(f"if {val} is None: {val} = NOVALUE")
        for d in pipe.decl:
            target = self.var_target(d.ident[0], scope, pipe.is_assign)
            self.emit(f"{target} = {val}")
        return val

    def command(self, cmd: CommandNode, scope: _Scope, dot: str, doti: str, final: str) -> tuple[str, bool]:
        """Emit one command; returns (temporary, whether it may hold None)."""
        first = cmd.args[0]
        t = self.newtmp()
        if isinstance(first, FieldNode):
            self.at = first
            self.field_command(t, cmd, first, dot, doti, tuple(first.ident), scope, dot, doti, final)
            return t, False
        if isinstance(first, ChainNode):
            self.at = first
            if isinstance(first.node, NilNode):
                self.emit(f"rt.explicit_nil_chain({self.const(first)})")
                self.emit(f"{t} = NOVALUE")
                return t, False
            recv = self.arg(first.node, scope, dot, doti)
            self.field_command(t, cmd, first, recv, "False", tuple(first.field), scope, dot, doti, final)
            return t, False
        if isinstance(first, IdentifierNode):
            self.at = first
            self.call(t, cmd, first, scope, dot, doti, final)
            return t, False
        if isinstance(first, PipeNode):
            # Go marks nothing for a parenthesized first word before this check.
            self.not_a_function(cmd, final)
            v = self.pipeline(first, _Scope(scope.vars), dot, doti)
            self.emit(f"{t} = {v}")
            return t, False
        if isinstance(first, VariableNode):
            self.at = first
            local, iface = self.variable(first, scope)
            if len(first.ident) == 1:
                self.not_a_function(cmd, final)
                self.emit(f"{t} = {local}")
                return t, True
            self.field_command(t, cmd, first, local, iface, tuple(first.ident[1:]), scope, dot, doti, final)
            return t, False
        self.at = first
        self.not_a_function(cmd, final)
        if isinstance(first, BoolNode):
            self.emit(f"{t} = {first.true!r}")
        elif isinstance(first, DotNode):
            self.emit(f"{t} = {dot}")
            return t, True
        elif isinstance(first, NilNode):
            self.emit(f"{t} = rt.nil_command({self.const(first)})")
        elif isinstance(first, NumberNode):
            self.emit(f"{t} = {self.ideal(first)}")
        elif isinstance(first, StringNode):
            self.emit(f"{t} = {first.text!r}")
        else:  # pragma: no cover
            self.emit(
                f"{t} = rt.fail_at({('can' + chr(39) + 't evaluate command ' + first.string())!r}, {self.const(first)})"
            )
        return t, False

    def not_a_function(self, cmd: CommandNode, final: str) -> None:
        first = cmd.args[0]
        if len(cmd.args) == 1 and final == "MISSING":
            return
        at = "" if self.at is first else f", {self.at_expr()}"
        if len(cmd.args) > 1:
            self.emit(f"rt.not_a_function(2, MISSING, {self.const(first)}{at})")
        else:
            self.emit(f"rt.not_a_function(1, {final}, {self.const(first)}{at})")

    def variable(self, v: VariableNode, scope: _Scope) -> tuple[str, str]:
        found = scope.lookup(v.ident[0])
        if found is None:
            # Declared only on a path that did not run (Go finds no such variable at run time).
            local = self.newlocal()
            self.emit(f"{local} = rt.fail_at('undefined variable: ' + {v.ident[0]!r}, {self.const(v)})")
            return local, "False"
        return found

    def ideal(self, n: NumberNode) -> str:
        try:
            value = rt.ideal(n)
        except rt.Fail as e:
            return f"rt.fail_at({e.msg!r}, {self.const(n)})"
        if type(value) is int:
            return repr(value)
        return self.const(value)

    def field_command(
        self,
        t: str,
        cmd: CommandNode,
        node: Node,
        recv: str,
        iface: str,
        names: tuple[str, ...],
        scope: _Scope,
        dot: str,
        doti: str,
        final: str,
    ) -> None:
        k = self.const(node)
        at = self.at  # where Go's state is while it walks the fields
        at_arg = "" if at is node else f", {self.at_expr(at)}"
        args = cmd.args[1:]
        if not args and final == "MISSING":
            self.emit(f"{t} = rt.chain_pipe(ctx, {recv}, {self.const(names)}, {k}, {iface}{at_arg})")
            return
        # A method call: Go finds the method and checks the argument count first.
        m = self.newtmp()
        has_final = final != "MISSING"
        self.emit(f"{m} = rt.method(ctx, {recv}, {self.const(names)}, {k}, {iface}, {len(args)}, {has_final}{at_arg})")
        self.emit(f"if {m} is None:")
        self.emit(f"    {t} = NOVALUE")
        self.emit("else:")
        self.indent += 1
        site = rt.CallSite(names[-1], tuple(args), (), node, at, at)
        vals = self.call_args(site, args, scope, dot, doti)
        tail = f", {final}" if has_final else ""
        self.emit(f"{t} = rt.call_method(ctx, {m}, {self.site_expr(site)}, ({''.join(x + ', ' for x in vals)}){tail})")
        self.indent -= 1

    def call_args(self, site: rt.CallSite, args: list[Node], scope: _Scope, dot: str, doti: str) -> list[str]:
        """Evaluate call arguments in order; records on `site` where each leaves Go's state."""
        vals = []
        vnodes = []
        for a in args:
            vals.append(self.arg(a, scope, dot, doti))
            vnodes.append(self.at)
        site.vnodes = tuple(vnodes)
        if args:
            site.fnode = self.at
        return vals

    def site_expr(self, site: rt.CallSite) -> str:
        """An expression for a call site; built at run time if a node it holds is only known then."""
        dynamic = [n for n in (*site.vnodes, site.fnode, site.ident) if isinstance(n, str)]
        if not dynamic:
            return self.const(site)
        s = self.newtmp()
        vn = "(" + "".join(self.at_expr(n) + ", " for n in site.vnodes) + ")"
        self.emit(
            f"{s} = rt.CallSite({site.name!r}, {self.const(site.argnodes)}, {vn}, {self.const(site.cmd)}, "
            f"{self.at_expr(site.ident)}, {self.at_expr(site.fnode)})"
        )
        return s

    def call(
        self, t: str, cmd: CommandNode, ident: IdentifierNode, scope: _Scope, dot: str, doti: str, final: str
    ) -> None:
        name = ident.ident
        args = cmd.args[1:]
        if name in ("and", "or") and self.builtin_and_or.get(name, True):
            # The builtin and/or evaluate their operands only as far as needed.
            self.short_circuit(t, name, args, scope, dot, doti, final, self.const(ident))
            self.emit(f"if {t} is None: {t} = NOVALUE")
            return
        site = rt.CallSite(name, tuple(args), (), cmd, ident, ident)
        k = self.const(site)
        num_in = len(args) + (final != "MISSING")
        if any(self.fallible(a, scope) for a in args):
            vals = self.guarded(
                lambda: self.call_args(site, args, scope, dot, doti), f"rt.precheck(ctx, {k}, {num_in})"
            )
        else:
            vals = self.call_args(site, args, scope, dot, doti)
        tail = "" if final == "MISSING" else f", {final}"
        self.emit(f"{t} = rt.call_pipe(ctx, {self.site_expr(site)}, ({''.join(x + ', ' for x in vals)}){tail})")

    def short_circuit(
        self, t: str, name: str, args: list[Node], scope: _Scope, dot: str, doti: str, final: str, ki: str
    ) -> None:
        if not args and final == "MISSING":
            self.emit(f"rt.fail_at('wrong number of args for {name}: want at least 1 got 0', {ki})")
            self.emit(f"{t} = NOVALUE")
            return
        self.emit(f"{t} = NOVALUE")
        # Go's state ends at the last operand evaluated, known only at run time.
        mark = self.newtmp() if len(args) > 1 else None
        opened = 0
        for i, a in enumerate(args):
            if i > 0:
                self.emit(f"if {'' if name == 'and' else 'not '}{t}:")
                self.indent += 1
                opened += 1
            v = self.rv_arg(a, scope, dot, doti)
            self.emit(f"{t} = {v}")
            if mark is not None:
                self.emit(f"{mark} = {self.at_expr()}")
        if final != "MISSING":
            if args:
                self.emit(f"if {'' if name == 'and' else 'not '}{t}:")
                self.indent += 1
                opened += 1
            self.emit(f"{t} = {final}")
        self.indent -= opened
        if mark is not None:
            self.at = mark

    def rv_arg(self, a: Node, scope: _Scope, dot: str, doti: str) -> str:
        """An argument for a reflect.Value parameter (literals are ideal, nil is invalid)."""
        if isinstance(a, NilNode):
            self.at = a
            return "NOVALUE"
        return self.arg(a, scope, dot, doti)

    def arg(self, a: Node, scope: _Scope, dot: str, doti: str) -> str:
        """Emit code evaluating one operand (Go's evalArg); returns an expression for its value."""
        self.at = a
        if isinstance(a, DotNode):
            return dot
        if isinstance(a, NilNode):
            return "None"
        if isinstance(a, BoolNode):
            return repr(a.true)
        if isinstance(a, StringNode):
            return repr(a.text)
        if isinstance(a, NumberNode):
            return self.ideal(a)
        if isinstance(a, VariableNode):
            local, iface = self.variable(a, scope)
            if len(a.ident) == 1:
                return local
            t = self.newtmp()
            self.emit(f"{t} = rt.chain(ctx, {local}, {self.const(tuple(a.ident[1:]))}, {self.const(a)}, {iface})")
            return t
        if isinstance(a, FieldNode):
            t = self.newtmp()
            self.emit(f"{t} = rt.chain(ctx, {dot}, {self.const(tuple(a.ident))}, {self.const(a)}, {doti})")
            return t
        if isinstance(a, PipeNode):
            return self.pipeline(a, scope, dot, doti)
        if isinstance(a, IdentifierNode):
            t = self.newtmp()
            site = self.const(rt.CallSite(a.ident, (), (), a, a, a))
            self.emit(f"{t} = rt.call_site(ctx, {site}, ())")
            return t
        if isinstance(a, ChainNode):
            if isinstance(a.node, NilNode):
                self.emit(f"rt.explicit_nil_chain({self.const(a)})")
                return "NOVALUE"
            recv = self.arg(a.node, scope, dot, doti)
            # the fields' errors are reported where evaluating the operand left Go's state
            at = "" if self.at is a else f", {self.at_expr()}"
            t = self.newtmp()
            self.emit(f"{t} = rt.chain(ctx, {recv}, {self.const(tuple(a.field))}, {self.const(a)}, False{at})")
            return t
        raise TypeError(f"unknown operand {a!r}")  # pragma: no cover


def _addressable(pipe: PipeNode) -> bool:
    """Whether a pipeline's value is addressable in Go (reached through fields or variables).

    A function's or method's result is a copy; a field reached from a pointer is not. A
    variable or dot is taken as addressable (Go keeps whatever the value was when assigned).
    """
    cmd = pipe.cmds[-1]
    first = cmd.args[0]
    if isinstance(first, PipeNode):
        return _addressable(first)
    if isinstance(first, IdentifierNode) or len(cmd.args) > 1 or len(pipe.cmds) > 1:
        return False
    return isinstance(first, (FieldNode, ChainNode, VariableNode, DotNode))


def compile_trees(
    trees: dict[str, Any], builtin_and_or: dict[str, bool] | None = None
) -> dict[str, Callable[..., Any]]:
    """Compile parsed trees into functions ``fn(ctx, dot, out)``.

    `builtin_and_or` tells whether ``and``/``or`` name the builtins (which short-circuit) in the
    function map the text was parsed with; by default they do.
    """
    return TemplateCompiler(builtin_and_or).compile(trees)


def compile_unit(trees: dict[str, Any], builtin_and_or: dict[str, bool] | None = None) -> CompiledUnit:
    """Like `compile_trees`, but return the byte code and its globals (what a cache stores)."""
    return TemplateCompiler(builtin_and_or).generate(trees)
