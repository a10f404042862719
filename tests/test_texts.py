"""The texts as a careful native speaker writes them: checks over every locales/*/*.ftl.

- every message exists in uz, ru and en, with the same variables;
- Uzbek uses one apostrophe: ʻ (U+02BB) in oʻ/gʻ, ʼ (U+02BC) for the tutuq belgisi and after a name — never ' ` ’ ‘;
- a number (or a variable) is never followed by an English plural made by hand ("{ $n } days"): plurals come from
  Fluent's selectors.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast, visitor

from core.i18n import LOCALES_DIR

LOCALES = ("uz", "ru", "en")
OKINA = "\u02bb"  # ʻ in oʻ gʻ
TUTUQ = "\u02bc"  # ʼ


class _Collect(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.shown: set[str] = set()  # variables whose value appears in the text (not only to pick a plural)
        self.texts: list[str] = []
        self._in_selector = 0

    def visit_SelectExpression(self, node: ast.SelectExpression) -> None:
        self._in_selector += 1
        self.visit(node.selector)
        self._in_selector -= 1
        for variant in node.variants:
            self.visit(variant)

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.variables.add(node.id.name)
        if not self._in_selector:
            self.shown.add(node.id.name)

    def visit_TextElement(self, node: ast.TextElement) -> None:
        self.texts.append(node.value)


def _messages(locale: str) -> dict[str, tuple[str, set[str], list[str], set[str]]]:
    """key → (file, variables, text pieces) for one locale."""
    parser = FluentParser(with_spans=False)
    found: dict[str, tuple[str, set[str], list[str], set[str]]] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if isinstance(entry, ast.Junk):
                raise AssertionError(f"{path}: cannot parse {(entry.content or '')[:80]!r}")
            if isinstance(entry, (ast.Message, ast.Term)):
                collect = _Collect()
                collect.visit(entry)
                key = ("-" if isinstance(entry, ast.Term) else "") + entry.id.name
                assert key not in found, f"{locale}: {key} defined twice ({found[key][0]} and {path.name})"
                found[key] = (path.name, collect.variables, collect.texts, collect.shown)
    return found


MESSAGES = {locale: _messages(locale) for locale in LOCALES}


def test_every_key_in_every_locale() -> None:
    keys = {locale: set(messages) for locale, messages in MESSAGES.items()}
    every = set().union(*keys.values())
    missing = {locale: sorted(every - own) for locale, own in keys.items() if every - own}
    assert not missing, f"keys missing: {missing}"


def test_same_variables_in_every_locale() -> None:
    """The same values shown everywhere; a count that only picks a plural may be missing where the language has
    none (Uzbek says "3 ta chek")."""
    differ = []
    for key, (_, variables, _, shown) in MESSAGES["en"].items():
        for locale in ("uz", "ru"):
            other = MESSAGES[locale].get(key)
            if other is None:
                continue
            selector_only = (variables - shown) | (other[1] - other[3])
            if (shown ^ other[3]) or ((variables ^ other[1]) - selector_only):
                differ.append(f"{key}: en {sorted(variables)} vs {locale} {sorted(other[1])}")
    assert not differ, "\n".join(differ)


WRONG_APOSTROPHES = "'`\u2019\u2018"
WRONG_OKINA = re.compile(rf"[oOgG][{WRONG_APOSTROPHES}{TUTUQ}]")


def _is_name_suffix(text: str, at: int) -> bool:
    """`Savdoʼga`, `REGOSʼni`: ʼ after a capitalised name is right; `oʼ` inside a common word is not."""
    if text[at + 1] != TUTUQ:
        return False
    start = at
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in OKINA + TUTUQ):
        start -= 1
    return text[start].isupper() and at > start
WRONG_ANY = re.compile(rf"\w[{WRONG_APOSTROPHES}]\w")


def _uz_texts() -> list[tuple[str, str]]:
    return [(key, text) for key, (_, _, texts, _) in MESSAGES["uz"].items() for text in texts]


@pytest.mark.parametrize("pattern", [WRONG_OKINA, WRONG_ANY], ids=["okina", "tutuq"])
def test_uzbek_uses_one_apostrophe(pattern: re.Pattern[str]) -> None:
    bad = [f"{key}: …{text[max(0, m.start() - 15):m.end() + 15]}…" for key, text in _uz_texts()
           for m in pattern.finditer(text) if not _is_name_suffix(text, m.start())]
    assert not bad, "Uzbek apostrophes: use ʻ (U+02BB) in oʻ gʻ and ʼ (U+02BC) otherwise:\n" + "\n".join(bad)


# A placeable, then an English word that is only right for one count ("{ $n } days"); or "1" before a plural.
_WORDS = (r"days?|receipts?|branch(?:es)?|members?|hours?|minutes?|seconds?|times?|items?|sellers?|employees?|"
          r"invites?|operations?|weeks?|months?|sales?|tills?|companies|company|errors?|rows?|people|person|lines?")
HAND_PLURAL = re.compile(
    rf"\}}\s*(?:new\s+|more\s+)?(?:{_WORDS})\b|(?<![\d.,\s])\s?\b1\s+(?:days|receipts|branches|members|rows|people)\b",
    re.IGNORECASE,
)


def _raw(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_no_english_plural_by_hand() -> None:
    """'{ $count } days' after a variable is wrong for 1; plural words belong inside a select on the count."""
    bad = []
    for path in sorted((LOCALES_DIR / "en").glob("*.ftl")):
        for number, line in enumerate(_raw(path).splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("#", "[", "*[")):
                continue  # comments and the variants of a select, which are chosen by Fluent
            if re.search(r"\{\s*\$\w+\s*->", line):
                continue
            if HAND_PLURAL.search(line):
                bad.append(f"{path.name}:{number}: {stripped}")
    assert not bad, "use a plural selector:\n" + "\n".join(bad)


def test_no_hand_plural_in_rendered_english() -> None:
    """Rendered with 1 and 21: what Fluent produces never says '1 days'."""
    from core.i18n import translate

    bad = []
    for key, (_, variables, _, _) in MESSAGES["en"].items():
        if key.startswith("-"):
            continue
        numeric = {name: 1 for name in variables}
        try:
            text = translate("en", key, **numeric)
        except Exception:  # a variable that is not a number (a name, a date): not this check's concern
            continue
        if re.search(r"(?<![\d.,])1\s+(?:days|receipts|branches|members|hours|minutes|seconds|times|items)\b", text):
            bad.append(f"{key}: {text}")
    assert not bad, "\n".join(bad)


# An Uzbek case suffix written apart from the placeable it belongs to ("{ $day } dan", "25-noyabr ga").
DETACHED_SUFFIX = re.compile(r"\}\s+(?:dan|da|ga|gacha|tagacha|ni|ning|dagi|dan\s+beri)(?=[\s.,:;!?)]|$)")


def test_uzbek_suffixes_are_not_written_apart_from_a_placeable() -> None:
    bad = []
    for path in sorted((LOCALES_DIR / "uz").glob("*.ftl")):
        for number, line in enumerate(_raw(path).splitlines(), 1):
            if not line.lstrip().startswith("#") and DETACHED_SUFFIX.search(line):
                bad.append(f"{path.name}:{number}: {line.strip()}")
    assert not bad, "join the suffix to the placeable ({ $day }dan) or reword:\n" + "\n".join(bad)
