"""Telegram text formatting, parsed the way the Bot API server (tdlib) parses it.

`parse_formatted_text` turns `text` + `parse_mode` (or explicit `entities`) into the plain text Telegram
stores and the MessageEntity list it returns, with offsets and lengths in UTF-16 code units.
Error messages are tdlib's own wording; the Bot API wraps them as
"Bad Request: can't parse entities: <message>".

Deliberate choices, copied from tdlib rather than from HTML:
- only `&lt; &gt; &amp; &quot;` and numeric references are decoded; any other `&name;` stays literal text;
- tag names are lower-cased, but an end tag must repeat the start tag exactly (`<b>..</B>` is an error);
- the text is trimmed of leading/trailing whitespace afterwards and entities are clipped to match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Entity = dict[str, Any]

# td::is_space — '\0' counts as a space, so the end of the text stops every scan.
_SPACES = frozenset(b" \t\r\n\x00\x0b\x0c")
_HTML_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji", "span",
     "pre", "code", "blockquote"}
)
_NAMED_HTML_ENTITIES = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}
_HTML_TAG_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
}
# Sort order of entity types at the same offset and length (tdlib's priorities, roughly).
_TYPE_PRIORITY = {
    "blockquote": 0, "expandable_blockquote": 0, "pre": 1, "code": 2, "text_link": 3, "text_mention": 3,
    "url": 3, "email": 3, "mention": 3, "hashtag": 3, "cashtag": 3, "bot_command": 3, "phone_number": 3,
    "bold": 4, "italic": 5, "underline": 6, "strikethrough": 7, "spoiler": 8, "custom_emoji": 9,
}
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})


class EntityParseError(ValueError):
    """The text could not be parsed; str(self) is tdlib's message."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    raw = text.encode("utf-16-le", "surrogatepass")
    return raw[offset * 2 : (offset + length) * 2].decode("utf-16-le", "replace")


def _code_units(byte: int) -> int:
    """UTF-16 units added by the UTF-8 byte `byte` (0 for continuation bytes)."""
    if byte & 0xC0 == 0x80:
        return 0
    return 2 if byte >= 0xF0 else 1


def _utf8(code_point: int) -> bytes:
    return chr(code_point).encode("utf-8", "surrogatepass")


def sort_entities(entities: list[Entity]) -> list[Entity]:
    entities.sort(key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY.get(e["type"], 10)))
    return entities


