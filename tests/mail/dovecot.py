"""A real dovecot IMAP server on loopback for tests and the benchmark: own config, passwd-file, maildir."""
import grp
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

from imap_tools import MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError

CONFIG = """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap
listen = {host}, {strict_host}
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_max_userip_connections = 100
passdb {{
  driver = passwd-file
  args = {d}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/mail/%u
}}
mail_location = maildir:~/Maildir
{capability}# Tests log in with wrong passwords on purpose: no delay after a failure, and no growing
# per-IP penalty (anvil's, up to 15 s) for the next logins from loopback.
auth_failure_delay = 0
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
# dovecot counts a loopback client on its own address as secured and lets it log in without TLS.
# The second address behaves like a real server: no login without TLS (imaps or STARTTLS).
local {strict_host} {{
  disable_plaintext_auth = yes
}}
{rootless}service imap-login {{
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = {imaps}
    ssl = yes
  }}
}}
"""
# Without root, dovecot runs every process as the invoking user, unchrooted.
ROOTLESS = """\
default_internal_user = {user}
default_login_user = {user}
default_internal_group = {group}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
USERS = 1000
HOST = "127.0.0.1"
STRICT_HOST = "127.0.0.2"  # any 127/8 address is loopback on Linux
PASSWORD = "secret"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def available():
    return shutil.which("dovecot") is not None and shutil.which("doveadm") is not None


class Dovecot:
    """Start with ``start()``, add users with ``add_user``, stop with ``stop()``."""

    def __init__(self, directory, capability=None):
        """``capability``: what the server announces instead of its own list (say, one without IDLE)."""
        self.dir = Path(directory)
        self.capability = capability
        self.imap_port, self.imaps_port = free_port(), free_port()
        self.conf = self.dir / "dovecot.conf"
        self.cafile = str(self.dir / "cert.pem")
        self.users = [f"u{n}@example.ru" for n in range(USERS)]
        self._taken = itertools.count(1)

    def start(self):
        self.dir.chmod(0o755)  # dovecot's auth and mail processes run as other users
        for sub in ("run", "state"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        root = os.geteuid() == 0
        uid, gid = (65534, 65534) if root else (os.getuid(), os.getgid())
        subprocess.run(["install", "-d", "-o", str(uid), "-g", str(gid), str(self.dir / "mail")], check=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
                        "-subj", "/CN=localhost",
                        "-addext", f"subjectAltName=DNS:localhost,IP:{HOST},IP:{STRICT_HOST}",
                        "-keyout", str(self.dir / "key.pem"), "-out", self.cafile],
                       check=True, capture_output=True)
        # dovecot's passwd-file is not reliably re-read while it runs: every user is written up front.
        (self.dir / "users").write_text("".join(f"{u}:{{PLAIN}}{PASSWORD}::::::\n" for u in self.users))
        rootless = "" if root else ROOTLESS.format(user=pwd.getpwuid(uid).pw_name, group=grp.getgrgid(gid).gr_name)
        self.conf.write_text(CONFIG.format(d=self.dir, host=HOST, strict_host=STRICT_HOST, imap=self.imap_port,
                                           imaps=self.imaps_port, uid=uid, gid=gid, rootless=rootless,
                                           capability=f"imap_capability = {self.capability}\n" if self.capability else ""))
        subprocess.run(["dovecot", "-c", str(self.conf)], check=True)
        for _ in range(200):  # readiness: a real login, not a banner read
            try:
                self.client(self.users[0], PASSWORD).logout()
                return self
            except (OSError, MailboxLoginError):
                time.sleep(0.05)
        raise RuntimeError("dovecot did not start: " + (self.dir / "dovecot.log").read_text()[-2000:])

    def stop(self):
        subprocess.run(["doveadm", "-c", str(self.conf), "stop"], check=False, capture_output=True)

    def kick(self, user):
        """Drop every IMAP connection of a user, as a server restart or a network cut would."""
        subprocess.run(["doveadm", "-c", str(self.conf), "kick", user], check=True, capture_output=True)

    def take_user(self):
        """A mailbox user no one used yet (one per test keeps tests apart)."""
        return self.users[next(self._taken)], PASSWORD

    def url(self, user, password, tls=True, strict=False, **params):
        """A mailbox URL; ``strict`` points it at the address that refuses a login without TLS."""
        scheme, port = ("imaps", self.imaps_port) if tls else ("imap", self.imap_port)
        query = "&".join(f"{k}={v}" for k, v in {"username": user, "password": password, **params}.items())
        return f"{scheme}://{STRICT_HOST if strict else HOST}:{port}?{query}"

    def client(self, user, password, folder="INBOX"):
        return MailBoxUnencrypted(HOST, self.imap_port).login(user, password, initial_folder=folder)

    def append(self, user, password, letters, folder="INBOX"):
        """Put raw letters into a folder with IMAP APPEND, unread."""
        with self.client(user, password, folder) as box:
            for raw in letters:
                box.append(raw, folder, flag_set=())
