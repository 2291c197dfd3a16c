"""The trainer password of an organisation's server: kept as a hash, read from a file or the
environment, refused in one clear line when it cannot be relied on (motives/password.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from processes import motives, one_line_error

from motives.errors import SettingsError
from motives.password import password_from_file, password_hash, password_matches
from motives.server.limits import PasswordTries
from motives.settings import Settings

PASSWORD = "een lang geheim wachtwoord"


def test_only_the_password_matches_its_hash_and_the_hash_does_not_hold_it():
    stored = password_hash(PASSWORD)
    assert stored.startswith("scrypt:16384:8:1:") and PASSWORD not in stored
    assert password_matches(stored, PASSWORD)
    for attempt in ("", "een lang geheim wachtwoord ", "Een lang geheim wachtwoord", "x" * 2000):
        assert not password_matches(stored, attempt), attempt
    assert password_hash(PASSWORD) != stored  # salted: the same password, another hash


def test_the_password_file_holds_the_password_on_its_first_line(tmp_path):
    file = tmp_path / "password"
    file.write_text(f"{PASSWORD}\r\nnot part of it\n")
    assert password_from_file(file) == PASSWORD
    file.write_text("kort\n")
    with pytest.raises(SettingsError) as short:
        password_from_file(file)
    assert short.value.say("nl") == "het trainerswachtwoord moet tussen 10 en 1000 tekens lang zijn"
    for content in (b"\xff\xfe binary", b"x" * 5000):
        file.write_bytes(content)
        with pytest.raises(SettingsError) as unreadable:
            password_from_file(file)
        assert unreadable.value.say("en") == (
            f"the password file {file} cannot be read: it must be a text file with the password on its first line"
        )


def test_the_hash_in_the_environment_is_checked_and_never_shown():
    stored = password_hash(PASSWORD)
    settings = Settings.from_env({"MOTIVES_TRAINER_PASSWORD_HASH": f" {stored}\n"})
    assert settings.trainer_password_hash == stored
    assert stored not in repr(settings)
    # A page's kernel never gets it.
    assert "MOTIVES_TRAINER_PASSWORD_HASH" not in settings.to_env()
    for malformed in (PASSWORD, "scrypt:1:8:1:00:00", stored[:-2]):
        with pytest.raises(SettingsError) as refused:
            Settings.from_env({"MOTIVES_TRAINER_PASSWORD_HASH": malformed})
        assert (
            refused.value.say("fr")
            == "MOTIVES_TRAINER_PASSWORD_HASH n'est pas un hachage fait par motives password-hash"
        )


def test_motives_password_hash_prints_a_hash_the_server_accepts():
    made = subprocess.run(
        [sys.executable, "-m", "motives", "password-hash"], input=PASSWORD + "\n", capture_output=True, text=True
    )
    assert made.returncode == 0 and made.stderr == ""
    assert password_matches(made.stdout.strip(), PASSWORD)
    short = subprocess.run(
        [sys.executable, "-m", "motives", "password-hash"], input="kort\n", capture_output=True, text=True
    )
    one_line_error(short, "the trainer password must be between 10 and 1000 characters long")


def test_serve_refuses_a_password_file_it_cannot_use_in_one_line(tmp_path):
    missing = tmp_path / "missing"
    result = motives("serve", "--trainer-password-file", str(missing), db=tmp_path / "m.db", check=False)
    one_line_error(result, f"the password file {missing} cannot be read")
    short = tmp_path / "short"
    short.write_text("kort")
    result = motives(
        "serve", "--trainer-password-file", str(short), db=tmp_path / "m.db", check=False, MOTIVES_LANG="nl"
    )
    one_line_error(result, "het trainerswachtwoord moet tussen 10 en 1000 tekens lang zijn")
    result = motives("serve", db=tmp_path / "m.db", check=False, MOTIVES_TRAINER_PASSWORD_HASH="geen hash")
    one_line_error(result, "MOTIVES_TRAINER_PASSWORD_HASH is not a hash made by motives password-hash")


def test_wrong_passwords_are_free_three_times_then_the_wait_doubles():
    tries = PasswordTries(free=3, most=300.0)
    for _ in range(3):
        assert tries.wait("192.0.2.7", now=100.0) == 0.0
        tries.wrong("192.0.2.7", now=100.0)
    assert tries.wait("192.0.2.7", now=100.0) == 2.0  # the app's one back-off: 2, 4, 8 … seconds
    tries.wrong("192.0.2.7", now=101.0)
    assert tries.wait("192.0.2.7", now=101.0) == 4.0
    assert tries.wait("192.0.2.8", now=101.0) == 0.0  # another address has its own count
    for _ in range(20):
        tries.wrong("192.0.2.7", now=200.0)
    assert tries.wait("192.0.2.7", now=200.0) == 300.0  # never longer than `most`
    tries.right("192.0.2.7")
    assert tries.wait("192.0.2.7", now=200.0) == 0.0


def test_an_ipv6_network_guesses_as_one_and_a_quiet_spell_starts_afresh():
    tries = PasswordTries(free=3, most=300.0)
    # A /64 is one device or one home network: a new address in it for every guess is still one guesser.
    for host in range(1, 4):
        tries.wrong(f"2001:db8:1:2::{host}", now=100.0)
    assert tries.wait("2001:db8:1:2::99", now=100.0) == 2.0
    assert tries.wait("2001:db8:1:3::1", now=100.0) == 0.0  # another network
    assert tries.wait("::ffff:192.0.2.7", now=100.0) == 0.0  # an IPv4 address is itself
    # Twice the longest wait without a wrong try: last week's typos are forgotten.
    assert tries.wait("2001:db8:1:2::1", now=100.0 + 601) == 0.0
    tries.wrong("2001:db8:1:2::1", now=100.0 + 601)
    assert tries.wait("2001:db8:1:2::1", now=100.0 + 601) == 0.0  # one wrong try of three free
