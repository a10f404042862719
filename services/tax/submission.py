"""The optional submission adapter: sends a ready report (its figures and PDF) to an endpoint from configuration
(`TAX_SUBMISSION_URL`, `TAX_SUBMISSION_KEY`). No public filing API exists for my.soliq.uz, so by default nothing is
sent and the accountant confirms the upload; the sandbox stand-in is sandbox/tax_office.py.

    POST {base}/reports   Authorization: Bearer <key>
    {"tin": "...", "period": "2026-11", "figures": {...}, "pdf": "<base64>"}  →  {"id": "...", "status": "accepted"}

Timeouts; retries with jittered backoff on transport errors and 5xx only; a 4xx refusal is final."""

from __future__ import annotations

import asyncio
import base64
import random
from dataclasses import dataclass
from typing import Any

import httpx

from services.errors import DomainError

ATTEMPTS = 3


class SubmissionFailed(DomainError):
    key = "tax-error-submission"


@dataclass(frozen=True)
class SubmissionClient:
    base_url: str
    key: str | None = None
    timeout: float = 20.0

    async def submit(self, tin: str, period: str, figures: dict[str, Any], pdf: bytes) -> str:
        """The endpoint's id of the accepted report; raises SubmissionFailed otherwise."""
        body = {"tin": tin, "period": period, "figures": figures, "pdf": base64.b64encode(pdf).decode("ascii")}
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        problem = "no answer"
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            for attempt in range(ATTEMPTS):
                try:
                    response = await client.post(f"{self.base_url.rstrip('/')}/reports", json=body, headers=headers)
                except httpx.TransportError as error:
                    problem = type(error).__name__
                else:
                    if response.status_code < 300:
                        answer = response.json()
                        if answer.get("status") == "accepted" and answer.get("id"):
                            return str(answer["id"])
                        raise SubmissionFailed(problem=str(answer.get("error") or answer.get("status")))
                    if response.status_code < 500:
                        raise SubmissionFailed(problem=f"HTTP {response.status_code}")
                    problem = f"HTTP {response.status_code}"
                if attempt + 1 < ATTEMPTS:
                    await asyncio.sleep(0.2 * 2 ** attempt * (1 + random.random()))
        raise SubmissionFailed(problem=problem)


__all__ = ["SubmissionClient", "SubmissionFailed"]
