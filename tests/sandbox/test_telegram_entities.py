"""The emulator's text formatting parsers behave as Telegram's (tdlib's) do."""

import pytest

from sandbox.telegram.entities import (
    EntityParseError,
    find_auto_entities,
    parse_formatted_text,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    utf16_len,
)


def test_html_tags_become_entities_and_text_is_plain():
    source = '<b>Sotuv</b> <i>bugun</i>: <a href="https://regos.uz">REGOS</a> &lt;5&gt; &amp; so&#39;m'
    text, entities = parse_html(source)
    assert text == "Sotuv bugun: REGOS <5> & so'm"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "italic", "offset": 6, "length": 5},
        {"type": "text_link", "offset": 13, "length": 5, "url": "https://regos.uz/"},
    ]


def test_html_offsets_are_utf16_code_units():
    text, entities = parse_html("😀 <b>Пи😀</b>")
    assert text == "😀 Пи😀"
    assert entities == [{"type": "bold", "offset": 3, "length": 4}]
    assert utf16_len(text) == 7


def test_html_pre_with_language_and_nested_tags():
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre><u><s>gone</s></u>'
                                "<tg-spoiler>secret</tg-spoiler><blockquote expandable>q</blockquote>")
    assert text == "x = 1gonesecretq"
    types = {(e["type"], e.get("language")) for e in entities}
    assert ("pre", "python") in types
    assert {"underline", "strikethrough", "spoiler", "expandable_blockquote"} <= {e["type"] for e in entities}


def test_unknown_named_entities_stay_literal_as_in_telegram():
    # tdlib decodes only &lt; &gt; &amp; &quot; and numeric references; anything else is kept as text.
    assert parse_html("Tom &foo; Jerry &#x41;")[0] == "Tom &foo; Jerry A"


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("ok <br>", 'Unsupported start tag "br" at byte offset 3'),
        ("Narx <5000 so'm", 'Unsupported start tag "5000" at byte offset 5'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x </b>", "Unexpected end tag at byte offset 2"),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ('<a href="x>y', "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_html_errors_have_telegram_wording(source, error):
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value) == error


def test_byte_offsets_in_errors_count_utf8_bytes():
    # "Сумма " is 5 Cyrillic letters (2 bytes each) and a space: the tag starts at byte 11, not character 6.
    with pytest.raises(EntityParseError, match='Unsupported start tag "x" at byte offset 11'):
        parse_html("Сумма <x>")


def test_markdown_v2_entities_and_escapes():
    text, entities = parse_markdown_v2(r"*bold* _it_ __under__ ~st~ ||sp|| [link](https://t.me/x) `c` 5\.0 \- ok")
    assert text == "bold it under st sp link c 5.0 - ok"
    assert [e["type"] for e in entities] == [
        "bold", "italic", "underline", "strikethrough", "spoiler", "text_link", "code",
    ]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("Total: 5.0", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("a - b", "Character '-' is reserved and must be escaped with the preceding '\\'"),
        ("*bold", "Can't find end of Bold entity at byte offset 0"),
        ("x _it", "Can't find end of Italic entity at byte offset 2"),
    ],
)
def test_markdown_v2_errors(source, error):
    with pytest.raises(EntityParseError) as caught:
        parse_markdown_v2(source)
    assert str(caught.value) == error


def test_markdown_v2_blockquote_lines():
    text, entities = parse_markdown_v2(">first\n>second\nafter")
    assert text == "first\nsecond\nafter"
    assert entities == [{"type": "blockquote", "offset": 0, "length": 12}]


def test_legacy_markdown():
    text, entities = parse_markdown("*b* _i_ `c` [t](https://x.uz)")
    assert text == "b i c t"
    assert [e["type"] for e in entities] == ["bold", "italic", "code", "text_link"]
    with pytest.raises(EntityParseError, match="Can't find end of the entity starting at byte offset 0"):
        parse_markdown("*open")


def test_formatted_text_is_trimmed_and_entities_clipped():
    text, entities = parse_formatted_text("  <b> Salom </b>\n\n", "HTML")
    assert text == "Salom"
    assert {"type": "bold", "offset": 0, "length": 5} in entities


def test_unsupported_parse_mode():
    with pytest.raises(ValueError, match="unsupported parse_mode"):
        parse_formatted_text("x", "BBCode")


def test_auto_entities_commands_links_mentions():
    entities = find_auto_entities(
        "/start inv_abc then /help@smartsavdo_1_bot, see https://regos.uz or @ali_vali #sotuv"
    )
    kinds = [(e["type"], e["offset"], e["length"]) for e in entities]
    assert ("bot_command", 0, 6) in kinds
    assert ("bot_command", 20, 22) in kinds
    assert {"url", "mention", "hashtag"} <= {e["type"] for e in entities}


def test_auto_entities_skip_code():
    _, entities = parse_formatted_text("<code>/notacommand</code> /help", "HTML")
    assert [e["type"] for e in entities] == ["code", "bot_command"]
