"""IMAP with imap-tools, minding its traps: peek (never \\Seen at fetch), per-UID STORE/EXPUNGE, UID MOVE."""
import re
import ssl

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.utils import encode_folder

FETCH_CHUNK = 50
TIMEOUT = 30
_UID = re.compile(rb"UID (\d+)")


class ImapError(Exception):
    """The server refused a command; the message says which."""


def _check(result, what):
    status, data = result
    if status != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise ImapError(f"{what}: {detail or status}")
    return data


def connect(box, cafile=None, timeout=TIMEOUT):
    """A logged-in imap-tools MailBox on the mailbox's folder, capabilities as announced after login."""
    context = ssl.create_default_context(cafile=cafile)
    if box.ssl:
        client = MailBox(box.host, box.port, timeout=timeout, ssl_context=context)
    elif box.starttls:
        client = MailBoxStartTls(box.host, box.port, timeout=timeout, ssl_context=context)
    else:
        client = MailBoxUnencrypted(box.host, box.port, timeout=timeout)
    try:
        client.login(box.username, box.password, initial_folder=box.folder)
        # dovecot announces MOVE and UIDPLUS only after login; imaplib kept the pre-login list.
        data = _check(client.client.capability(), "CAPABILITY")
        client.client.capabilities = tuple(data[-1].decode().upper().split())
    except BaseException:
        client.client.shutdown()
        raise
    return client


def pending_uids(client, box):
    """UIDs of the letters to handle: unread ones (or all) not marked deleted, oldest first."""
    criteria = "UNSEEN UNDELETED" if box.unseen else "UNDELETED"
    return sorted(client.uids(criteria, charset=None), key=int)


def fetch(client, uids, chunk=FETCH_CHUNK):
    """Yield (uid, raw bytes) with BODY.PEEK, so fetching never marks a letter read."""
    for start in range(0, len(uids), chunk):
        part = ",".join(uids[start:start + chunk])
        data = _check(client.client.uid("FETCH", part, "(UID BODY.PEEK[])"), "FETCH")
        for index, item in enumerate(data):
            if not isinstance(item, tuple):
                continue
            match = _UID.search(item[0])
            if match is None and index + 1 < len(data) and isinstance(data[index + 1], bytes):
                match = _UID.search(data[index + 1])
            if match is not None:
                yield match.group(1).decode(), item[1]


def _store(client, uid, flags):
    _check(client.client.uid("STORE", uid, "+FLAGS.SILENT", flags), "STORE")


def _ensure_folder(client, folder):
    if not client.folder.exists(folder):
        client.folder.create(folder)


def move(client, uids, folder):
    """Move letters by UID; without MOVE, COPY then delete only these UIDs (UID EXPUNGE)."""
    _ensure_folder(client, folder)
    uid_set = ",".join(_listed(uids))
    target = encode_folder(folder)
    if "MOVE" in client.client.capabilities:
        _check(client.client.uid("MOVE", uid_set, target), "MOVE")
        return
    _check(client.client.uid("COPY", uid_set, target), "COPY")
    expunge(client, uids)


def expunge(client, uids):
    """Delete exactly these letters: a plain EXPUNGE would also remove others' \\Deleted letters."""
    uid_set = ",".join(_listed(uids))
    _store(client, uid_set, r"(\Deleted)")
    if "UIDPLUS" in client.client.capabilities:
        _check(client.client.uid("EXPUNGE", uid_set), "UID EXPUNGE")


def mark_done(client, box, uids):
    """Flag handled letters as the URL says: moveTo, else \\Deleted (delete=true), else \\Seen."""
    if not _listed(uids):
        return
    if box.move_to:
        move(client, uids, box.move_to)
    elif box.delete:
        expunge(client, uids)
    else:
        _store(client, ",".join(_listed(uids)), r"(\Seen)")


def _listed(uids):
    return [uids] if isinstance(uids, str) else list(uids)
