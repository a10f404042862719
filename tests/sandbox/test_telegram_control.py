"""The control API (/_sandbox/) and the raw Bot API transport, without aiogram."""

import asyncio
import base64

import pytest

from sandbox.telegram import SandboxError

TOKEN = "777000:control-test"


async def bot_call(sandbox, method, **params):
    response = await sandbox.http.post(f"/bot{TOKEN}/{method}", json=params)
    return response.status_code, response.json()


async def control(sandbox, method, path, body=None, **params):
    response = await sandbox.http.request(method, f"/_sandbox{path}", json=body, params=params or None)
    return response.status_code, response.json()


# ------------------------------------------------------------------------------------------ users


async def test_users_get_increasing_ids_and_reset_restarts_them(sandbox):
    first = await sandbox.create_user("Ali", username="ali")
    second = await sandbox.create_user("Vali", language_code="ru")
    assert (first.id, second.id) == (100001, 100002)
    assert [u["first_name"] for u in await sandbox.users()] == ["Ali", "Vali"]
    await sandbox.reset()
    assert await sandbox.users() == []
    assert (await sandbox.create_user("Sami")).id == 100001


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "first_name is required"),
        ({"first_name": "  "}, 400, "first_name is required"),
        ({"first_name": "A", "username": "bad name"}, 400, "username may contain only"),
        ({"first_name": "A", "language_code": 5}, 400, "language_code must be a string"),
    ],
)
async def test_create_user_validation(sandbox, body, status, error):
    code, answer = await control(sandbox, "POST", "/users", body)
    assert code == status and error in answer["error"]


async def test_duplicate_username_conflicts(sandbox):
    await sandbox.create_user("Ali", username="ali")
    with pytest.raises(SandboxError) as caught:
        await sandbox.create_user("Ali 2", username="ALI")
    assert caught.value.status == 409


async def test_malformed_json_and_unknown_things(sandbox):
    response = await sandbox.http.post(
        "/_sandbox/users", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json() == {"error": "body must be JSON"}
    assert await control(sandbox, "POST", "/users/999/send", {"text": "x"}) == (404, {"error": "unknown user 999"})
    assert (await control(sandbox, "GET", "/chats/abc/messages"))[0] == 400
    code, answer = await control(sandbox, "GET", "/nope")
    assert code == 404 and "no such endpoint" in answer["error"]
    assert (await control(sandbox, "GET", "/files/nothing"))[0] == 404


# ------------------------------------------------------------------------------------------- send


async def test_send_waits_briefly_for_the_first_bot(sandbox):
    user = await sandbox.create_user("Ali")
    sending = asyncio.create_task(user.send("/start"))
    await asyncio.sleep(0.1)
    assert not sending.done()
    await bot_call(sandbox, "getMe")  # the bot starts
    assert (await sending)["message_id"] == 1
    await sandbox.reset(full=True)
    await sandbox.settings(bot_wait=0)
    user = await sandbox.create_user("Ali")
    with pytest.raises(SandboxError) as caught:
        await user.send("/start")
    assert caught.value.status == 409 and "no bot is connected" in caught.value.error


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "send exactly one of"),
        ({"text": "a", "location": {"latitude": 1, "longitude": 2}}, "send exactly one of"),
        ({"text": ""}, "text must be a non-empty string"),
        ({"photo": "%%%"}, "photo is not valid base64"),
        ({"document": base64.b64encode(b"x").decode()}, None),
        ({"location": {"latitude": 91, "longitude": 0}}, "latitude must be between"),
        ({"location": "Tashkent"}, "location must be an object"),
        ({"contact": {"first_name": "A"}}, "contact must be an object with phone_number"),
        ({"album": [{"photo": "aGk="}]}, "album must be a list of 2 to 10 items"),
        ({"text": "x", "reply_to_message_id": 99}, "no message 99 to reply to"),
    ],
)
async def test_send_validation(sandbox, body, error):
    await sandbox.register_bot(TOKEN)
    user = await sandbox.create_user("Ali")
    code, answer = await control(sandbox, "POST", f"/users/{user.id}/send", body)
    if error is None:
        assert code == 200
    else:
        assert code == 400 and error in answer["error"], answer


