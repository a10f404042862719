"""What /sync and an import say at the end (issue 11 item 5): counters that mean what they say. The receipts named
are the books' (the figures /today and /sales show, in the asker's branches); the documents a run wrote from REGOS
(receipts of every branch, returns, wholesale) are said apart, so "100 receipts (110 new)" cannot be printed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from db.regos_data import SyncRunStatus
from handlers.sync import books_totals, import_result_text, sync_result_text
from services.regos import RegosProblem
from services.sync.books import BranchBook, DayBook
from services.sync.imports import ImportResult
from services.sync.results import DayStatus, DaySyncResult, SyncFailure, SyncResult

DAY = date(2026, 12, 2)


def _books(first: int = 60, second: int = 40) -> list[DayBook]:
    return [DayBook(DAY, receipts=first + second, retail_gross=Decimal("1500000"), retail_returns=Decimal("100000"),
                    wholesale_net=Decimal("200000"), branches=[
                        BranchBook(1, "Chilonzor", first, Decimal("900000"), Decimal("200000")),
                        BranchBook(2, "Sergeli", second, Decimal("500000"))])]


def _result(inserted: int = 110, updated: int = 0, status: DayStatus = DayStatus.OK) -> SyncResult:
    return SyncResult(company_id=1, run_id=1, date_from=DAY, date_to=DAY, duration_seconds=2.44,
                      days=[DaySyncResult(DAY, status=status, inserted=inserted, updated=updated, receipts_listed=120)])


def test_the_receipts_are_the_books_and_the_documents_are_said_apart() -> None:
    text = sync_result_text("en", _result(), _books(), None, DAY)
    assert "Sync finished in 2.4 s." in text
    assert "Today, 2 December 2026: 100 receipts, net sales 1 600 000" in text
    assert "Written from REGOS: 110 new documents and 0 changed (receipts, returns and wholesale together)." in text
    assert "(110 new" not in text and "120" not in text
    again = sync_result_text("en", _result(inserted=0), _books(), None, DAY)
    assert "Nothing new in REGOS since the last sync." in again and "Written" not in again


def test_a_branch_manager_hears_their_branches_only() -> None:
    text = sync_result_text("en", _result(), _books(), {2}, DAY)
    assert "Today, 2 December 2026, your branches: 40 receipts, net sales 500 000" in text
    assert "Written from REGOS" not in text and "Nothing new" not in text  # company-wide counts are not theirs
    assert books_totals(_books(), {1}) == (60, Decimal("1100000"))
    assert books_totals(_books(), None) == (100, Decimal("1600000"))


@pytest.mark.parametrize(("count", "ru", "en"), [(1, "1 чек", "1 receipt,"), (2, "2 чека", "2 receipts"),
                                                  (5, "5 чеков", "5 receipts"), (21, "21 чек", "21 receipts")])
def test_plurals_come_from_fluent(count: int, ru: str, en: str) -> None:
    books = _books(count, 0)
    assert ru in sync_result_text("ru", _result(), books, None, DAY)
    assert en in sync_result_text("en", _result(), books, None, DAY)
    uz = sync_result_text("uz", _result(), books, None, DAY)
    assert f"{count} ta chek" in uz and "soniyada" in uz and "2,4" in uz


def test_russian_and_uzbek_read_naturally() -> None:
    ru = sync_result_text("ru", _result(updated=3), _books(), None, DAY)
    assert "Синхронизация завершена за 2,4 с." in ru and "Сегодня, 2 декабря 2026 г.: 100 чеков" in ru
    assert "новых документов — 110, изменённых — 3" in ru
    uz = sync_result_text("uz", _result(updated=3), _books(), {1}, DAY)
    assert "Bugun, 2026-yil 2-dekabr, sizning filiallaringiz: 60 ta chek" in uz and "REGOSʼdan yozildi" not in uz


def test_a_stopped_or_busy_sync_says_so_and_no_figures() -> None:
    failure = SyncFailure(RegosProblem.RATE_LIMITED, "DocCheque/Get", 8213, 200, "too many")
    stopped = _result(status=DayStatus.FAILED)
    stopped.failure = failure
    text = sync_result_text("en", stopped, _books(), None, DAY)
    assert text.startswith("❌ Sync stopped: REGOS says too many requests") and "receipts" not in text
    down = _result(status=DayStatus.FAILED)
    assert "REGOS is not answering" in sync_result_text("en", down, _books(), None, DAY)
    busy = SyncResult(company_id=1, run_id=None, date_from=DAY, date_to=DAY, status=SyncRunStatus.BUSY)
    assert "already running" in sync_result_text("en", busy, [], None, DAY)


def test_an_import_names_the_books_receipts_of_its_days() -> None:
    done = [DAY - timedelta(days=offset) for offset in range(3)]
    result = ImportResult(company_id=1, days_total=3, done=done, receipts=999, duration_seconds=50)
    text = import_result_text("en", result, 250)
    assert text == "✅ Import finished: 3 days in 50 s. The books now hold 250 receipts for them."
    one = ImportResult(company_id=1, days_total=1, done=[DAY], receipts=999, duration_seconds=5)
    assert import_result_text("en", one, 1) == "✅ Import finished: 1 day in 5 s. The books now hold 1 receipt for it."
    assert "Чеков за эти дни в учёте: 250" in import_result_text("ru", result, 250)
    stopped = ImportResult(company_id=1, days_total=3, done=done[:1], left=done[1:], receipts=999,
                           duration_seconds=5)
    assert "Imported 1 of 3 days (40 receipts in the books for them)" in import_result_text("en", stopped, 40)
    assert "1 / 3 kun yuklandi (ular uchun hisobda 40 ta chek)" in import_result_text("uz", stopped, 40)
