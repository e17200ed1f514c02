"""YAML as cubamed reads it: plain values that mean what they look like, bounded, with line numbers.

PyYAML's safe loader reads YAML 1.1, where `1:30` is the number 90, `017` is 15, `yes` is true
and an unquoted `2020-02-30` is a date that crashes its constructor. Here the same parser is
configured so that:

- scalars resolve by the YAML 1.2 core schema (`true`/`false`, `null`/`~`, decimal integers,
  decimal floats and `.inf`/`.nan`); everything else is text, so `date: 2020-02-30` is the text
  '2020-02-30' for the validator to refuse as a date;
- the forms YAML 1.1 and 1.2 readers read differently (sexagesimal `1:30`, `0x1F`, `0o17`, `0b101`,
  leading zeros, `1_000`, `yes`/`no`/`on`/`off`) are refused with a hint to quote them;
- tags other than the core ones (`!!timestamp`, `!!binary`, `!!python/...`) are refused;
- a mapping or list used as a key is refused with its line (a key is always the text written);
- merge keys (`<<: *defaults`) work;
- nesting deeper than `MAX_DEPTH` and aliases that repeat more than `MAX_ALIAS_VALUES` values in
  all (a "billion laughs" file) are refused while parsing, before anything is built.

Every refusal is a `YamlProblem` with the line and a message saying what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .errors import shown

__all__ = ["MAX_ALIAS_VALUES", "MAX_DEPTH", "LineDict", "YamlProblem", "load_yaml"]

#: Deepest nesting of lists and mappings accepted. cubamed's files need 4 (a list of records,
#: each a mapping, holding a list of aliases); the schema file needs 5.
MAX_DEPTH = 32
#: How many values aliases (`*name`) may repeat in one file, in all. Merge keys and shared
#: lists stay far below; a "billion laughs" file passes it within its first few lines.
MAX_ALIAS_VALUES = 100_000

#: Longest run of digits read as a number (64-bit integers have 19; Python refuses beyond 4,300).
MAX_DIGITS = 100

_TAG = "tag:yaml.org,2002:"
_AMBIGUOUS = "tag:cubamed:ambiguous"
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)")
_SPECIAL_FLOATS = {".inf": float("inf"), ".nan": float("nan")}
#: YAML 1.1 forms that are numbers or booleans to some readers and text to others, with what
#: they would mean; each is refused with a hint.
_ONE_ONE = [
    (re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"), "a base-60 number (1:30 is 90)"),
    (re.compile(r"[-+]?0x[0-9a-fA-F_]+"), "a hexadecimal number"),
    (re.compile(r"[-+]?0o[0-7_]+"), "an octal number"),
    (re.compile(r"[-+]?0b[01_]+"), "a binary number"),
    (re.compile(r"[-+]?0[0-9_]+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"), "an octal number (017 is 15)"),
    (re.compile(r"[-+]?[0-9]+_[0-9_]*(?:\.[0-9_]*)?|[-+]?[0-9]*\.[0-9]*_[0-9_]*"), "a number with digit separators"),
    (re.compile(r"yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF"), "a boolean"),
]


class YamlProblem(Exception):
    """The text is not YAML cubamed reads: `line` (1-based; 0 when unknown) and what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict[str, Any]):
    """A mapping that remembers the line it starts on, and the line of each key."""

    line = 0
    key_lines: dict[str, int]


