"""The .po catalogues are complete and safe to format.

Read with the standard library only: a small parser is enough for the files makemessages writes,
and the checks must run before compilemessages (an untranslated or broken entry is caught here,
not by a customer seeing English or a crash in a %-format).
"""

import ast
import re
from pathlib import Path

import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "exceed" / "locale"
LANGUAGES = ["da", "fr", "et", "fi"]

# %(name)s-style and bare %-conversions, as Python's %-operator reads them.
PYTHON_FORMAT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?(?P<conv>[diouxXeEfFgGcrsa%])")
BRACE_FORMAT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: flags, msgid, msgid_plural, msgstr (a list: one item, or one per plural form)."""
    entries, entry, field = [], None, None

    def finish():
        if entry and entry["msgid"] is not None and not entry["obsolete"]:
            entries.append(entry)

    def fresh():
        return {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "obsolete": False}

    entry = fresh()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            if entry["msgid"] is not None:
                finish()
                entry = fresh()
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if not line or line.startswith("#"):
            if (entry["msgid"] is not None and entry["msgstr"]) or (entry["obsolete"] and entry["msgid"] is None):
                # An obsolete (#~) entry ends at the blank line too, or it would swallow the next one.
                finish()
                entry = fresh()
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest.strip())
            if keyword in ("msgctxt", "msgid") and entry["msgstr"]:
                finish()
                entry = fresh()
            field = keyword
            if keyword.startswith("msgstr"):
                entry["msgstr"][keyword] = ""
            else:
                entry[keyword] = ""
        if field is None:
            raise AssertionError(f"{path}:{number}: text outside an entry")
        if field.startswith("msgstr"):
            entry["msgstr"][field] += value
        else:
            entry[field] += value
    finish()
    for e in entries:
        e["msgstr"] = [text for _, text in sorted(e["msgstr"].items())]
    return entries


def placeholders(text: str, entry: dict) -> list[str]:
    found = []
    if "python-format" in entry["flags"]:
        found += sorted(m.group(0) for m in PYTHON_FORMAT.finditer(text))
    if "python-brace-format" in entry["flags"]:
        found += sorted(BRACE_FORMAT.findall(text))
    return found


def catalogue(language: str) -> list[dict]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing"
    return parse_po(path)


def header(entries: list[dict]) -> dict:
    text = next(e for e in entries if e["msgid"] == "")["msgstr"][0]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_catalogue_is_translated_and_none_is_fuzzy(language):
    entries = [e for e in catalogue(language) if e["msgid"]]
    assert len(entries) > 100, "the catalogue looks truncated"
    untranslated = [e["msgid"] for e in entries if not all(text.strip() for text in e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], f"{language}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_english_text(language):
    wrong = []
    for e in catalogue(language):
        if not e["msgid"]:
            continue
        sources = [e["msgid"]] + ([e["msgid_plural"]] if e["msgid_plural"] is not None else [])
        expected = [placeholders(source, e) for source in sources]
        for text in e["msgstr"]:
            got = placeholders(text, e)
            # A plural form may name the count or not ("one colleague"), but nothing else may differ.
            if not any(got == wanted or (len(sources) > 1 and set(got) <= set(wanted)) for wanted in expected):
                wrong.append((e["msgid"], text))
    assert wrong == [], f"{language}: placeholders differ in {wrong[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_python_format_translation_formats_without_error(language):
    for e in catalogue(language):
        if "python-format" not in e["flags"]:
            continue
        names = {m.group("name") for m in PYTHON_FORMAT.finditer(e["msgid"]) if m.group("name")}
        for text in e["msgstr"]:
            if names:
                text % {name: 1 for name in names}
            elif "%" in text:
                text % ()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_names_the_language_and_the_plural_forms_match_it(language):
    entries = catalogue(language)
    head = header(entries)
    assert head["Language"] == language
    plural_forms = int(re.search(r"nplurals=(\d+)", head["Plural-Forms"]).group(1))
    for e in entries:
        if e["msgid_plural"] is not None:
            assert len(e["msgstr"]) == plural_forms, e["msgid"]
    assert "fuzzy" not in next(e for e in entries if e["msgid"] == "")["flags"]


def test_the_catalogues_hold_the_same_messages():
    keys = {language: {(e["msgctxt"], e["msgid"]) for e in catalogue(language) if e["msgid"]} for language in LANGUAGES}
    assert keys["da"] == keys["fr"] == keys["et"] == keys["fi"]


def test_the_parser_sees_an_untranslated_entry_and_a_dropped_placeholder(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n\n'
        '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hei"\n\n'
        'msgid "Bye"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Maybe"\nmsgstr "Ehkä"\n',
        encoding="utf-8",
    )
    entries = {e["msgid"]: e for e in parse_po(po)}
    assert entries["Bye"]["msgstr"] == [""]
    assert "fuzzy" in entries["Maybe"]["flags"]
    hello = entries["Hello %(name)s"]
    assert placeholders(hello["msgid"], hello) == ["%(name)s"] and placeholders(hello["msgstr"][0], hello) == []
