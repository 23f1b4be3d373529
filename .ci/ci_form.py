"""The complete Annex 1 form the CI checks file through the API (crash-check.py, pdf-fault-check.py)."""

FORM = {
    "body": "health",
    "applicant": {"role": "owner", "name": "«Апат» ЖШС", "bin_iin": "971240001315",
                  "legal_address": "Астана", "actual_address": "Астана",
                  "contact": {"name": "Тест", "position": "Директор", "phone": "+7 701 000 00 00", "email": "c@example.kz"}},
    "system": {"name": {"kk": "Жүйе", "ru": "Система"}, "purpose": {"kk": "Мақсат"}, "area": {"kk": "Сала"},
               "functionality": {"kk": "Функция"}, "conditions_of_use": {"kk": "Шарт"},
               "models": {"description": {"kk": "Модель"}, "algorithm_type": "ML", "external_models": False, "embedded_models": True},
               "data": {"categories": {"kk": "Деректер"}, "sources": {"kk": "Көздер"}}},
    "audit": {"auditor": {"kk": "Аудитор"}, "date": "2026-05-14", "conclusions": {"kk": "Сәйкес"}},
    "copyright": {"certificate_number": "1", "certificate_date": "2026-01-20", "author_contract": False},
    "declaration": {"confirmed": True, "signatory": "Тест"},
}