class _Resolver(BaseResolver):
    """The YAML 1.2 core schema, plus a tag for the YAML 1.1 forms it refuses."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012  # PyYAML's own registry, filled below


for _tag_name, _pattern, _first in [
    (_TAG + "bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    (_TAG + "null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    (_TAG + "int", _INT.pattern, "-+0123456789"),
    (_TAG + "float", _FLOAT.pattern + r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)", "-+0123456789."),
    (_TAG + "merge", r"<<", "<"),
    (_AMBIGUOUS, "|".join(p.pattern for p, _ in _ONE_ONE), "-+0123456789.yYnNoO"),
]:
    _Resolver.add_implicit_resolver(_tag_name, re.compile(rf"^(?:{_pattern})$"), list(_first))


def _tag(node: Node) -> str:
    """A tag as it is written: `!!timestamp`, not `tag:yaml.org,2002:timestamp`."""
    return "!!" + node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else str(node.tag)


def _kind(node: Node) -> str:
    return "list" if isinstance(node, SequenceNode) else "mapping" if isinstance(node, MappingNode) else "single value"


def _mark_line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _text(node: Node) -> str:
    """The text of a scalar node; a list or mapping under a scalar's tag (`!!int [1]`) is refused."""
    if not isinstance(node, ScalarNode):
        raise YamlProblem(_mark_line(node), f"the tag {_tag(node)} needs a single value, not a {_kind(node)}; remove the tag")
    return str(node.value)


class _Constructor(SafeConstructor):
    yaml_constructors: ClassVar[dict[Any, Any]] = {}
    duplicate_keys: list[tuple[int, str]]

    def construct_cubamed_map(self, node: Node) -> Iterator[LineDict]:
        if not isinstance(node, MappingNode):
            raise YamlProblem(_mark_line(node), f"the tag {_tag(node)} needs a mapping, not a {_kind(node)}; remove the tag")
        data = LineDict()
        data.line = _mark_line(node)
        data.key_lines = {}
        yield data
        explicit = [k for k, _ in node.value if k.tag != _TAG + "merge"]
        seen: set[str] = set()
        for key_node in explicit:
            if not isinstance(key_node, ScalarNode):
                what = "mapping" if isinstance(key_node, MappingNode) else "list"
                raise YamlProblem(_mark_line(key_node), f"a {what} is used as a key; remove the ':' after it, or quote the key")
            if key_node.value in seen:
                self.duplicate_keys.append((_mark_line(key_node), key_node.value))
            seen.add(key_node.value)
        try:
            self.flatten_mapping(node)
        except ConstructorError as exc:
            raise YamlProblem(_mark_line(node), f"a merge key '<<' must name a mapping or a list of mappings ({exc.problem})") from exc
        for key_node, value_node in node.value:
            data[key_node.value] = self.construct_object(value_node, deep=True)
            data.key_lines[key_node.value] = _mark_line(key_node)

    def construct_cubamed_bool(self, node: Node) -> bool:
        text = _text(node)
        if text.lower() not in {"true", "false"}:
            raise YamlProblem(_mark_line(node), f"{shown(text)} is not true or false; write true or false")
        return text.lower() == "true"

    def construct_cubamed_int(self, node: Node) -> int:
        text = _text(node)
        if not _INT.fullmatch(text):
            raise YamlProblem(_mark_line(node), f"{shown(text)} is not a whole number in decimal digits; write it as one")
        if len(text) > MAX_DIGITS:
            raise YamlProblem(_mark_line(node), f"a number of {len(text)} digits; numbers must fit in 64 bits (19 digits)")
        return int(text)

    def construct_cubamed_float(self, node: Node) -> float:
        text = _text(node)
        special = _SPECIAL_FLOATS.get(text.lstrip("+-").lower())
        if special is not None:
            return -special if text.startswith("-") else special
        if not (_FLOAT.fullmatch(text) or _INT.fullmatch(text)) or len(text) > MAX_DIGITS:
            raise YamlProblem(_mark_line(node), f"{shown(text)} is not a decimal number of at most {MAX_DIGITS} digits; write it as one")
        return float(text)

    def construct_ambiguous(self, node: Node) -> None:
        text = _text(node)
        meaning = next(m for p, m in _ONE_ONE if p.fullmatch(text))
        fix = "true or false" if meaning == "a boolean" else "the number in plain decimal digits"
        raise YamlProblem(
            _mark_line(node),
            f"{text[:40]} is {meaning} to some YAML readers and text to others; quote it ('{text[:40]}') if it is text, or write {fix}",
        )

    def construct_unknown(self, node: Node) -> None:
        message = f"the tag {_tag(node)} is not used in cubamed's files; remove it (quote the value if it is text)"
        raise YamlProblem(_mark_line(node), message)