def normalize_link(url: str) -> str | None:
    """What Telegram keeps as a text_link URL, or None when it silently drops the link."""
    url = url.strip()
    if not url:
        return None
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):(//)?", url)
    if match:
        scheme = match.group(1).lower()
        if scheme not in _LINK_SCHEMES:
            return None
        if scheme in ("http", "https"):
            rest = url[match.end() :]
            if not rest or rest.startswith("/"):
                return None
            if "/" not in rest and "?" not in rest and "#" not in rest:
                url += "/"
        return url
    if re.match(r"^[\w-]+(\.[\w-]+)+(:\d+)?([/?#].*)?$", url):
        return normalize_link("http://" + url)
    return None


def _link_entity(url: str, offset: int, length: int, users: dict[int, Entity] | None) -> Entity | None:
    match = re.fullmatch(r"tg://user\?id=(\d+)", url.strip())
    if match:
        user = (users or {}).get(int(match.group(1)))
        if user is None:
            return None
        return {"type": "text_mention", "offset": offset, "length": length, "user": user}
    normalized = normalize_link(url)
    if normalized is None:
        return None
    return {"type": "text_link", "offset": offset, "length": length, "url": normalized}


# --------------------------------------------------------------------------------------------- HTML


def _decode_html_entity(data: bytes, pos: int) -> tuple[int, int] | None:
    """Decode `&...;` at `pos` → (code point, position after it), or None to keep '&' literally."""
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    end = pos + 1
    value = 0
    if at(pos + 1) == ord("#"):
        end += 1
        if at(pos + 2) == ord("x"):
            end += 1
            while chr(at(end)) in "0123456789abcdefABCDEF" and at(end):
                value = value * 16 + int(chr(at(end)), 16)
                end += 1
                if value >= 0x10FFFF:
                    return None
        else:
            while ord("0") <= at(end) <= ord("9"):
                value = value * 10 + at(end) - ord("0")
                end += 1
                if value >= 0x10FFFF:
                    return None
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return None
    else:
        while chr(at(end)).isascii() and chr(at(end)).isalpha():
            end += 1
        named = _NAMED_HTML_ENTITIES.get(data[pos + 1 : end])
        if named is None:
            return None
        value = named
    if at(end) == ord(";"):
        end += 1
    return value, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    result_pos: int


def parse_html(text: str, users: dict[int, Entity] | None = None) -> tuple[str, list[Entity]]:
    """tdlib's parse_html: returns (plain text, entities) or raises EntityParseError."""
    data = text.encode("utf-8", "surrogatepass")
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    result = bytearray()
    entities: list[Entity] = []
    stack: list[_OpenTag] = []
    utf16 = 0
    i = 0
    while i < size:
        byte = data[i]
        if byte == ord("&"):
            decoded = _decode_html_entity(data, i)
            if decoded is not None:
                code_point, i = decoded
                utf16 += 2 if code_point > 0xFFFF else 1
                result += _utf8(code_point)
                continue
        if byte != ord("<"):
            utf16 += _code_units(byte)
            result.append(byte)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != ord("/"):
            while at(i) not in _SPACES and at(i) != ord(">"):
                i += 1
            if at(i) == 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in _HTML_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            argument, i = _read_html_attributes(data, i, tag, begin)
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
            stack.append(_OpenTag(tag, argument, utf16, len(result)))
            i += 1  # the '>'
            continue

        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        while at(i) not in _SPACES and at(i) != ord(">"):
            i += 1
        end_tag = data[begin + 2 : i].decode("utf-8", "replace")
        while at(i) in _SPACES and at(i) != 0:
            i += 1
        if at(i) != ord(">"):
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        i += 1
        opened = stack.pop()
        if end_tag and end_tag != opened.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{opened.name}>", found "</{end_tag}>"'
            )
        if utf16 > opened.utf16_offset:
            _close_html_entity(entities, opened, utf16, bytes(result), users)

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    try:
        plain = result.decode("utf-8")
    except UnicodeDecodeError:
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        ) from None
    return plain, sort_entities(entities)


def _read_html_attributes(data: bytes, i: int, tag: str, begin: int) -> tuple[str, int]:
    """Read attributes up to the closing '>' of a start tag; returns (entity argument, index of '>')."""
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    argument = ""
    while at(i) != ord(">"):
        while at(i) != 0 and at(i) in _SPACES:
            i += 1
        if at(i) == ord(">"):
            break
        attribute_begin = i
        # Stopping at '>' too lets a bare attribute end the tag, as in <blockquote expandable>.
        while at(i) not in _SPACES and at(i) not in (ord("="), ord(">")):
            i += 1
        attribute = data[attribute_begin:i].decode("utf-8", "replace")
        if not attribute:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while at(i) != 0 and at(i) in _SPACES:
            i += 1
        if at(i) != ord("="):
            if tag == "blockquote" and attribute == "expandable":
                argument = "1"
                continue
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" at byte offset {begin}'
            )
        i += 1
        while at(i) != 0 and at(i) in _SPACES:
            i += 1
        if at(i) == 0:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        value = bytearray()
        if at(i) not in (ord("'"), ord('"')):
            # An unquoted name token: letters, digits, periods and hyphens, case-insensitive.
            token_begin = i
            while chr(at(i)).isascii() and (chr(at(i)).isalnum() or at(i) in (ord("."), ord("-"))) and at(i):
                i += 1
            value += data[token_begin:i].lower()
            if at(i) not in _SPACES and at(i) != ord(">"):
                raise EntityParseError(f"Unexpected end of name token at byte offset {token_begin}")
        else:
            quote = at(i)
            i += 1
            while at(i) != quote and at(i) != 0:
                if at(i) == ord("&"):
                    decoded = _decode_html_entity(data, i)
                    if decoded is not None:
                        code_point, i = decoded
                        value += _utf8(code_point)
                        continue
                value.append(at(i))
                i += 1
            if at(i) == quote:
                i += 1
        if at(i) == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        decoded_value = value.decode("utf-8", "replace")
        if tag == "a" and attribute == "href":
            argument = decoded_value
        elif tag == "code" and attribute == "class" and decoded_value.startswith("language-"):
            argument = decoded_value[len("language-") :]
        elif tag == "span" and attribute == "class" and decoded_value.startswith("tg-"):
            argument = decoded_value[len("tg-") :]
        elif tag == "tg-emoji" and attribute == "emoji-id":
            argument = decoded_value
        elif tag == "blockquote" and attribute == "expandable":
            argument = "1"
    return argument, i


