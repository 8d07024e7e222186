"""The console and TLS: `sioconsole --tls-cert --tls-key` serves https/wss from its embedded
server, and `sioconsole attach https://…` watches a TLS server, trusting a certificate it is
given (--tls-ca), refusing one it cannot verify, or not verifying at all (--insecure).
The certificate is made here, with openssl, for localhost and 127.0.0.1."""
import subprocess

import pytest
import requests

from console_client import Client
from headless_process import HeadlessProcess
from test_attach import CONSOLE, SLOW_WAIT, Attached, OurServer, start


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    return str(cert), str(key)


def trusting(cert):
    """A requests session trusting only `cert` (REQUESTS_CA_BUNDLE, when set, would replace it)."""
    session = requests.Session()
    session.verify = cert
    session.trust_env = False
    return session


def test_attach_to_a_tls_server_trusting_its_certificate(closing, clients, certificate):
    cert, key = certificate
    server = start(closing, OurServer("--tls-cert", cert, "--tls-key", key))
    url = f"https://localhost:{server.port}"
    console = start(closing, Attached(url, "--tls-ca", cert))
    assert console.banner["status"].startswith("connected"), console.banner
    alice = Client(url, query="who=alice", http_session=trusting(cert))
    clients.append(alice)
    sid = alice.sid()
    console.wait_socket(sid)
    alice.sio.emit("message", {"over": "wss"})
    inbound = console.next(lambda line: line["type"] == "event" and line["dir"] == "in" and line.get("event") == "message")
    assert inbound["socket"] == sid and inbound["args"] == [{"over": "wss"}]


def test_attach_refuses_a_certificate_it_cannot_verify_unless_told_not_to(closing, certificate):
    cert, key = certificate
    server = start(closing, OurServer("--tls-cert", cert, "--tls-key", key))
    url = f"https://localhost:{server.port}"
    untrusting = start(closing, Attached(url))
    assert not untrusting.banner["status"].startswith("connected"), untrusting.banner
    assert "certificate could not be verified" in untrusting.banner["status"], untrusting.banner
    insecure = start(closing, Attached(url, "--insecure"))
    assert insecure.banner["status"].startswith("connected"), insecure.banner


def test_attach_names_an_unreadable_trust_file(tmp_path):
    missing = tmp_path / "absent.pem"
    result = subprocess.run([CONSOLE, "attach", "https://localhost:1", "--headless", "--tls-ca", str(missing)],
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=SLOW_WAIT)
    assert result.returncode == 2
    assert str(missing) in result.stderr.decode(), result.stderr


def test_the_embedded_server_serves_https(closing, clients, certificate):
    cert, key = certificate
    console = start(closing, HeadlessProcess([CONSOLE, "--headless", "--port", "0", "--tls-cert", cert, "--tls-key", key]))
    banner = console.next(lambda line: line["type"] == "listening", SLOW_WAIT)
    assert banner["tls"] is True
    bob = Client(f"https://localhost:{banner['port']}", http_session=trusting(cert))
    clients.append(bob)
    sid = bob.sid()
    assert any(row["id"] == sid for row in console.reply("sockets")["sockets"])


def test_the_embedded_server_names_a_key_that_does_not_fit(certificate):
    cert, _ = certificate
    result = subprocess.run([CONSOLE, "--headless", "--port", "0", "--tls-cert", cert, "--tls-key", cert],
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=SLOW_WAIT)
    assert result.returncode == 2
    assert cert in result.stderr.decode(), result.stderr


@pytest.mark.parametrize("argv, said", [
    (["--tls-ca", "ca.pem"], "--tls-ca is for attach"),
    (["--insecure"], "--insecure is for attach"),
    (["attach", "https://localhost:1", "--tls-cert", "c.pem", "--tls-key", "k.pem"], "--tls-cert is for the embedded server"),
    (["--tls-cert", "c.pem"], "--tls-cert and --tls-key go together"),
])
def test_tls_flags_of_the_other_mode_are_refused(argv, said):
    result = subprocess.run([CONSOLE, *argv], stdin=subprocess.DEVNULL, capture_output=True, timeout=SLOW_WAIT)
    assert result.returncode == 2
    assert said in result.stderr.decode(), result.stderr
