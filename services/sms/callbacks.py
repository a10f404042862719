"""The HTTP side of Eskiz delivery reports: an aiohttp route handler (no aiogram) that bot/ mounts on its server.

Eskiz signs nothing, so the callback URL carries a secret path segment (``ESKIZ_CALLBACK_URL``, or one derived
from PUBLIC_URL and SECRET_KEY by ``resolve_callback_url``), and a report applies only to an SMS whose request id
(and our own ``user_sms_id``) it names. Mount it with ``add_callback_route(web_app.router, session_factory,
callback_url)``; the route answers 200 ``{"status": "updated" | "unchanged" | "unknown"}``, 400 for a body
that is not a report.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .client import logger
from .reports import DeliveryReportError, parse_delivery_report, report_from_fields
from .service import apply_delivery_report
from .urls import callback_path

Handler = Callable[[web.Request], Awaitable[web.Response]]


def make_callback_handler(session_factory: async_sessionmaker[AsyncSession]) -> Handler:
    """The aiohttp handler for Eskiz's POSTs: parse, apply in one transaction, answer at once."""

    async def handle(request: web.Request) -> web.Response:
        try:
            if request.content_type == "multipart/form-data":
                form = await request.post()
                report = report_from_fields({k: v for k, v in form.items() if isinstance(v, str)})
            else:
                report = parse_delivery_report(await request.read(), request.content_type)
        except DeliveryReportError as error:
            logger.warning("Eskiz callback refused: %s", error)
            return web.json_response({"status": "bad_request", "error": str(error)}, status=400)
        async with session_factory() as session:
            outcome = await apply_delivery_report(session, report)
            await session.commit()
        if outcome.result == "unknown":
            logger.warning("Eskiz callback for no known SMS (request %s)", report.request_id)
        return web.json_response({"status": outcome.result})

    return handle


def add_callback_route(router: web.UrlDispatcher, session_factory: async_sessionmaker[AsyncSession],
                       callback_url: str | None) -> str | None:
    """Mount the handler at the callback URL's path; returns the path (None when there is no callback URL)."""
    if not callback_url:
        return None
    path = callback_path(callback_url)
    router.add_post(path, make_callback_handler(session_factory))
    return path
