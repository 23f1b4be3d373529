#!/usr/bin/env python3
"""Reads Senim's published formats with independent readers, as third parties would.

Writes a sample edition with `cargo run -p senim-publish --example write_sample -- DIR`, then:
- openpyxl opens every XLSX: header row = the CSV's header (Annex 2 titles in the file's language),
  bold and frozen, autofilter over the table, "No." numeric, inclusion date a typed date cell equal to
  the CSV's, column widths set, Kazakh letters intact;
- `frictionless validate` (as `python3 -m frictionless`, so no PATH entry is needed) checks datapackage.json: every CSV against its Table Schema, size and SHA-256;
  an altered CSV and a CSV with a non-date in the date column must both fail;
- `pdftotext` (poppler) reads every PDF: Annex 2 column titles, the entry's system name, and in the
  Kazakh PDF every Kazakh-specific letter Ә Ғ Қ Ң Ө Ұ Ү Һ І survives extraction;
- the Atom feed parses as XML in the Atom namespace; the DCAT JSON-LD lists one distribution per file.
Prints what it checked; exits non-zero on any problem.
"""

import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import openpyxl

failures = []
passed = 0


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(what)
        print(f"FAIL: {what}")


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def check_workbook(path, csv_rows):
    name = os.path.basename(path)
    book = openpyxl.load_workbook(path)
    check(len(book.worksheets) == 1, f"{name}: one worksheet")
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    check(header == csv_rows[0], f"{name}: header row {header} equals the CSV's {csv_rows[0]}")
    check(all(c.font.b for c in rows[0]), f"{name}: header cells are bold")
    check(sheet.freeze_panes == "A2", f"{name}: header row frozen (freeze_panes={sheet.freeze_panes})")
    expected_filter = f"A1:K{len(csv_rows)}"
    check(sheet.auto_filter.ref == expected_filter, f"{name}: autofilter {sheet.auto_filter.ref} == {expected_filter}")
    check(len(rows) == len(csv_rows), f"{name}: {len(rows) - 1} entries, as the CSV has {len(csv_rows) - 1}")
    widths = [sheet.column_dimensions[col].width for col in "ABCDEFGHIJK"]
    check(all(w and w >= 5 for w in widths), f"{name}: column widths set {widths}")
    for xlsx_row, csv_row in zip(rows[1:], csv_rows[1:]):
        position, included = xlsx_row[0], xlsx_row[6]
        check(isinstance(position.value, (int, float)) and str(int(position.value)) == csv_row[0],
              f"{name}: No. {position.value!r} is a number equal to {csv_row[0]}")
        check(included.is_date and isinstance(included.value, datetime.datetime),
              f"{name}: inclusion date {included.value!r} is a typed date cell ({included.number_format})")
        if isinstance(included.value, datetime.datetime):
            check(included.value.date().isoformat() == csv_row[6], f"{name}: date {included.value} == CSV {csv_row[6]}")
        texts = [c.value or "" for i, c in enumerate(xlsx_row) if i not in (0, 6)]
        csv_texts = [v for i, v in enumerate(csv_row) if i not in (0, 6)]
        check(texts == csv_texts, f"{name}: row texts equal the CSV's")
    return len(rows) - 1


KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІ"


def pdf_text(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True)
    check(out.returncode == 0, f"{os.path.basename(path)}: pdftotext reads it ({out.stderr.strip()})")
    return out.stdout


def frictionless(descriptor):
    out = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", descriptor], capture_output=True, text=True)
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        print(out.stdout, out.stderr)
        raise


def error_types(report):
    return {e["type"] for t in report["tasks"] for e in t["errors"]} | {e["type"] for e in report["errors"]}