def _close_html_entity(
    entities: list[Entity], opened: _OpenTag, utf16: int, result: bytes, users: dict[int, Entity] | None
) -> None:
    offset = opened.utf16_offset
    length = utf16 - offset
    name = opened.name
    last = entities[-1] if entities else None
    if name in _HTML_TAG_TYPES:
        entities.append({"type": _HTML_TAG_TYPES[name], "offset": offset, "length": length})
    elif name == "span":
        entities.append({"type": "spoiler", "offset": offset, "length": length})
    elif name == "tg-emoji":
        if opened.argument.isdigit():
            entities.append(
                {"type": "custom_emoji", "offset": offset, "length": length, "custom_emoji_id": opened.argument}
            )
    elif name == "blockquote":
        kind = "expandable_blockquote" if opened.argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})
    elif name == "a":
        url = opened.argument or result[opened.result_pos :].decode("utf-8", "replace")
        link = _link_entity(url, offset, length, users)
        if link is not None:
            entities.append(link)
    elif name == "pre":
        if (
            last is not None and last["type"] == "code" and last["offset"] == offset
            and last["length"] == length and last.get("language")
        ):
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif name == "code":
        if (
            last is not None and last["type"] == "pre" and last["offset"] == offset
            and last["length"] == length and opened.argument
        ):
            last["language"] = opened.argument
        else:
            entity: Entity = {"type": "code", "offset": offset, "length": length}
            if opened.argument:
                entity["language"] = opened.argument
            entities.append(entity)


# ---------------------------------------------------------------------------------------- MarkdownV2

_MDV2_RESERVED = b"_*[]()~`>#+-=|{}.!"
_MDV2_TYPE_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "code": "Code", "pre": "Pre", "pre_code": "PreCode", "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _OpenMarkdown:
    kind: str
    argument: str
    utf16_offset: int
    byte_offset: int
    result_pos: int


