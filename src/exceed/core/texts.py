"""Texts that users type, in the five languages the product speaks (issue 6, item 5).

One way for every app: a JSON field of translations keyed by language code ({"en": …, "da": …}),
shown with ``translated``, cleaned with ``translations_clean`` and edited in a form through
``translation_fields`` / ``translations_from``. Survey questions, touchpoint names, and the
charter attributes, playbook entries and scorecard criteria of the coming apps all use it.
"""

from django import forms

# The languages a text can be given in, each named in its own language (as a customer picks it).
LANGUAGE_CHOICES = [
    ("en", "English"),
    ("da", "Dansk"),
    ("fr", "Français"),
    ("et", "Eesti"),
    ("fi", "Suomi"),
]
LANGUAGE_CODES = [code for code, _label in LANGUAGE_CHOICES]


def translated(texts: dict | None, language: str, fallback: str = "en") -> str:
    """The text in ``language``, else the fallback language, else any text there is."""
    if not texts:
        return ""
    return texts.get(language) or texts.get(fallback) or next(iter(texts.values()), "")


def translations_clean(texts: dict) -> dict:
    """Known languages only, trimmed, blanks dropped: what is stored."""
    return {
        code: value.strip()
        for code, value in texts.items()
        if code in LANGUAGE_CODES and isinstance(value, str) and value.strip()
    }


def translation_fields(prefix: str, label, *, widget=forms.TextInput, max_length: int | None = None) -> dict:
    """One optional form field per language, named ``<prefix>_<code>``."""
    return {
        f"{prefix}_{code}": forms.CharField(
            label=f"{label} ({name})", required=False, widget=widget, max_length=max_length
        )
        for code, name in LANGUAGE_CHOICES
    }


def translations_from(cleaned_data: dict, prefix: str) -> dict:
    """The translations a form built with ``translation_fields`` received, cleaned."""
    return translations_clean({code: cleaned_data.get(f"{prefix}_{code}") or "" for code in LANGUAGE_CODES})


def translations_initial(prefix: str, texts: dict | None) -> dict:
    """Initial values for ``translation_fields`` from stored translations."""
    return {f"{prefix}_{code}": text for code, text in (texts or {}).items() if code in LANGUAGE_CODES}


def model_form_with_translations(model, *, fields: list[str], prefix: str, label, max_length: int | None = None):
    """A ModelForm for ``model`` that edits its JSON translations field ``prefix`` one declared
    field per language (declared, so the Django admin lays them out like any other field)."""

    class Base(forms.ModelForm):
        class Meta:
            pass

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk:
                self.initial.update(translations_initial(prefix, getattr(self.instance, prefix)))

        def save(self, commit=True):
            setattr(self.instance, prefix, translations_from(self.cleaned_data, prefix))
            return super().save(commit)

    Base.Meta.model = model
    Base.Meta.fields = fields
    attributes = {**translation_fields(prefix, label, max_length=max_length), "Meta": Base.Meta}
    return type(f"{model.__name__}Form", (Base,), attributes)
