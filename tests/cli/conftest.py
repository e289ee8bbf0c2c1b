import pytest

from exceed.cli import main


@pytest.fixture
def exceed(capsys):
    """Run the `exceed` command in-process; returns (exit status, stdout, stderr)."""

    def run(*argv):
        status = main([str(arg) for arg in argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def write(tmp_path):
    def write_file(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write_file
