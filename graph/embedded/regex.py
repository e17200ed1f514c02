"""Neo4j's regular expressions (Java's `java.util.regex`) as the embedded engine's (RE2), same meaning.

`=~` in Neo4j matches the whole string with a Java pattern; the engine's `regexp_full_match` takes
an RE2 pattern. Most of the syntax is shared, some of it means something else:

- Java's `(?i)` folds ASCII letters only (unless `(?iu)`); RE2's folds every letter: `'É' =~ '(?i)é'`
  is false in Neo4j. ASCII letters are spelt out both ways (`[eE]`) instead.
- Java's `.` stops at every line terminator (`\\r`, `\\u0085`, `\\u2028`, `\\u2029` too), RE2's at
  `\\n` only; Java's `\\s` holds the vertical tab, RE2's does not; `\\v` and `\\h` are classes in
  Java, a character (or nothing) in RE2; `\\uFFFF` is RE2's `\\x{FFFF}`. These are spelt out.
- Refused (`RegexRefused`), as having no faithful RE2 form or another meaning there: word
  boundaries `\\b` `\\B` (Java's know letters beyond ASCII), classes inside classes and `&&`
  (`[[:alpha:]]` is a POSIX class in RE2, a set of characters in Java), lookaround, atomic groups,
  possessive quantifiers, back references, the flags `m`, `x`, `d`, `U` and `c`, and `\\p{...}`
  beyond Unicode's general categories and scripts.

What RE2 rejects outright is left to it: the engine's error names it.
"""

from __future__ import annotations

import re

__all__ = ["RegexRefused", "java_to_re2"]

#: Java's `.` without DOTALL: any character but a line terminator.
DOT = r"[^\n\r\x{85}\x{2028}\x{2029}]"
SPACE = r"\t\n\x0B\f\r "
VERTICAL = r"\n\x0B\f\r\x{85}\x{2028}\x{2029}"
HORIZONTAL = r" \t\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}"
CATEGORY = re.compile(r"\{(L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfos]?|[A-Z][a-z]+(?:_[A-Z][a-z]+)*)\}")
SCRIPTS = {
    "Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Devanagari", "Bengali", "Thai", "Georgian",
    "Hangul", "Hiragana", "Katakana", "Han", "Common", "Inherited", "Ethiopic", "Tamil", "Telugu", "Syriac",
}  # fmt: skip


class RegexRefused(ValueError):
    """A Java pattern with no faithful RE2 form: `construct` names it, `hint` says what to write."""

    def __init__(self, construct: str, hint: str) -> None:
        super().__init__(construct)
        self.construct, self.hint = construct, hint


def _refuse(what: str, hint: str = "write it without it, or run the query on Neo4j with --neo4j") -> RegexRefused:
    return RegexRefused(what, hint)


def _fold(ch: str) -> str:
    """`ch` and its other ASCII case, as Java's `(?i)` without `u` matches it."""
    return f"[{ch}{ch.swapcase()}]" if ch.isascii() and ch.isalpha() else _literal(ch)


def _literal(ch: str) -> str:
    return "\\" + ch if ch in r"\.^$|?*+()[]{}" else ch


def java_to_re2(pattern: str) -> str:
    """The RE2 pattern that matches what the Java `pattern` matches (`RegexRefused` when none does).

    >>> java_to_re2("(?i)caf.")
    '[cC][aA][fF][^\\\\n\\\\r\\\\x{85}\\\\x{2028}\\\\x{2029}]'
    """
    out: list[str] = []
    flags: set[str] = set()
    stack: list[set[str]] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            piece, i = _escape(pattern, i, flags, in_class=False)
            out.append(piece)
            continue
        if ch == "[":
            piece, i = _class(pattern, i, flags)
            out.append(piece)
            continue
        if ch == "(":
            saved = set(flags)
            piece, i = _group(pattern, i, flags)
            if piece:  # a group: its flags end with it; `(?i)` alone changes them to the end of the enclosing one
                stack.append(saved)
            out.append(piece)
            continue
        if ch == ")":
            if stack:
                flags = stack.pop()
            out.append(ch)
            i += 1
            continue
        if ch in "*+?}" and i + 1 < n and pattern[i + 1] == "+":
            raise _refuse(f"the possessive quantifier {ch}+", "write it greedy (drop the +)")
        if ch == ".":
            out.append("(?s:.)" if "s" in flags else DOT)
        elif ch in "^$|*+?{}":
            out.append(ch)
        elif "i" in flags and "u" not in flags:
            out.append(_fold(ch))
        elif "i" in flags:
            out.append(f"(?i:{_literal(ch)})")
        else:
            out.append(_literal(ch))
        i += 1
    return "".join(out)


