"""«Проверить подключение»: try a mailbox URL and say plainly what failed."""
import socket
import ssl
from dataclasses import dataclass

from imap_tools.errors import MailboxFolderSelectError, MailboxLoginError

from mail import imap
from mail.mailbox import parse_url
from processes.errors import ValidationError


@dataclass
class Check:
    """The result: ``reason`` is a code the faces translate; ``detail`` is the server's or system's words."""

    ok: bool
    reason: str  # ok, bad_url, dns, refused, timeout, tls, plaintext, login, folder, protocol
    detail: str = ""
    total: int = 0
    unseen: int = 0


def check_connection(url, cafile=None, timeout=10):
    """Connect, log in, open the folder and count letters; never raises, never echoes the password."""
    try:
        box = parse_url(url)
    except ValidationError as exc:
        return Check(False, "bad_url", str(exc))
    try:
        client = imap.connect(box, cafile=cafile, timeout=timeout)
    except socket.gaierror as exc:
        return Check(False, "dns", f"{box.host}: {exc.strerror or exc}")
    except ssl.SSLError as exc:
        return Check(False, "tls", str(exc.reason or exc))
    except ConnectionRefusedError:
        return Check(False, "refused", f"{box.host}:{box.port}")
    except (socket.timeout, TimeoutError):
        return Check(False, "timeout", f"{box.host}:{box.port}")
    except imap.PlaintextRefused as exc:
        return Check(False, "plaintext", _server_words(exc.__cause__))
    except MailboxLoginError as exc:
        return Check(False, "login", _server_words(exc))
    except MailboxFolderSelectError as exc:
        return Check(False, "folder", f"{box.folder}: {_server_words(exc)}")
    except Exception as exc:  # anything else the server or socket says is shown as is
        return Check(False, "protocol", f"{type(exc).__name__}: {exc}")
    try:
        total = len(client.uids("ALL", charset=None))
        unseen = len(client.uids("UNSEEN", charset=None))
    finally:
        client.logout()
    return Check(True, "ok", f"{box.folder}", total, unseen)


def _server_words(exc):
    text = str(getattr(exc, "command_result", "") or exc)
    return text.replace(chr(0), "")[:300]