def main():
    out = tempfile.mkdtemp(prefix="senim-formats-")
    try:
        subprocess.run(["cargo", "run", "--quiet", "-p", "senim-publish", "--example", "write_sample", "--", out], check=True)
        files = sorted(os.listdir(out))

        workbooks = [f for f in files if f.endswith(".xlsx")]
        check(len(workbooks) == 5, f"five workbooks (1.kk, 1.ru, 2.kk, 2.ru, 2.en): {workbooks}")
        xlsx_rows = 0
        for name in workbooks:
            xlsx_rows += check_workbook(os.path.join(out, name), read_csv(os.path.join(out, name[:-4] + "csv")))
        kk = openpyxl.load_workbook(os.path.join(out, "1.kk.xlsx")).worksheets[0]
        check(kk["B2"].value == "Әйгерім: рентгенді талдау", f"Kazakh letters intact: {kk['B2'].value!r}")
        check(kk["G1"].value == "Тізбеге енгізілген күні", f"Kazakh column title: {kk['G1'].value!r}")
        check(kk["J2"].value == "971240001315", f"BIN stays text: {kk['J2'].value!r}")

        pdfs = [f for f in files if f.endswith(".pdf")]
        check(len(pdfs) == 5, f"five PDFs (1.kk, 1.ru, 2.kk, 2.ru, 2.en): {pdfs}")
        for name in pdfs:
            text = pdf_text(os.path.join(out, name))
            header = read_csv(os.path.join(out, name[:-3] + "csv"))[0]
            squashed = "".join(text.split())
            check(all("".join(t.split()) in squashed for t in header[2:4]), f"{name}: Annex 2 column titles")
        kk_pdf = pdf_text(os.path.join(out, "1.kk.pdf"))
        missing = [c for c in KAZAKH_LETTERS if c not in kk_pdf]
        check(not missing, f"1.kk.pdf: Kazakh letters intact in pdftotext output (missing: {missing})")
        check("Әйгерім" in kk_pdf, "1.kk.pdf: the entry's system name extracts")

        report = frictionless(os.path.join(out, "datapackage.json"))
        check(report["valid"], f"frictionless: datapackage.json valid: {error_types(report)}")
        resources = len(report["tasks"])
        csv_rows = sum(t["stats"].get("rows", 0) for t in report["tasks"])
        check(resources == 2 and csv_rows == 6, f"frictionless read 2 resources of 3 rows: {resources}, {csv_rows}")

        altered = os.path.join(out, "altered")
        shutil.copytree(out, altered, ignore=shutil.ignore_patterns("altered"))
        with open(os.path.join(altered, "1.kk.csv"), "r+b") as f:
            data = f.read().replace("Әйгерім".encode(), "Айгерім".encode())
            f.seek(0)
            f.write(data)
            f.truncate()
        bad = frictionless(os.path.join(altered, "datapackage.json"))
        check(not bad["valid"] and "hash-count" in error_types(bad), f"altered CSV fails its hash: {error_types(bad)}")

        with open(os.path.join(altered, "datapackage.json"), encoding="utf-8") as f:
            package = json.load(f)
        for resource in package["resources"]:
            resource.pop("hash")
            resource.pop("bytes")
        with open(os.path.join(altered, "datapackage.json"), "w", encoding="utf-8") as f:
            json.dump(package, f, ensure_ascii=False)
        with open(os.path.join(altered, "1.ru.csv"), "r+b") as f:
            data = f.read().replace(b"2026-06-02", b"02.06.2026")
            f.seek(0)
            f.write(data)
            f.truncate()
        bad = frictionless(os.path.join(altered, "datapackage.json"))
        check(not bad["valid"] and "type-error" in error_types(bad), f"a non-date in the date column fails: {error_types(bad)}")

        atom = "{http://www.w3.org/2005/Atom}"
        feed = ET.parse(os.path.join(out, "feed.atom")).getroot()
        entries = feed.findall(f"{atom}entry")
        check(feed.tag == f"{atom}feed" and len(entries) == 2, f"Atom feed with 2 entries: {feed.tag}, {len(entries)}")
        check(entries[0].find(f"{atom}summary").text.startswith("+1 <added> & \"excluded\""), "Atom summary unescapes")

        with open(os.path.join(out, "dcat.jsonld"), encoding="utf-8") as f:
            dcat = json.load(f)
        with open(os.path.join(out, "2.manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)["manifest"]
        distributions = dcat["dcat:distribution"]
        check(len(distributions) == len(manifest["artifacts"]),
              f"DCAT: one distribution per artifact ({len(distributions)} of {len(manifest['artifacts'])})")
        check(all("/bodies/health/latest/list." in d["dcat:downloadURL"]["@id"] for d in distributions), "DCAT: latest URLs")

        print(f"checked {len(workbooks)} workbooks ({xlsx_rows} rows) with openpyxl, {len(pdfs)} PDFs with pdftotext, "
              f"{resources} CSV resources ({csv_rows} rows) with frictionless, "
              f"{len(entries)} feed entries, {len(distributions)} DCAT distributions")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"format checks: {passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