def _group(pattern: str, i: int, flags: set[str]) -> tuple[str, int]:
    """The opening of a group at `i`: `(`, `(?:`, a named group, or flags (which change `flags`)."""
    if not pattern.startswith("(?", i):
        return "(", i + 1
    rest = pattern[i + 2 :]
    if rest.startswith(("=", "!", "<=", "<!")):
        raise _refuse("a lookaround group (?=, (?!, (?<=, (?<!", "the engine's regular expressions have no lookaround")
    if rest.startswith(">"):
        raise _refuse("an atomic group (?>", "write it as a plain group (...)")
    named = re.match(r"<([A-Za-z][A-Za-z0-9]*)>", rest)
    if named:
        return f"(?P<{named.group(1)}>", i + 2 + named.end()
    m = re.match(r"([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])", rest)
    if m is None:
        raise _refuse("this group syntax", "use (...), (?:...), (?<name>...) or the flags (?i), (?s), (?u)")
    on, off, end = m.group(1), m.group(2) or "", m.group(3)
    bad = set(on + off) - set("isu")
    if bad:
        raise _refuse(f"the flag {''.join(sorted(bad))}", "the flags i, s and u are translated; write the pattern without the others")
    if end == ":":  # (?i:...) : the flags hold inside the group only (the caller saved them)
        flags.update(on)
        flags.difference_update(off)
        return "(?:", i + 2 + m.end()
    flags.update(on)  # (?i) : from here to the end of the enclosing group
    flags.difference_update(off)
    return "", i + 2 + m.end()


def _escape(pattern: str, i: int, flags: set[str], *, in_class: bool) -> tuple[str, int]:
    """The escape at `i` (a backslash) as RE2 text meaning what it means in Java, and the index after it."""
    if i + 1 >= len(pattern):
        raise _refuse("a pattern ending in a backslash", "escape the backslash: \\\\")
    ch = pattern[i + 1]
    j = i + 2
    if ch == "Q":
        end = pattern.find("\\E", j)
        text = pattern[j:] if end < 0 else pattern[j:end]
        fold = "i" in flags and "u" not in flags and not in_class
        return "".join(_fold(x) if fold else re.escape(x) for x in text), len(pattern) if end < 0 else end + 2
    if ch in "dDwW":
        return "\\" + ch, j  # ASCII in both
    if ch == "s":
        return SPACE if in_class else f"[{SPACE}]", j
    if ch == "S":
        if in_class:
            raise _refuse("\\S inside a character class", "write the class without it, or [^ \\t\\n\\f\\r] outside")
        return f"[^{SPACE}]", j
    if ch in "vh":
        body = VERTICAL if ch == "v" else HORIZONTAL
        return body if in_class else f"[{body}]", j
    if ch in "VH":
        if in_class:
            raise _refuse(f"\\{ch} inside a character class")
        return f"[^{VERTICAL if ch == 'V' else HORIZONTAL}]", j
    if ch in "bB":
        raise _refuse(f"the word boundary \\{ch}", "Java's word boundaries know letters beyond ASCII, the engine's do not")
    if ch in "GZRXk" or ch.isdigit():
        raise _refuse(f"\\{ch}", "the engine has no such escape (back references, \\G, \\Z, \\R, \\X)")
    if ch == "c":
        raise _refuse("\\c (a control character)", "write it as \\x{..}")
    if ch == "e":
        return "\\x{1B}", j
    if ch == "u":
        code = pattern[j : j + 4]
        if not re.fullmatch(r"[0-9a-fA-F]{4}", code):
            raise _refuse("\\u without four hexadecimal digits")
        return f"\\x{{{code}}}", j + 4
    if ch in "pP":
        if j < len(pattern) and pattern[j] in "LMNPSZC":  # \pL
            return f"\\{ch}{pattern[j]}", j + 1
        m = CATEGORY.match(pattern, j)
        if m is None or (len(m.group(1)) > 2 and m.group(1) not in SCRIPTS):
            hint = "use a Unicode general category (\\p{L}, \\p{Lu}, \\p{N}, ...) or script (\\p{Greek})"
            raise _refuse(f"\\{ch}{pattern[j : j + 12]}", hint)
        return f"\\{ch}{{{m.group(1)}}}", m.end()
    if ch == "x":
        m = re.compile(r"\{[0-9a-fA-F]+\}|[0-9a-fA-F]{2}").match(pattern, j)
        if m is None:
            raise _refuse("\\x without hexadecimal digits")
        return "\\x" + m.group(), m.end()
    if ch in "tnrfaAz":
        return "\\" + ch, j
    if ch.isalpha():
        raise _refuse(f"\\{ch}", "Java rejects this escape")
    if "i" in flags and "u" not in flags and not in_class:
        return _fold(ch), j
    return "\\" + ch if not ch.isalnum() else ch, j


