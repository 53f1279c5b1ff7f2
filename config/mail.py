"""Where file mail goes: read from EMAIL_URL, since django-environ drops its leading slash."""

from pathlib import Path
from urllib.parse import urlsplit


def mail_folder(email_url: str, var_dir: Path) -> Path:
    """The folder a filemail:// URL names: an absolute path as written
    (filemail:///srv/alongside/var/mail), a relative one under var/ (filemail://mail), and
    var/mail when it names none (filemail://)."""
    parts = urlsplit(email_url)
    written = parts.netloc + parts.path
    return var_dir / written if written else var_dir / "mail"
