"""The data Go's text/template tests execute against (exec_test.go's T, tVal, funcs), in the
Python value model of pilothouse.gotemplate.gotypes."""

from __future__ import annotations

from typing import Any

from pilothouse.gotemplate.gotypes import FuncError, GoObject, IntList, StrList, StrMap, Uint8, gofunc


def typed_int(go_type: str) -> type:
    return type(f"I_{go_type}", (int,), {"__slots__": (), "go_type": go_type})


Uint16 = typed_int("uint16")
Uint = typed_int("uint")
Int8 = typed_int("int8")
Int16 = typed_int("int16")
Int32 = typed_int("int32")
Uint32 = typed_int("uint32")
Uint64 = typed_int("uint64")
Uintptr = typed_int("uintptr")


def typed_map(go_type: str, zero: Any) -> type:
    return type(f"M_{go_type}", (dict,), {"__slots__": (), "go_type": go_type, "zero": zero})


MapSI = typed_map("map[string]int", 0)
MapXI = typed_map("map[interface {}]int", 0)
MapII = typed_map("map[int]int", 0)
MapI32S = typed_map("map[int32]string", "")
MapI64S = typed_map("map[int64]string", "")
MapUI32S = typed_map("map[uint32]string", "")
MapUI64S = typed_map("map[uint64]string", "")
MapI8S = typed_map("map[int8]string", "")
MapUI8S = typed_map("map[uint8]string", "")


class BoolList(list):
    __slots__ = ()
    go_type = "[]bool"


class IntArray3(list):
    __slots__ = ()
    go_type = "[3]int"


class MapList(list):
    __slots__ = ()
    go_type = "[]map[string]int"


class U(GoObject):
    go_type = "*template.U"
    go_kind = "ptr"
    go_fields = ("V",)
    go_methods = frozenset({"TrueFalse"})

    def __init__(self, v: str) -> None:
        self.V = v

    @gofunc("bool")
    def TrueFalse(self, b: bool) -> str:
        return "true" if b else ""


class V(GoObject):
    """A struct whose pointer has a String method."""

    go_type = "template.V"
    go_fields = ()

    def __init__(self, j: int | None) -> None:
        self.j = j

    def go_string(self) -> str:
        return "nilV" if self.j is None else f"<{self.j}>"


class W(GoObject):
    """A struct whose pointer has an Error method."""

    go_type = "template.W"
    go_fields = ()

    def __init__(self, k: int | None) -> None:
        self.k = k

    def go_string(self) -> str:
        return "nilW" if self.k is None else f"[{self.k}]"


class Stringer(GoObject):
    go_type = "*bytes.Buffer"
    go_kind = "ptr"

    def __init__(self, s: str) -> None:
        self.s = s

    def go_string(self) -> str:
        return self.s


class MyError(Exception):
    pass


@gofunc("string", "string")
def binary_func(a: str, b: str) -> str:
    return f"[{a}={b}]"


@gofunc("string", variadic=True)
def variadic_func(*s: str) -> str:
    return "<" + "+".join(s) + ">"


@gofunc("int", "string", variadic=True)
def variadic_func_int(a: int, *s: str) -> str:
    return f"{a}=<" + "+".join(s) + ">"


@gofunc()
def err_func() -> str:
    return "bla"


@gofunc()
def panic_func() -> str:
    raise FuncError("test panic")


class T(GoObject):
    go_type = "*template.T"
    go_kind = "ptr"
    go_fields = (
        "True",
        "I",
        "U16",
        "X",
        "S",
        "FloatZero",
        "ComplexZero",
        "U",
        "V0",
        "V1",
        "V2",
        "W0",
        "W1",
        "W2",
        "SI",
        "SIEmpty",
        "SB",
        "AI",
        "MSI",
        "MSIone",
        "MSIEmpty",
        "MXI",
        "MII",
        "MI32S",
        "MI64S",
        "MUI32S",
        "MUI64S",
        "MI8S",
        "MUI8S",
        "SMSI",
        "Empty0",
        "Empty1",
        "Empty2",
        "Empty3",
        "Empty4",
        "Str",
        "Err",
        "BinaryFunc",
        "VariadicFunc",
        "VariadicFuncInt",
        "ErrFunc",
        "PanicFunc",
    )
    go_methods = frozenset({"Method0", "Method1", "Method2", "Method3", "Copy", "MAdd", "MyError", "GetU"})

    def __init__(self, **kw: Any) -> None:
        for name in self.go_fields:
            setattr(self, name, kw.get(name))

    def Method0(self) -> str:
        return "M0"

    Method0 = gofunc()(Method0)

    @gofunc("int")
    def Method1(self, a: int) -> int:
        return a

    @gofunc("uint16", "string")
    def Method2(self, a: int, b: str) -> str:
        return f"Method2: {int(a)} {b}"

    @gofunc("interface {}")
    def Method3(self, v: Any) -> str:
        from pilothouse.gotemplate.gofmt import format_value

        return f"Method3: {format_value(v)}"

    @gofunc()
    def Copy(self) -> T:
        return self

    @gofunc("int", "[]int")
    def MAdd(self, a: int, b: list) -> list:
        return IntList(x + a for x in b)

    @gofunc("bool")
    def MyError(self, error: bool) -> bool:
        if error:
            raise FuncError("my error")
        return False

    @gofunc()
    def GetU(self) -> U:
        return self.U


