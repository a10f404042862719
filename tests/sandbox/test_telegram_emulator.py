"""A real aiogram bot against the emulator: everything a bot can get wrong with Telegram."""

import asyncio
import io
import time

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from PIL import Image

from sandbox.telegram import SandboxClient, TelegramEmulator
from sandbox.telegram.testing import TEST_TOKEN, close_bot, make_bot, polling

BOT_ID = int(TEST_TOKEN.split(":")[0])


def png(width: int, height: int, color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def build_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message(CommandStart(deep_link=True))
    async def start_with_payload(message: Message, command: CommandObject) -> None:
        await message.answer(f"start:{command.args}")

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("<b>Xush kelibsiz</b>, " + (message.from_user.first_name if message.from_user else ""),
                             parse_mode="HTML")

    @dp.message(Command("help"))
    async def help_command(message: Message) -> None:
        await message.answer("help")

    @dp.message(Command("menu"))
    async def menu(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text="✅ Approve", callback_data="ap:1:y"),
             InlineKeyboardButton(text="❌ Reject", callback_data="ap:1:n")],
            [InlineKeyboardButton(text="Docs", url="https://example.com/docs")],
        ])
        await message.answer("Expense 500 000 so'm", reply_markup=keyboard)

    @dp.message(Command("keyboard"))
    async def reply_keyboard(message: Message) -> None:
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="📊 Summary"), KeyboardButton(text="📱 Phone", request_contact=True)]],
            resize_keyboard=True,
        )
        await message.answer("Choose", reply_markup=keyboard)

    @dp.message(Command("hide"))
    async def hide_keyboard(message: Message) -> None:
        await message.answer("hidden", reply_markup=ReplyKeyboardRemove())

    @dp.callback_query(F.data.startswith("ap:"))
    async def decide(callback: CallbackQuery) -> None:
        decision = (callback.data or "").rsplit(":", 1)[1]
        await callback.answer("Approved" if decision == "y" else "Rejected", show_alert=decision == "n")
        if isinstance(callback.message, Message):
            await callback.message.edit_text(f"Decision: {decision}")

    @dp.message(F.photo)
    async def photo(message: Message, bot: Bot) -> None:
        largest = message.photo[-1] if message.photo else None
        assert largest is not None
        data = await bot.download(largest)
        assert data is not None
        size = Image.open(io.BytesIO(data.read())).size
        await message.answer(f"photo {largest.width}x{largest.height} read {size[0]}x{size[1]} "
                             f"sizes={len(message.photo or [])} caption={message.caption}")

    @dp.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        data = await bot.download(message.document)
        assert data is not None
        await message.answer(f"doc {message.document.file_name} {data.read().decode()}")

    @dp.message(F.location)
    async def location(message: Message) -> None:
        assert message.location is not None
        await message.answer(f"loc {message.location.latitude:.4f},{message.location.longitude:.4f} "
                             f"live={message.location.live_period}")

    @dp.edited_message(F.location)
    async def moved(message: Message) -> None:
        assert message.location is not None
        await message.answer(f"moved {message.location.latitude:.4f}")

    @dp.message(F.contact)
    async def contact(message: Message) -> None:
        assert message.contact is not None
        await message.answer(f"contact {message.contact.phone_number} own={message.contact.user_id}")

    @dp.my_chat_member()
    async def membership(event: ChatMemberUpdated) -> None:
        seen_membership.append(event.new_chat_member.status)

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Echo: {message.text}")

    return dp


seen_membership: list[str] = []


@pytest.fixture
async def emulator():
    emulator = TelegramEmulator(webhook_retry_initial=0.05, webhook_retry_max=0.2)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def sandbox(emulator):
    async with SandboxClient(emulator.base_url) as client:
        await client.register_bot(TEST_TOKEN)
        yield client


@pytest.fixture
async def bot(emulator):
    bot = make_bot(emulator.base_url)
    yield bot
    await close_bot(bot)


@pytest.fixture
async def running(bot):
    """The test dispatcher polling the emulator."""
    async with polling(build_dispatcher(), bot, handle_as_tasks=False):
        yield bot


async def started_user(sandbox, name="Ali"):
    """A user who has written to the bot, so the bot may message them."""
    user = await sandbox.create_user(name)
    await user.send("hi")
    return user


# ------------------------------------------------------------------------------------------- polling


async def test_get_me_identifies_each_token_as_its_own_bot(emulator):
    for token, bot_id in (("111:aaa", 111), ("222:bbb", 222)):
        bot = make_bot(emulator.base_url, token)
        me = await bot.get_me()
        await close_bot(bot)
        assert (me.id, me.is_bot, me.username) == (bot_id, True, f"smartsavdo_{bot_id}_bot")
        assert me.first_name == "Smart Savdo"