def parse_markdown_v2(text: str, users: dict[int, Entity] | None = None) -> tuple[str, list[Entity]]:
    """tdlib's parse_markdown_v2, including '>' blockquotes at the start of lines."""
    data = text.encode("utf-8", "surrogatepass")
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    def reserved_error(byte: int) -> EntityParseError:
        return EntityParseError(f"Character '{chr(byte)}' is reserved and must be escaped with the preceding '\\'")

    result = bytearray()
    entities: list[Entity] = []
    stack: list[_OpenMarkdown] = []
    utf16 = 0
    quote_start: int | None = None
    quote_expandable = False
    i = 0
    while i < size:
        byte = data[i]
        in_code = bool(stack) and stack[-1].kind in ("code", "pre", "pre_code")
        at_line_start = i == 0 or data[i - 1] == ord("\n")
        if byte == ord(">") and at_line_start and not in_code:
            if quote_start is None:
                quote_start, quote_expandable = utf16, False
            i += 1
            continue
        if (
            not in_code and at_line_start and quote_start is None
            and data[i : i + 3] == b"**>"
        ):
            quote_start, quote_expandable = utf16, True
            i += 3
            continue
        if byte == ord("\n") and quote_start is not None and at(i + 1) != ord(">"):
            if utf16 > quote_start:
                kind = "expandable_blockquote" if quote_expandable else "blockquote"
                entities.append({"type": kind, "offset": quote_start, "length": utf16 - quote_start})
            quote_start = None
        if byte == ord("\\") and 0 < at(i + 1) <= 126:
            i += 1
            utf16 += 1
            result.append(data[i])
            i += 1
            continue
        reserved = b"`" if in_code else _MDV2_RESERVED
        if byte not in reserved:
            utf16 += _code_units(byte)
            result.append(byte)
            i += 1
            continue
        # '||' closes an expandable quote at the end of its last line.
        if (
            quote_expandable and quote_start is not None and data[i : i + 2] == b"||"
            and at(i + 2) in (0, ord("\n"))
        ):
            i += 2
            continue

        closes = bool(stack) and _markdown_closes(stack[-1].kind, data, i)
        if not closes:
            entity_byte_offset = i
            argument = ""
            if byte == ord("_"):
                if at(i + 1) == ord("_"):
                    kind = "underline"
                    i += 1
                else:
                    kind = "italic"
            elif byte == ord("*"):
                kind = "bold"
            elif byte == ord("~"):
                kind = "strikethrough"
            elif byte == ord("|"):
                if at(i + 1) != ord("|"):
                    raise reserved_error(byte)
                kind = "spoiler"
                i += 1
            elif byte == ord("["):
                kind = "text_link"
            elif byte == ord("`"):
                if at(i + 1) == ord("`") and at(i + 2) == ord("`"):
                    i += 3
                    kind = "pre"
                    language_end = i
                    while at(language_end) not in _SPACES and at(language_end) != ord("`"):
                        language_end += 1
                    if i != language_end and language_end < size and at(language_end) != ord("`"):
                        kind = "pre_code"
                        argument = data[i:language_end].decode("utf-8", "replace")
                        i = language_end
                    if at(i) in (ord("\n"), ord("\r")):
                        if at(i + 1) in (ord("\n"), ord("\r")) and at(i) != at(i + 1):
                            i += 2
                        else:
                            i += 1
                    i -= 1
                else:
                    kind = "code"
            elif byte == ord("!"):
                if at(i + 1) != ord("["):
                    raise reserved_error(byte)
                kind = "custom_emoji"
                i += 1
            else:
                raise reserved_error(byte)
            stack.append(_OpenMarkdown(kind, argument, utf16, entity_byte_offset, len(result)))
            i += 1
            continue

        opened = stack.pop()
        skip = utf16 == opened.utf16_offset
        argument = opened.argument
        if opened.kind in ("underline", "spoiler"):
            i += 1
        elif opened.kind in ("pre", "pre_code"):
            i += 2
        elif opened.kind in ("text_link", "custom_emoji"):
            if at(i + 1) != ord("("):
                url = result[opened.result_pos :].decode("utf-8", "replace")
            else:
                i += 2
                url_begin = i
                url_bytes = bytearray()
                while i < size and data[i] != ord(")"):
                    if data[i] == ord("\\") and 0 < at(i + 1) <= 126:
                        url_bytes.append(data[i + 1])
                        i += 2
                        continue
                    url_bytes.append(data[i])
                    i += 1
                if at(i) != ord(")"):
                    raise EntityParseError(f"Can't find end of a URL at byte offset {url_begin}")
                url = url_bytes.decode("utf-8", "replace")
            argument = url
        i += 1
        if skip:
            continue
        length = utf16 - opened.utf16_offset
        if opened.kind == "text_link":
            link = _link_entity(argument, opened.utf16_offset, length, users)
            if link is not None:
                entities.append(link)
        elif opened.kind == "custom_emoji":
            emoji_id = argument.removeprefix("tg://emoji?id=")
            if emoji_id.isdigit():
                entities.append(
                    {"type": "custom_emoji", "offset": opened.utf16_offset, "length": length,
                     "custom_emoji_id": emoji_id}
                )
        elif opened.kind == "pre_code":
            entities.append({"type": "pre", "offset": opened.utf16_offset, "length": length, "language": argument})
        else:
            entities.append({"type": opened.kind, "offset": opened.utf16_offset, "length": length})

    if stack:
        opened = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MDV2_TYPE_NAMES[opened.kind]} entity at byte offset {opened.byte_offset}"
        )
    if quote_start is not None and utf16 > quote_start:
        kind = "expandable_blockquote" if quote_expandable else "blockquote"
        entities.append({"type": kind, "offset": quote_start, "length": utf16 - quote_start})
    return result.decode("utf-8", "replace"), sort_entities(entities)