def make_tval() -> T:
    return T(
        **{"True": True},
        I=17,
        U16=Uint16(16),
        X="x",
        S="xyz",
        FloatZero=0.0,
        ComplexZero=0j,
        U=U("v"),
        V0=V(6666),
        V1=V(7777),
        V2=V(None),
        W0=W(888),
        W1=W(999),
        W2=W(None),
        SI=IntList([3, 4, 5]),
        SIEmpty=IntList([]),
        SB=BoolList([True, False]),
        AI=IntArray3([3, 4, 5]),
        MSI=MapSI({"one": 1, "two": 2, "three": 3}),
        MSIone=MapSI({"one": 1}),
        MSIEmpty=MapSI({}),
        MXI=MapXI({"one": 1}),
        MII=MapII({1: 1}),
        MI32S=MapI32S({1: "one", 2: "two"}),
        MI64S=MapI64S({2: "i642", 3: "i643"}),
        MUI32S=MapUI32S({2: "u322", 3: "u323"}),
        MUI64S=MapUI64S({2: "ui642", 3: "ui643"}),
        MI8S=MapI8S({2: "i82", 3: "i83"}),
        MUI8S=MapUI8S({2: "u82", 3: "u83"}),
        SMSI=MapList([MapSI({"one": 1, "two": 2}), MapSI({"eleven": 11, "twelve": 12})]),
        Empty0=None,
        Empty1=3,
        Empty2="empty2",
        Empty3=IntList([7, 8]),
        Empty4=U("UinEmpty"),
        Str=Stringer("foozle"),
        Err=Stringer("erroozle"),
        BinaryFunc=binary_func,
        VariadicFunc=variadic_func,
        VariadicFuncInt=variadic_func_int,
        ErrFunc=err_func,
        PanicFunc=panic_func,
    )


# -- the function map of testExecute --------------------------------------------------------


@gofunc("int", variadic=True)
def add(*args: int) -> int:
    return sum(args)


@gofunc()
def die() -> bool:
    raise FuncError("die")


@gofunc("interface {}")
def echo(arg: Any) -> Any:
    return arg


@gofunc("string", variadic=True)
def makemap(*args: str) -> StrMap:
    if len(args) % 2:
        raise FuncError("bad makemap")
    return StrMap(zip(args[::2], args[1::2]))


@gofunc()
def map_of_three() -> Any:
    return MapSI({"three": 3})


@gofunc("string")
def one_arg(a: str) -> str:
    return "oneArg=" + a


@gofunc()
def return_int() -> int:
    return 7


@gofunc("fmt.Stringer")
def stringer(s: Any) -> str:
    return s.go_string()


@gofunc("string", "string")
def two_args(a: str, b: str) -> str:
    return "twoArgs=" + a + b


@gofunc("interface {}")
def type_of(arg: Any) -> str:
    from pilothouse.gotemplate.gofmt import type_name

    return type_name(arg)


@gofunc("string")
def value_string(v: str) -> str:
    return "value is ignored"


@gofunc()
def zero_args() -> str:
    return "zeroArgs"


@gofunc("int", "string", variadic=True)
def ddd_arg(a: int, *b: str) -> str:
    from pilothouse.gotemplate.gofmt import sprintln

    return sprintln(a, StrList(b))


FUNCS = {
    "add": add,
    "dddArg": ddd_arg,
    "die": die,
    "echo": echo,
    "makemap": makemap,
    "mapOfThree": map_of_three,
    "oneArg": one_arg,
    "returnInt": return_int,
    "stringer": stringer,
    "twoArgs": two_args,
    "typeOf": type_of,
    "valueString": value_string,
    "zeroArgs": zero_args,
}


class CmpStruct(GoObject):
    go_type = "*struct"
    go_kind = "ptr"
    go_fields = ("Uthree", "Ufour", "NegOne", "Three", "NonNilMap", "Map", "V1", "V2", "Iface1", "NilIface")

    def __init__(self) -> None:
        self.Uthree = Uint(3)
        self.Ufour = Uint(4)
        self.NegOne = -1
        self.Three = 3
        self.NonNilMap = MapII({})
        self.Map = None
        self.V1 = V(0)
        self.V2 = V(0)
        self.Iface1 = Stringer("")
        self.NilIface = None


def data(key: Any) -> Any:
    """Resolve a vector's data column: "tVal" and friends by name, anything else as is."""
    if key == "tVal":
        return make_tval()
    if key == "cmp":
        return CmpStruct()
    if isinstance(key, tuple) and key and key[0] == "typed":
        return typed_int(key[1])(key[2])
    if key == "uint8":
        return Uint8(5)
    return key