for _constructed_tag, _constructor in [
    (_TAG + "str", SafeConstructor.construct_yaml_str),
    (_TAG + "seq", SafeConstructor.construct_yaml_seq),
    (_TAG + "null", SafeConstructor.construct_yaml_null),
    (_TAG + "merge", SafeConstructor.construct_yaml_str),  # '<<' as a value is text; as a key, a merge
    (_TAG + "map", _Constructor.construct_cubamed_map),
    (_TAG + "bool", _Constructor.construct_cubamed_bool),
    (_TAG + "int", _Constructor.construct_cubamed_int),
    (_TAG + "float", _Constructor.construct_cubamed_float),
    (_AMBIGUOUS, _Constructor.construct_ambiguous),
    (None, _Constructor.construct_unknown),
]:
    _Constructor.add_constructor(_constructed_tag, _constructor)  # type: ignore[type-var]  # stubs expect a loader class


class _Loader(Reader, Scanner, Parser, Composer, _Constructor, _Resolver):
    """PyYAML's pure-Python parser with the resolver and constructor above, and bounded composition."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)
        self.duplicate_keys: list[tuple[int, str]] = []
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> how many values it holds, aliases expanded
        self._repeated = 0  # values repeated by aliases so far

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = int(event.start_mark.line) + 1
        if isinstance(event, AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None:
                size = self._sizes.get(id(target))
                if size is None:
                    raise YamlProblem(line, f"the alias *{event.anchor} is used inside its own anchor; write the value out")
                self._repeated += size
                if self._repeated > MAX_ALIAS_VALUES:
                    raise YamlProblem(
                        line,
                        f"aliases (*name) repeat more than {MAX_ALIAS_VALUES:,} values in this file (an alias bomb?); "
                        "write the values out, or use fewer aliases",
                    )
            return self._compose(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlProblem(
                line,
                f"lists and mappings are nested more than {MAX_DEPTH} deep; cubamed's files need at most 5 levels",
            )
        node = self._compose(parent, index)
        self._depth -= 1
        if isinstance(node, SequenceNode):
            self._sizes[id(node)] = 1 + sum(self._sizes[id(child)] for child in node.value)
        elif isinstance(node, MappingNode):
            self._sizes[id(node)] = 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        else:
            self._sizes[id(node)] = 1
        return node


    def _compose(self, parent: Node | None, index: Any) -> Node:
        node = super().compose_node(parent, index)
        assert node is not None  # PyYAML composes a node from every node event
        return node


def _yaml_error(exc: yaml.YAMLError, text: str) -> YamlProblem:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return YamlProblem(line, f"the character U+{exc.character:04X} is not allowed in YAML; remove it")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "syntax error"
        if exc.context and what.startswith("but "):  # "expected a single document in the stream, but found another document"
            what = f"{exc.context}, {what}"
        return YamlProblem(int(mark.line) + 1 if mark else 0, f"not valid YAML: {what}; fix the syntax (an unquoted ':' or a bad indent?)")
    return YamlProblem(0, f"not valid YAML: {exc}; fix the syntax")


def load_yaml(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document; returns it and the (line, key) of every key repeated in a mapping.

    Mappings come back as `LineDict`s. Raises `YamlProblem` for anything refused (see above).

    >>> load_yaml("facts:\\n  - {year: 2020, at: '1:30', ok: true}\\n")[0]
    {'facts': [{'year': 2020, 'at': '1:30', 'ok': True}]}
    >>> load_yaml("count: 1:30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.yaml_loader.YamlProblem: 1:30 is a base-60 number (1:30 is 90) to some YAML readers and text to others; quote it ...
    """
    try:
        loader = _Loader(text)  # the reader checks every character here
        try:
            return loader.get_single_data(), loader.duplicate_keys
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text) from exc
