"""IMAP with imap-tools, minding its traps: peek (never \\Seen at fetch), per-UID STORE/EXPUNGE, UID MOVE."""
import re
import ssl

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError
from imap_tools.utils import encode_folder

# One FETCH brings at most FETCH_CHUNK letters and FETCH_BYTES bytes (a bigger letter comes alone):
# imaplib holds a whole FETCH response in memory, and fifty 10 MB letters would be half a gigabyte.
FETCH_CHUNK = 50
FETCH_BYTES = 20 * 1024 * 1024
SIZE_CHUNK = 500  # UIDs per RFC822.SIZE request, to keep the command line short
TIMEOUT = 30
_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class ImapError(Exception):
    """The server refused a command; the message says which."""


class PlaintextRefused(ImapError):
    """The server will not take a password over an unencrypted connection (RFC 5530 PRIVACYREQUIRED)."""


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
    except BaseException as exc:
        client.client.shutdown()
        if isinstance(exc, MailboxLoginError) and "PRIVACYREQUIRED" in str(exc):
            raise PlaintextRefused("the server refuses a login without encryption: use imaps:// or "
                                   "starttls=true") from exc
        raise
    return client


def pending_uids(client, box):
    """UIDs of the letters to handle: unread ones (or all) not marked deleted, oldest first."""
    criteria = "UNSEEN UNDELETED" if box.unseen else "UNDELETED"
    return sorted(client.uids(criteria, charset=None), key=int)


def sizes(client, uids):
    """{uid: size in bytes} of the letters (a letter expunged meanwhile is absent)."""
    found = {}
    for start in range(0, len(uids), SIZE_CHUNK):
        part = ",".join(uids[start:start + SIZE_CHUNK])
        for item in _check(client.client.uid("FETCH", part, "(UID RFC822.SIZE)"), "FETCH"):
            uid, size = (_UID.search(item), _SIZE.search(item)) if isinstance(item, bytes) else (None, None)
            if uid and size:
                found[uid.group(1).decode()] = int(size.group(1))
    return found


def batches(uids, sized, count=None, limit=None):
    """UIDs in order, grouped by at most ``count`` letters and ``limit`` bytes; a bigger letter goes alone."""
    count, limit = count or FETCH_CHUNK, limit or FETCH_BYTES
    group, total = [], 0
    for uid in uids:
        if uid not in sized:
            continue
        if group and (len(group) >= count or total + sized[uid] > limit):
            yield group
            group, total = [], 0
        group.append(uid)
        total += sized[uid]
    if group:
        yield group


def fetch_groups(client, uids, count=None, limit=None):
    """Yield groups of (uid, raw bytes), one FETCH each, with BODY.PEEK so fetching never marks a letter read."""
    for group in batches(uids, sizes(client, uids), count, limit):
        data = _check(client.client.uid("FETCH", ",".join(group), "(UID BODY.PEEK[])"), "FETCH")
        fetched = []
        for index, item in enumerate(data):
            if not isinstance(item, tuple):
                continue
            match = _UID.search(item[0])
            if match is None and index + 1 < len(data) and isinstance(data[index + 1], bytes):
                match = _UID.search(data[index + 1])
            if match is not None:
                fetched.append((match.group(1).decode(), item[1]))
        if fetched:
            yield fetched


def fetch(client, uids, count=None, limit=None):
    """Yield (uid, raw bytes) of the letters, group after group (see fetch_groups)."""
    for group in fetch_groups(client, uids, count, limit):
        yield from group


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