async def test_get_updates_offsets_limit_and_long_poll(sandbox, bot):
    user = await sandbox.create_user("Ali")
    for text in ("one", "two", "three"):
        await user.send(text)
    updates = await bot.get_updates(limit=2)
    assert [u.message.text for u in updates if u.message] == ["one", "two"]
    # Confirming with offset forgets earlier updates for good.
    updates = await bot.get_updates(offset=updates[1].update_id + 1)
    assert [u.message.text for u in updates if u.message] == ["three"]
    assert await bot.get_updates(offset=updates[0].update_id + 1) == []
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert time.monotonic() - started >= 0.9
    # A long poll returns as soon as an update arrives.
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.1)
    await user.send("four")
    updates = await asyncio.wait_for(poll, 5)
    assert [u.message.text for u in updates if u.message] == ["four"]


async def test_allowed_updates_filter_new_updates(sandbox, bot):
    user = await sandbox.create_user("Ali")
    await bot.get_updates(allowed_updates=["callback_query"])
    sent = await user.send("ignored")
    assert sent["update_id"] is None and "allowed_updates" in sent["warning"]
    await bot.get_updates(allowed_updates=[])  # back to Telegram's default set
    sent = await user.send("seen")
    assert sent["update_id"] is not None


async def test_polling_bot_echoes_in_order(emulator, sandbox, running):
    user = await sandbox.create_user("Ali")
    for text in ("bir", "ikki", "uch"):
        await user.send(text)
    for text in ("bir", "ikki", "uch"):
        assert (await user.expect()).text == f"Echo: {text}"
    # The dispatcher confirmed everything it processed.
    assert await _wait(lambda: not emulator.state.bots[BOT_ID].pending)


async def _wait(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.02)
    return False