def _markdown_closes(kind: str, data: bytes, i: int) -> bool:
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    byte = data[i]
    if kind == "bold":
        return byte == ord("*")
    if kind == "italic":
        return byte == ord("_") and at(i + 1) != ord("_")
    if kind == "code":
        return byte == ord("`")
    if kind in ("pre", "pre_code"):
        return byte == ord("`") and at(i + 1) == ord("`") and at(i + 2) == ord("`")
    if kind in ("text_link", "custom_emoji"):
        return byte == ord("]")
    if kind == "underline":
        return byte == ord("_") and at(i + 1) == ord("_")
    if kind == "strikethrough":
        return byte == ord("~")
    if kind == "spoiler":
        return byte == ord("|") and at(i + 1) == ord("|")
    return False


# ------------------------------------------------------------------------------------ legacy Markdown


def parse_markdown(text: str, users: dict[int, Entity] | None = None) -> tuple[str, list[Entity]]:
    """tdlib's parse_markdown (parse_mode "Markdown", the legacy one)."""
    data = text.encode("utf-8", "surrogatepass")
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    result = bytearray()
    entities: list[Entity] = []
    utf16 = 0
    i = 0
    while i < size:
        byte = data[i]
        if byte == ord("\\") and at(i + 1) in b"_*`[":
            result.append(data[i + 1])
            utf16 += 1
            i += 2
            continue
        if byte not in b"_*`[":
            utf16 += _code_units(byte)
            result.append(byte)
            i += 1
            continue
        begin = i
        end_byte = ord("]") if byte == ord("[") else byte
        is_pre = False
        language = ""
        i += 1
        if byte == ord("`") and at(i) == ord("`") and at(i + 1) == ord("`"):
            i += 2
            is_pre = True
            language_end = i
            while at(language_end) not in _SPACES and at(language_end) != ord("`"):
                language_end += 1
            if i != language_end and language_end < size and at(language_end) != ord("`"):
                language = data[i:language_end].decode("utf-8", "replace")
                i = language_end
            if at(i) in (ord("\n"), ord("\r")):
                if at(i + 1) in (ord("\n"), ord("\r")) and at(i) != at(i + 1):
                    i += 2
                else:
                    i += 1
        entity_offset = utf16
        while i < size and (data[i] != end_byte or (is_pre and not (at(i + 1) == ord("`") and at(i + 2) == ord("`")))):
            utf16 += _code_units(data[i])
            result.append(data[i])
            i += 1
        if i == size:
            raise EntityParseError(f"Can't find end of the entity starting at byte offset {begin}")
        if entity_offset != utf16:
            length = utf16 - entity_offset
            if byte == ord("_"):
                entities.append({"type": "italic", "offset": entity_offset, "length": length})
            elif byte == ord("*"):
                entities.append({"type": "bold", "offset": entity_offset, "length": length})
            elif byte == ord("["):
                if at(i + 1) != ord("("):
                    url = data[begin + 1 : i].decode("utf-8", "replace")
                else:
                    i += 2
                    url_start = i
                    while i < size and data[i] != ord(")"):
                        i += 1
                    url = data[url_start:i].decode("utf-8", "replace")
                link = _link_entity(url, entity_offset, length, users)
                if link is not None:
                    entities.append(link)
            elif is_pre:
                entity: Entity = {"type": "pre", "offset": entity_offset, "length": length}
                if language:
                    entity["language"] = language
                entities.append(entity)
            else:
                entities.append({"type": "code", "offset": entity_offset, "length": length})
        if is_pre:
            i += 2
        i += 1
    return result.decode("utf-8", "replace"), sort_entities(entities)