def _class(pattern: str, i: int, flags: set[str]) -> tuple[str, int]:
    """The character class at `i` (`[`) as RE2 text, and the index after its `]`."""
    j = i + 1
    out = ["["]
    if j < len(pattern) and pattern[j] == "^":
        out.append("^")
        j += 1
    first = True
    fold = "i" in flags
    while j < len(pattern):
        ch = pattern[j]
        if ch == "]" and not first:
            out.append("]")
            return "".join(out), j + 1
        first = False
        if ch == "[":
            raise _refuse("a class inside a class ([[...]], [[:alpha:]])", "list the characters in one class: [a-zA-Z]")
        if ch == "&" and pattern.startswith("&&", j):
            raise _refuse("&& in a character class", "list the characters of the intersection in one class")
        if ch == "\\":
            piece, j = _escape(pattern, j, flags, in_class=True)
            out.append(piece)
            continue
        if j + 2 < len(pattern) and pattern[j + 1] == "-" and pattern[j + 2] not in "]\\[":
            lo, hi = ch, pattern[j + 2]
            out.append(f"{_in_class(lo)}-{_in_class(hi)}")
            if fold:
                out.append(_fold_range(lo, hi, "u" in flags))
            j += 3
            continue
        out.append(_in_class(ch))
        other = ch.swapcase()
        if fold and ch.isalpha() and (ch.isascii() or "u" in flags) and len(other) == 1:
            out.append(_in_class(other))
        j += 1
    raise _refuse("an unclosed [", "close the class with ]")


def _in_class(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def _fold_range(lo: str, hi: str, unicode: bool) -> str:
    """The other case of the range lo-hi, under `(?i)`: ASCII letter ranges only (Java folds ASCII
    unless `u`; a range across letters and other characters is refused)."""
    if lo.isascii() and hi.isascii():
        if lo.isalpha() and hi.isalpha() and lo.islower() == hi.islower():
            return f"{lo.swapcase()}-{hi.swapcase()}"
        if not any(chr(c).isalpha() for c in range(ord(lo), ord(hi) + 1)):
            return ""
    if unicode and not any(chr(c).isascii() for c in range(ord(lo), ord(hi) + 1)):
        raise _refuse(f"the range {lo}-{hi} under (?iu)", "list both cases: [a-zA-Z]")
    raise _refuse(f"the range {lo}-{hi} under (?i)", "list both cases in the class: [a-zA-Z] rather than (?i)[a-z]")