async def test_commands_carry_bot_command_entities(sandbox, bot, running):
    user = await sandbox.create_user("Ali")
    await user.send("/start inv_abc")
    assert (await user.expect()).text == "start:inv_abc"
    await user.send(f"/help@smartsavdo_{BOT_ID}_bot")
    assert (await user.expect()).text == "help"
    first = (await user.messages())[0]
    assert first["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_update_json_is_telegram_shaped(sandbox, bot):
    user = await sandbox.create_user("Ali", username="ali_v", language_code="ru", last_name="Valiyev")
    await user.send("/start")
    [update] = await bot.get_updates()
    message = update.message
    assert message is not None and message.from_user is not None
    assert (message.chat.id, message.chat.type, message.chat.username) == (user.id, "private", "ali_v")
    assert (message.from_user.language_code, message.from_user.is_bot) == ("ru", False)
    assert message.entities and message.entities[0].type == "bot_command"


# ------------------------------------------------------------------------------------------ buttons


async def test_press_inline_button_gets_callback_answer_and_edit(sandbox, running):
    user = await sandbox.create_user("Ali")
    await user.send("/menu")
    menu = await user.expect("Expense")
    assert menu.buttons == [["✅ Approve", "❌ Reject"], ["Docs"]]
    answer = await user.press("✅ Approve")
    assert answer is not None and answer["text"] == "Approved" and answer["show_alert"] is False
    edited = await user.expect("Decision: y")
    assert edited.event == "edited" and edited.message_id == menu.message_id
    assert edited["reply_markup"] is None  # editMessageText without reply_markup drops the keyboard
    assert edited["edits"][0]["text"] == "Expense 500 000 so'm"
    assert edited["edits"][0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ap:1:y"


async def test_press_by_data_and_alert(sandbox, running):
    user = await sandbox.create_user("Ali")
    await user.send("/menu")
    menu = await user.expect("Expense")
    answer = await user.press(data="ap:1:n", message_id=menu.message_id)
    assert answer == {"text": "Rejected", "show_alert": True, "url": None, "cache_time": 0}


async def test_reply_keyboard_is_kept_per_chat(sandbox, running):
    user = await sandbox.create_user("Ali", phone_number="+998901112233")
    await user.send("/keyboard")
    await user.expect("Choose")
    assert await user.reply_keyboard() == [["📊 Summary", "📱 Phone"]]
    await user.press_reply("📊 Summary")
    assert (await user.expect()).text == "Echo: 📊 Summary"
    await user.press_reply("📱 Phone")
    assert (await user.expect()).text == f"contact +998901112233 own={user.id}"
    await user.send("/hide")
    await user.expect("hidden")
    assert await user.reply_keyboard() is None


# ------------------------------------------------------------------------------------ bad requests


async def test_edit_errors(sandbox, bot):
    user = await started_user(sandbox)
    sent = await bot.send_message(user.id, "Hisobot tayyor")
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.edit_message_text("Hisobot tayyor", chat_id=user.id, message_id=sent.message_id)
    assert caught.value.message == (
        "Bad Request: message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )
    # Same plain text but different formatting is a modification.
    await bot.edit_message_text("<b>Hisobot</b> tayyor", chat_id=user.id, message_id=sent.message_id,
                                parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=user.id, message_id=999)
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=user.id, message_id=1)  # the user's "hi"
    with pytest.raises(TelegramBadRequest, match="there is no caption in the message to edit"):
        await bot.edit_message_caption(chat_id=user.id, message_id=sent.message_id, caption="c")
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(user.id, 999)
    assert await bot.delete_message(user.id, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("again", chat_id=user.id, message_id=sent.message_id)
    view = (await user.messages())[-1]
    assert view["deleted"] is True and view["edited"] is True and view["html"] == "<b>Hisobot</b> tayyor"


async def test_html_parse_errors_and_lengths(sandbox, bot):
    user = await started_user(sandbox)
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.send_message(user.id, "Narx <foo> 5000", parse_mode="HTML")
    assert caught.value.message == 'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 5'
    with pytest.raises(TelegramBadRequest, match="Can't find end tag corresponding to start tag \"b\""):
        await bot.send_message(user.id, "<b>open", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match=r"Character '\.' is reserved"):
        await bot.send_message(user.id, "5.0", parse_mode="MarkdownV2")
    with pytest.raises(TelegramBadRequest, match=r"Bad Request: message is too long$"):
        await bot.send_message(user.id, "a" * 4097)
    # The limit counts text after entity parsing, so markup does not count.
    long_html = await bot.send_message(user.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    assert len(long_html.text or "") == 4096
    with pytest.raises(TelegramBadRequest, match=r"Bad Request: message text is empty$"):
        await bot.send_message(user.id, "   ")
    with pytest.raises(TelegramBadRequest, match=r"Bad Request: message text is empty$"):
        await bot.send_message(user.id, "<b></b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match=r"Bad Request: message caption is too long$"):
        await bot.send_photo(user.id, BufferedInputFile(png(10, 10), "p.png"), caption="c" * 1025)
    with pytest.raises(TelegramBadRequest, match="unsupported parse_mode"):
        await bot.send_message(user.id, "x", parse_mode="BBCode")
    ok = await bot.send_message(user.id, "<i>Sotuv</i> &amp; <a href='https://regos.uz'>REGOS</a>", parse_mode="HTML")
    assert ok.text == "Sotuv & REGOS"
    assert [e.type for e in ok.entities or []] == ["italic", "text_link"]
    view = (await user.messages())[-1]
    assert view["html"] == "<i>Sotuv</i> &amp; <a href='https://regos.uz'>REGOS</a>"


async def test_keyboard_validation(sandbox, bot):
    user = await started_user(sandbox)
    too_long = "x" * 65
    with pytest.raises(TelegramBadRequest, match=r"Bad Request: BUTTON_DATA_INVALID$"):
        await bot.send_message(user.id, "pick", reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="A", callback_data=too_long)]]))
    cyrillic_33 = "я" * 33  # 66 bytes in UTF-8: over the limit though only 33 characters
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "pick", reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="A", callback_data=cyrillic_33)]]))
    await bot.send_message(user.id, "pick", reply_markup=InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="x" * 64)]]))
    response = await sandbox.http.post(f"/bot{TEST_TOKEN}/sendMessage", json={
        "chat_id": user.id, "text": "bad", "reply_markup": {"inline_keyboard": [{"text": "A", "callback_data": "a"}]},
    })
    assert response.status_code == 400
    assert response.json() == {
        "ok": False, "error_code": 400,
        "description": 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
    }


async def test_chat_errors(sandbox, bot):
    with pytest.raises(TelegramBadRequest, match=r"Bad Request: chat not found$"):
        await bot.send_message(424242, "hello")
    stranger = await sandbox.create_user("Stranger")
    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation with a user"):
        await bot.send_message(stranger.id, "hello")


# ---------------------------------------------------------------------------------- limits / blocking


async def test_rate_limit_answers_429_with_retry_after(sandbox, bot):
    user = await started_user(sandbox)
    await sandbox.set_limits(per_chat_per_sec=1, retry_after=3)
    await bot.send_message(user.id, "first")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(user.id, "second")
    assert caught.value.retry_after == 3
    assert "Original description: Too Many Requests: retry after 3" in caught.value.message
    await sandbox.disable_limits()
    await bot.send_message(user.id, "third")
    texts = [m.text for m in await user.bot_messages()]
    assert texts == ["first", "third"]