async def test_blocked_user_cannot_send(sandbox):
    await sandbox.register_bot(TOKEN)
    user = await sandbox.create_user("Ali")
    await user.block()
    with pytest.raises(SandboxError) as caught:
        await user.send("hi")
    assert caught.value.status == 409 and "unblock" in caught.value.error


# ------------------------------------------------------------------------------------------ press


async def test_press_errors_and_unanswered_press(sandbox):
    await sandbox.register_bot(TOKEN)
    user = await sandbox.create_user("Ali")
    await user.send("/start")
    keyboard = {"inline_keyboard": [[{"text": "Ha", "callback_data": "yes"}, {"text": "Sayt", "url": "https://x.uz"}]]}
    _, sent = await bot_call(sandbox, "sendMessage", chat_id=user.id, text="Tasdiqlaysizmi?", reply_markup=keyboard)
    message_id = sent["result"]["message_id"]
    cases = [
        ({"text": "Yo'q", "message_id": message_id}, "no inline button with text \"Yo'q\"; buttons: ['Ha', 'Sayt']"),
        ({"text": "Sayt"}, "'Sayt' is a url button"),
        ({"text": "Ha", "message_id": 1}, "sent by the user"),
        ({"text": "Ha", "message_id": 50}, "no message 50"),
        ({"message_id": message_id}, "either text"),
        ({"text": "Ha", "data": "yes"}, "either text"),
    ]
    for body, error in cases:
        code, answer = await control(sandbox, "POST", f"/users/{user.id}/press", body)
        assert code == 400 and error in answer["error"], (body, answer)
    # Nobody answers: the press returns null after its timeout; with wait=false at once.
    assert await user.press("Ha", timeout=0.2) is None
    code, answer = await control(sandbox, "POST", f"/users/{user.id}/press", {"data": "yes", "wait": False})
    assert code == 200 and answer["callback_answer"] is None and answer["update_id"]
    _, updates = await bot_call(sandbox, "getUpdates")
    callback = updates["result"][-1]["callback_query"]
    assert callback["data"] == "yes" and callback["message"]["message_id"] == message_id
    assert callback["message"]["reply_markup"] == keyboard and callback["from"]["id"] == user.id
    assert isinstance(callback["chat_instance"], str) and isinstance(callback["id"], str)


async def test_callback_answers_expire(sandbox, emulator):
    await sandbox.register_bot(TOKEN)
    await sandbox.settings(callback_query_ttl=0.05)
    user = await sandbox.create_user("Ali")
    await user.send("/start")
    await bot_call(sandbox, "sendMessage", chat_id=user.id, text="?",
                   reply_markup={"inline_keyboard": [[{"text": "Ha", "callback_data": "yes"}]]})
    await user.press("Ha", wait=False)
    _, updates = await bot_call(sandbox, "getUpdates")
    query_id = updates["result"][-1]["callback_query"]["id"]
    await asyncio.sleep(0.1)
    code, answer = await bot_call(sandbox, "answerCallbackQuery", callback_query_id=query_id)
    assert code == 400
    assert answer["description"] == "Bad Request: query is too old and response timeout expired or query ID is invalid"


# ---------------------------------------------------------------------------------------- waiting


async def test_wait_by_sequence_never_misses_a_message(sandbox):
    await sandbox.register_bot(TOKEN)
    user = await sandbox.create_user("Ali")
    sent = await user.send("/start")
    # The bot answers before anyone waits; waiting after the user's own event still finds both.
    await bot_call(sandbox, "sendMessage", chat_id=user.id, text="one")
    _, second = await bot_call(sandbox, "sendMessage", chat_id=user.id, text="two")
    code, first_event = await control(sandbox, "GET", f"/chats/{user.id}/wait", after_seq=sent["event_seq"])
    assert code == 200 and first_event["text"] == "one" and first_event["event"] == "new"
    code, event = await control(sandbox, "GET", f"/chats/{user.id}/wait", after_seq=first_event["event_seq"])
    assert event["text"] == "two"
    code, answer = await control(sandbox, "GET", f"/chats/{user.id}/wait", after_seq=event["event_seq"], timeout=0.1)
    assert code == 408 and "no bot message" in answer["error"]
    # `after=<message_id>` also returns an existing newer message, then edits made while waiting.
    code, event = await control(sandbox, "GET", f"/chats/{user.id}/wait", after=2)
    assert event["text"] == "two"
    waiter = asyncio.create_task(control(sandbox, "GET", f"/chats/{user.id}/wait", after=3, timeout=5))
    await asyncio.sleep(0.05)
    await bot_call(sandbox, "editMessageText", chat_id=user.id, message_id=second["result"]["message_id"], text="2")
    code, event = await waiter
    assert event["event"] == "edited" and event["text"] == "2" and event["edits"][0]["text"] == "two"


