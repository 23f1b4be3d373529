"""What the CI checks and the benchmark file through the API (crash-check.py, pdf-fault-check.py,
bench/submit.py): a complete Annex 1 form and the PDFs to attach."""

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


def pdf_file(objects, root=1):
    """A PDF of `objects` (bodies, numbered from 1) with its cross-reference table; `root` is the catalog."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def text_pdf(label: str, padding: bytes = b"") -> bytes:
    """A valid one-page PDF (uploads are parsed before acceptance) showing `label`; `padding` (PDF
    comment lines) goes into the page's content stream to make the file as large as wanted."""
    content = b"BT /F1 12 Tf 72 720 Td (" + label.encode() + b") Tj ET\n" + padding
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])