async def test_global_limit_computes_retry_after(sandbox, bot):
    users = [await started_user(sandbox, f"U{i}") for i in range(3)]
    await sandbox.set_limits(per_chat_per_sec=None, global_per_sec=2, global_burst=2)
    await bot.send_message(users[0].id, "a")
    await bot.send_message(users[1].id, "b")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(users[2].id, "c")
    assert caught.value.retry_after == 1


async def test_injected_fault(sandbox, bot):
    user = await started_user(sandbox)
    await sandbox.add_fault("sendMessage", error_code=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(user.id, "x")
    assert caught.value.retry_after == 7
    await bot.send_message(user.id, "x")  # the fault was used up


async def test_blocked_user_gets_403_and_bot_sees_my_chat_member(sandbox, bot, running):
    seen_membership.clear()
    user = await started_user(sandbox)
    await user.expect("Echo: hi")
    await user.block()
    with pytest.raises(TelegramForbiddenError) as caught:
        await bot.send_message(user.id, "still there?")
    assert caught.value.message == "Forbidden: bot was blocked by the user"
    assert await _wait(lambda: seen_membership == ["kicked"])
    await user.unblock()
    assert await _wait(lambda: seen_membership == ["kicked", "member"])
    await bot.send_message(user.id, "welcome back")


# -------------------------------------------------------------------------------------------- files


async def test_bot_upload_get_file_download_round_trip(sandbox, bot):
    user = await started_user(sandbox)
    sent = await bot.send_document(user.id, BufferedInputFile(b"id;sum\n1;500000\n", "sotuv.csv"),
                                   caption="<b>Sotuv</b>", parse_mode="HTML")
    assert sent.document is not None and sent.document.file_name == "sotuv.csv"
    assert sent.document.mime_type == "text/csv"
    file = await bot.get_file(sent.document.file_id)
    assert file.file_path and file.file_path.startswith("documents/")
    data = await bot.download_file(file.file_path)
    assert data is not None and data.read() == b"id;sum\n1;500000\n"
    view = (await user.messages())[-1]
    assert view["document"]["file_name"] == "sotuv.csv" and view["caption"] == "Sotuv"
    assert await sandbox.download(view) == b"id;sum\n1;500000\n"
    # Re-sending by file_id keeps the file.
    again = await bot.send_document(user.id, sent.document.file_id)
    assert again.document is not None and again.document.file_unique_id == sent.document.file_unique_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier/HTTP URL specified"):
        await bot.send_document(user.id, "AAAAnotafileid")
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("AAAAnotafileid")


async def test_bot_photo_has_size_ladder(sandbox, bot):
    user = await started_user(sandbox)
    sent = await bot.send_photo(user.id, BufferedInputFile(png(2000, 1000), "big.png"))
    assert sent.photo is not None
    assert [(p.width, p.height) for p in sent.photo] == [(90, 45), (320, 160), (800, 400), (1280, 640), (2000, 1000)]
    largest = sent.photo[-1]
    data = await bot.download(largest.file_id)
    assert data is not None and Image.open(data).size == (2000, 1000)
    with pytest.raises(TelegramBadRequest, match=r"Bad Request: IMAGE_PROCESS_FAILED$"):
        await bot.send_photo(user.id, BufferedInputFile(b"not an image", "x.jpg"))
    with pytest.raises(TelegramBadRequest, match="can't use file of type Photo as Document"):
        await bot.send_document(user.id, largest.file_id)


async def test_user_photo_album_document_location_contact(sandbox, running):
    user = await sandbox.create_user("Ali")
    await user.send_photo(png(1000, 600), caption="invoice")
    assert (await user.expect("photo")).text == "photo 1000x600 read 1000x600 sizes=4 caption=invoice"
    album = await user.send_album([png(100, 100), png(120, 100, "blue")], caption="two")
    assert len(album["message_ids"]) == 2 and album["media_group_id"]
    await user.expect("caption=two")
    await user.expect("caption=None")
    await user.send_document(b"hello", "note.txt")
    assert (await user.expect("doc")).text == "doc note.txt hello"
    sent = await user.send_location(41.3111, 69.2797, live_period=900)
    assert (await user.expect("loc")).text == "loc 41.3111,69.2797 live=900"
    await user.move_live_location(sent["message_id"], 41.4, 69.3)
    assert (await user.expect("moved")).text == "moved 41.4000"
    await user.send_contact("+998901234567")
    assert (await user.expect("contact")).text == f"contact +998901234567 own={user.id}"


async def test_same_bytes_get_same_file_unique_id(sandbox, bot):
    user = await sandbox.create_user("Ali")
    image = png(50, 50)
    await user.send_photo(image)
    await user.send_photo(image)
    first, second = [u.message.photo[-1] for u in await bot.get_updates() if u.message and u.message.photo]
    assert first.file_unique_id == second.file_unique_id
    assert first.file_id != second.file_id


async def test_bot_media_group_location_chat_action_and_commands(sandbox, bot):
    user = await started_user(sandbox)
    messages = await bot.send_media_group(user.id, [
        InputMediaPhoto(media=BufferedInputFile(png(30, 30), "a.png"), caption="<b>A</b>", parse_mode="HTML"),
        InputMediaPhoto(media=BufferedInputFile(png(40, 30), "b.png")),
    ])
    assert len(messages) == 2 and messages[0].media_group_id == messages[1].media_group_id
    assert messages[0].caption == "A"
    await bot.send_location(user.id, 41.3, 69.2)
    assert await bot.send_chat_action(user.id, "typing")
    with pytest.raises(TelegramBadRequest, match="wrong parameter action in request"):
        await bot.send_chat_action(user.id, "dancing")
    from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

    await bot.set_my_commands([BotCommand(command="start", description="Boshlash")],
                              scope=BotCommandScopeAllPrivateChats(), language_code="uz")
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(),
                                                         language_code="uz")] == ["start"]
    assert await bot.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Command", description="x")])
    chat = await sandbox.chat(user.id)
    assert chat["chat_actions"][-1]["action"] == "typing"
    assert chat["commands"] == [{"command": "start", "description": "Boshlash"}]  # user language is uz
    copied = await bot.copy_message(user.id, user.id, messages[0].message_id, caption="copy")
    view = (await user.messages())[-1]
    assert view["message_id"] == copied.message_id and view["caption"] == "copy" and view["photo"]
    full = await bot.get_chat(user.id)
    assert full.type == "private" and full.first_name == "Ali"