async def test_expect_reports_what_arrived(sandbox):
    await sandbox.register_bot(TOKEN)
    user = await sandbox.create_user("Ali")
    await user.send("/start")
    await bot_call(sandbox, "sendMessage", chat_id=user.id, text="Salom")
    with pytest.raises(AssertionError) as caught:
        await user.expect("Xayr", timeout=0.3)
    assert "'Xayr'" in str(caught.value) and "'Salom'" in str(caught.value)
    await bot_call(sandbox, "sendMessage", chat_id=user.id, text="Xayr")
    assert (await user.expect("Xayr")).text == "Xayr"
    await user.expect_no_message(0.1)


async def test_events_include_both_sides_and_chat_actions(sandbox):
    await sandbox.register_bot(TOKEN)
    user = await sandbox.create_user("Ali")
    await user.send("/start")
    await bot_call(sandbox, "sendChatAction", chat_id=user.id, action="typing")
    await bot_call(sandbox, "sendMessage", chat_id=user.id, text="Menu",
                   reply_markup={"keyboard": [["A", "B"]], "resize_keyboard": True})
    _, result = await control(sandbox, "GET", f"/chats/{user.id}/events", after_seq=0)
    assert [event["event"] for event in result["events"]] == ["new", "action", "new"]
    assert result["events"][1]["action"] == "typing"
    assert result["chat"]["reply_keyboard"]["keyboard"] == [[{"text": "A"}, {"text": "B"}]]
    assert result["last_seq"] == result["events"][-1]["event_seq"]


# ---------------------------------------------------------------------------------- diagnostics


async def test_calls_log_limits_and_faults_validation(sandbox):
    await sandbox.register_bot(TOKEN)
    await bot_call(sandbox, "sendMessage", chat_id=1, text="x")
    [call] = await sandbox.calls("sendMessage")
    assert call["ok"] is False and call["description"] == "Bad Request: chat not found"
    assert call["params"] == {"chat_id": 1, "text": "x"} and call["bot_id"] == 777000
    assert (await control(sandbox, "POST", "/limits", {"enabled": "yes"}))[0] == 400
    assert (await control(sandbox, "POST", "/limits", {"per_chat": 1}))[0] == 400
    assert (await control(sandbox, "POST", "/limits", {"retry_after": 0}))[0] == 400
    assert (await control(sandbox, "POST", "/faults", {"error_code": 500}))[0] == 400
    assert (await control(sandbox, "POST", "/faults", {"method": "x", "error_code": 200}))[0] == 400
    assert (await control(sandbox, "POST", "/settings", {"nope": 1}))[0] == 400


# ---------------------------------------------------------------------------------- Bot API transport


