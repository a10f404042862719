# REGOS sinxronlash yadrosi (9/10-vazifalar): outbox orqali yuboriladigan ogohlantirishlar.
sync-mismatch-alert = ⚠️ { $company }, { $day }: bizdagi cheklar va REGOSning oʻz hisoboti qayta oʻqilgandan keyin ham farq qilmoqda.
    Cheklar: bizda { $ours_receipts }, REGOSda { $regos_receipts }. Savdo: bizda { $ours_sales } soʻm, REGOSda { $regos_sales } soʻm (farq { $difference } soʻm).
    Ikkala raqam ham saqlandi; hisobotlar bizdagi cheklarni koʻrsatadi. Keyingi sinxronlashda kunni yana tekshiraman.