# ------------------------------------------------------------------------------------------ webhook


async def test_webhook_push_with_secret_and_redelivery(sandbox, bot, aiohttp_server_factory):
    received: list[tuple[dict, str | None]] = []

    async def handler(request):
        received.append((await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=500 if len(received) == 1 else 200)

    from aiohttp import web

    url = await aiohttp_server_factory(handler)
    assert await bot.set_webhook(url, secret_token="s3cret_Token-1", drop_pending_updates=True)
    with pytest.raises(TelegramConflictError) as caught:
        await bot.get_updates()
    assert caught.value.message == (
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
    )
    user = await sandbox.create_user("Ali")
    await user.send("salom")
    assert await _wait(lambda: len(received) >= 2)
    (first, secret1), (second, secret2) = received[:2]
    assert first == second and first["message"]["text"] == "salom"  # redelivered unchanged
    assert secret1 == secret2 == "s3cret_Token-1"
    info = await bot.get_webhook_info()
    assert info.url == url and info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""


async def test_webhook_with_aiogram_handler_and_reply_in_response(sandbox, bot, aiohttp_server_factory):
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler

    dp = Dispatcher()

    @dp.message(F.text)
    async def answer(message: Message):
        return message.answer(f"webhook: {message.text}")  # returned → sent in the webhook response

    from aiohttp import web

    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token="tok", handle_in_background=False).register(
        app, path="/hook"
    )
    url = await aiohttp_server_factory(app=app, path="/hook")
    await bot.set_webhook(url, secret_token="tok")
    user = await sandbox.create_user("Ali")
    await user.send("qalaysiz")
    assert (await user.expect()).text == "webhook: qalaysiz"
    replies = await sandbox.calls("sendMessage")
    assert replies[-1]["via"] == "webhook_reply"


async def test_webhook_connection_refused_keeps_updates(emulator, sandbox, bot):
    await bot.set_webhook("http://127.0.0.1:9/hook")
    user = await sandbox.create_user("Ali")
    await user.send("x")
    assert await _wait(lambda: emulator.state.bots[BOT_ID].webhook.last_error_message is not None)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1 and info.last_error_message == "Connection refused"
    await bot.delete_webhook()
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.text == "x"


@pytest.fixture
async def aiohttp_server_factory():
    from aiohttp import web

    runners = []

    async def start(handler=None, *, app=None, path="/hook"):
        if app is None:
            app = web.Application()
            app.router.add_post(path, handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}{path}"

    yield start
    for runner in runners:
        await runner.cleanup()