async def test_bot_api_transport_details(sandbox):
    http = sandbox.http
    not_found = {"ok": False, "error_code": 404, "description": "Not Found"}
    assert (await http.get("/botnot-a-token/getMe")).json() == not_found
    assert (await http.get(f"/bot{TOKEN}/noSuchMethod")).json() == not_found
    # Method names are case-insensitive; GET query strings and form bodies work as well as JSON.
    me = (await http.get(f"/bot{TOKEN}/GETME")).json()
    assert me["ok"] and me["result"]["id"] == 777000 and me["result"]["username"] == "smartsavdo_777000_bot"
    user = await sandbox.create_user("Ali")
    await user.send("hi")
    sent = (await http.get(f"/bot{TOKEN}/sendMessage", params={"chat_id": user.id, "text": "via GET"})).json()
    assert sent["ok"] and sent["result"]["text"] == "via GET"
    sent = (await http.post(f"/bot{TOKEN}/sendmessage", data={"chat_id": str(user.id), "text": "via form"})).json()
    assert sent["result"]["chat"] == {"id": user.id, "first_name": "Ali", "type": "private"}
    assert sent["result"]["from"]["is_bot"] is True
    status, body = await bot_call(sandbox, "sendMessage", text="no chat")
    assert (status, body["description"]) == (400, "Bad Request: chat_id is empty")
    # Multipart with the file in the part named after the parameter.
    response = await http.post(f"/bot{TOKEN}/sendDocument", data={"chat_id": str(user.id)},
                               files={"document": ("r.txt", b"report", "text/plain")})
    document = response.json()["result"]["document"]
    assert document["file_name"] == "r.txt" and document["file_size"] == 6
    file = (await http.get(f"/bot{TOKEN}/getFile", params={"file_id": document["file_id"]})).json()["result"]
    download = await http.get(f"/file/bot{TOKEN}/{file['file_path']}")
    assert download.content == b"report"
    assert (await http.get(f"/file/bot{TOKEN}/documents/missing.txt")).status_code == 404
    # Another bot cannot use this bot's file_id.
    other = (await http.get("/bot1:other/getFile", params={"file_id": document["file_id"]})).json()
    assert other["description"] == "Bad Request: invalid file_id"


async def test_webhook_settings(sandbox):
    status, body = await bot_call(sandbox, "setWebhook", url="ftp://example.com/hook")
    assert status == 400
    status, body = await bot_call(sandbox, "setWebhook", url="http://127.0.0.1:9/hook", secret_token="bad token!")
    assert body["description"] == "Bad Request: secret token contains unallowed characters"
    assert (await bot_call(sandbox, "setWebhook", url="http://127.0.0.1:9/hook"))[1]["description"] == "Webhook was set"
    again = await bot_call(sandbox, "setWebhook", url="http://127.0.0.1:9/hook")
    assert again[1]["description"] == "Webhook is already set"
    status, body = await bot_call(sandbox, "getUpdates")
    assert status == 409
    assert (await bot_call(sandbox, "deleteWebhook"))[1]["description"] == "Webhook was deleted"
    assert (await bot_call(sandbox, "deleteWebhook"))[1]["description"] == "Webhook is already deleted"


async def test_second_poller_terminates_the_first(sandbox):
    first = asyncio.create_task(bot_call(sandbox, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(bot_call(sandbox, "getUpdates", timeout=0))
    status, body = await first
    assert status == 409 and body["description"].startswith("Conflict: terminated by other getUpdates request")
    assert (await second)[1] == {"ok": True, "result": []}


async def test_inline_query_forward_and_other_methods(sandbox):
    await sandbox.register_bot(TOKEN)
    user = await sandbox.create_user("Ali")
    await user.send("/start")
    inline = asyncio.create_task(user.inline_query("non"))
    await asyncio.sleep(0.05)
    _, updates = await bot_call(sandbox, "getUpdates")
    query = updates["result"][-1]["inline_query"]
    assert (query["query"], query["from"]["id"]) == ("non", user.id)
    results = [{"type": "article", "id": "1", "title": "Non", "input_message_content": {"message_text": "Non"}}]
    assert (await bot_call(sandbox, "answerInlineQuery", inline_query_id=query["id"], results=results))[0] == 200
    assert (await inline)["results"] == results
    _, forwarded = await bot_call(sandbox, "forwardMessage", chat_id=user.id, from_chat_id=user.id, message_id=1)
    assert forwarded["result"]["forward_origin"]["sender_user"]["id"] == user.id
    assert forwarded["result"]["text"] == "/start"
    _, member = await bot_call(sandbox, "getChatMember", chat_id=user.id, user_id=user.id)
    assert member["result"]["status"] == "member"
    assert (await bot_call(sandbox, "deleteMessages", chat_id=user.id, message_ids=[1, 2, 99]))[1]["result"] is True
    views = await user.messages()
    assert [view.deleted for view in views] == [True, True]
    assert (await bot_call(sandbox, "setMyName", name="Savdo Bot"))[1]["result"] is True
    assert (await bot_call(sandbox, "getMe"))[1]["result"]["first_name"] == "Savdo Bot"
