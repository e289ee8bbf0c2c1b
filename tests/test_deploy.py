"""The deployment settings of the README's "Production deployment" pass Django's deploy check, and
the pages satisfy the Content-Security-Policy they are sent with."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "src" / "exceed" / "templates"


def _production_settings() -> dict[str, str]:
    """The EXCEED_* lines of the README's production block, as the documentation gives them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Production deployment", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    return dict(re.findall(r"^(EXCEED_[A-Z_]+)=(\S+)$", block, re.MULTILINE))


def _django(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # Settings are read once per process, so each configuration gets a process of its own.
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is the test run's, not a deployment's (async.E001).
    clean = {
        key: value
        for key, value in os.environ.items()
        if (not key.startswith("EXCEED_") or key == "EXCEED_DATA_DIR") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run(
        [sys.executable, "-m", "django", *args, "--settings=exceed.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _setting(name: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return _django(["shell", "-c", f"from django.conf import settings; print(repr(settings.{name}))"], env)


def test_check_deploy_passes_with_the_readmes_production_settings(tmp_path):
    """Reproducer: `check --deploy` warned of HSTS (W004), the HTTPS redirect (W008) and had no
    settings to fix them; EXCEED_SECURE_COOKIES was undocumented (W012, W016)."""
    env = _production_settings()
    assert {"EXCEED_HSTS_SECONDS", "EXCEED_SSL_REDIRECT", "EXCEED_PROXY_SSL_HEADER", "EXCEED_SECURE_COOKIES"} <= set(
        env
    )
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(50))
    env["EXCEED_SECRET_KEY_FILE"] = str(key_file)
    env["EXCEED_DATA_DIR"] = str(tmp_path / "data")
    result = _django(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_them(tmp_path):
    result = _django(["check", "--deploy", "--fail-level", "WARNING"], {"EXCEED_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_the_proxy_header_names_the_header_the_proxy_sets(tmp_path):
    result = _setting(
        "SECURE_PROXY_SSL_HEADER", {"EXCEED_DATA_DIR": str(tmp_path), "EXCEED_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    )
    assert result.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


def test_a_bad_deployment_value_stops_start_up_naming_the_variable(tmp_path):
    for name, value in (
        ("EXCEED_PROXY_SSL_HEADER", "X-Forwarded-Proto: https"),
        ("EXCEED_HSTS_SECONDS", "-5"),
        ("EXCEED_LOGIN_FAILURE_LIMIT", "0"),
        ("EXCEED_SSL_REDIRECT", "maybe"),
    ):
        result = _setting("DEBUG", {"EXCEED_DATA_DIR": str(tmp_path), name: value})
        assert result.returncode != 0 and name in result.stderr, (name, result.stderr)


def test_the_default_hosts_leave_out_testserver(tmp_path):
    """Reproducer: a fresh install answered to `Host: testserver`; Django's test runner adds it itself."""
    result = _setting("ALLOWED_HOSTS", {"EXCEED_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "testserver" not in result.stdout and "localhost" in result.stdout


@pytest.mark.parametrize("path", ["/login/", "/s/no-such-link/"])
def test_pages_are_sent_with_a_content_security_policy(db, client, path):
    policy = client.get(path)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy


def _inline_code(template: Path) -> list[str]:
    text = template.read_text(encoding="utf-8")
    found = re.findall(r"<style\b", text)
    found += [
        tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag and "application/json" not in tag
    ]
    found += re.findall(r"\s(?:style|on[a-z]+)\s*=\s*[\"']", text)
    return found


def test_no_page_carries_inline_script_style_or_event_handler():
    """Reproducer: the language menu's `onchange=`, the poster's `<style>` and `onclick=` and the
    survey editor's `style=` were refused by a `script-src 'self'; style-src 'self'` policy."""
    offenders = {
        str(template.relative_to(TEMPLATES)): found
        for template in TEMPLATES.rglob("*.html")
        # Emails are read in mail programs, not served under the policy; inline styles are their norm.
        if "email" not in template.parts and (found := _inline_code(template))
    }
    assert offenders == {}