# ------------------------------------------------------------------------------ automatic entities

_AUTO_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("bot_command", re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")),
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@])")),
    ("url", re.compile(
        r"(?<![\w@/.])(?:https?://[^\s<>\"]+|(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
        r"\.(?:com|org|net|uz|ru|io|me|dev|app|info|biz|edu|gov|co|kz|tj|kg|tm|ai|tech|shop|store)"
        r"(?::\d+)?(?:/[^\s<>\"]*)?)(?![\w@])"
    )),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
    ("cashtag", re.compile(r"(?<![\w$])\$[A-Z]{3,8}(?![\w])")),
]
_NO_AUTO_INSIDE = frozenset({"code", "pre", "text_link", "text_mention", "url", "email"})


def find_auto_entities(text: str) -> list[Entity]:
    """Entities Telegram detects by itself in any message: commands, links, mentions, hashtags."""
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _AUTO_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == "url":
                while end > start and text[end - 1] in ".,;:!?)]}'\"":
                    end -= 1
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append({
                "type": kind,
                "offset": utf16_len(text[:start]),
                "length": utf16_len(text[start:end]),
            })
    return sort_entities(found)


def merge_auto_entities(text: str, entities: list[Entity]) -> list[Entity]:
    """Add detected entities that do not fall inside code, pre or links the sender made."""
    blocked = [(e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in _NO_AUTO_INSIDE]
    merged = list(entities)
    for entity in find_auto_entities(text):
        start, end = entity["offset"], entity["offset"] + entity["length"]
        if not any(start < b_end and b_start < end for b_start, b_end in blocked):
            merged.append(entity)
    return sort_entities(merged)


# ------------------------------------------------------------------------------------ entry points


def strip_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Trim surrounding whitespace as Telegram does and clip the entities to what remains."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    new_length = utf16_len(stripped)
    clipped: list[Entity] = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(new_length, entity["offset"] + entity["length"] - shift)
        if end > start:
            clipped.append({**entity, "offset": start, "length": end - start})
    return stripped, clipped


def validate_explicit_entities(text: str, raw: Any) -> list[Entity]:
    """Entities given by the bot instead of parse_mode: keep well-formed ones inside the text."""
    if not isinstance(raw, list):
        raise EntityParseError("entities must be an Array")
    total = utf16_len(text)
    entities: list[Entity] = []
    for item in raw:
        if not isinstance(item, dict):
            raise EntityParseError("MessageEntity must be an Object")
        kind, offset, length = item.get("type"), item.get("offset"), item.get("length")
        if not isinstance(kind, str) or not isinstance(offset, int) or not isinstance(length, int):
            raise EntityParseError("MessageEntity must have type, offset and length")
        if length <= 0 or offset < 0 or offset >= total:
            continue
        entity = {k: v for k, v in item.items() if k in ("type", "offset", "length", "url", "language",
                                                        "user", "custom_emoji_id")}
        entity["length"] = min(length, total - offset)
        entities.append(entity)
    return sort_entities(entities)


def parse_formatted_text(
    text: str,
    parse_mode: str | None,
    explicit_entities: Any = None,
    *,
    users: dict[int, Entity] | None = None,
    detect: bool = True,
) -> tuple[str, list[Entity]]:
    """Plain text and entities for `text` as Telegram stores it. Raises EntityParseError.

    Unknown parse modes raise ValueError("unsupported parse_mode").
    """
    mode = (parse_mode or "").strip().lower()
    if mode in ("", "none"):
        entities = validate_explicit_entities(text, explicit_entities) if explicit_entities else []
        plain = text
    elif mode == "html":
        plain, entities = parse_html(text, users)
    elif mode == "markdownv2":
        plain, entities = parse_markdown_v2(text, users)
    elif mode == "markdown":
        plain, entities = parse_markdown(text, users)
    else:
        raise ValueError("unsupported parse_mode")
    plain, entities = strip_text(plain, entities)
    if detect:
        entities = merge_auto_entities(plain, entities)
    return plain, entities
